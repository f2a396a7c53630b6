// The symbol table: /proc/kallsyms lines and type letters against binutils nm on a compiled
// image, lookup by name (several static functions of one name) and by address, module symbols,
// and the canonical-address helpers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../src/machine/elf.ts';
import { fromCanonical64, SymbolTable, toCanonical64 } from '../../src/machine/symbols.ts';
import { requireTools } from '../helpers/tools.ts';

const ok = requireTools('aarch64-linux-gnu-gcc', 'aarch64-linux-gnu-nm');

const A = `
int a_data = 1;
int a_bss;
const int a_rodata[4] = {1, 2, 3, 4};
static int a_local_data = 5;
static int a_local_bss;
static int helper(int x) { return x + a_data + a_local_data++ + a_local_bss; }
int a_fn(int x) { return helper(x) + a_rodata[x & 3]; }
__attribute__((weak)) int weak_fn(int x) { return x; }
__attribute__((weak)) int weak_obj = 7;
`;
const B = `
extern int a_fn(int);
extern int weak_fn(int);
extern int weak_obj;
static int helper(int x) { return x * 3; }
static const char b_local_rodata[] = "rodata";
void _start(void) { for (;;) weak_obj += a_fn(helper(1)) + weak_fn(2) + b_local_rodata[weak_obj & 3]; }
`;

describe.skipIf(!ok)('SymbolTable from a compiled image', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kprobe-syms-'));
  writeFileSync(join(dir, 'a.c'), A);
  writeFileSync(join(dir, 'b.c'), B);
  const out = join(dir, 'image');
  const cc = spawnSync(
    'aarch64-linux-gnu-gcc',
    ['-O0', '-ffreestanding', '-nostdlib', '-static', '-fno-pic', '-Wl,--build-id=none', '-o', out, join(dir, 'a.c'), join(dir, 'b.c')],
    { encoding: 'utf8' },
  );
  if (cc.status !== 0) throw new Error(cc.stderr);
  const elf = parseElf(readFileSync(out));
  const table = SymbolTable.fromElf(elf);

  it('prints the lines and letters nm prints (less undefined and absolute symbols)', () => {
    const nm = spawnSync('aarch64-linux-gnu-nm', ['-n', out], { encoding: 'utf8' }).stdout;
    const expected = nm
      .split('\n')
      .filter((l) => /^[0-9a-f]{16} [^UwvAa] /.test(l))
      .sort();
    const lines = table.formatKallsyms().trimEnd().split('\n');
    expect([...lines].sort()).toEqual(expected);
    const letters = new Map(lines.map((l) => [l.slice(19), l[17]]));
    expect(letters.get('a_fn')).toBe('T');
    expect(letters.get('a_data')).toBe('D');
    expect(letters.get('a_bss')).toBe('B');
    expect(letters.get('a_rodata')).toBe('R');
    expect(letters.get('a_local_data')).toBe('d');
    expect(letters.get('a_local_bss')).toBe('b');
    expect(letters.get('b_local_rodata')).toBe('r');
    expect(letters.get('weak_fn')).toBe('W');
    expect(letters.get('weak_obj')).toBe('V');
  });

  it('sorts by address', () => {
    const addrs = table.formatKallsyms().trimEnd().split('\n').map((l) => BigInt(`0x${l.slice(0, 16)}`));
    for (let i = 1; i < addrs.length; i++) expect(addrs[i]! >= addrs[i - 1]!).toBe(true);
  });

  it('finds both static functions of one name, and the containing symbol of an address', () => {
    const helpers = table.lookupName('helper');
    expect(helpers.length).toBe(2);
    expect(helpers[0]!.address).toBeLessThan(helpers[1]!.address);
    expect(helpers.every((h) => h.letter === 't' && h.size > 0)).toBe(true);
    const fn = table.lookupName('a_fn')[0]!;
    const elfSym = elf.symtab.find((s) => s.name === 'a_fn')!;
    expect(fn.address).toBe(elfSym.value);
    expect(fn.size).toBe(elfSym.size);
    expect(table.lookupAddress(fn.address + 4)).toMatchObject({ name: 'a_fn', start: fn.address, size: fn.size, offset: 4 });
    expect(table.lookupAddress(fn.address)).toMatchObject({ name: 'a_fn', offset: 0 });
    expect(table.lookupName('no_such_symbol')).toEqual([]);
  });

  it('offsets every address by the load bias of a PIE', () => {
    const biased = SymbolTable.fromElf(elf, { loadBias: 0x5555_0000_0000 });
    expect(biased.lookupName('a_fn')[0]!.address).toBe(table.lookupName('a_fn')[0]!.address + 0x5555_0000_0000);
  });
});

describe('SymbolTable', () => {
  const KBASE = 0x8000_0800_0000;

  function kernelTable(): SymbolTable {
    const t = new SymbolTable(64);
    t.add([
      { name: '_text', address: KBASE, letter: 'T' },
      { name: '_stext', address: KBASE, letter: 'T' },
      { name: 'vectors', address: KBASE + 0x800, letter: 't' },
      { name: 'el0_sync', address: KBASE + 0x1000, size: 0, letter: 't' },
      { name: 'do_sys_open', address: KBASE + 0x2000, size: 0x80, letter: 'T' },
      { name: '__do_sys_open', address: KBASE + 0x2000, size: 0x80, letter: 'T' },
      { name: 'weak_thing', address: KBASE + 0x2000, size: 0x10, letter: 'W' },
      { name: 'vfs_read', address: KBASE + 0x2100, size: 0x40, letter: 'T' },
      { name: 'helper', address: KBASE + 0x2200, size: 0x20, letter: 't' },
      { name: 'helper', address: KBASE + 0x2300, size: 0x20, letter: 't' },
      { name: '_etext', address: KBASE + 0x3000, letter: 'T' },
      { name: 'jiffies', address: KBASE + 0x10000, size: 8, letter: 'D' },
    ]);
    return t;
  }

  it('prints 64-bit addresses sign-extended, sorted as scripts/kallsyms sorts them', () => {
    const text = kernelTable().formatKallsyms();
    expect(text.split('\n').slice(0, 8)).toEqual([
      'ffff800008000000 T _text',
      'ffff800008000000 T _stext',
      'ffff800008000800 t vectors',
      'ffff800008001000 t el0_sync',
      'ffff800008002000 T do_sys_open',
      'ffff800008002000 T __do_sys_open',
      'ffff800008002000 W weak_thing',
      'ffff800008002100 T vfs_read',
    ]);
    expect(text.endsWith('ffff800008010000 D jiffies\n')).toBe(true);
  });

  it('prints 32-bit addresses with 8 digits', () => {
    const t = new SymbolTable(32);
    t.add([{ name: 'start_kernel', address: 0xc0008000, size: 4, letter: 'T' }]);
    expect(t.formatKallsyms()).toBe('c0008000 T start_kernel\n');
  });

  it('looks addresses up by size, labels up to the next symbol, and nothing past a sized symbol', () => {
    const t = kernelTable();
    expect(t.lookupAddress(KBASE + 0x2004)).toMatchObject({ name: 'do_sys_open', start: KBASE + 0x2000, size: 0x80, offset: 4 });
    expect(t.lookupAddress(KBASE + 0x2140)).toBeUndefined(); // past vfs_read's 0x40 bytes
    expect(t.lookupAddress(KBASE + 0x213c)).toMatchObject({ name: 'vfs_read', offset: 0x3c });
    expect(t.lookupAddress(KBASE + 0x1010)).toMatchObject({ name: 'el0_sync', size: 0x1000, offset: 0x10 });
    expect(t.lookupAddress(KBASE + 0x804)).toMatchObject({ name: 'vectors', size: 0x800 });
    expect(t.lookupAddress(KBASE - 4)).toBeUndefined();
    expect(t.lookupAddress(KBASE + 0x2310)).toMatchObject({ name: 'helper', start: KBASE + 0x2300 });
    expect(t.lookupName('helper').map((s) => s.address)).toEqual([KBASE + 0x2200, KBASE + 0x2300]);
  });

  it('adds and removes module symbols, listed after the core with [module]', () => {
    const t = kernelTable();
    t.add([{ name: 'handler_pre', address: 0x8000_0d00_0000, size: 0x40, letter: 't' }], 'kprobe_example');
    t.add([{ name: 'other_fn', address: 0x8000_0d01_0000, size: 0x40, letter: 'T' }], 'second');
    const lines = t.formatKallsyms().trimEnd().split('\n');
    expect(lines.slice(-2)).toEqual(['ffff80000d010000 T other_fn\t[second]', 'ffff80000d000000 t handler_pre\t[kprobe_example]']);
    expect(t.lookupAddress(0x8000_0d00_0010)).toMatchObject({ name: 'handler_pre', module: 'kprobe_example', offset: 0x10 });
    t.removeModule('kprobe_example');
    expect(t.lookupName('handler_pre')).toEqual([]);
    expect(t.lookupAddress(0x8000_0d00_0010)).toBeUndefined();
    expect(t.formatKallsyms()).not.toContain('kprobe_example');
  });

  it('converts between 48-bit numbers and canonical 64-bit addresses', () => {
    expect(toCanonical64(0x8000_0800_0000)).toBe(0xffff_8000_0800_0000n);
    expect(toCanonical64(0x40_0000)).toBe(0x40_0000n);
    expect(toCanonical64(0x7fff_ffff_ffff)).toBe(0x7fff_ffff_ffffn);
    expect(fromCanonical64(0xffff_8000_0800_0000n)).toBe(0x8000_0800_0000);
    expect(fromCanonical64(0x40_1234n)).toBe(0x40_1234);
    expect(fromCanonical64(toCanonical64(0xffff_ffff_fff0))).toBe(0xffff_ffff_fff0);
  });
});
