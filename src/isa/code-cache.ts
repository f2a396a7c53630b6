// The decoded-code cache an interpreter of isa/ runs from (DESIGN.md "Fast by design": decode
// once, cache per address, invalidate on write). No Linux counterpart.
//
// DecodeTables: one decode table per code page, PAGE_SIZE Int32 entries (4 per 32-bit word: op +
// 3 operand fields; op 0 means not decoded yet) that the interpreter fills lazily, kept in a
// WeakMap keyed by the Memory Page so that a task switch or another CPU of the same ISA reuses
// it. Each ISA has its own (its ops mean nothing to another). forget() zeroes the entries of
// written words in place; a CPU calls it from Memory's code-write listener, so a loop holding the
// table sees the change at once: a patched breakpoint is never missed.
//
// CodePageCache: a CPU's direct-mapped cache from (page number, privilege) to the page's decode
// table, bytes and base address, consulted when the pc leaves its page. The interpreter keeps
// the pc as (page base, offset in page); an offset of FORCE_LOOKUP sends it here.

import { MemoryFault, PAGE_SIZE, type Memory, type Page } from '../machine/memory.ts';

/** An executable page as the interpreter loop holds it: base + offset is the pc. */
export interface CodePage {
  readonly ops: Int32Array;
  readonly view: DataView;
  readonly base: number;
}

/** Holds nothing: what the loop starts with, and what fills empty cache slots. */
export const NO_CODE_PAGE: CodePage = {
  ops: new Int32Array(PAGE_SIZE),
  view: new DataView(new ArrayBuffer(PAGE_SIZE)),
  base: -1,
};

/** An offset in page that no pc has: the loop looks the pc's page up again when it sees one. */
export const FORCE_LOOKUP = 0x4000_0000;

const CODE_CACHE_SIZE = 64;
const CODE_CACHE_MASK = CODE_CACHE_SIZE - 1;

export class DecodeTables {
  private readonly byPage = new WeakMap<Page, Int32Array>();

  /** The table of a page that code runs from, created empty on first use; the page is marked as holding code, so Memory reports writes to it. */
  of(page: Page): Int32Array {
    page.hasCode = true;
    let ops = this.byPage.get(page);
    if (!ops) {
      ops = new Int32Array(PAGE_SIZE);
      this.byPage.set(page, ops);
    }
    return ops;
  }

  /** Forget the decoded words in [address, address + length) of `memory` (code was written there). */
  forget(memory: Memory, address: number, length: number): void {
    const end = address + length;
    let a = address;
    while (a < end) {
      const pageStart = Math.floor(a / PAGE_SIZE) * PAGE_SIZE;
      const stop = Math.min(end, pageStart + PAGE_SIZE);
      const page = memory.pageAt(a);
      const ops = page && this.byPage.get(page);
      if (ops) ops.fill(0, (a - pageStart) & ~3, (stop - pageStart + 3) & ~3);
      a = stop;
    }
  }
}

export class CodePageCache {
  private readonly tags = new Float64Array(CODE_CACHE_SIZE).fill(-1);
  private readonly pages = new Array<CodePage>(CODE_CACHE_SIZE).fill(NO_CODE_PAGE);

  /**
   * `userLimit`: in user mode, a pc at or above it is a permission fault before Memory is asked
   * (MIPS: kseg0 and above, an address error rather than a missing page).
   */
  constructor(
    private readonly memory: Memory,
    private readonly tables: DecodeTables,
    private readonly userLimit = Infinity,
  ) {}

  /** The page holding `pc`, translated for execution at privilege `user` (1: user mode); faults as Memory.translate. */
  lookup(pc: number, user: number): CodePage {
    const pn = Math.floor(pc / PAGE_SIZE);
    const key = pn * 2 + user;
    const i = pn & CODE_CACHE_MASK;
    if (this.tags[i] === key) return this.pages[i]!;
    if (user === 1 && pc >= this.userLimit) throw new MemoryFault(pc, 'exec', 'permission');
    const page = this.memory.translate(pc, 'exec', user === 1);
    const entry: CodePage = { ops: this.tables.of(page), view: page.view, base: pn * PAGE_SIZE };
    this.tags[i] = key;
    this.pages[i] = entry;
    return entry;
  }

  /** Empty the cache (Memory's mappings or permissions changed). */
  clear(): void {
    this.tags.fill(-1);
  }
}
