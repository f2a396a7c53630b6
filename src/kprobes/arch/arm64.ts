// arm64 kprobes: the counterpart of arch/arm64/kernel/probes/kprobes.c (arch_prepare_kprobe,
// arch_arm_kprobe, arch_disarm_kprobe, kprobe_brk_handler, kprobe_ss_brk_handler,
// kretprobe_brk_handler, kprobe_fault_handler, arch_prepare_kretprobe) and of the kprobes part of
// call_el1_break_hook() in arch/arm64/kernel/debug-monitors.c; BRK immediates from
// arch/arm64/include/asm/brk-imm.h.
//
// A probe is `BRK #0x004` written over the instruction. On the trap the pre_handler runs with
// pc = addr; the original instruction then either runs out of line from a slot
// [insn][BRK #0x006] with DAIF masked (the second BRK ends the step and pc becomes addr + 4), or is
// simulated on the registers (branches, adr/adrp, literal loads); then the post_handler runs. A
// kretprobe points x30 at `__kretprobe_trampoline: brk #0x007`.

import { MemoryFault } from '../../machine/memory.ts';
import { EINVAL, ENOMEM } from '../../uapi/errno.ts';
import { KERN_WARNING, type KernelSite } from '../host.ts';
import {
  DBG_HOOK_ERROR,
  DBG_HOOK_HANDLED,
  KPROBE_HIT_ACTIVE,
  KPROBE_HIT_SS,
  KPROBE_HIT_SSDONE,
  KPROBE_REENTER,
  type Kprobe,
  type KretprobeInstance,
  type PtRegs,
} from '../types.ts';
import type { ArchCtlblk, BreakTrap, KprobesArch, KprobesCore } from './arch.ts';
import { kprobeFaultHandler, type FaultHandlerArch } from './fault-handler.ts';
import { KprobesArchBase, type ArchRegsModel } from './arch-base.ts';
import { armKprobeDecodeInsn, INSN_GOOD, INSN_REJECTED } from './arm64-decode.ts';
import { ARM64_REG_NAMES, Arm64Regs, arm64Address, arm64Canonical } from './arm64-regs.ts';
import type { SimulateHandler } from './arm64-simulate.ts';

export const KPROBES_BRK_IMM = 0x004;
export const UPROBES_BRK_IMM = 0x005;
export const KPROBES_BRK_SS_IMM = 0x006;
export const KRETPROBES_BRK_IMM = 0x007;
export const BUG_BRK_IMM = 0x800;

/** AARCH64_BREAK_MON | imm << 5. */
export const aarch64BreakMon = (imm: number): number => (0xd4200000 | (imm << 5)) >>> 0;
export const BRK64_OPCODE_KPROBES = aarch64BreakMon(KPROBES_BRK_IMM); // 0xd4200080
export const BRK64_OPCODE_KPROBES_SS = aarch64BreakMon(KPROBES_BRK_SS_IMM); // 0xd42000c0
export const BRK64_OPCODE_KRETPROBES = aarch64BreakMon(KRETPROBES_BRK_IMM); // 0xd42000e0

/** ESR of a BRK64 exception (EC 0x3c, IL): the comment is ISS bits 15..0. */
export const esrBrk64 = (imm: number): number => (0xf2000000 | (imm & 0xffff)) >>> 0;
/** ESR_ELx_EC_UNKNOWN with IL: an undefined instruction, or any fault we cannot describe better. */
export const ESR_UNKNOWN = 0x02000000;

/** PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT. */
const DAIF_MASK = 0x3c0n;

/** struct arch_probe_insn, inside struct arch_specific_insn. */
export interface Arm64Ainsn {
  readonly api: {
    /** The slot, or null when the instruction is simulated. */
    insn: number | null;
    handler: SimulateHandler | null;
    /** Where execution resumes after the slot (addr + 4, canonical); 0n for simulated ones. */
    restore: bigint;
  };
}

/** struct kprobe_ctlblk (arch/arm64/include/asm/kprobes.h). */
export interface Arm64Ctlblk extends ArchCtlblk {
  kprobeStatus: number;
  savedIrqflag: bigint;
  prevKprobe: { kp: Kprobe | null; status: number; savedIrqflag: bigint };
}

const FILE = 'arch/arm64/kernel/probes/kprobes.c';
const SITE_REENTER_BUG: KernelSite = { file: FILE, line: 270, func: 'reenter_kprobe' };
const SITE_REENTER_WARN: KernelSite = { file: FILE, line: 273, func: 'reenter_kprobe' };
const SITE_BRK_NO_PROBE: KernelSite = { file: FILE, line: 341, func: 'kprobe_brk_handler' };

function ainsnOf(p: Kprobe): Arm64Ainsn {
  return p.ainsn as Arm64Ainsn;
}

/** Does `e` describe a memory access (MemoryFault, or a CpuException of kind 'fault')? */
function accessFault(e: unknown): { access: 'read' | 'write' | 'exec'; reason: string } | null {
  if (typeof e !== 'object' || e === null) return null;
  const f = e as { access?: unknown; reason?: unknown };
  if ((f.access === 'read' || f.access === 'write' || f.access === 'exec') && typeof f.reason === 'string') {
    return { access: f.access, reason: f.reason };
  }
  return null;
}

/** The arm64 pt_regs and address forms (instructions little-endian; patched as aarch64_insn_patch_text()). */
const ARM64_REGS: ArchRegsModel = {
  fromCpu: (cpu) => Arm64Regs.fromCpu(cpu),
  owns: (regs): regs is Arm64Regs => regs instanceof Arm64Regs,
  names: ARM64_REG_NAMES,
  pcName: 'pc',
  canonical: arm64Canonical,
  address: arm64Address,
  littleEndian: true,
};

export class Arm64Kprobes extends KprobesArchBase<Arm64Ctlblk> implements KprobesArch {
  readonly name = 'arm64' as const;
  readonly opcodeBytes = 4;
  /** MAX_INSN_SIZE (2) * sizeof(kprobe_opcode_t): [insn][BRK #6]. */
  readonly insnSlotBytes = 8;
  readonly pointerBits = 64 as const;
  readonly kretprobeBlacklist: readonly string[] = [];

  constructor(core: KprobesCore) {
    super(core, ARM64_REGS);
  }

  newCtlblk(): Arm64Ctlblk {
    return { kprobeStatus: 0, savedIrqflag: 0n, prevKprobe: { kp: null, status: 0, savedIrqflag: 0n } };
  }

  faultTrapnr(fault: unknown): number {
    const f = accessFault(fault);
    if (f) {
      // A data abort (EC 0x25) or instruction abort (EC 0x21) taken at EL1, with IL set; the
      // fault status code says level-3 translation (0x07), permission (0x0f) or alignment (0x21).
      const fsc = f.reason === 'unmapped' ? 0x07 : f.reason === 'permission' ? 0x0f : 0x21;
      if (f.access === 'exec') return (0x86000000 | fsc) >>> 0;
      return (0x96000000 | (f.access === 'write' ? 1 << 6 : 0) | fsc) >>> 0;
    }
    return ESR_UNKNOWN;
  }

  // --- preparing, arming ----------------------------------------------------------------

  archPrepareKprobe(p: Kprobe): number {
    const host = this.core.host;
    const addr = p.addr!;
    if (addr % 4 !== 0) return -EINVAL;

    // Copy the instruction; it must be readable kernel memory.
    let opcode: number;
    try {
      opcode = host.memory.read32(addr) >>> 0;
    } catch (e) {
      if (e instanceof MemoryFault) return -EINVAL;
      throw e;
    }
    p.opcode = opcode;

    if (host.text.searchExceptionTables?.(addr)) return -EINVAL;

    const sym = host.symbols.lookupAddress(addr);
    const read32 = (a: number): number => host.memory.read32(a) >>> 0;
    let decoded;
    try {
      decoded = armKprobeDecodeInsn(addr, read32, sym ? addr - sym.start : undefined);
    } catch (e) {
      if (e instanceof MemoryFault) return -EINVAL;
      throw e;
    }
    if (decoded.decoded === INSN_REJECTED) return -EINVAL;

    let slot: number | null = null;
    if (decoded.decoded === INSN_GOOD) {
      slot = this.core.getInsnSlot();
      if (slot === null) return -ENOMEM;
    }
    const ainsn: Arm64Ainsn = { api: { insn: slot, handler: decoded.handler, restore: 0n } };
    p.ainsn = ainsn;

    if (slot !== null) {
      // arch_prepare_ss_slot(): the instruction, then the step-done BRK.
      this.patchText(slot, opcode);
      this.patchText(slot + 4, BRK64_OPCODE_KPROBES_SS);
      ainsn.api.restore = arm64Canonical(addr) + 4n;
    }
    return 0;
  }

  archArmKprobe(p: Kprobe): void {
    this.patchText(p.addr!, BRK64_OPCODE_KPROBES);
  }

  archRemoveKprobe(p: Kprobe): void {
    const api = ainsnOf(p)?.api;
    if (api && api.insn !== null) {
      this.core.freeInsnSlot(api.insn);
      api.insn = null;
    }
  }

  copyKprobe(from: Kprobe, to: Kprobe): void {
    to.opcode = from.opcode;
    const a = ainsnOf(from);
    to.ainsn = a ? { api: { ...a.api } } : undefined;
  }

  archTrampolineKprobe(_p: Kprobe): boolean {
    return false;
  }

  // --- kretprobes ------------------------------------------------------------------------

  archPrepareKretprobe(ri: KretprobeInstance, regs: PtRegs): void {
    const r = regs as Arm64Regs;
    ri.retAddr = arm64Address(r.x30);
    ri.fp = r.x29;
    // Replace the return address (x30) with the trampoline.
    r.x30 = arm64Canonical(this.core.kretprobeTrampolineAddr()!);
  }

  // --- the per-CPU state machine ---------------------------------------------------------

  private savePreviousKprobe(kcb: Arm64Ctlblk): void {
    kcb.prevKprobe.kp = this.core.kprobeRunning();
    kcb.prevKprobe.status = kcb.kprobeStatus;
    // The outer probe's DAIF, before the nested one overwrites savedIrqflag.
    kcb.prevKprobe.savedIrqflag = kcb.savedIrqflag;
  }

  private restorePreviousKprobe(kcb: Arm64Ctlblk): void {
    this.core.setCurrentKprobe(kcb.prevKprobe.kp);
    kcb.kprobeStatus = kcb.prevKprobe.status;
    kcb.savedIrqflag = kcb.prevKprobe.savedIrqflag;
  }

  /** Mask all of DAIF while the instruction runs out of line: the kprobe state is per CPU. */
  private kprobesSaveLocalIrqflag(kcb: Arm64Ctlblk, regs: Arm64Regs): void {
    kcb.savedIrqflag = regs.pstate & DAIF_MASK;
    regs.pstate = regs.pstate | DAIF_MASK;
  }

  private kprobesRestoreLocalIrqflag(kcb: Arm64Ctlblk, regs: Arm64Regs): void {
    regs.pstate = (regs.pstate & ~DAIF_MASK) | kcb.savedIrqflag;
  }

  private setupSinglestep(p: Kprobe, regs: Arm64Regs, kcb: Arm64Ctlblk, reenter: boolean): void {
    if (reenter) {
      this.savePreviousKprobe(kcb);
      this.core.setCurrentKprobe(p);
      kcb.kprobeStatus = KPROBE_REENTER;
    } else {
      kcb.kprobeStatus = KPROBE_HIT_SS;
    }
    const api = ainsnOf(p).api;
    if (api.insn !== null) {
      this.kprobesSaveLocalIrqflag(kcb, regs);
      regs.pc = arm64Canonical(api.insn);
    } else {
      this.archSimulateInsn(p, regs, kcb);
    }
  }

  private archSimulateInsn(p: Kprobe, regs: Arm64Regs, kcb: Arm64Ctlblk): void {
    const api = ainsnOf(p).api;
    if (api.handler) {
      const memory = this.core.host.memory;
      let retried = false;
      for (;;) {
        try {
          api.handler(p.opcode!, arm64Canonical(p.addr!), regs, memory);
          break;
        } catch (e) {
          if (!(e instanceof MemoryFault)) throw e;
          // The simulated load faulted inside the trap handler: offered to the fault_handler as a
          // fault of the original instruction (once: it may have fixed the mapping), then the
          // kernel's path for a kernel fault without a fixup, with pc on the probe as
          // kprobe_fault_handler leaves it.
          const trapnr = this.faultTrapnr(e);
          if (!retried && kcb.kprobeStatus === KPROBE_HIT_SS && this.core.offerStepFault(p, regs, trapnr)) {
            retried = true;
            continue;
          }
          regs.pc = arm64Canonical(p.addr!);
          if (kcb.kprobeStatus === KPROBE_REENTER) this.restorePreviousKprobe(kcb);
          else this.core.resetCurrentKprobe();
          throw new SimulationFault(p, e, trapnr);
        }
      }
    }
    // The step is done (simulated): post-processing now.
    this.postKprobeHandler(p, kcb, regs);
  }

  private reenterKprobe(p: Kprobe, regs: Arm64Regs, kcb: Arm64Ctlblk): boolean {
    switch (kcb.kprobeStatus) {
      case KPROBE_HIT_SSDONE:
      case KPROBE_HIT_ACTIVE:
      case KPROBE_HIT_SS:
        // Hit while another probe's handler or step is active: count it and only step.
        this.core.kprobesIncNmissedCount(p);
        this.setupSinglestep(p, regs, kcb, true);
        return true;
      case KPROBE_REENTER:
        this.core.host.printk(KERN_WARNING, 'kprobes: Failed to recover from reentered kprobes.\n');
        this.core.dumpKprobe(p);
        return this.core.bug(SITE_REENTER_BUG, regs);
      default:
        this.core.host.warn(SITE_REENTER_WARN, regs);
        return false;
    }
  }

  /** post_kprobe_handler(): the PC after the step, then the post_handler or the outer probe back. */
  private postKprobeHandler(cur: Kprobe, kcb: Arm64Ctlblk, regs: Arm64Regs): void {
    const api = ainsnOf(cur).api;
    if (api.restore !== 0n) regs.pc = api.restore;
    if (kcb.kprobeStatus === KPROBE_REENTER) {
      this.restorePreviousKprobe(kcb);
      return;
    }
    kcb.kprobeStatus = KPROBE_HIT_SSDONE;
    if (cur.postHandler) this.core.callPostHandler(cur, regs);
    this.core.resetCurrentKprobe();
  }

  /** kprobe_brk_handler(): BRK #0x004 at a probe. */
  kprobeBrkHandler(regs: PtRegs, _esr: number): number {
    const r = regs as Arm64Regs;
    const kcb = this.kcb();
    const addr = arm64Address(r.pc);
    const curKprobe = this.core.kprobeRunning();

    const p = this.core.getKprobe(addr);
    if (!p) {
      // A BRK with the kprobes immediate but no probe here: not ours after all.
      this.core.warnOnce(SITE_BRK_NO_PROBE, regs);
      return DBG_HOOK_ERROR;
    }

    if (curKprobe) {
      if (!this.reenterKprobe(p, r, kcb)) return DBG_HOOK_ERROR;
    } else {
      this.core.setCurrentKprobe(p);
      kcb.kprobeStatus = KPROBE_HIT_ACTIVE;
      // No pre_handler, or it returned 0: step. Non-zero: it changed the PC itself, so neither
      // the step nor the post_handler happens.
      if (!p.preHandler || !this.core.callPreHandler(p, r)) this.setupSinglestep(p, r, kcb, false);
      else this.core.resetCurrentKprobe();
    }
    return DBG_HOOK_HANDLED;
  }

  /** kprobe_ss_brk_handler(): BRK #0x006 right after the slot's instruction. */
  kprobeSsBrkHandler(regs: PtRegs, _esr: number): number {
    const r = regs as Arm64Regs;
    const kcb = this.kcb();
    const cur = this.core.kprobeRunning();
    const slot = cur ? ainsnOf(cur)?.api.insn ?? null : null;
    if (cur && (kcb.kprobeStatus & (KPROBE_HIT_SS | KPROBE_REENTER)) !== 0 && slot !== null && arm64Address(r.pc) === slot + 4) {
      this.kprobesRestoreLocalIrqflag(kcb, r);
      this.postKprobeHandler(cur, kcb, r);
      return DBG_HOOK_HANDLED;
    }
    // Not ours: kprobes ignores it.
    return DBG_HOOK_ERROR;
  }

  /** kretprobe_brk_handler(): BRK #0x007 at __kretprobe_trampoline. */
  kretprobeBrkHandler(regs: PtRegs, _esr: number): number {
    const r = regs as Arm64Regs;
    const tramp = this.core.kretprobeTrampolineAddr();
    if (tramp === undefined || arm64Address(r.pc) !== tramp) return DBG_HOOK_ERROR;
    r.pc = arm64Canonical(this.core.kretprobeTrampolineHandler(r, r.x29));
    return DBG_HOOK_HANDLED;
  }

  /** The kprobes part of call_el1_break_hook(): dispatch on the BRK comment. */
  kprobeBreakHandler(regs: PtRegs, trap: BreakTrap): number {
    if (trap.kind !== 'breakpoint') return DBG_HOOK_ERROR;
    const esr = esrBrk64(trap.imm);
    switch (trap.imm & 0xffff) {
      case KPROBES_BRK_IMM:
        return this.kprobeBrkHandler(regs, esr);
      case KPROBES_BRK_SS_IMM:
        return this.kprobeSsBrkHandler(regs, esr);
      case KRETPROBES_BRK_IMM:
        return this.kretprobeBrkHandler(regs, esr);
      default:
        return DBG_HOOK_ERROR;
    }
  }

  /**
   * kprobe_fault_handler(): a fault while a kprobe is active. During the out-of-line step the
   * probe's fault_handler may fix it (the slot then runs again); otherwise pc goes back to the
   * probe, the state is dropped and the kernel handles the fault as if the instruction had
   * faulted in place. While a handler runs (guest code it called faulted) the classic path
   * counts nmissed and offers it to the running handler's fault_handler.
   */
  kprobeFaultHandler(regs: PtRegs, trapnr: number): number {
    return kprobeFaultHandler<Arm64Ctlblk>(this.core, this.faultHooks, regs, trapnr);
  }

  /** The arm64 pieces of kprobe_fault_handler(): DAIF back unless a reentered step is dropped. */
  private readonly faultHooks: FaultHandlerArch<Arm64Ctlblk> = {
    slotOf: (p) => ainsnOf(p)?.api.insn ?? null,
    address: arm64Address,
    canonical: arm64Canonical,
    abandonStep: (regs, kcb) => {
      if (kcb.kprobeStatus !== KPROBE_REENTER) this.kprobesRestoreLocalIrqflag(kcb, regs as Arm64Regs);
    },
    restorePreviousKprobe: (kcb) => this.restorePreviousKprobe(kcb),
  };
}

/** A simulated instruction's memory access faulted and nothing fixed it (the core turns it into an oops). */
export class SimulationFault extends Error {
  constructor(
    readonly probe: Kprobe,
    readonly fault: MemoryFault,
    readonly trapnr: number,
  ) {
    super(`kprobes: simulated instruction faulted: ${fault.message}`);
  }
}
