// ISA test harness for arm64: compiles the oracle C programs with aarch64-linux-gnu-gcc, runs a
// static ELF in user mode on the TypeScript CPU (segments and a stack mapped into a Memory,
// write/exit served right here) and under qemu-aarch64-static; the arch-independent part is
// ../harness-common.ts. Only an ISA harness: the real kernel path is src/kernel's.

import { fileURLToPath } from 'node:url';
import { Arm64Cpu } from '../../../src/isa/arm64/cpu.ts';
import { KERNEL_HALF_48, Memory } from '../../../src/machine/memory.ts';
import { compileOracleProgram, loadUserImage, runUnderQemu, runUntilExit, type OracleToolchain, type RunOutput } from '../harness-common.ts';

export type { RunOutput } from '../harness-common.ts';

export const PROGRAMS_DIR = fileURLToPath(new URL('./programs/', import.meta.url));

export const BASE_FLAGS = [
  '-ffreestanding',
  '-nostdlib',
  '-static',
  '-fno-pic',
  '-fno-stack-protector',
  '-mgeneral-regs-only',
  '-fno-asynchronous-unwind-tables',
  '-e',
  '_start',
  '-Wl,--build-id=none',
];

/** The oracle programs (programs/<name>.c). */
export const PROGRAMS = ['hello', 'alu', 'bitfield', 'ldst', 'atomics', 'cond', 'sysreg', 'program'];

/** Compiler variants the oracle runs every program under. */
export const VARIANTS: Record<string, string[]> = {
  O2: ['-O2', '-mno-outline-atomics'],
  O0: ['-O0', '-mno-outline-atomics'],
  Os: ['-Os', '-mno-outline-atomics'],
  O3: ['-O3', '-mno-outline-atomics'],
  'O2-lse': ['-O2', '-march=armv8.1-a'],
};

const TOOLCHAIN: OracleToolchain = { arch: 'arm64', compiler: 'aarch64-linux-gnu-gcc', programsDir: PROGRAMS_DIR, baseFlags: BASE_FLAGS, variants: VARIANTS };

/** Compile programs/<name>.c with a variant's flags; cached by source, runtime headers and flags. */
export function compileProgram(name: string, variant: string, extra: string[] = []): string {
  return compileOracleProgram(TOOLCHAIN, name, variant, extra);
}

/** Run under qemu-aarch64-static. */
export function runQemu(path: string): RunOutput {
  return runUnderQemu('qemu-aarch64-static', path, 60_000);
}

const STACK_TOP = 0x0000_7fff_f000_0000;

/** Load a static ELF into a fresh user address space; returns the CPU ready at the entry, in EL0. */
export function loadUser(bytes: Uint8Array): Arm64Cpu {
  const mem = new Memory(true, KERNEL_HALF_48);
  const entry = loadUserImage(mem, bytes, STACK_TOP);
  // argc = 0, argv = { NULL }, envp = { NULL }, auxv = { AT_NULL }.
  const sp = STACK_TOP - 64;
  const cpu = new Arm64Cpu(mem);
  cpu.setReg('pstate', 0n); // EL0t
  cpu.setReg('sp', BigInt(sp));
  cpu.pc = entry;
  return cpu;
}

/** Run a static ELF on the TypeScript CPU, serving write(64) and exit(93)/exit_group(94). */
export function runOurs(bytes: Uint8Array, maxInstructions = 2_000_000_000): RunOutput {
  const cpu = loadUser(bytes);
  const chunks: Buffer[] = [];
  const status = runUntilExit(cpu, maxInstructions, () => {
    const nr = Number(cpu.getReg('x8'));
    if (nr === 64) {
      const buf = Number(cpu.getReg('x1'));
      const len = Number(cpu.getReg('x2'));
      chunks.push(Buffer.from(cpu.memory.readBytes(buf, len, true)));
      cpu.setReg('x0', BigInt(len));
    } else if (nr === 93 || nr === 94) {
      return Number(cpu.getReg('x0') & 0xffn);
    } else {
      cpu.setReg('x0', BigInt.asUintN(64, -38n)); // -ENOSYS
    }
    return undefined;
  });
  return { stdout: Buffer.concat(chunks), status, instructions: cpu.retired };
}
