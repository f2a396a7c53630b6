// kprobes on real code running on the MIPS32r2 CPU (src/isa/mips): hand-written functions that
// exercise every branch and jump kind with working delay slots, branch-likely, loads and stores,
// and C functions compiled by mips-linux-gnu-gcc -O2, all probed at every instruction boundary at
// once: the results must not change, and each probe must be hit exactly as often as an unprobed,
// instruction-by-instruction run executes its instruction, with the pc Linux's handlers see.
// Then lib/test_kprobes.c's cases, a pre_handler that moves the pc, kretprobes through the
// trampoline probe, and the fault paths with real faults.

import { beforeEach, describe, expect, it } from 'vitest';
import { hasDelaySlot } from '../../src/isa/mips/index.ts';
import type { MipsAinsn } from '../../src/kprobes/arch/mips.ts';
import type { Kprobe, Kretprobe } from '../../src/kprobes/types.ts';
import { requireTools } from '../helpers/tools.ts';
import { TestKilled } from './support/guest.ts';
import { checkSteppedFaultFixed, registerReplacement } from './support/machine-cases.ts';
import { MipsDriver } from './support/mips-driver.ts';
import { makeMipsTestKernel, MIPS_BUFFER, MIPS_TOOLS, MIPS_UNMAPPED } from './support/mips-guest.ts';

const ready = requireTools(...MIPS_TOOLS);

const u32 = (v: number): number => v >>> 0;
const s32 = (v: number): number => v | 0;

/** What the hand-written functions compute (the comments of support/mips-guest.ts). */
const alu = (a: number): number => u32(((a + 5) << 1) ^ 3);
const asmSemantics: Record<string, (a: number, b: number) => number> = {
  alu_fn: (a) => alu(a),
  beq_fn: (a, b) => (u32(a) === u32(b) ? 11 : 111),
  bne_fn: (a, b) => (u32(a) !== u32(b) ? 11 : 111),
  cond_fn: (a) => 0xf | (s32(a) > 0 ? 0x100 : 0) | (s32(a) <= 0 ? 0x200 : 0) | (s32(a) >= 0 ? 0x400 : 0) | (s32(a) < 0 ? 0x800 : 0),
  likely_fn: (a, b) => {
    const bit = (taken: boolean, i: number): number => (taken ? 1 << i : 0x100 << i);
    const x = s32(a);
    return bit(u32(a) === u32(b), 0) | bit(u32(a) !== u32(b), 1) | bit(x <= 0, 2) | bit(x > 0, 3) | bit(x < 0, 4) | bit(x >= 0, 5);
  },
  link_fn: (a) => 0x40067 | (s32(a) < 0 ? 0x8 : 0x10),
  jalr_rd_fn: (a) => u32((a ^ 0x55) + 1),
  call_fn: (a) => alu(a + 1),
  jr_fn: (a) => alu(a + 1),
  j_fn: (a) => u32(a + 3),
  leaf_ret: (a) => u32(a + 7),
};

/** What the C functions compute (the comments of support/mips-kernel.c). */
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));
const fact = (n: number): number => (n <= 1 ? 1 : u32(Math.imul(n, fact(n - 1))));
const classify = (x: number): number => (x >= 0 && x < 8 ? [10, 21, 33, 47, 52, 68, 71, 80][x]! : x < 0 ? -1 : 99);
const checksum = (bytes: readonly number[]): number => {
  let s = 0x12345678;
  for (const b of bytes) {
    s = u32(u32(s << 5) + s + b);
    s = u32(s ^ (s >>> 13));
  }
  return s;
};
const beBytes = (words: readonly number[]): number[] => words.flatMap((w) => [(w >>> 24) & 255, (w >>> 16) & 255, (w >>> 8) & 255, w & 255]);
const sumSorted = (seed: number): number => {
  const buf: number[] = [];
  for (let i = 0; i < 8; i++) {
    seed = u32(Math.imul(seed, 1103515245) + 12345);
    buf.push((seed >>> 16) & 0x7fff);
  }
  buf.sort((x, y) => x - y);
  return u32(buf[0]! + buf[7]! * 2 + checksum(beBytes(buf)));
};

const INPUTS = [0, 1, 2, 3, 7, -1, -7, 0x7fff_ffff, 0x8000_0000];
const PAIRS: [number, number][] = [[3, 3], [3, 4], [-2, -2], [-2, 5], [0, 0], [0, 1], [5, -5]];
const SORT_INPUT = [5, -3, 99, 0, 12, -70, 8, 8, 1];

/** Every call the probed-everywhere test makes, with what it saw; the same on any kernel. */
function workload(d: MipsDriver): string[] {
  const out: string[] = [];
  const mem = d.k.memory;
  const rec = (what: string, v: bigint | number): void => void out.push(`${what}=${v}`);
  for (const fn of ['alu_fn', 'cond_fn', 'link_fn', 'jalr_rd_fn', 'call_fn', 'jr_fn', 'j_fn', 'leaf_ret']) {
    for (const a of INPUTS) rec(`${fn}(${a})`, d.call(fn, [a]));
  }
  for (const fn of ['beq_fn', 'bne_fn', 'likely_fn']) for (const [a, b] of PAIRS) rec(`${fn}(${a},${b})`, d.call(fn, [a, b]));
  mem.write32(MIPS_BUFFER, 0x1122_3344);
  rec('ldst_fn', d.call('ldst_fn', [MIPS_BUFFER]));
  out.push(`ldst mem ${mem.read32(MIPS_BUFFER + 4)} ${mem.read16(MIPS_BUFFER + 8)}`);
  rec('load_fn', d.call('load_fn', [MIPS_BUFFER + 4]));
  for (let i = 0; i < 3; i++) rec('atomic_inc', d.call('atomic_inc', [MIPS_BUFFER]));
  for (const [a, b] of [[48, 18], [17, 5], [0, 9], [1071, 462], [0xffff_ffff, 0x1_0000 - 1]]) rec(`gcd(${a},${b})`, d.call('gcd', [a!, b!]));
  for (let n = 0; n <= 12; n++) rec(`fib(${n})`, d.call('fib', [n]));
  for (let n = 0; n <= 13; n++) rec(`fact(${n})`, d.call('fact', [n]));
  for (let x = -3; x <= 9; x++) rec(`classify(${x})`, d.call('classify', [x]));
  SORT_INPUT.forEach((v, i) => mem.write32(MIPS_BUFFER + 16 + 4 * i, v));
  d.call('sort_words', [MIPS_BUFFER + 16, SORT_INPUT.length]);
  out.push(`sorted ${SORT_INPUT.map((_, i) => mem.read32(MIPS_BUFFER + 16 + 4 * i) | 0).join(',')}`);
  for (const n of [0, 1, 7, SORT_INPUT.length * 4]) rec(`checksum(${n})`, d.call('checksum', [MIPS_BUFFER + 16, n]));
  rec('bump', d.call('bump', [5]));
  rec('bump', d.call('bump', [0xffff_fff0]));
  for (const [a, b] of [[0xffff_ffff, 0xffff_ffff], [0x1234_5678, 0x9abc_def0], [3, 5]]) rec(`mulhi(${a},${b})`, d.call('mulhi', [a!, b!]));
  for (const x of [0, 0xff, 0x1234_5678, 0xffff_ffff]) rec(`bitfield(${x})`, d.call('bitfield', [x]));
  for (const seed of [1, 42, 0xdead_beef]) rec(`sum_sorted(${seed})`, d.call('sum_sorted', [seed]));
  return out;
}

/** The functions probed everywhere: all hand-written and compiled ones the workload runs. */
const PROBED = [
  'alu_fn', 'ldst_fn', 'beq_fn', 'bne_fn', 'cond_fn', 'likely_fn', 'link_leaf', 'link_fn', 'jalr_rd_fn', 'jalr_rd_leaf',
  'call_fn', 'jr_fn', 'j_fn', 'leaf_ret', 'load_fn', 'atomic_inc',
  'gcd', 'fib', 'fact', 'classify', 'sort_words', 'checksum', 'bump', 'mulhi', 'bitfield', 'sum_sorted',
];

describe.skipIf(!ready)('kprobes on the mips CPU', () => {
  let d: MipsDriver;
  let A: (name: string) => number;

  beforeEach(() => {
    d = new MipsDriver(makeMipsTestKernel());
    A = d.k.addr;
  });

  it('runs the test functions unprobed as their semantics say', () => {
    for (const [fn, f] of Object.entries(asmSemantics)) {
      for (const a of INPUTS) for (const [, b] of PAIRS) expect(Number(d.call(fn, [a, b])), `${fn}(${a}, ${b})`).toBe(u32(f(a, b)));
    }
    for (const [a, b] of [[48, 18], [1071, 462], [0, 9]] as const) expect(Number(d.call('gcd', [a, b]))).toBe(gcd(a, b));
    for (let n = 0; n <= 15; n++) expect(Number(d.call('fib', [n]))).toBe(fib(n));
    for (let n = 0; n <= 13; n++) expect(Number(d.call('fact', [n]))).toBe(fact(n));
    for (let x = -3; x <= 9; x++) expect(d.callSigned('classify', [x])).toBe(classify(x));
    for (const seed of [1, 42, 0xdead_beef]) expect(Number(d.call('sum_sorted', [seed]))).toBe(sumSorted(seed));
    expect(Number(d.call('mulhi', [0x1234_5678, 0x9abc_def0]))).toBe(Number((0x1234_5678n * 0x9abc_def0n) >> 32n));
    expect(Number(d.call('bitfield', [0x1234_5678]))).toBe(((0x1234_5678 >>> 3) & 0x1f) | ((0x78) << 20));
    SORT_INPUT.forEach((v, i) => d.k.memory.write32(MIPS_BUFFER + 4 * i, v));
    d.call('sort_words', [MIPS_BUFFER, SORT_INPUT.length]);
    const sorted = SORT_INPUT.map((_, i) => d.k.memory.read32(MIPS_BUFFER + 4 * i) | 0);
    expect(sorted).toEqual([...SORT_INPUT].sort((x, y) => x - y));
    expect(Number(d.call('checksum', [MIPS_BUFFER, 36]))).toBe(checksum(beBytes(sorted.map(u32))));
    d.k.memory.write32(MIPS_BUFFER, 41);
    expect(d.call('atomic_inc', [MIPS_BUFFER])).toBe(42n);
  });

  it('probes every instruction boundary at once: same results, hit counts as the execution profile, pre at addr, post after the step', () => {
    // The reference: an unprobed kernel, single-stepped, counting each executed pc.
    const ref = new MipsDriver(makeMipsTestKernel());
    const profile = new Map<number, number>();
    ref.profile = profile;
    const expected = workload(ref);

    const k = d.k;
    const original = new Map<number, number>();
    interface Site {
      readonly addr: number;
      readonly word: number;
      readonly branch: boolean;
      slot: number;
      pre: number;
      post: number;
      postAtSlot: number;
      postAfterStep: number;
      wrong: string[];
    }
    const sites: Site[] = [];
    const probes: Kprobe[] = [];
    let refused = 0;
    for (const fn of PROBED) {
      const start = A(fn);
      for (let off = 0; off < k.size(fn); off += 4) original.set(start + off, k.read32(start + off));
    }
    for (const fn of PROBED) {
      const start = A(fn);
      for (let off = 0; off < k.size(fn); off += 4) {
        const addr = start + off;
        const word = original.get(addr)!;
        const prev = original.get(addr - 4) ?? k.read32(addr - 4);
        const op = word >>> 26;
        const refuse = hasDelaySlot(prev) || op === 0x30 || op === 0x38; // a delay slot, ll, sc
        const site: Site = { addr, word, branch: hasDelaySlot(word), slot: 0, pre: 0, post: 0, postAtSlot: 0, postAfterStep: 0, wrong: [] };
        const p: Kprobe = {
          symbolName: fn,
          offset: off,
          preHandler: (_p, regs) => {
            site.pre++;
            if (regs.pc !== BigInt(addr)) site.wrong.push(`pre at 0x${regs.pc.toString(16)}`);
            if (regs.arch === 'mips' && (regs.cp0_status & 1n) !== 1n) site.wrong.push('pre with IE clear');
            return 0;
          },
          postHandler: (_p, regs) => {
            site.post++;
            if (regs.pc === BigInt(site.slot + 4)) site.postAfterStep++;
            else if (regs.pc === BigInt(site.slot) && site.branch) site.postAtSlot++;
            else site.wrong.push(`post at 0x${regs.pc.toString(16)}`);
          },
        };
        const ret = k.kprobes.registerKprobe(p);
        expect(ret, `${fn}+${off}`).toBe(refuse ? -22 : 0);
        if (ret !== 0) {
          refused++;
          continue;
        }
        site.slot = (p.ainsn as MipsAinsn).insn!;
        sites.push(site);
        probes.push(p);
      }
    }
    expect(sites.length).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(60);

    expect(workload(d)).toEqual(expected);

    let hits = 0;
    for (const s of sites) {
      const where = `${k.kprobes.sprintSymbol(s.addr)} (0x${s.word.toString(16).padStart(8, '0')})`;
      const runs = profile.get(s.addr) ?? 0;
      expect(s.wrong, where).toEqual([]);
      expect([s.pre, s.post], where).toEqual([runs, runs]);
      if (s.branch) {
        // The delay slot was stepped exactly when it ran unprobed (a nop slot is never stepped).
        const slotWord = original.get(s.addr + 4)!;
        const slotRuns = slotWord === 0 ? 0 : (profile.get(s.addr + 4) ?? 0);
        expect([s.postAfterStep, s.postAtSlot], where).toEqual([slotRuns, runs - slotRuns]);
      } else {
        expect(s.postAfterStep, where).toBe(runs);
      }
      hits += runs;
    }
    expect(hits).toBeGreaterThan(10_000);
    // Both ways through a probed branch were taken: delay slots stepped, and nop or annulled ones not.
    expect(sites.filter((s) => s.branch && s.postAtSlot > 0).length).toBeGreaterThan(10);
    expect(sites.filter((s) => s.branch && s.postAfterStep > 0).length).toBeGreaterThan(30);
    expect(probes.every((p) => p.nmissed === 0)).toBe(true);
    expect(k.host.deaths).toEqual([]);
    expect(d.oopses).toEqual([]);

    k.kprobes.unregisterKprobes(probes);
    for (const [addr, word] of original) expect(k.read32(addr)).toBe(word);
    expect(workload(new MipsDriver(makeMipsTestKernel()))).toEqual(expected);
  });

  it('a probed branch whose delay slot has side effects: taken and not taken, likely and not', () => {
    const posts = new Map<string, number>();
    const probe = (fn: string, off: number): void => {
      const key = `${fn}+${off}`;
      expect(d.k.kprobes.registerKprobe({ symbolName: fn, offset: off, postHandler: () => void posts.set(key, (posts.get(key) ?? 0) + 1) }), key).toBe(0);
    };
    probe('beq_fn', 4);
    probe('bne_fn', 4);
    for (const off of [4, 16, 28, 40, 52, 64]) probe('likely_fn', off);
    for (const off of [4, 16, 28, 40]) probe('cond_fn', off);
    for (const fn of ['beq_fn', 'bne_fn', 'likely_fn']) {
      for (const [a, b] of PAIRS) expect(Number(d.call(fn, [a, b])), `${fn}(${a}, ${b})`).toBe(asmSemantics[fn]!(a, b));
    }
    for (const a of INPUTS) expect(Number(d.call('cond_fn', [a])), `cond_fn(${a})`).toBe(asmSemantics.cond_fn!(a, 0));
    expect(posts.get('beq_fn+4')).toBe(PAIRS.length);
    expect(posts.get('likely_fn+64')).toBe(PAIRS.length);
    expect(d.k.host.deaths).toEqual([]);
  });

  describe('lib/test_kprobes.c', () => {
    const rand1 = 0x7ab3_1c95;

    it('test_kprobe: pre and post run, and may call guest functions', () => {
      let pre = 0n;
      let post = 0n;
      const kp: Kprobe = {
        symbolName: 'gcd',
        preHandler: () => {
          pre = d.call('fib', [10]);
          return 0;
        },
        postHandler: () => {
          post = d.call('gcd', [rand1, 0x1000]) + pre;
        },
      };
      expect(d.k.kprobes.registerKprobe(kp)).toBe(0);
      expect(Number(d.call('gcd', [rand1, 15]))).toBe(gcd(rand1, 15));
      expect([pre, post]).toEqual([55n, BigInt(gcd(rand1, 0x1000)) + 55n]);
      // The post_handler's call of gcd was missed (a hit inside a handler).
      expect(kp.nmissed).toBe(1);
    });

    it('test_kprobe_missed: the handlers call the probed function; nmissed == 2', () => {
      let ran = 0;
      const kp: Kprobe = {
        symbolName: 'alu_fn',
        preHandler: () => {
          expect(Number(d.call('alu_fn', [rand1]))).toBe(alu(rand1));
          ran++;
          return 0;
        },
        postHandler: () => {
          expect(Number(d.call('alu_fn', [rand1]))).toBe(alu(rand1));
          ran++;
        },
      };
      expect(d.k.kprobes.registerKprobe(kp)).toBe(0);
      expect(Number(d.call('call_fn', [rand1]))).toBe(alu(rand1 + 1));
      expect(ran).toBe(2);
      expect(kp.nmissed).toBe(2);
      expect(d.k.host.deaths).toEqual([]);
    });

    it('test_kretprobe: the handler sees the return value; recursion unwinds innermost first', () => {
      const rets: bigint[] = [];
      const rp: Kretprobe = { kp: { symbolName: 'fact' }, handler: (_ri, regs) => void rets.push(regs.returnValue) };
      expect(d.k.kprobes.registerKretprobe(rp)).toBe(0);
      expect(d.call('fact', [5])).toBe(120n);
      expect(rets).toEqual([1n, 2n, 6n, 24n, 120n]);
      expect(d.k.kprobes.kretprobeInstancesOf(d.k.host.task)).toHaveLength(0);
    });
  });

  it('a pre_handler returning 1 has moved the pc: the function is replaced', () => {
    registerReplacement(d, 'alu_fn', 'r2', 'r31', 42n);
    expect(d.call('call_fn', [9])).toBe(42n);
    expect(d.call('jr_fn', [9])).toBe(42n);
    expect(d.k.host.deaths).toEqual([]);
  });

  describe('kretprobes', () => {
    it('count nmissed when the instances run out', () => {
      const rets: bigint[] = [];
      const rp: Kretprobe = { kp: { symbolName: 'fact' }, maxactive: 2, handler: (_ri, regs) => void rets.push(regs.returnValue) };
      d.k.kprobes.registerKretprobe(rp);
      expect(d.call('fact', [5])).toBe(120n);
      expect(rets).toEqual([24n, 120n]);
      expect(rp.nmissed).toBe(3);
      expect(d.call('fact', [2])).toBe(2n);
      expect(rets).toEqual([24n, 120n, 1n, 2n]);
    });

    it('give the caller\'s return site; a leaf whose first instruction returns; shared with a kprobe', () => {
      const seen: string[] = [];
      const handler = (fn: string) => (ri: { retAddr: number }, regs: { returnValue: bigint }): number => {
        seen.push(`${fn} ${regs.returnValue} to ${d.k.kprobes.sprintSymbol(ri.retAddr)}`);
        return 0;
      };
      d.k.kprobes.registerKprobe({ symbolName: 'alu_fn', preHandler: () => void seen.push('kprobe alu_fn') });
      d.k.kprobes.registerKretprobe({ kp: { symbolName: 'alu_fn' }, handler: handler('alu_fn') });
      d.k.kprobes.registerKretprobe({ kp: { symbolName: 'leaf_ret' }, handler: handler('leaf_ret') });
      expect(Number(d.call('call_fn', [4]))).toBe(alu(5));
      expect(d.call('leaf_ret', [5])).toBe(12n);
      expect(Number(d.call('jr_fn', [1]))).toBe(alu(2));
      expect(seen).toEqual([
        'kprobe alu_fn',
        `alu_fn ${alu(5)} to call_fn+0x10/0x1c`,
        'leaf_ret 12 to host_call_return+0x0/0x4',
        'kprobe alu_fn',
        `alu_fn ${alu(2)} to host_call_return+0x0/0x4`,
      ]);
    });

    it('with every instruction of the callers probed too', () => {
      const rets: bigint[] = [];
      d.k.kprobes.registerKretprobe({ kp: { symbolName: 'fact' }, handler: (_ri, regs) => void rets.push(regs.returnValue) });
      for (let off = 4; off < d.k.size('fact'); off += 4) d.k.kprobes.registerKprobe({ symbolName: 'fact', offset: off });
      expect(d.call('fact', [6])).toBe(720n);
      expect(rets).toEqual([1n, 2n, 6n, 24n, 120n, 720n]);
    });
  });

  describe('faults', () => {
    const VALUE = 0x0123_4567;

    it('the stepped load faults; fault_handler maps the page and the slot runs again', () => {
      checkSteppedFaultFixed(d, {
        slotPc: (p) => BigInt((p.ainsn as MipsAinsn).insn!),
        unmapped: MIPS_UNMAPPED,
        arg: BigInt(MIPS_UNMAPPED),
        write: (memory, addr) => memory.write32(addr, VALUE),
        value: BigInt(VALUE),
        trapnr: 2, // TLBL
      });
    });

    it('unhandled, the kernel oopses with pc back on the probe, and the machine goes on', () => {
      d.k.kprobes.registerKprobe({ symbolName: 'load_fn', faultHandler: () => 0 });
      expect(() => d.call('load_fn', [MIPS_UNMAPPED])).toThrow(TestKilled);
      expect(d.oopses.map((o) => [o.exception.kind, o.pc])).toEqual([['fault', A('load_fn')]]);
      expect(d.k.kprobes.kprobeRunning()).toBeNull();
      d.k.memory.write32(MIPS_BUFFER, VALUE);
      expect(Number(d.call('load_fn', [MIPS_BUFFER]))).toBe(VALUE);
    });

    it('guest code called by a handler faults: the handler\'s fault_handler is asked first', () => {
      let fixed = 0;
      const p: Kprobe = {
        symbolName: 'alu_fn',
        preHandler: () => {
          expect(Number(d.call('load_fn', [MIPS_UNMAPPED]))).toBe(VALUE);
          return 0;
        },
        faultHandler: (_p, _r, trapnr) => {
          expect(trapnr).toBe(2);
          fixed++;
          d.k.memory.map(MIPS_UNMAPPED, 4096, { user: false, write: true, exec: false });
          d.k.memory.write32(MIPS_UNMAPPED, VALUE);
          return 1;
        },
      };
      d.k.kprobes.registerKprobe(p);
      expect(Number(d.call('call_fn', [3]))).toBe(alu(4));
      expect(fixed).toBe(1);
      expect(p.nmissed).toBe(1);
      expect(d.k.host.deaths).toEqual([]);
    });
  });
});
