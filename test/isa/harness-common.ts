// The part of the ISA oracle harness that is the same for every arch: compiling the oracle C
// programs with a cross compiler (cached by source, runtime headers and flags), running a binary
// under qemu's user-mode emulator, loading a static ELF into a fresh user address space, running
// a CPU until the program exits, and finding the first line where two outputs differ. Each arch's
// harness.ts gives its compiler, flags, qemu and stack, and serves its own system calls.
// No Linux counterpart.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cpu } from '../../src/isa/cpu.ts';
import { parseElf, PF_W, PF_X, PT_LOAD } from '../../src/machine/elf.ts';
import { PAGE_SIZE, type Memory, type PagePerms } from '../../src/machine/memory.ts';

/** The arch-independent runtime of the oracle programs (programs/rt-common.h), on every compile's include path. */
export const COMMON_PROGRAMS_DIR = fileURLToPath(new URL('./programs/', import.meta.url));

export interface RunOutput {
  stdout: Buffer;
  status: number;
  instructions: number;
}

/** How one arch's oracle programs are built. */
export interface OracleToolchain {
  /** Names the compile cache, a folder kprobe-<arch>-oracle in the temp dir. */
  readonly arch: string;
  readonly compiler: string;
  /** The arch's programs/: <name>.c and its rt.h. */
  readonly programsDir: string;
  readonly baseFlags: readonly string[];
  /** Compiler variants the oracle runs every program under. */
  readonly variants: Readonly<Record<string, readonly string[]>>;
}

/** The headers every program includes: the arch's and the common ones, in a fixed order. */
function runtimeHeaders(programsDir: string): string[] {
  const headers = (dir: string): string[] =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.h'))
      .sort()
      .map((f) => join(dir, f));
  return [...headers(programsDir), ...headers(COMMON_PROGRAMS_DIR)];
}

/** Compile programs/<name>.c with a variant's flags (and libgcc); cached by source, runtime headers and flags. */
export function compileOracleProgram(tc: OracleToolchain, name: string, variant: string, extra: readonly string[] = []): string {
  const src = join(tc.programsDir, `${name}.c`);
  const flags = [...tc.baseFlags, ...(tc.variants[variant] ?? []), ...extra];
  const hash = createHash('sha256').update(readFileSync(src));
  for (const header of runtimeHeaders(tc.programsDir)) hash.update(readFileSync(header));
  const key = hash.update(flags.join(' ')).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `kprobe-${tc.arch}-oracle`);
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${name}-${variant}-${key}.elf`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp`;
  const args = [...flags, '-I', tc.programsDir, '-I', COMMON_PROGRAMS_DIR, '-o', tmp, src, '-lgcc'];
  const r = spawnSync(tc.compiler, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`compiling ${name} (${variant}) failed:\n${r.stderr}`);
  renameSync(tmp, out);
  return out;
}

/** Run a binary under qemu's user-mode emulator (qemu-<arch>-static). */
export function runUnderQemu(qemu: string, path: string, timeoutMs: number): RunOutput {
  const r = spawnSync(qemu, [path], { maxBuffer: 64 << 20, timeout: timeoutMs });
  if (r.error) throw r.error;
  return { stdout: r.stdout, status: r.status ?? -1, instructions: 0 };
}

const STACK_SIZE = 1 << 20;

/**
 * Map a static ELF into `mem` as a user program: each page of its PT_LOAD segments gets the union
 * of the permissions of the segments that touch it, then their bytes; a 1 MiB stack ends at
 * `stackTop`. Returns the entry point.
 */
export function loadUserImage(mem: Memory, bytes: Uint8Array, stackTop: number): number {
  const elf = parseElf(bytes);
  const perms = new Map<number, PagePerms>();
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
  mem.map(stackTop - STACK_SIZE, STACK_SIZE, { user: true, write: true, exec: false });
  return elf.entry;
}

/**
 * Run `cpu` in budgets until the program exits: every stop must be a system call, which
 * `syscall` serves, returning the exit status when the program exits (undefined otherwise).
 */
export function runUntilExit(cpu: Cpu, maxInstructions: number, syscall: () => number | undefined): number {
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
    const status = syscall();
    if (status !== undefined) return status;
  }
}

/** The first differing line, so that a failure says where, not just "3 MB differ". */
export function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n  qemu: ${a[i]}\n  ours: ${b[i]}`;
  }
  return 'identical';
}
