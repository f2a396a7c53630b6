// The blacklist helpers of src/kprobes/host.ts (populate_kprobe_blacklist and friends), on the
// test image's sections and on synthetic symbol tables for the edge cases.

import { describe, expect, it } from 'vitest';
import {
  blacklistSectionsFromSymbols,
  buildKprobeBlacklist,
  readKprobeBlacklistSection,
  type SymbolAt,
} from '../../src/kprobes/host.ts';
import { Memory } from '../../src/machine/memory.ts';
import { ASM_TOOLS } from './support/asm.ts';
import { guestImage, loadImage, TestSymbols } from './support/guest.ts';
import { requireTools } from '../helpers/tools.ts';

const haveAsm = requireTools(...ASM_TOOLS);

/** A symbol table from [name, start, size] triples. */
function table(syms: [string, number, number][]): { symbols: { address: number; size: number }[]; lookupAddress: (a: number) => SymbolAt | undefined } {
  return {
    symbols: syms.map(([, address, size]) => ({ address, size })),
    lookupAddress: (a) => {
      const s = syms.find(([, start, size]) => a >= start && a < start + size);
      return s ? { name: s[0], start: s[1], size: s[2] } : undefined;
    },
  };
}

describe('buildKprobeBlacklist', () => {
  it('covers every symbol of an area, skipping gaps without a symbol', () => {
    const t = table([
      ['a', 0x1000, 0x10],
      ['b', 0x1040, 0x20],
      ['c', 0x1060, 0x8],
      ['outside', 0x2000, 0x10],
    ]);
    const bl = buildKprobeBlacklist({ ...t, isKernelText: () => true, sections: { entryText: { start: 0x1000, end: 0x1068 } } });
    expect(bl).toEqual([
      { start: 0x1000, end: 0x1010, name: 'a' },
      { start: 0x1040, end: 0x1060, name: 'b' },
      { start: 0x1060, end: 0x1068, name: 'c' },
    ]);
  });

  it('takes NOKPROBE_SYMBOL addresses first and skips those outside text or symbols', () => {
    const t = table([
      ['f', 0x1000, 0x10],
      ['g', 0x1010, 0x10],
      ['k', 0x3000, 0x4],
    ]);
    const bl = buildKprobeBlacklist({
      ...t,
      isKernelText: (a) => a < 0x2000 || a >= 0x3000,
      sections: { kprobesText: { start: 0x3000, end: 0x3004 } },
      nokprobeSymbols: [0x1010, 0x2000, 0x2800],
    });
    expect(bl.map((e) => e.name)).toEqual(['g', 'k']);
  });

  it('orders the areas as Linux: kprobes, noinstr, then entry, irqentry, hyp, hyp idmap', () => {
    const names = ['e', 'i', 'h', 'hi', 'n', 'k'];
    const t = table(names.map((n, i) => [n, 0x1000 * (i + 1), 0x10]));
    const area = (i: number) => ({ start: 0x1000 * (i + 1), end: 0x1000 * (i + 1) + 0x10 });
    const bl = buildKprobeBlacklist({
      ...t,
      isKernelText: () => true,
      sections: { entryText: area(0), irqentryText: area(1), hypText: area(2), hypIdmapText: area(3), noinstrText: area(4), kprobesText: area(5) },
    });
    expect(bl.map((e) => e.name)).toEqual(['k', 'n', 'e', 'i', 'h', 'hi']);
  });

  it('reads the _kprobe_blacklist section as pointers', () => {
    const m = new Memory(true, 0x8000_0000_0000);
    m.map(0x8000_0800_0000, 4096, { user: false, write: true, exec: false });
    m.write64(0x8000_0800_0000, 0xffff_8000_0800_1234n);
    m.write64(0x8000_0800_0008, 0xffff_8000_0800_5678n);
    expect(readKprobeBlacklistSection(m, 0x8000_0800_0000, 0x8000_0800_0010)).toEqual([0x8000_0800_1234, 0x8000_0800_5678]);
  });
});

describe.skipIf(!haveAsm)('blacklist sections of a linked image', () => {
  it('finds the section bounds from the linker symbols', () => {
    const image = guestImage();
    const symbols = new TestSymbols(image.symbols);
    const s = blacklistSectionsFromSymbols((n) => symbols.lookupName(n));
    expect(s.kprobesText).toEqual({ start: image.addr('__kprobes_text_start'), end: image.addr('__kprobes_text_end') });
    expect(s.entryText?.start).toBe(image.addr('entry_fn'));
    expect(s.noinstrText?.start).toBe(image.addr('noinstr_fn'));
    expect(s.irqentryText).toBeUndefined();
    const m = loadImage(image);
    expect(readKprobeBlacklistSection(m, image.addr('__start__kprobe_blacklist'), image.addr('__stop__kprobe_blacklist'))).toEqual([image.addr('nokprobe_fn')]);
  });
});
