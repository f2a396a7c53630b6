// The arm64 part of the TypeScript kernel half: how a system call is made from a TypeScript
// process, how a call into a guest function is set up, the layout of pt_regs on the kernel stack,
// and the initial user stack of a new program. Counterpart of arch/arm64/kernel/{entry.S,
// process.c (start_thread), syscall.c} and arch/arm64/include/asm/{ptrace.h,syscall.h}.

import type { Memory } from '../../machine/memory.ts';
import { ARM64, THREAD_SIZE, TIF_NEED_RESCHED } from '../abi.ts';
import type { ArchKernel } from './arch-kernel.ts';
import { arm64UserAbi } from './user-abi.ts';

export type { ArchKernel } from './arch-kernel.ts';

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

const u64 = (v: bigint) => BigInt.asUintN(64, v);
/** A 48-bit address as the canonical 64-bit value the CPU registers hold. */
export function canonical(addr: number): bigint {
  const v = BigInt(addr);
  return addr >= ARM64.kernelBase ? v | 0xffff_0000_0000_0000n : v;
}

export const arm64Kernel: ArchKernel = {
  name: 'arm64',
  layout: ARM64,
  userAbi: arm64UserAbi,
  threadSize: THREAD_SIZE,
  tifNeedResched: TIF_NEED_RESCHED,
  // Kernel faults, user faults and stray BRKs are handled on the TypeScript side (kernel.ts).
  guestHandlesExceptions: false,
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
  oopsRegisters(cpu, symbolize) {
    const lines = [
      `pstate: ${hex32(Number(cpu.getReg('pstate') & 0xffffffffn))} (${pstateText(cpu.getReg('pstate'))})`,
      `pc : ${symbolize(cpu.pc)}`,
      `lr : ${symbolize(Number(cpu.getReg('x30') & 0xffff_ffff_ffffn))}`,
      `sp : ${hex64(cpu.getReg('sp'))}`,
    ];
    for (let r = 29; r >= 0; r -= 2) {
      const pair = r > 0 ? [r, r - 1] : [r];
      lines.push(pair.map((n) => `x${n}${n < 10 ? ' ' : ''}: ${hex64(cpu.getReg(`x${n}`))}`).join(' '));
    }
    return lines;
  },
  setKernelStack: (ctx, stackTop) => ctx.cpu.setReg('sp_el1', canonical(stackTop)),
  writeKernelPointer: (memory, at, addr) => memory.write64(at, canonical(addr)),
  startThread(memory: Memory, ptRegs, entry, sp) {
    // start_thread(): user registers cleared, pc at the entry, sp at argc, EL0t.
    for (let i = 0; i < 31; i++) memory.write64(ptRegs + PT_REGS.regs + 8 * i, 0n);
    memory.write64(ptRegs + PT_REGS.sp, BigInt(sp));
    memory.write64(ptRegs + PT_REGS.pc, BigInt(entry));
    memory.write64(ptRegs + PT_REGS.pstate, 0n);
  },
};

/** The flag letters Linux prints after pstate in a register dump: "nzcv daif -PAN -UAO". */
function pstateText(pstate: bigint): string {
  const v = Number(pstate & 0xffffffffn);
  const f = (bit: number, c: string) => ((v >>> bit) & 1 ? c.toUpperCase() : c);
  return `${f(31, 'n')}${f(30, 'z')}${f(29, 'c')}${f(28, 'v')} ${f(9, 'd')}${f(8, 'a')}${f(7, 'i')}${f(6, 'f')} -PAN -UAO -TCO -DIT -SSBS BTYPE=--`;
}

function hex32(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}
function hex64(v: bigint): string {
  return BigInt.asUintN(64, v).toString(16).padStart(16, '0');
}
