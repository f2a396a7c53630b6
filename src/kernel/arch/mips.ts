// The mips (MIPS32r2, o32, big-endian) part of the TypeScript kernel half: the memory map, how a
// TypeScript process makes an o32 system call, how TypeScript calls a guest function with the o32
// convention, the `kernelsp` a task switch sets, start_thread(), and the register lines of an oops.
// Counterpart of arch/mips/include/asm/{processor.h (start_thread), syscall.h, ptrace.h,
// stackframe.h (set_saved_sp)}, arch/mips/kernel/{scall32-o32.S, traps.c (__show_regs)}; the
// contract is guest/ABI.md, "The mips port".

import type { Cpu } from '../../isa/cpu.ts';
import type { Memory } from '../../machine/memory.ts';
import { mipsBreakInsn } from '../../kprobes/arch/mips.ts';
import type { ArchKernel, KernelLayout } from './arch-kernel.ts';
import { mipsUserAbi } from './mips-user-abi.ts';

/** TASK_SIZE of the guest: access_ok() accepts user pointers below it. */
export const MIPS_TASK_SIZE = 0x7fff_8000;

export const MIPS_LAYOUT: KernelLayout = {
  kernelBase: 0x8000_0000, // kseg0: the kernel half
  text: 0x8010_0000, // _text
  ramEnd: 0x8200_0000, // end of the kernel heap
  uart: 0xbf00_0000,
  rtc: 0xbf00_1000, // bus address 0x1f001000: 1f001000.pl031
  kprobeSlots: 0xbe00_0000,
  userScratch: 0x1000_0000,
  userScratchSize: 1 << 20,
  userStackTop: 0x7fff_0000, // a page-aligned top below TASK_SIZE
  userStackSize: 1 << 20,
  mmapTop: 0x7000_0000,
};

/** THREAD_SIZE (16 KiB, as the guest's asm/thread_info.h). */
const THREAD_SIZE = 16384;
/** The bytes MIPS keeps free at the top of a kernel stack (set_saved_sp: stack + THREAD_SIZE - 32). */
const TOP_PAD = 32;
/** sizeof(struct pt_regs) on a 32-bit kernel. */
const PT_REGS_SIZE = 184;
/** struct pt_regs offsets (ABI.md "pt_regs and the exception entry (mips)"). */
export const MIPS_PT_REGS = { regs: 32, status: 160, hi: 164, lo: 168, epc: 180 } as const;

/** Status: the kernel's (CU0 set, KSU kernel, EXL/ERL/IE clear) and user mode (KSU user). */
const ST_KERNEL = 0x1000_0000;
const ST_USER = 0x10;
/** start_thread's Status in pt_regs: KSU user, EXL (user mode after eret). */
const ST_USER_EXL = 0x12;

const SYSCALL = 0x0000_000c;
/** `break 1000` after the trampoline's `syscall`: "the system call of a TypeScript process returned". */
export const MIPS_USER_SYSCALL_RETURN_BREAK = 1000;

const ARG_REGS = ['a0', 'a1', 'a2', 'a3', 't0', 't1'] as const;
const u32 = (v: bigint): bigint => BigInt.asUintN(32, v);
const reg32 = (cpu: Cpu, name: string): number => Number(cpu.getReg(name) & 0xffff_ffffn);

export const mipsKernel: ArchKernel = {
  name: 'mips',
  layout: MIPS_LAYOUT,
  userAbi: mipsUserAbi,
  threadSize: THREAD_SIZE,
  tifNeedResched: 2, // MIPS numbers its TIF bits: TIF_SIGPENDING 1, TIF_NEED_RESCHED 2
  // The guest's traps.c/fault.c do what Linux's MIPS handlers do (signals, fixups, die()).
  guestHandlesExceptions: true,
  syscallTrampoline: () => [SYSCALL, mipsBreakInsn(MIPS_USER_SYSCALL_RETURN_BREAK)],
  trampolineReturnOffset: 4,
  userReturnBrk: MIPS_USER_SYSCALL_RETURN_BREAK,
  elfMachine: 8, // EM_MIPS

  prepareSyscall(cpu, trampoline, userSp, nr, args, memory) {
    // o32: the number in v0, a0-a3, the fifth to eighth argument words at sp + 16.. .
    cpu.setReg('v0', BigInt(nr));
    for (let i = 0; i < 4; i++) cpu.setReg(`a${i}`, u32(args[i] ?? 0n));
    for (let i = 4; i < args.length; i++) memory.write32(userSp + 16 + 4 * (i - 4), Number(u32(args[i]!)), true);
    cpu.setReg('sp', BigInt(userSp));
    cpu.setReg('status', BigInt(ST_USER));
    cpu.pc = trampoline;
  },
  // a3 = 1: v0 is the positive errno.
  syscallResult: (cpu) => (reg32(cpu, 'a3') !== 0 ? -BigInt(reg32(cpu, 'v0')) : BigInt(reg32(cpu, 'v0'))),

  prepareCall(cpu, fn, args, sp, returnTo, memory) {
    // o32: a0-a3, the rest at sp + 16.. (sp..sp + 15 is the callee's argument save area).
    for (let i = 0; i < 4; i++) cpu.setReg(`a${i}`, u32(args[i] ?? 0n));
    for (let i = 4; i < args.length; i++) memory.write32(sp + 16 + 4 * (i - 4), Number(u32(args[i]!)));
    cpu.setReg('status', BigInt(ST_KERNEL));
    cpu.setReg('sp', BigInt(sp));
    cpu.setReg('fp', 0n);
    cpu.setReg('ra', BigInt(returnTo));
    cpu.setReg('t9', BigInt(fn));
    cpu.pc = fn;
  },
  callResult: (cpu) => BigInt(reg32(cpu, 'v0')),
  arg: (cpu, n) => BigInt(reg32(cpu, ARG_REGS[n]!)),
  setReturn: (cpu, value) => cpu.setReg('v0', u32(value)),
  stackPointer: (cpu) => reg32(cpu, 'sp'),
  nestedCallStack(cpu, kernelStackTop) {
    // From user mode the kernel stack is empty (its pt_regs would go below kernelsp); in kernel
    // mode the call runs below the trapped frame, 8-byte aligned as o32 wants.
    if (cpu.userMode) return kernelStackTop - TOP_PAD - PT_REGS_SIZE - 8;
    return Math.floor((reg32(cpu, 'sp') - 512) / 8) * 8;
  },
  setKernelStack(ctx, stackTop) {
    // set_saved_sp(): kernelsp = the stack top less the 32 bytes MIPS keeps free.
    ctx.memory.write32(ctx.symbol('kernelsp'), stackTop - TOP_PAD);
  },
  oopsRegisters(cpu, symbolize) {
    // __show_regs() of a 32-bit kernel: four registers a line, $0, $26 and $27 left blank.
    const hex = (v: number) => (v >>> 0).toString(16).padStart(8, '0');
    const lines: string[] = [];
    for (let i = 0; i < 32; i += 4) {
      let line = `$${String(i).padStart(2)}   :`;
      for (let j = i; j < i + 4; j++) line += j === 0 || j === 26 || j === 27 ? ` ${' '.repeat(8)}` : ` ${hex(reg32(cpu, `$${j}`))}`;
      lines.push(line);
    }
    const cause = reg32(cpu, 'cause');
    lines.push(`Hi    : ${hex(reg32(cpu, 'hi'))}`);
    lines.push(`Lo    : ${hex(reg32(cpu, 'lo'))}`);
    lines.push(`epc   : ${hex(cpu.pc)} ${symbolize(cpu.pc)}`);
    lines.push(`ra    : ${hex(reg32(cpu, 'ra'))} ${symbolize(reg32(cpu, 'ra'))}`);
    lines.push(`Status: ${hex(reg32(cpu, 'status'))}`);
    lines.push(`Cause : ${hex(cause)} (ExcCode ${((cause >>> 2) & 0x1f).toString(16).padStart(2, '0')})`);
    lines.push(`PrId  : 00019300 (MIPS 24Kc)`);
    return lines;
  },
  writeKernelPointer: (memory, at, addr) => memory.write32(at, addr >>> 0),
  startThread(memory: Memory, ptRegs, entry, sp) {
    // start_thread(): every register 0, sp, epc at the entry, Status user mode after eret.
    for (let i = 0; i < 32; i++) memory.write32(ptRegs + MIPS_PT_REGS.regs + 4 * i, 0);
    memory.write32(ptRegs + MIPS_PT_REGS.regs + 4 * 29, sp >>> 0);
    memory.write32(ptRegs + MIPS_PT_REGS.hi, 0);
    memory.write32(ptRegs + MIPS_PT_REGS.lo, 0);
    memory.write32(ptRegs + MIPS_PT_REGS.status, ST_USER_EXL);
    memory.write32(ptRegs + MIPS_PT_REGS.epc, entry >>> 0);
  },
};
