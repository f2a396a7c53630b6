// The arm64 part of the TypeScript kernel half: how a system call is made from a TypeScript
// process, how a call into a guest function is set up, the layout of pt_regs on the kernel stack,
// and the initial user stack of a new program. Counterpart of arch/arm64/kernel/{entry.S,
// process.c (start_thread), syscall.c} and arch/arm64/include/asm/{ptrace.h,syscall.h}.

import type { Cpu } from '../../isa/cpu.ts';
import { ARM64 } from '../abi.ts';

/** SPSR/PSTATE values. */
const PSR_MODE_EL0t = 0x0;
const PSR_MODE_EL1h = 0x5;
const PSR_DAIF = 0xf << 6;

/** struct pt_regs offsets (arch/arm64/include/asm/ptrace.h). */
export const PT_REGS = { regs: 0, sp: 248, pc: 256, pstate: 264, size: 336 } as const;

const SVC_0 = 0xd4000001;
/** `brk #0x3e8` in user space marks "the system call of a TypeScript process returned". */
export const USER_SYSCALL_RETURN_BRK = 0x3e8;
const BRK = (imm: number) => (0xd4200000 | (imm << 5)) >>> 0;

export interface ArchKernel {
  readonly name: 'arm64';
  readonly layout: typeof ARM64;
  /** Instruction words of the user page that TypeScript processes use to enter the kernel. */
  syscallTrampoline(): number[];
  /** Offset of the instruction at which the CPU stops after the system call returned. */
  readonly trampolineReturnOffset: number;
  readonly userReturnBrk: number;
  /** Put the CPU in user mode at the trampoline with nr/args loaded. */
  prepareSyscall(cpu: Cpu, trampoline: number, userSp: number, nr: number, args: readonly bigint[]): void;
  syscallResult(cpu: Cpu): bigint;
  /** Set up a call of a guest function in kernel mode; `returnTo` is host_call_return. */
  prepareCall(cpu: Cpu, fn: number, args: readonly bigint[], sp: number, returnTo: number): void;
  callResult(cpu: Cpu): bigint;
  /** Argument registers of the hypercall / system call ABI. */
  arg(cpu: Cpu, n: number): bigint;
  setReturn(cpu: Cpu, value: bigint): void;
  stackPointer(cpu: Cpu): number;
  /** The stack pointer a kernel-mode call may use below the interrupted context's frame. */
  nestedCallStack(cpu: Cpu, kernelStackTop: number): number;
  readonly elfMachine: number;
}

const u64 = (v: bigint) => BigInt.asUintN(64, v);
/** A 48-bit address as the canonical 64-bit value the CPU registers hold. */
export function canonical(addr: number): bigint {
  const v = BigInt(addr);
  return addr >= ARM64.kernelBase ? v | 0xffff_0000_0000_0000n : v;
}

export const arm64Kernel: ArchKernel = {
  name: 'arm64',
  layout: ARM64,
  syscallTrampoline: () => [SVC_0, BRK(USER_SYSCALL_RETURN_BRK)],
  trampolineReturnOffset: 4,
  userReturnBrk: USER_SYSCALL_RETURN_BRK,
  elfMachine: 183, // EM_AARCH64

  prepareSyscall(cpu, trampoline, userSp, nr, args) {
    for (let i = 0; i < 6; i++) cpu.setReg(`x${i}`, u64(args[i] ?? 0n));
    cpu.setReg('x8', BigInt(nr));
    cpu.setReg('pstate', BigInt(PSR_MODE_EL0t));
    cpu.setReg('sp_el0', canonical(userSp));
    cpu.pc = trampoline;
  },
  syscallResult: (cpu) => cpu.getReg('x0'),

  prepareCall(cpu, fn, args, sp, returnTo) {
    for (let i = 0; i < 8; i++) cpu.setReg(`x${i}`, u64(args[i] ?? 0n));
    cpu.setReg('pstate', BigInt(PSR_MODE_EL1h | PSR_DAIF));
    cpu.setReg('sp', canonical(sp));
    cpu.setReg('x29', 0n);
    cpu.setReg('x30', canonical(returnTo));
    cpu.pc = fn;
  },
  callResult: (cpu) => cpu.getReg('x0'),
  arg: (cpu, n) => cpu.getReg(`x${n}`),
  setReturn: (cpu, value) => cpu.setReg('x0', u64(value)),
  stackPointer: (cpu) => Number(cpu.getReg('sp') & 0xffff_ffff_ffffn),
  nestedCallStack(cpu, kernelStackTop) {
    // In EL1 the handler runs on the same kernel stack below the trapped frame, as Linux's
    // exception handlers do; from EL0 the kernel stack is empty.
    if (cpu.userMode) return kernelStackTop - 16;
    const sp = Number(cpu.getReg('sp') & 0xffff_ffff_ffffn);
    return Math.floor((sp - 512) / 16) * 16;
  },
};
