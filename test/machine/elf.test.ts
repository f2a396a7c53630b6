// The ELF reader against binutils' readelf on files compiled at test time: ELF64 and ELF32,
// little- and big-endian, executables (static, dynamic, PIE) and relocatable objects, x86_64
// and AArch64 (ILP32 for ELF32 big-endian). Headers, program headers, section headers and both
// symbol tables must agree field for field.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ElfError, type ElfFile, parseElf } from '../../src/machine/elf.ts';
import { requireTools } from '../helpers/tools.ts';

const ok = requireTools('readelf', 'gcc', 'as', 'ld', 'aarch64-linux-gnu-gcc');

const C_SOURCE = `
int counter = 3;
static int helper(int x) { return x + counter; }
int shared_fn(int x) { return helper(x) * 2; }
__attribute__((weak)) int weak_fn(void) { return 1; }
static char buffer[64];
const char message[] = "hello";
`;

function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

interface Built {
  name: string;
  path: string;
  bits: 32 | 64;
  littleEndian: boolean;
  machine: number;
}

const built: Built[] = [];

function build(dir: string): void {
  writeFileSync(join(dir, 'lib.c'), C_SOURCE);
  writeFileSync(join(dir, 'main.c'), `#include <stdio.h>\n${C_SOURCE}\nint main(void) { printf("%d %s\\n", shared_fn(1) + weak_fn(), message); return buffer[0]; }\n`);
  writeFileSync(
    join(dir, 'free.c'),
    `${C_SOURCE}\nvoid _start(void) { for (;;) counter = shared_fn(counter) + weak_fn() + message[0] + buffer[1]; }\n`,
  );
  writeFileSync(
    join(dir, 'x86-32.s'),
    `.globl _start\n.text\n_start: movl $1, %eax\n int $0x80\n.size _start, .-_start\n.type _start, @function\n` +
      `.data\nvalue: .long 3\n.type value, @object\n.size value, 4\n.bss\n.lcomm scratch, 16\n`,
  );
  const free = ['-O2', '-ffreestanding', '-nostdlib', '-static', '-fno-pic', '-fno-stack-protector', '-Wl,--build-id=none'];
  const add = (name: string, bits: 32 | 64, littleEndian: boolean, machine: number): void => {
    built.push({ name, path: join(dir, name), bits, littleEndian, machine });
  };
  sh('gcc', ['-O2', '-o', 'x86_64-pie', 'main.c'], dir);
  add('x86_64-pie', 64, true, 62);
  sh('gcc', ['-O2', '-no-pie', '-o', 'x86_64-nopie', 'main.c'], dir);
  add('x86_64-nopie', 64, true, 62);
  sh('gcc', ['-O2', '-static', '-o', 'x86_64-static', 'main.c'], dir);
  add('x86_64-static', 64, true, 62);
  sh('gcc', ['-O2', '-c', '-o', 'x86_64.o', 'lib.c'], dir);
  add('x86_64.o', 64, true, 62);
  sh('as', ['--32', '-o', 'x86-32.o', 'x86-32.s'], dir);
  sh('ld', ['-m', 'elf_i386', '-o', 'i386', 'x86-32.o'], dir);
  add('i386', 32, true, 3);
  add('x86-32.o', 32, true, 3);
  sh('aarch64-linux-gnu-gcc', [...free, '-o', 'aarch64-static', 'free.c'], dir);
  add('aarch64-static', 64, true, 183);
  sh('aarch64-linux-gnu-gcc', [...free, '-mbig-endian', '-o', 'aarch64-be', 'free.c'], dir);
  add('aarch64-be', 64, false, 183);
  sh('aarch64-linux-gnu-gcc', [...free, '-mabi=ilp32', '-mbig-endian', '-o', 'aarch64-ilp32-be', 'free.c'], dir);
  add('aarch64-ilp32-be', 32, false, 183);
  sh('aarch64-linux-gnu-gcc', ['-O2', '-mabi=ilp32', '-c', '-o', 'aarch64-ilp32.o', 'lib.c'], dir);
  add('aarch64-ilp32.o', 32, true, 183);
  if (spawnSync('aarch64-linux-gnu-gcc', ['-O2', '-o', 'aarch64-dyn', 'main.c'], { cwd: dir }).status === 0) {
    add('aarch64-dyn', 64, true, 183);
  }
}

// --- readelf output, parsed ------------------------------------------------------------------

const hex = (s: string): bigint => BigInt(`0x${s.replace(/^0x/, '')}`);

function readelfHeader(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of sh('readelf', ['-hW', path], '/').split('\n')) {
    const m = /^\s+([^:]+):\s+(.*)$/.exec(line);
    if (m) out[m[1]!.trim()] = m[2]!.trim();
  }
  return out;
}

const PT_NAMES: Record<string, number> = {
  NULL: 0, LOAD: 1, DYNAMIC: 2, INTERP: 3, NOTE: 4, SHLIB: 5, PHDR: 6, TLS: 7,
  GNU_EH_FRAME: 0x6474e550, GNU_STACK: 0x6474e551, GNU_RELRO: 0x6474e552, GNU_PROPERTY: 0x6474e553,
};

function readelfSegments(path: string): { type: string; offset: bigint; vaddr: bigint; paddr: bigint; filesz: bigint; memsz: bigint; flags: string; align: bigint }[] {
  const out = [];
  const re = /^\s+(\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+([RWE ]{3})\s+0x([0-9a-f]+)$/;
  for (const line of sh('readelf', ['-lW', path], '/').split('\n')) {
    const m = re.exec(line);
    if (m) out.push({ type: m[1]!, offset: hex(m[2]!), vaddr: hex(m[3]!), paddr: hex(m[4]!), filesz: hex(m[5]!), memsz: hex(m[6]!), flags: m[7]!, align: hex(m[8]!) });
  }
  return out;
}

const SHT_NAMES: Record<string, number> = {
  NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, RELA: 4, HASH: 5, DYNAMIC: 6, NOTE: 7, NOBITS: 8, REL: 9,
  DYNSYM: 11, INIT_ARRAY: 14, FINI_ARRAY: 15, PREINIT_ARRAY: 16, GROUP: 17, SYMTAB_SHNDX: 18,
  GNU_HASH: 0x6ffffff6, VERSYM: 0x6fffffff, VERNEED: 0x6ffffffe, VERDEF: 0x6ffffffd,
};
const SHF_LETTERS: Record<string, number> = { W: 0x1, A: 0x2, X: 0x4, M: 0x10, S: 0x20, I: 0x40, L: 0x80, O: 0x100, G: 0x200, T: 0x400 };

function readelfSections(path: string): { index: number; name: string; type: string; addr: bigint; off: number; size: number; es: number; flags: string; lk: number; inf: number; al: number }[] {
  const out = [];
  const re = /^\s+\[\s*(\d+)\]\s(.*?)\s+(\S+)\s+([0-9a-f]{8,16})\s+([0-9a-f]{6,})\s+([0-9a-f]{6,})\s+([0-9a-f]{2,})\s+([A-Za-z]*)\s+(\d+)\s+(\d+)\s+(\d+)$/;
  for (const line of sh('readelf', ['-SW', path], '/').split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    out.push({
      index: Number(m[1]), name: m[2]!.trim(), type: m[3]!, addr: hex(m[4]!), off: Number(hex(m[5]!)), size: Number(hex(m[6]!)),
      es: Number(hex(m[7]!)), flags: m[8]!, lk: Number(m[9]), inf: Number(m[10]), al: Number(m[11]),
    });
  }
  return out;
}

function readelfSymbols(path: string): Map<string, { num: number; value: bigint; size: number; type: string; bind: string; vis: string; ndx: string; name: string }[]> {
  const tables = new Map<string, { num: number; value: bigint; size: number; type: string; bind: string; vis: string; ndx: string; name: string }[]>();
  let current: { num: number; value: bigint; size: number; type: string; bind: string; vis: string; ndx: string; name: string }[] | undefined;
  const re = /^\s*(\d+):\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+\[[^\]]*\])?\s+(\S+)\s?(.*)$/;
  for (const line of sh('readelf', ['-sW', path], '/').split('\n')) {
    const t = /^Symbol table '([^']+)'/.exec(line);
    if (t) {
      current = [];
      tables.set(t[1]!, current);
      continue;
    }
    const m = re.exec(line);
    if (m && current) {
      current.push({
        num: Number(m[1]), value: hex(m[2]!), size: Number(m[3]!.startsWith('0x') ? hex(m[3]!) : BigInt(m[3]!)),
        type: m[4]!, bind: m[5]!, vis: m[6]!, ndx: m[7]!,
        // readelf appends .gnu.version information to .dynsym names ("puts@GLIBC_2.2.5 (2)"); this
        // reader gives the string table's name. (.symtab names may contain '@' themselves.)
        name: tables.size > 0 && [...tables.keys()].pop() === '.dynsym' ? m[8]!.replace(/@.*$/, '') : m[8]!,
      });
    }
  }
  return tables;
}

const ndxString = (shndx: number): string => (shndx === 0 ? 'UND' : shndx === 0xfff1 ? 'ABS' : shndx === 0xfff2 ? 'COM' : String(shndx));

describe.skipIf(!ok)('ELF reader vs readelf', () => {
  beforeAll(() => {
    build(mkdtempSync(join(tmpdir(), 'kprobe-elf-')));
  }, 120_000);

  const load = (b: Built): ElfFile => parseElf(readFileSync(b.path));

  it('builds every kind of file it checks', () => {
    const kinds = new Set(built.map((b) => `${b.bits}${b.littleEndian ? 'LE' : 'BE'}`));
    expect([...kinds].sort()).toEqual(['32BE', '32LE', '64BE', '64LE']);
  });

  it('reads the ELF header', () => {
    for (const b of built) {
      const elf = load(b);
      const h = readelfHeader(b.path);
      expect(`${b.name} ${elf.bits}`).toBe(`${b.name} ${h['Class'] === 'ELF64' ? 64 : 32}`);
      expect(elf.littleEndian).toBe(h['Data']!.includes('little'));
      expect(elf.bits).toBe(b.bits);
      expect(elf.littleEndian).toBe(b.littleEndian);
      expect(elf.machine).toBe(b.machine);
      const type = h['Type']!.split(' ')[0];
      expect({ EXEC: 2, DYN: 3, REL: 1 }[type!]).toBe(elf.type);
      expect(elf.header.entry64).toBe(hex(h['Entry point address']!));
      expect(elf.entry).toBe(Number(hex(h['Entry point address']!)));
      expect(elf.phoff).toBe(Number(h['Start of program headers']!.split(' ')[0]));
      expect(elf.shoff).toBe(Number(h['Start of section headers']!.split(' ')[0]));
      expect(elf.header.flags).toBe(Number(hex(h['Flags']!.split(',')[0]!)));
      expect(elf.phnum).toBe(Number(h['Number of program headers']));
      expect(elf.sections.length).toBe(Number(h['Number of section headers']));
      expect(elf.header.shstrndx).toBe(Number(h['Section header string table index']));
    }
  });

  it('reads the program headers', () => {
    for (const b of built) {
      const elf = load(b);
      const expected = readelfSegments(b.path);
      expect(`${b.name}: ${elf.programHeaders.length}`).toBe(`${b.name}: ${expected.length}`);
      elf.programHeaders.forEach((ph, i) => {
        const e = expected[i]!;
        if (PT_NAMES[e.type] !== undefined) expect(ph.type).toBe(PT_NAMES[e.type]);
        expect([ph.offset, ph.vaddr64, ph.paddr64, ph.filesz, ph.memsz, ph.align]).toEqual([
          Number(e.offset), e.vaddr, e.paddr, Number(e.filesz), Number(e.memsz), Number(e.align),
        ]);
        const flags = `${ph.flags & 4 ? 'R' : ' '}${ph.flags & 2 ? 'W' : ' '}${ph.flags & 1 ? 'E' : ' '}`;
        expect(flags).toBe(e.flags);
      });
    }
  });

  it('reads the PT_INTERP path of dynamic executables', () => {
    for (const b of built) {
      const m = /\[Requesting program interpreter: ([^\]]+)\]/.exec(sh('readelf', ['-lW', b.path], '/'));
      expect(load(b).interpreter).toBe(m?.[1]);
    }
  });

  it('reads the section headers and their names', () => {
    for (const b of built) {
      const elf = load(b);
      const expected = readelfSections(b.path);
      expect(`${b.name}: ${elf.sections.length}`).toBe(`${b.name}: ${expected.length}`);
      elf.sections.forEach((s, i) => {
        const e = expected[i]!;
        expect(`${b.name}[${i}] ${s.name}`).toBe(`${b.name}[${i}] ${e.name}`);
        if (SHT_NAMES[e.type] !== undefined) expect(s.type).toBe(SHT_NAMES[e.type]);
        expect([s.addr64, s.offset, s.size, s.entsize, s.link, s.info, s.addralign]).toEqual([e.addr, e.off, e.size, e.es, e.lk, e.inf, e.al]);
        let flags = 0;
        for (const c of e.flags) flags |= SHF_LETTERS[c] ?? 0;
        expect(s.flags & 0x7f7).toBe(flags);
      });
    }
  });

  it('reads .symtab and .dynsym', () => {
    let dynsyms = 0;
    for (const b of built) {
      const elf = load(b);
      const tables = readelfSymbols(b.path);
      for (const [table, syms] of [['.symtab', elf.symtab], ['.dynsym', elf.dynsym]] as const) {
        const expected = tables.get(table) ?? [];
        if (table === '.dynsym') dynsyms += expected.length;
        expect(`${b.name} ${table}: ${syms.length}`).toBe(`${b.name} ${table}: ${expected.length}`);
        syms.forEach((s, i) => {
          const e = expected[i]!;
          const mine = [s.index, s.name, s.value64, s.size, s.type === 'OTHER' ? e.type : s.type, s.bind, s.visibility, ndxString(s.shndx)];
          expect(mine).toEqual([e.num, e.name, e.value, e.size, e.type, e.bind, e.vis, e.ndx]);
          expect(s.table).toBe(table);
        });
      }
    }
    expect(dynsyms).toBeGreaterThan(0);
  });

  it('gives addresses as numbers in memory’s convention and section data', () => {
    const b = built.find((x) => x.name === 'aarch64-static')!;
    const elf = load(b);
    const text = elf.section('.text')!;
    expect(elf.sectionData(text).length).toBe(text.size);
    const fn = elf.symtab.find((s) => s.name === 'shared_fn')!;
    expect(fn.type).toBe('FUNC');
    expect(fn.value).toBe(Number(fn.value64));
    expect(elf.arch).toBe('arm64');
    expect(elf.loadSegments.length).toBeGreaterThan(0);
    expect(elf.segmentData(elf.loadSegments[0]!).length).toBe(elf.loadSegments[0]!.filesz);
    const helpers = elf.symtab.filter((s) => s.name === 'helper');
    expect(helpers.every((s) => s.bind === 'LOCAL')).toBe(true);
    expect(elf.symtab.find((s) => s.name === 'weak_fn')!.bind).toBe('WEAK');
  });
});

describe('ELF reader edge cases', () => {
  it('rejects what is not ELF, and truncated files', () => {
    expect(() => parseElf(new Uint8Array([1, 2, 3]))).toThrow(ElfError);
    expect(() => parseElf(new TextEncoder().encode('#!/bin/sh\necho hi\n'))).toThrow(ElfError);
    const head = new Uint8Array(64);
    head.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    const dv = new DataView(head.buffer);
    dv.setUint16(16, 2, true);
    dv.setUint16(18, 183, true);
    dv.setBigUint64(24, 0xffff_8000_0800_0000n, true);
    dv.setBigUint64(40, 4096n, true); // section headers past the end
    dv.setUint16(58, 64, true);
    dv.setUint16(60, 3, true);
    expect(() => parseElf(head)).toThrow(ElfError);
    dv.setBigUint64(40, 0n, true);
    const elf = parseElf(head);
    expect(elf.entry).toBe(0x8000_0800_0000); // canonical kernel address → 48-bit number
    expect(elf.header.entry64).toBe(0xffff_8000_0800_0000n);
    expect(elf.sections).toEqual([]);
    expect(elf.symtab).toEqual([]);
  });
});
