// User-space probe places on ELF files built here by gcc: BINARY:SYMBOL → file offset for a PIE, a
// non-PIE executable, a stripped PIE (.dynsym only) and a shared library, checked against
// binutils (nm for the symbol's address, readelf for the PT_LOAD that maps it, as perf-tools'
// uprobe computes it); the -l listing; binaries found by name; user stack frames named.

import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTools } from '../helpers/tools.ts';
import { findBinary, listFunctions, readElf, resolveUprobeSymbol, UserSymbolizer, vaddrOfFileOffset } from '../../src/host/uprobe-symbols.ts';
import { buildTargets, removeTargets, type Targets } from './support/build.ts';
import { HostError } from '../../src/host/tracefs.ts';

const have = requireTools('gcc', 'nm', 'readelf', 'strip');

/** binutils' answer: nm's address of the symbol, mapped through readelf's PT_LOAD lines. */
function oracleOffset(path: string, symbol: string, dynamic: boolean): bigint {
  const nm = execFileSync('nm', [...(dynamic ? ['-D'] : []), '--defined-only', path], { encoding: 'utf8' });
  const line = nm.split('\n').find((l) => l.endsWith(` ${symbol}`) && / [Tt] /.test(l))!;
  const vaddr = BigInt(`0x${line.split(' ')[0]}`);
  const re = /^\s+LOAD\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+0x[0-9a-f]+\s+(0x[0-9a-f]+)/;
  for (const l of execFileSync('readelf', ['-lW', path], { encoding: 'utf8' }).split('\n')) {
    const m = re.exec(l);
    if (!m) continue;
    const [off, va, sz] = [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)];
    if (vaddr >= va && vaddr < va + sz) return vaddr - va + off;
  }
  throw new Error(`no PT_LOAD holds ${symbol}`);
}

describe.skipIf(!have)('uprobe places from ELF symbols', () => {
  let t: Targets;
  beforeAll(() => {
    t = buildTargets();
  });
  afterAll(() => removeTargets(t));

  it('PIE and non-PIE executables: the offset binutils gives', () => {
    for (const path of [t.pie, t.nopie]) {
      for (const sym of ['probe_me', 'probe_neg', 'probe_str', 'main']) {
        const r = resolveUprobeSymbol(path, sym);
        expect(r.fileOffset, `${path}:${sym}`).toBe(oracleOffset(path, sym, false));
        expect(r.table).toBe('.symtab');
      }
    }
    // The non-PIE's addresses are absolute, yet the file offset is small, as uprobe_events wants it.
    const np = resolveUprobeSymbol(t.nopie, 'probe_me');
    expect(np.vaddr).toBeGreaterThanOrEqual(0x400000n);
    expect(np.fileOffset).toBeLessThan(0x100000n);
  });

  it('a stripped binary is resolved from .dynsym; a shared library too', () => {
    expect(readElf(t.dynsymOnly).symtab).toHaveLength(0);
    expect(execFileSync('readelf', ['-SW', t.dynsymOnly], { encoding: 'utf8' })).not.toContain('.symtab');
    const r = resolveUprobeSymbol(t.dynsymOnly, 'probe_me');
    expect(r.table).toBe('.dynsym');
    expect(r.fileOffset).toBe(oracleOffset(t.dynsymOnly, 'probe_me', true));
    const s = resolveUprobeSymbol(t.shared, 'probe_neg');
    expect(s.fileOffset).toBe(oracleOffset(t.shared, 'probe_neg', false));
  });

  it('SYMBOL+OFFSET, and the errors', () => {
    const base = resolveUprobeSymbol(t.pie, 'probe_me');
    expect(resolveUprobeSymbol(t.pie, 'probe_me', 4).fileOffset).toBe(base.fileOffset + 4n);
    expect(() => resolveUprobeSymbol(t.pie, 'no_such_function')).toThrow(/no function no_such_function in .*\.symtab and \.dynsym/);
    expect(() => resolveUprobeSymbol(t.pie, 'probe_me', 100000)).toThrow(/past the end of probe_me/);
    // printf is only an undefined reference here: it lives in libc.
    expect(() => resolveUprobeSymbol(t.pie, 'printf')).toThrow(HostError);
    expect(() => resolveUprobeSymbol(t.dir, 'x')).toThrow(HostError);
  });

  it('-l lists the defined functions once each, sorted', () => {
    const names = listFunctions(t.pie);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['main', 'probe_me', 'probe_neg', 'probe_str']));
    expect(names).not.toContain('printf');
    expect(listFunctions(t.dynsymOnly)).toEqual(expect.arrayContaining(['probe_me', 'main']));
  });

  it('binaries by path, by name on PATH, libraries by name', () => {
    expect(findBinary(t.pie)).toBe(t.pie);
    expect(findBinary('sh')).toMatch(/\/sh$/);
    expect(findBinary('libc')).toMatch(/libc\.so/);
    expect(() => findBinary('no-such-program-xyz')).toThrow(/neither a program on PATH nor a library/);
    expect(() => findBinary('/no/such/file')).toThrow(/no such file/);
  });

  it('user stack frames: file+offset frames and runtime addresses (PIE bias from the probe address)', () => {
    const r = resolveUprobeSymbol(t.pie, 'probe_me');
    const sym = new UserSymbolizer(t.pie, r.fileOffset);
    const elf = readElf(t.pie);
    expect(vaddrOfFileOffset(elf, r.fileOffset)).toBe(r.vaddr);
    // A PIE loaded at 0x5555_5555_4000: the probe fires at bias + vaddr.
    const bias = 0x555555554000n;
    expect(sym.symbolize(`<${(bias + r.vaddr + 2n).toString(16).padStart(16, '0')}>`, bias + r.vaddr)).toMatch(/^probe_me\+0x2\/0x[0-9a-f]+$/);
    const text = elf.loadSegments.find((p) => p.flags & 1)!;
    const rel = r.fileOffset - (BigInt(text.offset) & ~0xfffn);
    expect(sym.symbolize(`${t.pie}[+0x${rel.toString(16)}]`, undefined)).toMatch(/^probe_me\+0x0\//);
    expect(sym.symbolize('/other/file[+0x10]', undefined)).toBeUndefined();
  });
});
