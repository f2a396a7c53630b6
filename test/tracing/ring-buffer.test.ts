// Ring buffer accounting (kernel/trace/ring_buffer.c): events take the kernel's space, pages are
// overwritten whole and counted as overrun, a consuming reader is told how many it lost.

import { describe, expect, it } from 'vitest';
import { BUF_PAGE_SIZE, CpuRingBuffer, rbEventLength, TraceBuffer } from '../../src/tracing/ring-buffer.ts';
import { Tracing } from '../../src/tracing/tracing.ts';
import { TestHost, regs } from './test-host.ts';

describe('event sizes', () => {
  it('4-byte header, length word above 112 bytes, 4-byte alignment', () => {
    expect(rbEventLength(24)).toBe(28);
    expect(rbEventLength(25)).toBe(32);
    expect(rbEventLength(112)).toBe(116);
    expect(rbEventLength(113)).toBe(124);
    expect(rbEventLength(0)).toBe(8);
  });
  it('buffer sizes round up to whole 4080-byte pages, at least two', () => {
    expect(TraceBuffer.pagesFor(1)).toBe(2);
    expect(TraceBuffer.pagesFor(1441792)).toBe(354);
    expect(new CpuRingBuffer(354, 0).size >> 10).toBe(1410);
  });
});

describe('overwrite', () => {
  const ev = (n: number) => {
    const d = new Uint8Array(24);
    new DataView(d.buffer).setUint32(16, n, true);
    return d;
  };
  const num = (d: Uint8Array) => new DataView(d.buffer).getUint32(16, true);
  const perPage = Math.floor(BUF_PAGE_SIZE / 28);

  it('drops the oldest page and counts its entries as overrun', () => {
    const b = new CpuRingBuffer(2, 0);
    for (let i = 1; i <= 400; i++) expect(b.write(0n, ev(i), true)).toBe(true);
    expect(perPage).toBe(145);
    expect(b.overrun).toBe(145);
    expect(b.entries).toBe(400 - 145);
    const snap = b.snapshot();
    expect(num(snap[0]!.data)).toBe(146);
    expect(num(snap[snap.length - 1]!.data)).toBe(400);
  });

  it('a consuming reader learns how many events were lost', () => {
    const b = new CpuRingBuffer(2, 0);
    for (let i = 1; i <= 400; i++) b.write(0n, ev(i), true);
    const first = b.consume()!;
    expect(num(first.data)).toBe(146);
    expect(first.lost).toBe(145);
    expect(b.consume()!.lost).toBe(0);
    let n = 2;
    while (b.consume()) n++;
    expect(n).toBe(255);
    expect(b.entries).toBe(0);
    // The writer is on the reader page now: what it appends there stays readable, the ring
    // pages behind it are overrun, and the loss shows at the next page swap.
    for (let i = 401; i <= 800; i++) b.write(0n, ev(i), true);
    const seen: [number, number][] = [];
    for (let e = b.consume(); e; e = b.consume()) seen.push([num(e.data), e.lost]);
    expect(seen[0]).toEqual([401, 0]);
    const lossAt = seen.findIndex(([, lost]) => lost > 0);
    expect(seen[lossAt]).toEqual([401 + 35 + 145, 145]);
    expect(seen[seen.length - 1]![0]).toBe(800);
  });

  it('without overwrite, a full buffer drops new events', () => {
    const b = new CpuRingBuffer(2, 0);
    let ok = 0;
    for (let i = 0; i < 400; i++) if (b.write(0n, ev(i), false)) ok++;
    expect(ok).toBe(2 * perPage - 0);
    expect(b.dropped).toBe(400 - ok);
    expect(b.overrun).toBe(0);
  });

  it('time extends take space when events are far apart', () => {
    const b = new CpuRingBuffer(2, 0);
    let t = 0n;
    for (let i = 1; i <= 200; i++) {
      b.write(t, ev(i), true);
      t += 1_000_000_000n;
    }
    // 28 bytes for a page's first event, 36 for the others: 1 + 112 events per page.
    expect(b.overrun).toBe(0);
    for (let i = 201; i <= 240; i++) {
      b.write(t, ev(i), true);
      t += 1_000_000_000n;
    }
    expect(b.overrun).toBe(113);
  });

  it('resize keeps the newest data', () => {
    const b = new CpuRingBuffer(4, 0);
    for (let i = 1; i <= 500; i++) b.write(0n, ev(i), true);
    b.resize(2);
    expect(b.nrPages).toBe(2);
    const snap = b.snapshot();
    expect(num(snap[snap.length - 1]!.data)).toBe(500);
    expect(b.entries + b.overrun).toBe(500);
  });
});

describe('through tracefs', () => {
  it('trace shows entries-in-buffer/entries-written after an overrun; trace_pipe prints the loss', () => {
    const host = new TestHost();
    const t = new Tracing(host);
    t.write('kprobe_events', 'p:e vfs_read x=%x0');
    t.write('events/kprobes/e/enable', '1');
    t.write('buffer_size_kb', '4');
    for (let i = 1; i <= 400; i++) host.hit(host.sym('vfs_read'), regs({ x0: BigInt(i) }));
    const tr = t.read('trace');
    expect(tr).toContain('# entries-in-buffer/entries-written: 255/400   #P:1\n');
    expect(tr.split('\n')[12]).toContain(' x=0x92');
    expect(t.read('per_cpu/cpu0/stats')).toMatch(/^entries: 255\noverrun: 145\ncommit overrun: 0\nbytes: \d+\noldest event ts: +\d+\.\d{6}\nnow ts: +\d+\.\d{6}\ndropped events: 0\nread events: 0\n$/);
    const pipe = t.root.lookup('trace_pipe');
    if (!pipe || pipe.kind !== 'file') throw new Error();
    const f = pipe.open(0);
    if (typeof f === 'number') throw new Error();
    const out = Buffer.from(f.read(0, 200) as Uint8Array).toString();
    expect(out.split('\n')[0]).toBe('CPU:0 [LOST 145 EVENTS]');
    expect(out.split('\n')[1]).toContain(' x=0x92');
  });
});
