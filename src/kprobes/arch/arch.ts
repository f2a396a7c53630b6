// The fixed hooks between the generic kprobes core (kernel/kprobes.c, ../kprobes.ts) and one
// architecture's probes code (arch/<arch>/kernel/probes/). Names follow Linux's in camelCase, so
// the kernel's documentation explains them: archPrepareKprobe, archArmKprobe, archDisarmKprobe,
// archRemoveKprobe, archPrepareKretprobe, kprobeBreakHandler (the arch's trap entry: arm64
// kprobe_brk_handler + kprobe_ss_brk_handler + kretprobe_brk_handler, x86 kprobe_int3_handler,
// mips kprobe_handler + post_kprobe_handler on break 515/516, ppc kprobe_handler +
// kprobe_post_handler), kprobeFaultHandler. Each arch also says how big its opcode and slot are
// and how its pt_regs are read from and written to the CPU.

import type { ArchName, Cpu } from '../../isa/cpu.ts';
import type { KernelSite, KprobesHost } from '../host.ts';
import type { Kprobe, KretprobeInstance, PtRegs } from '../types.ts';

/** The trap as the CPU reported it: BRK/int3/break/trap (or an undefined instruction on arm32). */
export interface BreakTrap {
  readonly kind: 'breakpoint' | 'undefined';
  /** BRK/break immediate (arm64 ESR.ISS comment, mips break code); 0 where the ISA has none. */
  readonly imm: number;
  /** The trapping instruction word. */
  readonly insn: number;
}

/** The arch part of the per-CPU `kprobe_ctlblk`; every arch has at least the status. */
export interface ArchCtlblk {
  kprobeStatus: number;
}

/**
 * The functions of kernel/kprobes.c (and include/linux/kprobes.h) that arch code calls.
 * Handlers are always called through callPreHandler/callPostHandler so that their faults reach
 * the classic fault_handler path.
 */
export interface KprobesCore {
  readonly host: KprobesHost;
  /** register_kprobe(): for the arch's own probes (mips arch_init_kprobes registers trampoline_p). */
  registerKprobe(p: Kprobe): number;
  /** get_kprobe(addr): the probe (or aggregator) registered at addr. */
  getKprobe(addr: number): Kprobe | undefined;
  /** kprobe_running(): this CPU's current_kprobe. */
  kprobeRunning(): Kprobe | null;
  /** __this_cpu_write(current_kprobe, p). */
  setCurrentKprobe(p: Kprobe | null): void;
  /** reset_current_kprobe(). */
  resetCurrentKprobe(): void;
  /** get_kprobe_ctlblk(): this CPU's control block. */
  getKprobeCtlblk(): ArchCtlblk;
  /** kprobes_inc_nmissed_count(p): p, or every child of an aggregator. */
  kprobesIncNmissedCount(p: Kprobe): void;
  /** `p->pre_handler(p, regs)`; true when it returned non-zero (it moved the PC itself). */
  callPreHandler(p: Kprobe, regs: PtRegs): boolean;
  /** `p->post_handler(p, regs, 0)` when p has one. */
  callPostHandler(p: Kprobe, regs: PtRegs): void;
  /** Offer a fault of p's out-of-line instruction to its fault_handler(s); true when one returned 1. */
  offerStepFault(p: Kprobe, regs: PtRegs, trapnr: number): boolean;
  /** Offer a fault taken while p's handler ran (nmissed, then the running handler's fault_handler). */
  offerHandlerFault(p: Kprobe, regs: PtRegs, trapnr: number): boolean;
  /** get_insn_slot(): a free slot of arch.insnSlotBytes, or null. */
  getInsnSlot(): number | null;
  /** free_insn_slot(). */
  freeInsnSlot(slot: number): void;
  /** kretprobe_trampoline_handler(regs, frame_pointer): the real return address (a memory address). */
  kretprobeTrampolineHandler(regs: PtRegs, framePointer: bigint): number;
  /** The address of __kretprobe_trampoline (a memory address), if the kernel has one. */
  kretprobeTrampolineAddr(): number | undefined;
  /** dump_kprobe(p). */
  dumpKprobe(p: Kprobe): void;
  /** BUG(): clears the per-CPU state and runs host.die(); never returns normally. */
  bug(site: KernelSite, regs: PtRegs): never;
  /** WARN_ON_ONCE(): warns the first time `site` fires. */
  warnOnce(site: KernelSite, regs?: PtRegs): void;
}

export interface KprobesArch {
  readonly name: ArchName;
  /** sizeof(kprobe_opcode_t) in bytes. */
  readonly opcodeBytes: number;
  /** One instruction slot: MAX_INSN_SIZE * sizeof(kprobe_opcode_t) bytes. */
  readonly insnSlotBytes: number;
  /** Width of a pointer, for %px. */
  readonly pointerBits: 32 | 64;
  /** kretprobe_blacklist[] names (x86: __switch_to; empty elsewhere). */
  readonly kretprobeBlacklist: readonly string[];

  /** A new, idle per-CPU control block. */
  newCtlblk(): ArchCtlblk;
  /**
   * arch_init_kprobes(), called once when the core is ready: 0 or -errno. mips and ppc32 register
   * their kretprobe trampoline's probe here; arches whose trampoline traps on its own (arm64
   * BRK #7) have none.
   */
  archInitKprobes?(): number;

  /** arch_adjust_kprobe_addr(): combine symbol start and offset; tells whether it is the function entry. */
  archAdjustKprobeAddr(symbolStart: number, offset: number): { addr: number; onFuncEntry: boolean } | null;
  /** arch_prepare_kprobe(): check, decode, save the opcode, fill the slot; 0 or -errno. */
  archPrepareKprobe(p: Kprobe): number;
  /** arch_arm_kprobe(): patch the trap instruction in. */
  archArmKprobe(p: Kprobe): void;
  /** arch_disarm_kprobe(): put the original instruction back. */
  archDisarmKprobe(p: Kprobe): void;
  /** arch_remove_kprobe(): release the slot. */
  archRemoveKprobe(p: Kprobe): void;
  /** copy_kprobe(): share the prepared instruction of `from` with `to` (aggregation). */
  copyKprobe(from: Kprobe, to: Kprobe): void;
  /** arch_prepare_kretprobe(): save the return address and frame, point the return at the trampoline. */
  archPrepareKretprobe(ri: KretprobeInstance, regs: PtRegs): void;
  /** arch_trampoline_kprobe(): is p the kretprobe trampoline's own probe (mips/ppc). */
  archTrampolineKprobe(p: Kprobe): boolean;

  /** The arch's breakpoint trap into kprobes; DBG_HOOK_HANDLED or DBG_HOOK_ERROR. */
  kprobeBreakHandler(regs: PtRegs, trap: BreakTrap): number;
  /** kprobe_fault_handler(regs, trapnr): 1 if the fault was fixed, 0 for the kernel's normal path. */
  kprobeFaultHandler(regs: PtRegs, trapnr: number): number;
  /**
   * The arch's fault code (arm64: an ESR; mips: the Cause.ExcCode, Linux's trap_nr) for what went wrong: a MemoryFault or a CpuException
   * ('fault' with access/reason, 'undefined'), or anything else a handler threw.
   */
  faultTrapnr(fault: unknown): number;

  /** The pt_regs view of a CPU (a snapshot: handlers may call guest code without disturbing it). */
  saveRegs(cpu: Cpu): PtRegs;
  /** Write back the registers of the view that changed. */
  restoreRegs(regs: PtRegs, cpu: Cpu): void;
  /** A memory address as the register value (arm64: canonical 0xffff… for kernel addresses; mips: the same 32-bit number). */
  canonical(addr: number): bigint;
  /** A register value as the address memory uses (48-bit on arm64, 32-bit on mips). */
  address(value: bigint): number;
}
