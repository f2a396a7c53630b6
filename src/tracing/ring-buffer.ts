// Per-CPU ring buffers of trace entries: the counterpart of kernel/trace/ring_buffer.c.
//
// Each CPU buffer is a ring of sub-buffer pages (4080 data bytes each after the 16-byte page
// header) plus a separate reader page, linked as in the kernel so that what the kernel does
// observably falls out of the same structure: a writer that reaches the head page in overwrite
// mode drops that whole page and adds its entries to `overrun`; a consuming reader swaps the
// reader page with the head page and reports the overruns since its last swap as lost events;
// the non-consuming iterator walks reader page → head page → … → tail page. Events occupy the
// kernel's space (4-byte header, an extra length word above 112 bytes, 4-byte alignment, and an
// 8-byte time extend when the delta does not fit in 27 bits), so entries per page, overrun counts
// and buffer_size_kb match the kernel's arithmetic.

export const PAGE_SIZE = 4096;
/** BUF_PAGE_HDR_SIZE: u64 time_stamp + local_t commit. */
export const BUF_PAGE_HDR_SIZE = 16;
/** rb_subbuf_capacity(): data bytes per page. */
export const BUF_PAGE_SIZE = PAGE_SIZE - BUF_PAGE_HDR_SIZE;
/** BUF_MAX_DATA_SIZE: the largest event payload. */
export const BUF_MAX_DATA_SIZE = BUF_PAGE_SIZE - 2 * 4;
const RB_ALIGNMENT = 4;
const RB_MAX_SMALL_DATA = RB_ALIGNMENT * 28;
const RB_EVNT_HDR_SIZE = 4;
const RB_LEN_TIME_EXTEND = 8;
const TS_DELTA_LIMIT = 1n << 27n;

/** rb_calculate_event_length(). */
export function rbEventLength(dataLength: number): number {
  let length = dataLength || 1;
  if (length > RB_MAX_SMALL_DATA) length += 4;
  length += RB_EVNT_HDR_SIZE;
  return (length + RB_ALIGNMENT - 1) & ~(RB_ALIGNMENT - 1);
}

export interface RbEvent {
  readonly ts: bigint;
  readonly data: Uint8Array;
}

class BufferPage {
  events: RbEvent[] = [];
  /** Bytes used (commit). */
  write = 0;
  entries = 0;
  /** Reader page: index of the next event to consume. */
  read = 0;
  timeStamp = 0n;
  next: BufferPage = this;
  prev: BufferPage = this;

  clear(): void {
    this.events = [];
    this.write = 0;
    this.entries = 0;
    this.read = 0;
  }
}

export interface ConsumedEvent extends RbEvent {
  /** Events lost (overwritten) before this one since the last consuming read. */
  readonly lost: number;
}

export class CpuRingBuffer {
  private headPage!: BufferPage;
  private tailPage!: BufferPage;
  private readerPage = new BufferPage();
  private nrPagesValue = 0;
  /** Events ever committed (since the last reset). */
  private entriesTotal = 0;
  private overrunCount = 0;
  private readCount = 0;
  private lostEvents = 0;
  private lastOverrun = 0;
  private droppedEvents = 0;
  private entriesBytes = 0;
  private readBytes = 0;
  private writeStamp = 0n;
  private readStamp = 0n;

  constructor(
    nrPages: number,
    readonly cpu: number,
  ) {
    this.build(Math.max(2, nrPages));
  }

  private build(nrPages: number): void {
    const pages = Array.from({ length: nrPages }, () => new BufferPage());
    for (let i = 0; i < nrPages; i++) {
      pages[i]!.next = pages[(i + 1) % nrPages]!;
      pages[i]!.prev = pages[(i + nrPages - 1) % nrPages]!;
    }
    this.nrPagesValue = nrPages;
    this.headPage = pages[0]!;
    this.tailPage = pages[0]!;
    this.readerPage = new BufferPage();
  }

  get nrPages(): number {
    return this.nrPagesValue;
  }

  /** ring_buffer_size(): capacity in bytes. */
  get size(): number {
    return this.nrPagesValue * BUF_PAGE_SIZE;
  }

  /** rb_num_of_entries(): unread entries. */
  get entries(): number {
    return this.entriesTotal - (this.overrunCount + this.readCount);
  }

  get overrun(): number {
    return this.overrunCount;
  }

  get readEvents(): number {
    return this.readCount;
  }

  get dropped(): number {
    return this.droppedEvents;
  }

  get bytes(): number {
    return this.entriesBytes - this.readBytes;
  }

  /** ring_buffer_oldest_event_ts(). */
  get oldestTs(): bigint {
    if (this.tailPage === this.readerPage) return this.readStamp;
    return this.headPage.timeStamp;
  }

  /** Commit an event. Returns false when it could not be stored (too big, or full without overwrite). */
  write(ts: bigint, data: Uint8Array, overwrite: boolean): boolean {
    if (data.length > BUF_MAX_DATA_SIZE) return false;
    const len = rbEventLength(data.length);
    let tail = this.tailPage;
    let ext = tail.events.length > 0 && ts - this.writeStamp >= TS_DELTA_LIMIT ? RB_LEN_TIME_EXTEND : 0;
    if (tail.write + ext + len > BUF_PAGE_SIZE) {
      if (!this.moveTail(ts, overwrite)) {
        this.droppedEvents++;
        return false;
      }
      tail = this.tailPage;
      ext = 0;
    }
    if (tail.events.length === 0) tail.timeStamp = ts;
    tail.events.push({ ts, data });
    tail.write += ext + len;
    tail.entries++;
    this.entriesTotal++;
    this.entriesBytes += ext + len;
    this.writeStamp = ts;
    return true;
  }

  /** rb_move_tail(): pad the tail page and continue on the next one, overwriting the head if needed. */
  private moveTail(ts: bigint, overwrite: boolean): boolean {
    const tail = this.tailPage;
    const next = tail.next;
    if (next === this.headPage && tail !== this.readerPage) {
      if (!overwrite) return false;
      // rb_handle_head_page(): the oldest page is lost.
      this.overrunCount += next.entries;
      this.entriesBytes -= next.write;
      this.headPage = next.next;
    }
    // The rest of the old tail page is padding.
    this.entriesBytes += BUF_PAGE_SIZE - tail.write;
    next.clear();
    next.timeStamp = ts;
    this.tailPage = next;
    return true;
  }

  /** rb_get_reader_page(): the page to consume from, swapping in the head page when needed. */
  private getReaderPage(): BufferPage | undefined {
    for (let loops = 0; loops < 3; loops++) {
      const reader = this.readerPage;
      if (reader.read < reader.events.length) return reader;
      if (this.tailPage === reader) return undefined;
      if (this.entries === 0) return undefined;
      // Swap: the old reader page takes the head page's place in the ring.
      reader.clear();
      const head = this.headPage;
      reader.next = head.next;
      reader.prev = head.prev;
      head.prev.next = reader;
      head.next.prev = reader;
      this.headPage = head.next;
      this.readerPage = head;
      head.read = 0;
      this.readBytes += head.write;
      this.readStamp = head.timeStamp;
      if (this.overrunCount !== this.lastOverrun) {
        this.lostEvents = this.overrunCount - this.lastOverrun;
        this.lastOverrun = this.overrunCount;
      }
    }
    return undefined;
  }

  /** ring_buffer_peek() for a consumer: the next event and the events lost before it. */
  peek(): ConsumedEvent | undefined {
    const page = this.getReaderPage();
    if (!page) return undefined;
    const ev = page.events[page.read]!;
    return { ts: ev.ts, data: ev.data, lost: this.lostEvents };
  }

  /** ring_buffer_consume(): take the next event. */
  consume(): ConsumedEvent | undefined {
    const ev = this.peek();
    if (!ev) return undefined;
    this.lostEvents = 0;
    this.readerPage.read++;
    this.readCount++;
    return ev;
  }

  /** A non-consuming snapshot of the unread events, oldest first (ring_buffer_iter). */
  snapshot(): RbEvent[] {
    const out: RbEvent[] = [];
    const reader = this.readerPage;
    for (let i = reader.read; i < reader.events.length; i++) out.push(reader.events[i]!);
    if (this.tailPage === reader) return out;
    let page = this.headPage;
    for (let guard = 0; guard <= this.nrPagesValue; guard++) {
      out.push(...page.events);
      if (page === this.tailPage) break;
      page = page.next;
    }
    return out;
  }

  /** ring_buffer_reset_cpu(). */
  reset(): void {
    let page = this.headPage;
    for (let i = 0; i < this.nrPagesValue; i++) {
      page.clear();
      page = page.next;
    }
    this.readerPage.clear();
    this.tailPage = this.headPage;
    this.entriesTotal = 0;
    this.overrunCount = 0;
    this.readCount = 0;
    this.lostEvents = 0;
    this.lastOverrun = 0;
    this.droppedEvents = 0;
    this.entriesBytes = 0;
    this.readBytes = 0;
    this.writeStamp = 0n;
    this.readStamp = 0n;
  }

  /** ring_buffer_resize() for this CPU: add empty pages before the head, or remove the oldest. */
  resize(nrPages: number): void {
    const target = Math.max(2, nrPages);
    while (this.nrPagesValue < target) {
      const p = new BufferPage();
      const head = this.headPage;
      p.prev = head.prev;
      p.next = head;
      head.prev.next = p;
      head.prev = p;
      this.nrPagesValue++;
    }
    while (this.nrPagesValue > target) {
      // rb_remove_pages(): the pages after the tail go first (empty ones, then the oldest data).
      const victim = this.tailPage === this.readerPage ? this.headPage : this.tailPage.next;
      if (victim === this.tailPage) break;
      if (victim === this.headPage) {
        this.overrunCount += victim.entries;
        this.entriesBytes -= victim.write;
        this.headPage = victim.next;
      }
      victim.prev.next = victim.next;
      victim.next.prev = victim.prev;
      this.nrPagesValue--;
    }
  }
}

/** The per-CPU buffers of one trace array. */
export class TraceBuffer {
  readonly cpus: CpuRingBuffer[];
  /** ring_buffer_record_off()/on(): tracing_on. */
  recordOn = true;
  overwrite = true;

  constructor(nrCpus: number, sizeBytes: number) {
    const nrPages = TraceBuffer.pagesFor(sizeBytes);
    this.cpus = Array.from({ length: nrCpus }, (_, cpu) => new CpuRingBuffer(nrPages, cpu));
  }

  /** DIV_ROUND_UP(size, BUF_PAGE_SIZE), at least 2. */
  static pagesFor(sizeBytes: number): number {
    return Math.max(2, Math.ceil(sizeBytes / BUF_PAGE_SIZE));
  }

  write(cpu: number, ts: bigint, data: Uint8Array): boolean {
    if (!this.recordOn) return false;
    const b = this.cpus[cpu];
    if (!b) return false;
    return b.write(ts, data, this.overwrite);
  }

  resetAll(): void {
    for (const b of this.cpus) b.reset();
  }

  resize(sizeBytes: number, cpu?: number): void {
    const n = TraceBuffer.pagesFor(sizeBytes);
    for (const b of this.cpus) if (cpu === undefined || b.cpu === cpu) b.resize(n);
  }

  /** get_total_entries(): entries in the buffers and entries written (entries + overruns). */
  totals(): { entries: number; total: number } {
    let entries = 0;
    let total = 0;
    for (const b of this.cpus) {
      entries += b.entries;
      total += b.entries + b.overrun;
    }
    return { entries, total };
  }

  isEmpty(): boolean {
    return this.cpus.every((b) => b.entries === 0);
  }
}
