// The kprobe data structures and handler types: the counterpart of include/linux/kprobes.h.
// Modules (examples/*.ts), tracefs probe events and tests all use these shapes.

/** A register view handed to handlers: `struct pt_regs` with the arch's names (arm64: x0..x30, sp, pc, pstate). */
export interface PtRegs {
  readonly arch: string;
  get(name: string): bigint;
  set(name: string, value: bigint): void;
  /** Program counter (arm64 pc, x86 ip, mips cp0_epc, ppc nip), as an unsigned 64-bit value. */
  pc: bigint;
  /** Stack pointer. */
  sp: bigint;
  /** The function's return value register (regs_return_value). */
  readonly returnValue: bigint;
  /** The Nth function argument at entry (regs_get_kernel_argument), 0-based. */
  argument(n: number): bigint;
  /** arm64 named access: regs.x0 … regs.x30, regs.pstate. */
  readonly [name: string]: unknown;
}

export type KprobePreHandler = (p: Kprobe, regs: PtRegs) => number | void;
export type KprobePostHandler = (p: Kprobe, regs: PtRegs, flags: number) => void;
/** The classic fault handler (removed from Linux in 5.14, kept here as the seed describes). Return 1 if handled. */
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
  /** Probe address (48-bit guest address); set by registration from symbolName+offset. */
  addr?: number;
  preHandler?: KprobePreHandler;
  postHandler?: KprobePostHandler;
  faultHandler?: KprobeFaultHandler;
  /** Set by the core: times this probe was hit while another probe's handler ran. */
  nmissed?: number;
  flags?: number;
  /** Arch-private state (saved opcode, slot); owned by kprobes/arch. */
  opcode?: number;
  ainsn?: unknown;
}

export interface KretprobeInstance {
  readonly rp: Kretprobe;
  /** Per-instance scratch of rp.dataSize bytes (ri->data). */
  readonly data: Uint8Array;
  /** The real return address saved at entry (get_kretprobe_retaddr). */
  retAddr: number;
  /** Frame key (arm64: x29 at entry). */
  fp: bigint;
  /** The task the instance belongs to. */
  task: number;
}

export type KretprobeHandler = (ri: KretprobeInstance, regs: PtRegs) => number | void;

/** struct kretprobe. */
export interface Kretprobe {
  kp: Kprobe;
  handler?: KretprobeHandler;
  entryHandler?: KretprobeHandler;
  maxactive?: number;
  dataSize?: number;
  nmissed?: number;
}
