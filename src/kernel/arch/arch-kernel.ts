// What the TypeScript kernel half needs to know of an arch, behind one interface: the memory map,
// how a TypeScript process enters the kernel (the trampoline, the system-call convention), how
// TypeScript calls a guest function, how a task switch tells the CPU its kernel stack, which
// exceptions the guest's own vectors handle, start_thread(), and the user ABI's numbers.
// Counterpart of the per-arch hooks Linux's generic code calls (asm/syscall.h, asm/ptrace.h,
// asm/processor.h's start_thread, switch_to's stack pointer).

import type { ArchName, Cpu } from '../../isa/cpu.ts';
import type { MachineLayout } from '../../machine/machine.ts';
import type { Memory } from '../../machine/memory.ts';
import type { UserAbi } from './user-abi.ts';

export interface KernelLayout extends MachineLayout {
  /** The user page of TypeScript processes: the trampoline, their buffers and stack. */
  readonly userScratch: number;
  readonly userScratchSize: number;
  readonly userStackTop: number;
  readonly userStackSize: number;
  /** Anonymous mmaps are placed top down from here. */
  readonly mmapTop: number;
}

/** What a task switch hands the arch: guest memory and the kernel's symbols. */
export interface ArchKernelContext {
  readonly cpu: Cpu;
  readonly memory: Memory;
  symbol(name: string): number;
}

export interface ArchKernel {
  readonly name: ArchName;
  readonly layout: KernelLayout;
  /** System-call numbers, flags, errno and signal numbers of this arch's user ABI. */
  readonly userAbi: UserAbi;
  /** THREAD_SIZE: bytes of a task's kernel stack. */
  readonly threadSize: number;
  /** TIF_NEED_RESCHED's bit in thread_info.flags. */
  readonly tifNeedResched: number;
  /**
   * true: an exception TypeScript does not claim (a user fault, a kernel fault no kprobe fixed, a
   * stray break) goes to the guest's vectors, whose C handlers do what Linux's do; false: the
   * TypeScript half handles it (signals a user task, prints the oops).
   */
  readonly guestHandlesExceptions: boolean;
  /** Instruction words of the user page that TypeScript processes use to enter the kernel. */
  syscallTrampoline(): number[];
  /** Offset of the instruction at which the CPU stops after the system call returned. */
  readonly trampolineReturnOffset: number;
  readonly userReturnBrk: number;
  /** Put the CPU in user mode at the trampoline with nr/args loaded (the user stack is `memory`'s current one). */
  prepareSyscall(cpu: Cpu, trampoline: number, userSp: number, nr: number, args: readonly bigint[], memory: Memory): void;
  /** The system call's result: the value, or a negative errno in the guest's numbering. */
  syscallResult(cpu: Cpu): bigint;
  /** Set up a call of a guest function in kernel mode; `returnTo` is host_call_return. */
  prepareCall(cpu: Cpu, fn: number, args: readonly bigint[], sp: number, returnTo: number, memory: Memory): void;
  callResult(cpu: Cpu): bigint;
  /** Argument registers of the hypercall / system call ABI. */
  arg(cpu: Cpu, n: number): bigint;
  setReturn(cpu: Cpu, value: bigint): void;
  stackPointer(cpu: Cpu): number;
  /** The stack pointer a kernel-mode call may use below the interrupted context's frame. */
  nestedCallStack(cpu: Cpu, kernelStackTop: number): number;
  /** On a task switch: where the next exception from user mode finds its kernel stack. */
  setKernelStack(ctx: ArchKernelContext, stackTop: number): void;
  /** A kernel address as the pointer-sized word guest memory stores (canonical on arm64). */
  writeKernelPointer(memory: Memory, at: number, addr: number): void;
  /** start_thread(): the pt_regs of execve rewritten to start a program at `entry` with `sp`. */
  startThread(memory: Memory, ptRegs: number, entry: number, sp: number): void;
  /** The register lines of an oops after "CPU: … Comm: …" (arm64's __show_regs, MIPS's show_regs). */
  oopsRegisters(cpu: Cpu, symbolize: (addr: number) => string): string[];
  readonly elfMachine: number;
}
