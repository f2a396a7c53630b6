// The MIPS `struct pt_regs` view handed to kprobe handlers: the counterpart of
// arch/mips/include/asm/ptrace.h (regs[32], cp0_status, hi, lo, cp0_badvaddr, cp0_cause, cp0_epc;
// instruction_pointer, kernel_stack_pointer, regs_return_value) and of the regs_offset_table names
// in arch/mips/kernel/ptrace.c (r0..r31, c0_status, hi, lo, c0_badvaddr, c0_cause, c0_epc).
//
// As on arm64 it is a snapshot of the CPU taken when the trap is entered and written back when the
// trap returns (SAVE_ALL / RESTORE_ALL around do_bp), so a handler that calls guest code in between
// cannot disturb the registers it is looking at. The CPU's pt_regs order (Cpu.readPtRegs) is
// Linux's: the 32 GPRs, then cp0_status, hi, lo, cp0_badvaddr, cp0_cause, cp0_epc.

import type { Cpu } from '../../isa/cpu.ts';
import type { MipsPtRegs } from '../types.ts';

/** regs_offset_table order and names. */
export const MIPS_REG_NAMES: readonly string[] = [
  ...Array.from({ length: 32 }, (_, i) => `r${i}`),
  'c0_status',
  'hi',
  'lo',
  'c0_badvaddr',
  'c0_cause',
  'c0_epc',
];
const STATUS = 32;
const HI = 33;
const LO = 34;
const BADVADDR = 35;
const CAUSE = 36;
const EPC = 37;
const COUNT = 38;

const INDEX = new Map<string, number>(MIPS_REG_NAMES.map((n, i) => [n, i]));
// The struct members of the special registers, as C handlers spell them.
INDEX.set('cp0_status', STATUS);
INDEX.set('cp0_badvaddr', BADVADDR);
INDEX.set('cp0_cause', CAUSE);
INDEX.set('cp0_epc', EPC);

/** Status.KSU (bits 4..3) and its user-mode value: user_mode(regs) (KU_MASK, KU_USER). */
const KU_MASK = 0x18;
const KU_USER = 0x10;

/** A 32-bit address as MIPS registers hold it: the same number. */
export function mipsCanonical(addr: number): bigint {
  return BigInt(addr >>> 0);
}

/** A register value as the 32-bit address memory uses. */
export function mipsAddress(value: bigint): number {
  return Number(value & 0xffff_ffffn);
}

const u32 = (v: bigint): number => Number(BigInt.asUintN(32, v));

// r0..r31, hi, lo, cp0_* as properties come from the loop and accessors below; this declaration
// types the ones the loop defines.
export interface MipsRegs extends Pick<MipsPtRegs, `r${number}` & keyof MipsPtRegs> {}

export class MipsRegs implements MipsPtRegs {
  readonly arch = 'mips' as const;
  /** The 38 registers as 32-bit values (each pt_regs slot's low word; MIPS32 has no high words). */
  readonly r = new Uint32Array(COUNT);
  /** The CPU's pt_regs words (low, high per register), filled in one bulk copy. */
  private readonly words = new Uint32Array(COUNT * 2);
  /** The values read from the CPU, to write back only what changed. */
  private readonly orig = new Uint32Array(COUNT);

  get names(): readonly string[] {
    return MIPS_REG_NAMES;
  }

  get(name: string): bigint {
    const i = INDEX.get(name);
    if (i === undefined) throw new RangeError(`mips pt_regs has no register ${name}`);
    return BigInt(this.r[i]!);
  }

  set(name: string, value: bigint): void {
    const i = INDEX.get(name);
    if (i === undefined) throw new RangeError(`mips pt_regs has no register ${name}`);
    this.r[i] = u32(value);
  }

  get pc(): bigint {
    return BigInt(this.r[EPC]!);
  }
  set pc(v: bigint) {
    this.r[EPC] = u32(v);
  }
  get cp0_epc(): bigint {
    return BigInt(this.r[EPC]!);
  }
  set cp0_epc(v: bigint) {
    this.r[EPC] = u32(v);
  }
  get sp(): bigint {
    return BigInt(this.r[29]!);
  }
  set sp(v: bigint) {
    this.r[29] = u32(v);
  }
  get cp0_status(): bigint {
    return BigInt(this.r[STATUS]!);
  }
  set cp0_status(v: bigint) {
    this.r[STATUS] = u32(v);
  }
  get hi(): bigint {
    return BigInt(this.r[HI]!);
  }
  set hi(v: bigint) {
    this.r[HI] = u32(v);
  }
  get lo(): bigint {
    return BigInt(this.r[LO]!);
  }
  set lo(v: bigint) {
    this.r[LO] = u32(v);
  }
  get cp0_badvaddr(): bigint {
    return BigInt(this.r[BADVADDR]!);
  }
  set cp0_badvaddr(v: bigint) {
    this.r[BADVADDR] = u32(v);
  }
  get cp0_cause(): bigint {
    return BigInt(this.r[CAUSE]!);
  }
  set cp0_cause(v: bigint) {
    this.r[CAUSE] = u32(v);
  }

  /** user_mode(regs): Status.KSU says user. */
  get userMode(): boolean {
    return (this.r[STATUS]! & KU_MASK) === KU_USER;
  }

  /**
   * regs_return_value(): v0, negated for a failed system call seen from user mode (a3 != 0), as
   * the o32 syscall convention returns a positive errno with a3 set.
   */
  get returnValue(): bigint {
    const v0 = this.r[2]!;
    if (this.r[7] === 0 || !this.userMode) return BigInt(v0);
    return BigInt((-v0) >>> 0);
  }

  /**
   * The nth argument at function entry: a0..a3 (r4..r7) under o32; later ones are on the stack,
   * so 0n. Linux's mips has no regs_get_kernel_argument() (no $argN in kprobe_events); this is
   * what the C ABI puts in registers.
   */
  argument(n: number): bigint {
    return n >= 0 && n < 4 ? BigInt(this.r[4 + n]!) : 0n;
  }

  readReg(n: number): bigint {
    return BigInt(this.r[n & 31]!);
  }

  writeReg(n: number, value: bigint): void {
    if ((n & 31) !== 0) this.r[n & 31] = u32(value);
  }

  /** Read the CPU's registers into a new view. */
  static fromCpu(cpu: Cpu): MipsRegs {
    const regs = new MipsRegs();
    cpu.readPtRegs(regs.words);
    for (let i = 0; i < COUNT; i++) regs.r[i] = regs.words[2 * i]!;
    regs.orig.set(regs.r);
    return regs;
  }

  /** A view from explicit values by name (tests, and callers that keep pt_regs elsewhere). */
  static of(values: Readonly<Record<string, bigint>>): MipsRegs {
    const regs = new MipsRegs();
    for (const [k, v] of Object.entries(values)) regs.set(k, v);
    regs.orig.set(regs.r);
    return regs;
  }

  /** Write the registers that changed since the snapshot back to the CPU. */
  toCpu(cpu: Cpu): void {
    const r = this.r;
    const o = this.orig;
    for (let i = 0; i < COUNT; i++) {
      if (r[i] === o[i]) continue;
      cpu.writePtReg(i, r[i]!, 0);
      o[i] = r[i]!;
    }
  }
}

for (let i = 0; i < 32; i++) {
  Object.defineProperty(MipsRegs.prototype, `r${i}`, {
    get(this: MipsRegs): bigint {
      return BigInt(this.r[i]!);
    },
    set(this: MipsRegs, v: bigint) {
      // regs[0] is stored, as in Linux's pt_regs; the CPU drops it on the way back.
      this.r[i] = u32(v);
    },
    enumerable: true,
    configurable: false,
  });
}
