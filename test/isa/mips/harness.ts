// ISA test harness for mips: compiles the oracle C programs with mips-linux-gnu-gcc, runs a
// static ELF in user mode on the TypeScript CPU (segments and a stack mapped into a Memory, the
// o32 system calls write/exit/exit_group/set_thread_area served right here) and under
// qemu-mips-static; the arch-independent part is ../harness-common.ts. Only an ISA harness: no
// Linux counterpart (a real kernel's path would be arch/mips/kernel/scall32-o32.S).

import { fileURLToPath } from 'node:url';
import { MipsCpu } from '../../../src/isa/mips/cpu.ts';
import { Memory } from '../../../src/machine/memory.ts';
import { compileOracleProgram, loadUserImage, runUnderQemu, runUntilExit, type OracleToolchain, type RunOutput } from '../harness-common.ts';

export type { RunOutput } from '../harness-common.ts';

export const PROGRAMS_DIR = fileURLToPath(new URL('./programs/', import.meta.url));

/** Linux's 32-bit mips ABI as the brief fixes it: MIPS32r2, o32, soft-float, static, non-PIC. */
export const BASE_FLAGS = [
  '-march=mips32r2',
  '-msoft-float',
  '-mno-abicalls',
  '-fno-pic',
  '-ffreestanding',
  '-nostdlib',
  '-static',
  '-fno-stack-protector',
  '-fno-asynchronous-unwind-tables',
  '-e',
  '_start',
  '-Wl,--build-id=none',
];

/** The oracle programs (programs/<name>.c). */
export const PROGRAMS = ['hello', 'alu', 'bitfield', 'ldst', 'wide', 'control', 'atomics', 'program'];

/** Compiler variants the oracle runs every program under. */
export const VARIANTS: Record<string, string[]> = {
  O0: ['-O0'],
  O2: ['-O2'],
  O3: ['-O3'],
  Os: ['-Os'],
  // Branch-likely instructions (annulled delay slots) only appear when asked for.
  'O2-bl': ['-O2', '-mbranch-likely'],
};

const TOOLCHAIN: OracleToolchain = { arch: 'mips', compiler: 'mips-linux-gnu-gcc', programsDir: PROGRAMS_DIR, baseFlags: BASE_FLAGS, variants: VARIANTS };

/** Compile programs/<name>.c with a variant's flags (and libgcc); cached by source, runtime headers and flags. */
export function compileProgram(name: string, variant: string, extra: string[] = []): string {
  return compileOracleProgram(TOOLCHAIN, name, variant, extra);
}

/** Run under qemu-mips-static. */
export function runQemu(path: string): RunOutput {
  return runUnderQemu('qemu-mips-static', path, 120_000);
}

const STACK_TOP = 0x7fff_0000;

/** Load a static ELF into a fresh user address space; returns the CPU at the entry, in user mode. */
export function loadUser(bytes: Uint8Array): MipsCpu {
  const mem = new Memory(false, 0x8000_0000);
  const entry = loadUserImage(mem, bytes, STACK_TOP);
  // argc = 0, argv = { NULL }, envp = { NULL }, auxv = { AT_NULL }.
  const cpu = new MipsCpu(mem);
  cpu.setReg('status', 0x10n); // KSU = user, EXL = ERL = 0
  cpu.setReg('hwrena', 0x2000_0000n); // rdhwr $29 (UserLocal) from user mode, as Linux allows
  cpu.setReg('sp', BigInt(STACK_TOP - 64));
  cpu.pc = entry;
  return cpu;
}

const EBADF = 9n;
const ENOSYS = 89n;

/** Run a static ELF on the TypeScript CPU, serving write, exit, exit_group and set_thread_area. */
export function runOurs(bytes: Uint8Array, maxInstructions = 4_000_000_000): RunOutput {
  const cpu = loadUser(bytes);
  const chunks: Buffer[] = [];
  const ret = (value: bigint, error: boolean): void => {
    cpu.setReg('v0', value);
    cpu.setReg('a3', error ? 1n : 0n);
  };
  const status = runUntilExit(cpu, maxInstructions, () => {
    const nr = Number(cpu.getReg('v0'));
    if (nr === 4004) {
      const fd = Number(cpu.getReg('a0'));
      const buf = Number(cpu.getReg('a1'));
      const len = Number(cpu.getReg('a2'));
      if (fd === 1) {
        chunks.push(Buffer.from(cpu.memory.readBytes(buf, len, true)));
        ret(BigInt(len), false);
      } else if (fd === 2) {
        ret(BigInt(len), false);
      } else {
        ret(EBADF, true);
      }
    } else if (nr === 4001 || nr === 4246) {
      return Number(cpu.getReg('a0') & 0xffn);
    } else if (nr === 4283) {
      cpu.setReg('userlocal', cpu.getReg('a0'));
      ret(0n, false);
    } else {
      ret(ENOSYS, true);
    }
    return undefined;
  });
  return { stdout: Buffer.concat(chunks), status, instructions: cpu.retired };
}
