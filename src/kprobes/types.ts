// The kprobe data structures, handler types and pt_regs views: the counterpart of
// include/linux/kprobes.h (struct kprobe, struct kretprobe, struct kretprobe_instance, the
// KPROBE_FLAG_* and KPROBE_HIT_* values) and of the pt_regs accessors of
// arch/*/include/asm/ptrace.h (instruction_pointer, regs_return_value,
// regs_get_kernel_argument). Modules (examples/*.ts), tracefs probe events and tests all use
// these shapes.

import type { ArchName } from '../isa/cpu.ts';

// --- pt_regs --------------------------------------------------------------------------------

/** What every arch's `struct pt_regs` view offers. Values are unsigned 64-bit BigInts. */
export interface PtRegsCommon {
  readonly arch: ArchName;
  /** A register by its pt_regs name (arm64: x0..x30, lr, sp, pc, pstate; mips: r0..r31, c0_epc…); RangeError if unknown. */
  get(name: string): bigint;
  set(name: string, value: bigint): void;
  /** The names get/set accept, in pt_regs order. */
  readonly names: readonly string[];
  /**
   * instruction_pointer(regs). 64-bit ISAs hold the canonical value (an arm64 kernel address
   * reads 0xffff8000…); `address(regs.pc)` gives the 48-bit address memory uses.
   */
  pc: bigint;
  /** user_stack_pointer / kernel_stack_pointer. */
  sp: bigint;
  /** regs_return_value(regs). */
  readonly returnValue: bigint;
  /** regs_get_kernel_argument(regs, n): the nth argument at function entry, 0-based; 0n past the registers. */
  argument(n: number): bigint;
}

/** arm64 `struct pt_regs` (arch/arm64/include/asm/ptrace.h): regs[31], sp, pc, pstate. */
export interface Arm64PtRegs extends PtRegsCommon {
  readonly arch: 'arm64';
  x0: bigint; x1: bigint; x2: bigint; x3: bigint; x4: bigint; x5: bigint; x6: bigint; x7: bigint;
  x8: bigint; x9: bigint; x10: bigint; x11: bigint; x12: bigint; x13: bigint; x14: bigint; x15: bigint;
  x16: bigint; x17: bigint; x18: bigint; x19: bigint; x20: bigint; x21: bigint; x22: bigint; x23: bigint;
  x24: bigint; x25: bigint; x26: bigint; x27: bigint; x28: bigint; x29: bigint; x30: bigint;
  /** x30, as `%lr` in kprobe_events. */
  lr: bigint;
  /** PSTATE/SPSR: NZCV in bits 31..28, DAIF in bits 9..6. */
  pstate: bigint;
  /** pt_regs_read_reg: x0..x30; 31 reads as the zero register. */
  readReg(n: number): bigint;
  /** pt_regs_write_reg: x0..x30; writes to 31 (xzr) are dropped. */
  writeReg(n: number, value: bigint): void;
}

/** Members only the arm64 view has. */
type Arm64OnlyKey = Exclude<keyof Arm64PtRegs, keyof PtRegsCommon>;

/**
 * MIPS `struct pt_regs` (arch/mips/include/asm/ptrace.h, 32-bit): regs[32], cp0_status, hi, lo,
 * cp0_badvaddr, cp0_cause, cp0_epc. Values are the 32-bit registers, unsigned. get()/set() take
 * the names of regs_offset_table in arch/mips/kernel/ptrace.c (r0..r31, c0_status, hi, lo,
 * c0_badvaddr, c0_cause, c0_epc: what `%r4` or `%c0_epc` mean in kprobe_events) and the struct's
 * own cp0_* member names; the properties are the struct's members, regs[n] as rN.
 * instruction_pointer() is cp0_epc.
 */
export interface MipsPtRegs extends PtRegsCommon, Partial<Record<Exclude<Arm64OnlyKey, 'readReg' | 'writeReg'>, undefined>> {
  readonly arch: 'mips';
  r0: bigint; r1: bigint; r2: bigint; r3: bigint; r4: bigint; r5: bigint; r6: bigint; r7: bigint;
  r8: bigint; r9: bigint; r10: bigint; r11: bigint; r12: bigint; r13: bigint; r14: bigint; r15: bigint;
  r16: bigint; r17: bigint; r18: bigint; r19: bigint; r20: bigint; r21: bigint; r22: bigint; r23: bigint;
  r24: bigint; r25: bigint; r26: bigint; r27: bigint; r28: bigint; r29: bigint; r30: bigint; r31: bigint;
  /** Status as the exception found it: IE in bit 0, KSU in bits 4..3. */
  cp0_status: bigint;
  hi: bigint;
  lo: bigint;
  cp0_badvaddr: bigint;
  /** Cause: BD in bit 31, ExcCode in bits 6..2. */
  cp0_cause: bigint;
  /** The pc (instruction_pointer(regs)); the same value as `pc`. */
  cp0_epc: bigint;
  /** regs->regs[n], n = 0..31. */
  readReg(n: number): bigint;
  /** regs->regs[n] = value; a write to regs[0] is dropped (the exception return never restores $0). */
  writeReg(n: number, value: bigint): void;
}

/**
 * The pt_regs of an arch whose typed view is not written yet: access by name only. The arm64
 * names read as undefined here, so `regs.pstate` on a PtRegs is `bigint | undefined` until
 * narrowed.
 */
export interface GenericPtRegs extends PtRegsCommon, Partial<Record<Arm64OnlyKey, undefined>> {
  readonly arch: Exclude<ArchName, 'arm64' | 'mips'>;
}

/**
 * The register view handed to handlers. Narrow on `arch` for named access, as a C handler uses
 * `#ifdef CONFIG_ARM64`: `if (regs.arch === 'arm64') console.log(regs.x0)`, or
 * `if (regs.arch === 'mips') console.log(regs.cp0_status)`.
 */
export type PtRegs = Arm64PtRegs | MipsPtRegs | GenericPtRegs;

// --- struct kprobe --------------------------------------------------------------------------

/** Non-zero return: "I changed the PC myself"; the original instruction is not run, no post_handler. */
export type KprobePreHandler = (p: Kprobe, regs: PtRegs) => number | void;
/** `flags` is always 0, as in Linux. */
export type KprobePostHandler = (p: Kprobe, regs: PtRegs, flags: number) => void;
/**
 * The classic fault handler (removed from Linux in 5.14, kept here as the seed describes): called
 * when the pre/post handler, or the original instruction running out of line, faults. `trapnr`
 * is the arch's fault code (arm64: the ESR; mips: the Cause.ExcCode). Return 1 if handled; see
 * host.ts for what happens next.
 */
export type KprobeFaultHandler = (p: Kprobe, regs: PtRegs, trapnr: number) => number | void;

export const KPROBE_FLAG_GONE = 1;
export const KPROBE_FLAG_DISABLED = 2;
export const KPROBE_FLAG_OPTIMIZED = 4;
export const KPROBE_FLAG_FTRACE = 8;
export const KPROBE_FLAG_ON_FUNC_ENTRY = 16;

/** struct kprobe. Fill symbolName (+offset) or addr, and handlers; register with registerKprobe. */
export interface Kprobe {
  symbolName?: string;
  offset?: number;
  /**
   * Probe address, a 48-bit guest address on 64-bit ISAs (0xffff800008001234 is 0x800008001234).
   * Set by registration from symbolName+offset and left set afterwards, as Linux leaves p->addr:
   * registering the same object again with symbolName still set then fails with -EINVAL.
   */
  addr?: number;
  preHandler?: KprobePreHandler;
  postHandler?: KprobePostHandler;
  faultHandler?: KprobeFaultHandler;
  /** Set by the core: times this probe was hit while another probe was active (and faults in its handlers). */
  nmissed?: number;
  /** KPROBE_FLAG_*; only KPROBE_FLAG_DISABLED may be passed to registration (registered, not armed). */
  flags?: number;
  /** The saved original instruction (first unit of it); set by archPrepareKprobe. */
  opcode?: number;
  /** Arch-private state (slot address, simulation handler); owned by kprobes/arch. */
  ainsn?: unknown;
}

export function kprobeGone(p: Kprobe): boolean {
  return ((p.flags ?? 0) & KPROBE_FLAG_GONE) !== 0;
}

/** kprobe_disabled(): disabled or gone. */
export function kprobeDisabled(p: Kprobe): boolean {
  return ((p.flags ?? 0) & (KPROBE_FLAG_DISABLED | KPROBE_FLAG_GONE)) !== 0;
}

// --- kretprobes -----------------------------------------------------------------------------

export interface KretprobeInstance {
  /** The kretprobe this instance was taken from. */
  readonly rp: Kretprobe;
  /** Per-instance scratch of rp.dataSize bytes (ri->data), kept between entry and return. */
  readonly data: Uint8Array;
  /** The real return address saved at entry (get_kretprobe_retaddr), as memory addresses it (48-bit on arm64). */
  retAddr: number;
  /** Frame key (arm64: x29 at entry; it is x29 again when the function returns; mips: always 0n, NULL). */
  fp: bigint;
  /** The task the instance belongs to (host.currentTask() at entry). */
  task: number;
}

/** Return handlers' value is ignored; entry handlers return non-zero to skip this call's return. */
export type KretprobeHandler = (ri: KretprobeInstance, regs: PtRegs) => number | void;

/** struct kretprobe. */
export interface Kretprobe {
  /** Only symbolName/offset/addr/flags/faultHandler are the caller's; handlers are set by registration. */
  kp: Kprobe;
  handler?: KretprobeHandler;
  entryHandler?: KretprobeHandler;
  /** Instances preallocated; <= 0 or unset: max(10, 2 * num_possible_cpus()). */
  maxactive?: number;
  /** Bytes of ri.data; at most KRETPROBE_MAX_DATA_SIZE (4096), else -E2BIG. */
  dataSize?: number;
  /** Calls whose return could not be caught because no instance was free. */
  nmissed?: number;
}

export const KRETPROBE_MAX_DATA_SIZE = 4096;

// --- per-CPU status (kprobe_ctlblk.kprobe_status) -------------------------------------------

export const KPROBE_HIT_ACTIVE = 0x00000001;
export const KPROBE_HIT_SS = 0x00000002;
export const KPROBE_REENTER = 0x00000004;
export const KPROBE_HIT_SSDONE = 0x00000008;

// --- debug-hook results (arch/arm64/include/asm/debug-monitors.h) ---------------------------

/** The trap was a kprobes trap and has been dealt with: resume at regs.pc. */
export const DBG_HOOK_HANDLED = 0;
/** Not a kprobes trap (or not one kprobes can handle): the kernel's normal path (an oops). */
export const DBG_HOOK_ERROR = 1;
/**
 * Ours, not Linux's: a handler faulted, its fault was not handled and host.die() has run (the
 * oops is printed, the task killed or the machine panicked). Leave the CPU as die() left it.
 */
export const KPROBE_HOOK_DIED = 2;
