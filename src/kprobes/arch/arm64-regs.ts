// The arm64 `struct pt_regs` view handed to kprobe handlers: the counterpart of
// arch/arm64/include/asm/ptrace.h (regs[31], sp, pc, pstate; pt_regs_read_reg/pt_regs_write_reg,
// regs_return_value, regs_get_kernel_argument, instruction_pointer_set).
//
// It is a snapshot of the CPU taken when the trap is entered and written back when the trap
// returns, as the exception entry saves pt_regs on the stack and eret restores them: a handler
// that calls guest code in between cannot disturb the registers it is looking at.

import type { Cpu } from '../../isa/cpu.ts';
import type { Arm64PtRegs } from '../types.ts';

/** pt_regs order: x0..x30, sp, pc, pstate. */
export const ARM64_REG_NAMES: readonly string[] = [...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp', 'pc', 'pstate'];
const SP = 31;
const PC = 32;
const PSTATE = 33;
const COUNT = 34;

const INDEX = new Map<string, number>(ARM64_REG_NAMES.map((n, i) => [n, i]));
INDEX.set('lr', 30);

/** The 48-bit split: addresses at or above it are kernel addresses (canonical 0xffff…). */
const KERNEL_HALF = 0x8000_0000_0000;
const HIGH_BITS = 0xffff_0000_0000_0000n;
const LOW_48 = 0xffff_ffff_ffffn;

/** A 48-bit address as arm64 registers hold it. */
export function arm64Canonical(addr: number): bigint {
  const v = BigInt(addr);
  return addr >= KERNEL_HALF ? v | HIGH_BITS : v;
}

/** A register value as the 48-bit address memory uses. */
export function arm64Address(value: bigint): number {
  return Number(value & LOW_48);
}

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

// x0..x30 as properties come from the loop below; this declaration types them.
export interface Arm64Regs extends Pick<Arm64PtRegs, `x${number}` & keyof Arm64PtRegs> {}

export class Arm64Regs implements Arm64PtRegs {
  readonly arch = 'arm64' as const;
  /** x0..x30, sp, pc, pstate as unsigned 64-bit values. */
  readonly r: BigUint64Array;
  /** The same registers as 32-bit halves (a view of one buffer; the CPU fills it in bulk). */
  private readonly words: Uint32Array;
  /** The values read from the CPU, to write back only what changed. */
  private readonly orig = new Uint32Array(COUNT * 2);

  constructor() {
    const buffer = new ArrayBuffer(COUNT * 8);
    this.r = new BigUint64Array(buffer);
    this.words = new Uint32Array(buffer);
  }

  get names(): readonly string[] {
    return ARM64_REG_NAMES;
  }

  get(name: string): bigint {
    const i = INDEX.get(name);
    if (i === undefined) throw new RangeError(`arm64 pt_regs has no register ${name}`);
    return this.r[i]!;
  }

  set(name: string, value: bigint): void {
    const i = INDEX.get(name);
    if (i === undefined) throw new RangeError(`arm64 pt_regs has no register ${name}`);
    this.r[i] = u64(value);
  }

  get pc(): bigint {
    return this.r[PC]!;
  }
  set pc(v: bigint) {
    this.r[PC] = u64(v);
  }
  get sp(): bigint {
    return this.r[SP]!;
  }
  set sp(v: bigint) {
    this.r[SP] = u64(v);
  }
  get pstate(): bigint {
    return this.r[PSTATE]!;
  }
  set pstate(v: bigint) {
    this.r[PSTATE] = u64(v);
  }
  get lr(): bigint {
    return this.r[30]!;
  }
  set lr(v: bigint) {
    this.r[30] = u64(v);
  }

  get returnValue(): bigint {
    return this.r[0]!;
  }

  argument(n: number): bigint {
    // regs_get_kernel_argument(): the AAPCS64 argument registers x0..x7, else 0.
    return n >= 0 && n < 8 ? this.r[n]! : 0n;
  }

  readReg(n: number): bigint {
    return n === 31 ? 0n : this.r[n]!;
  }

  writeReg(n: number, value: bigint): void {
    if (n !== 31) this.r[n] = u64(value);
  }

  /** Read the CPU's registers into a new view. */
  static fromCpu(cpu: Cpu): Arm64Regs {
    const regs = new Arm64Regs();
    // One bulk copy of 32-bit halves: a 64-bit value becomes a BigInt only when a handler reads it.
    // The word views assume a little-endian host (x86_64, arm64 hosts are).
    cpu.readPtRegs(regs.words);
    regs.orig.set(regs.words);
    return regs;
  }

  /** A view from explicit values (tests, and callers that keep pt_regs elsewhere). */
  static of(values: Readonly<Record<string, bigint>>): Arm64Regs {
    const regs = new Arm64Regs();
    for (const [k, v] of Object.entries(values)) regs.set(k, v);
    regs.orig.set(regs.words);
    return regs;
  }

  /** Write the registers that changed since the snapshot back to the CPU. */
  toCpu(cpu: Cpu): void {
    const w = this.words;
    const o = this.orig;
    for (let i = 0; i < COUNT; i++) {
      const lo = w[2 * i]!;
      const hi = w[2 * i + 1]!;
      if (lo === o[2 * i] && hi === o[2 * i + 1]) continue;
      cpu.writePtReg(i, lo, hi);
      o[2 * i] = lo;
      o[2 * i + 1] = hi;
    }
  }
}

for (let i = 0; i < 31; i++) {
  Object.defineProperty(Arm64Regs.prototype, `x${i}`, {
    get(this: Arm64Regs): bigint {
      return this.r[i]!;
    },
    set(this: Arm64Regs, v: bigint) {
      this.r[i] = u64(v);
    },
    enumerable: true,
    configurable: false,
  });
}
