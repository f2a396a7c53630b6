// Test helper: assemble arm64 code with the real GNU toolchain (aarch64-linux-gnu-as, -ld,
// -objcopy, -nm) so that tests use encodings a real assembler produced, never hand-typed words.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ASM_TOOLS = ['aarch64-linux-gnu-as', 'aarch64-linux-gnu-ld', 'aarch64-linux-gnu-objcopy', 'aarch64-linux-gnu-nm'];

const LOW48 = 0xffff_ffff_ffffn;

export interface AsmSymbol {
  readonly name: string;
  /** 48-bit address. */
  readonly address: number;
  readonly size: number;
  /** nm type letter. */
  readonly letter: string;
}

export interface Image {
  /** 48-bit address of the first byte of `bytes`. */
  readonly base: number;
  readonly bytes: Uint8Array;
  readonly symbols: readonly AsmSymbol[];
  /** The address of a symbol; throws if it is missing. */
  addr(name: string): number;
}

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'latin1', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Assemble `source` and link it with `linkerScript` (which places the sections, at a kernel
 * address for kernel images). Returns the loaded bytes from the lowest section on and every
 * defined symbol.
 */
export function buildImage(source: string, linkerScript: string): Image {
  const dir = mkdtempSync(join(tmpdir(), 'kprobes-asm-'));
  try {
    writeFileSync(join(dir, 'a.s'), source);
    writeFileSync(join(dir, 'link.ld'), linkerScript);
    run('aarch64-linux-gnu-as', ['-o', 'a.o', 'a.s'], dir);
    run('aarch64-linux-gnu-ld', ['-T', 'link.ld', '-o', 'a.elf', 'a.o'], dir);
    run('aarch64-linux-gnu-objcopy', ['-O', 'binary', 'a.elf', 'a.bin'], dir);
    const nm = run('aarch64-linux-gnu-nm', ['-S', '-n', '--defined-only', 'a.elf'], dir);
    const symbols: AsmSymbol[] = [];
    for (const line of nm.split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length === 4) symbols.push({ address: Number(BigInt('0x' + f[0]) & LOW48), size: parseInt(f[1]!, 16), letter: f[2]!, name: f[3]! });
      else if (f.length === 3) symbols.push({ address: Number(BigInt('0x' + f[0]) & LOW48), size: 0, letter: f[1]!, name: f[2]! });
    }
    const bytes = new Uint8Array(readFileSync(join(dir, 'a.bin')));
    const base = Math.min(...symbols.filter((s) => /[tT]/.test(s.letter)).map((s) => s.address));
    const byName = new Map(symbols.map((s) => [s.name, s]));
    return {
      base,
      bytes,
      symbols,
      addr(name: string): number {
        const s = byName.get(name);
        if (!s) throw new Error(`no symbol ${name}`);
        return s.address;
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Assemble each line as one instruction (no linking: relocated fields stay zero) and return the words. */
export function assembleWords(lines: readonly string[], preamble = ''): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'kprobes-asm-'));
  try {
    writeFileSync(join(dir, 'a.s'), `${preamble}\n.text\n${lines.map((l) => `\t${l}\n`).join('')}`);
    run('aarch64-linux-gnu-as', ['-o', 'a.o', 'a.s'], dir);
    run('aarch64-linux-gnu-objcopy', ['-O', 'binary', '-j', '.text', 'a.o', 'a.bin'], dir);
    const b = readFileSync(join(dir, 'a.bin'));
    const words: number[] = [];
    for (let i = 0; i + 4 <= b.length; i += 4) words.push(b.readUInt32LE(i));
    if (words.length !== lines.length) throw new Error(`assembled ${words.length} words for ${lines.length} lines`);
    return words;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Build and run a static arm64 Linux program under qemu-aarch64-static; its stdout bytes. */
export function runUserProgram(source: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'kprobes-asm-'));
  try {
    writeFileSync(join(dir, 'a.s'), source);
    run('aarch64-linux-gnu-as', ['-o', 'a.o', 'a.s'], dir);
    run('aarch64-linux-gnu-ld', ['-static', '-o', 'a.out', 'a.o'], dir);
    return execFileSync('qemu-aarch64-static', [join(dir, 'a.out')], { stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
