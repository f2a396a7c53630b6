// The surface every ISA's CPU offers the machine: a handful of operations in the manner of
// TinyEMU (create on a memory, run for a budget, read the retired count, flush cached code).
// No Linux counterpart; arch/*/include/asm/ptrace.h names the registers each ISA exposes.

import type { Memory } from '../machine/memory.ts';

export type ArchName = 'arm64' | 'x86_64' | 'arm' | 'mips' | 'ppc32';

/**
 * Why a CPU stopped running. The CPU never vectors into guest code on its own: it stops with
 * the exception and the machine decides (deliver to the guest's vector table with
 * `takeException`, or handle it in TypeScript: kprobes, hypercalls, oops).
 *
 * `pc` is the address of the instruction that raised it, except for 'syscall' and 'hypercall',
 * where the CPU has already advanced pc past the instruction (the architectural return address).
 */
export type CpuException =
  | { kind: 'breakpoint'; pc: number; imm: number; insn: number }
  | { kind: 'undefined'; pc: number; insn: number }
  | { kind: 'syscall'; pc: number; imm: number }
  | { kind: 'hypercall'; pc: number; imm: number }
  | { kind: 'fault'; pc: number; address: number; access: 'read' | 'write' | 'exec'; reason: 'unmapped' | 'permission' | 'alignment' }
  | { kind: 'halt'; pc: number };

export type RunResult = { stop: 'budget' } | { stop: 'exception'; exception: CpuException };

export interface Cpu {
  readonly arch: ArchName;
  readonly memory: Memory;
  /** Instructions retired since reset: the machine's virtual clock. */
  readonly retired: number;

  /** Execute at most `budget` instructions; stop early at an exception. */
  run(budget: number): RunResult;

  /** Program counter as a 48-bit (64-bit ISAs) or 32-bit address. */
  pc: number;
  /** True when the CPU executes in user mode (EL0 / CPL3 / user). */
  readonly userMode: boolean;

  /** Register by the arch's pt_regs name (arm64: x0..x30, sp, pc, pstate, lr), as an unsigned 64-bit BigInt. */
  getReg(name: string): bigint;
  setReg(name: string, value: bigint): void;
  /** Names accepted by getReg/setReg, in pt_regs order. */
  readonly regNames: readonly string[];

  /**
   * The pt_regs registers (regNames order) as 32-bit halves, low word first: words[2i], words[2i+1].
   * The fast path a trap handler uses to take its register snapshot (no BigInt per register).
   */
  readPtRegs(words: Uint32Array): void;
  /** Write register `index` (regNames order) from its two halves. */
  writePtReg(index: number, lo: number, hi: number): void;

  /**
   * Take an exception into the guest kernel the architectural way (arm64: ESR/ELR/SPSR set,
   * EL1, pc at the vector). Used for system calls from user mode.
   */
  takeException(e: CpuException): void;

  /** Forget decoded instructions in [address, address+length) (code was written). */
  flushCode(address: number, length: number): void;

  /** Snapshot / restore of the whole architectural state, for task switches. */
  saveContext(): CpuContext;
  restoreContext(ctx: CpuContext): void;
}

/** Opaque architectural state of one CPU, as a plain copyable object. */
export interface CpuContext {
  readonly arch: ArchName;
  readonly words: Uint32Array;
}
