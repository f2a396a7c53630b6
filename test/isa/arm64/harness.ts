// ISA test harness for arm64: compiles the oracle C programs, runs a static ELF in user mode on
// the TypeScript CPU (segments and a stack mapped into a Memory, write/exit served right here)
// and under qemu-aarch64-static. Only an ISA harness: the real kernel path is src/kernel's.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Arm64Cpu } from '../../../src/isa/arm64/cpu.ts';
import { parseElf, PT_LOAD, PF_W, PF_X } from '../../../src/machine/elf.ts';
import { KERNEL_HALF_48, Memory, PAGE_SIZE } from '../../../src/machine/memory.ts';

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

/** Compiler variants the oracle runs every program under. */
export const VARIANTS: Record<string, string[]> = {
  O2: ['-O2', '-mno-outline-atomics'],
  O0: ['-O0', '-mno-outline-atomics'],
  Os: ['-Os', '-mno-outline-atomics'],
  O3: ['-O3', '-mno-outline-atomics'],
  'O2-lse': ['-O2', '-march=armv8.1-a'],
};

/** Compile programs/<name>.c with a variant's flags; cached by source and flags. */
export function compileProgram(name: string, variant: string, extra: string[] = []): string {
  const src = join(PROGRAMS_DIR, `${name}.c`);
  const flags = [...BASE_FLAGS, ...(VARIANTS[variant] ?? []), ...extra];
  const hash = createHash('sha256')
    .update(readFileSync(src))
    .update(readFileSync(join(PROGRAMS_DIR, 'rt.h')))
    .update(flags.join(' '))
    .digest('hex')
    .slice(0, 16);
  const dir = join(tmpdir(), 'kprobe-arm64-oracle');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${name}-${variant}-${hash}.elf`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp`;
  const r = spawnSync('aarch64-linux-gnu-gcc', [...flags, '-I', PROGRAMS_DIR, '-o', tmp, src, '-lgcc'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`compiling ${name} (${variant}) failed:\n${r.stderr}`);
  renameSync(tmp, out);
  return out;
}

export interface RunOutput {
  stdout: Buffer;
  status: number;
  instructions: number;
}

/** Run under qemu-aarch64-static. */
export function runQemu(path: string): RunOutput {
  const r = spawnSync('qemu-aarch64-static', [path], { maxBuffer: 64 << 20, timeout: 60_000 });
  if (r.error) throw r.error;
  return { stdout: r.stdout, status: r.status ?? -1, instructions: 0 };
}

const STACK_TOP = 0x0000_7fff_f000_0000;
const STACK_SIZE = 1 << 20;

/** Load a static ELF into a fresh user address space; returns the CPU ready at the entry, in EL0. */
export function loadUser(bytes: Uint8Array): Arm64Cpu {
  const elf = parseElf(bytes);
  const mem = new Memory(true, KERNEL_HALF_48);
  // Each page gets the union of the permissions of the segments that touch it.
  const perms = new Map<number, { user: boolean; write: boolean; exec: boolean }>();
  for (const ph of elf.programHeaders) {
    if (ph.type !== PT_LOAD || ph.memsz === 0) continue;
    for (let a = Math.floor(ph.vaddr / PAGE_SIZE) * PAGE_SIZE; a < ph.vaddr + ph.memsz; a += PAGE_SIZE) {
      const p = perms.get(a) ?? { user: true, write: false, exec: false };
      p.write ||= (ph.flags & PF_W) !== 0;
      p.exec ||= (ph.flags & PF_X) !== 0;
      perms.set(a, p);
    }
  }
  for (const [a, p] of perms) mem.map(a, PAGE_SIZE, p);
  for (const ph of elf.programHeaders) {
    if (ph.type === PT_LOAD && ph.filesz > 0) mem.poke(ph.vaddr, elf.segmentData(ph));
  }
  mem.map(STACK_TOP - STACK_SIZE, STACK_SIZE, { user: true, write: true, exec: false });
  // argc = 0, argv = { NULL }, envp = { NULL }, auxv = { AT_NULL }.
  const sp = STACK_TOP - 64;
  const cpu = new Arm64Cpu(mem);
  cpu.setReg('pstate', 0n); // EL0t
  cpu.setReg('sp', BigInt(sp));
  cpu.pc = elf.entry;
  return cpu;
}

/** Run a static ELF on the TypeScript CPU, serving write(64) and exit(93)/exit_group(94). */
export function runOurs(bytes: Uint8Array, maxInstructions = 2_000_000_000): RunOutput {
  const cpu = loadUser(bytes);
  const chunks: Buffer[] = [];
  for (;;) {
    const res = cpu.run(10_000_000);
    if (res.stop === 'budget') {
      if (cpu.retired >= maxInstructions) throw new Error(`no exit after ${cpu.retired} instructions`);
      continue;
    }
    const e = res.exception;
    if (e.kind !== 'syscall') {
      throw new Error(`unexpected ${JSON.stringify(e)} at pc 0x${cpu.pc.toString(16)}`);
    }
    const nr = Number(cpu.getReg('x8'));
    if (nr === 64) {
      const buf = Number(cpu.getReg('x1'));
      const len = Number(cpu.getReg('x2'));
      chunks.push(Buffer.from(cpu.memory.readBytes(buf, len, true)));
      cpu.setReg('x0', BigInt(len));
    } else if (nr === 93 || nr === 94) {
      return { stdout: Buffer.concat(chunks), status: Number(cpu.getReg('x0') & 0xffn), instructions: cpu.retired };
    } else {
      cpu.setReg('x0', BigInt.asUintN(64, -38n)); // -ENOSYS
    }
  }
}
