// The instruction-slot cache (src/kprobes/insn-slots.ts, after kernel/kprobes.c's
// kprobe_insn_cache): slots per page, new pages when full, dirty slots while a probe is active,
// empty pages returned except the last.

import { describe, expect, it } from 'vitest';
import { InsnSlotCache } from '../../src/kprobes/insn-slots.ts';

function cache(slotSize = 8) {
  const pages: number[] = [];
  const freed: number[] = [];
  let busy = false;
  let next = 0x8000_0c00_0000;
  const c = new InsnSlotCache(
    slotSize,
    () => {
      if (pages.length >= 3) return null;
      pages.push(next);
      next += 4096;
      return pages[pages.length - 1]!;
    },
    (p) => void freed.push(p),
    () => busy,
  );
  return { c, pages, freed, setBusy: (b: boolean) => void (busy = b) };
}

describe('InsnSlotCache', () => {
  it('cuts pages into slots and adds pages when they are full', () => {
    const { c, pages } = cache();
    const slots = Array.from({ length: 513 }, () => c.get());
    expect(pages).toHaveLength(2);
    expect(slots[0]).toBe(pages[0]);
    expect(slots[511]).toBe(pages[0]! + 511 * 8);
    expect(slots[512]).toBe(pages[1]);
    expect(new Set(slots).size).toBe(513);
  });

  it('returns null when no page is left', () => {
    const { c } = cache(2048);
    for (let i = 0; i < 6; i++) expect(c.get()).not.toBeNull();
    expect(c.get()).toBeNull();
  });

  it('reuses a freed slot, and gives back an emptied page unless it is the last', () => {
    const { c, pages, freed } = cache(2048);
    const [a, b, x] = [c.get()!, c.get()!, c.get()!];
    c.free(a);
    expect(c.get()).toBe(a);
    c.free(x);
    expect(freed).toEqual([pages[1]]);
    expect(c.pageAddresses()).toEqual([pages[0]]);
    c.free(a);
    c.free(b);
    expect(c.pageAddresses()).toEqual([pages[0]]);
    expect(c.usedSlots).toBe(0);
  });

  it('keeps a slot freed while a probe is active dirty until nothing is', () => {
    const { c, setBusy } = cache(2048);
    const a = c.get()!;
    c.get();
    setBusy(true);
    c.free(a);
    expect(c.usedSlots).toBe(1);
    // Busy: the dirty slot is not reused; a new page is taken instead.
    const n = c.get()!;
    expect(n).not.toBe(a);
    setBusy(false);
    c.get(); // fills the second page
    expect(c.get()).toBe(a); // collected once idle
  });
});
