// The direct-mapped caches of Memory pages that a CPU's loads and stores go through (its software
// TLB): ACCESS_CACHE_SIZE slots indexed by the low bits of the page number, each tagged with the
// page number and the privilege of the access (page number × 2 + user), so a hit needs no
// permission check. A read slot holds the page's DataView; a write slot holds the Page, whose
// hasCode sends stores to decoded code through Memory, which tells the decode caches. A CPU
// keeps the arrays as fields of its own (on the hot path they are one field load away) and
// empties them when Memory.generation moves; this file gives their size and what fills an empty
// slot. No Linux counterpart.

import { Page } from '../machine/memory.ts';

export const ACCESS_CACHE_SIZE = 256;
export const ACCESS_CACHE_MASK = ACCESS_CACHE_SIZE - 1;

/** Fills empty read slots (their tag, -1, never matches). */
export const NO_READ_VIEW = new DataView(new ArrayBuffer(8));

/** Fills empty write slots; marked as holding code, so that a fast path never writes to it. */
export const NO_WRITE_PAGE = new Page({ user: false, write: false, exec: false });
NO_WRITE_PAGE.hasCode = true;

/** A read cache's slots, all empty. */
export function emptyReadSlots(): DataView[] {
  return new Array<DataView>(ACCESS_CACHE_SIZE).fill(NO_READ_VIEW);
}

/** A write cache's slots, all empty. */
export function emptyWriteSlots(): Page[] {
  return new Array<Page>(ACCESS_CACHE_SIZE).fill(NO_WRITE_PAGE);
}
