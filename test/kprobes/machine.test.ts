// kprobes on real code running on the arm64 CPU (src/isa/arm64): every instruction of the test
// image's functions probed in turn (out-of-line steps and simulations must leave the results
// unchanged), the cases of lib/test_kprobes.c, kretprobes with recursion and exhausted
// instances, and the fault_handler paths with real faults. Skipped while the CPU is absent.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Cpu } from '../../src/isa/cpu.ts';
import type { Memory } from '../../src/machine/memory.ts';
import type { Kprobe, Kretprobe } from '../../src/kprobes/types.ts';
import { EINVAL } from '../../src/uapi/errno.ts';
import { ASM_TOOLS } from './support/asm.ts';
import { Driver } from './support/driver.ts';
import { makeTestKernel, TestKilled, UNMAPPED } from './support/guest.ts';
import { checkSteppedFaultFixed, registerReplacement } from './support/machine-cases.ts';
import { requireTools } from '../helpers/tools.ts';

const cpuModule = fileURLToPath(new URL('../../src/isa/arm64/index.ts', import.meta.url));
type CpuCtor = new (memory: Memory) => Cpu;
const Arm64Cpu: CpuCtor | undefined = existsSync(cpuModule)
  ? ((await import(cpuModule)) as { Arm64Cpu?: CpuCtor }).Arm64Cpu
  : undefined;
if (existsSync(cpuModule) && !Arm64Cpu) throw new Error('src/isa/arm64/index.ts no longer exports Arm64Cpu');
const ready = requireTools(...ASM_TOOLS) && Arm64Cpu !== undefined;

const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** What each test function computes (the comments of support/guest.ts), for any input. */
const semantics: Record<string, (v: bigint) => bigint> = {
  kprobe_target: (v) => (v & 0xffff_ffffn) / 3n,
  kprobe_target2: (v) => (v & 0xffff_ffffn) / 3n + 1n,
  kprobe_recursed_target: (v) => (v & 0xffff_ffffn) / 3n,
  caller: (v) => ((v & 0xffff_ffffn) / 3n + 100n) & 0xffff_ffffn,
  fact: (v) => (v <= 1n ? 1n : U64(v * semantics.fact!(v - 1n))),
  branchy: (v) => (v === 0n ? 7n : v & 2n ? 9n : BigInt.asIntN(64, v) > 5n ? 11n : 5n),
  branchy2: (v) => ((v & 0xffff_ffffn) === 0n ? 1n : v >> 63n ? 2n : (v & 0xffff_ffffn) === 3n ? 3n : 4n),
  literal_load: () => U64(0x1122334455667788n - 16n + 0x80000001n),
  indirect_fn: (v) => (v & 0xffff_ffffn) / 3n + 1n,
  tail_fn: (v) => (v & 0xffff_ffffn) / 3n,
  jump_fn: (v) => (v & 0xffff_ffffn) / 3n + 1n,
  sum_loop: (v) => (v * (v + 1n)) / 2n,
};
const inputs = [0n, 1n, 2n, 3n, 5n, 6n, 7n, 30n, 1n << 63n, 0x1_0000_0003n];

describe.skipIf(!ready)('kprobes on the arm64 CPU', () => {
  let d: Driver;
  let A: (name: string) => number;
  const size = (name: string): number => d.k.symbols.lookupAddress(A(name))!.size;

  beforeEach(() => {
    d = new Driver(makeTestKernel((memory) => new Arm64Cpu!(memory)));
    A = d.k.addr;
  });

  const inputsFor = (fn: string): bigint[] => (fn === 'fact' ? [0n, 1n, 5n, 12n] : fn === 'sum_loop' ? [0n, 1n, 10n] : inputs);

  it('runs the test functions unprobed', () => {
    for (const [fn, f] of Object.entries(semantics)) {
      for (const v of inputsFor(fn)) expect(d.call(fn, [v]), `${fn}(${v})`).toBe(f(v));
    }
    const dataWord = d.k.memory.read64(A('data_word'));
    expect(d.call('adr_fn')).toBe(dataWord + BigInt(A('adr_fn_end') - A('adr_fn')));
  });

  it('probes every instruction of every function without changing a result', () => {
    const codeSize = (fn: string): number => (fn === 'literal_load' ? A('lit_q') - A(fn) : size(fn));
    let probes = 0;
    let hits = 0;
    for (const [fn, f] of Object.entries(semantics)) {
      for (let off = 0; off < codeSize(fn); off += 4) {
        const addr = A(fn) + off;
        const word = d.k.read32(addr);
        const events: string[] = [];
        const p: Kprobe = {
          symbolName: fn,
          offset: off,
          preHandler: (_p, regs) => void events.push(regs.pc === BigInt(addr) + 0xffff_0000_0000_0000n ? 'pre' : 'pre@wrong-pc'),
          postHandler: () => void events.push('post'),
        };
        expect(d.k.kprobes.registerKprobe(p), `${fn}+${off}`).toBe(0);
        probes++;
        for (const v of inputsFor(fn)) {
          events.length = 0;
          expect(d.call(fn, [v]), `${fn}+${off} (${v})`).toBe(f(v));
          // Hit as often as it ran, each hit a pre then a post.
          expect(events.join(' '), `${fn}+${off} (${v})`).toMatch(/^(pre post ?)*$/);
          // The entry always runs.
          if (off === 0) expect(events.length, `${fn}+0 (${v})`).toBeGreaterThan(0);
          hits += events.length / 2;
        }
        d.k.kprobes.unregisterKprobe(p);
        expect(d.k.read32(addr)).toBe(word);
      }
    }
    expect(probes).toBeGreaterThan(60);
    expect(hits).toBeGreaterThan(500);
    expect(d.k.host.deaths).toEqual([]);
    expect(d.oopses).toEqual([]);
  });

  it('counts hits exactly (a loop body probed with a stepped and a simulated instruction)', () => {
    let adds = 0;
    let branches = 0;
    d.k.kprobes.registerKprobe({ symbolName: 'sum_loop', offset: 8, preHandler: () => void adds++ }); // add
    d.k.kprobes.registerKprobe({ symbolName: 'sum_loop', offset: 16, postHandler: () => void branches++ }); // b 1b
    expect(d.call('sum_loop', [10n])).toBe(55n);
    expect([adds, branches]).toEqual([10, 10]);
  });

  describe('lib/test_kprobes.c', () => {
    const rand1 = 0x7ab3_1c95n;
    const divFactor = 3n;

    it('test_kprobe: pre and post run, handlers may call guest functions', () => {
      let prehVal = 0n;
      let posthVal = 0n;
      const kp: Kprobe = {
        symbolName: 'kprobe_target',
        preHandler: () => {
          prehVal = d.call('kprobe_recursed_target', [rand1]);
          return 0;
        },
        postHandler: () => {
          const expval = d.call('kprobe_recursed_target', [rand1]);
          expect(prehVal).toBe(expval);
          posthVal = prehVal + divFactor;
        },
      };
      expect(d.k.kprobes.registerKprobe(kp)).toBe(0);
      expect(d.call('kprobe_target', [rand1])).toBe(rand1 / divFactor);
      d.k.kprobes.unregisterKprobe(kp);
      expect(prehVal).toBe(rand1 / divFactor);
      expect(posthVal).toBe(rand1 / divFactor + divFactor);
      expect(d.k.host.deaths).toEqual([]);
    });

    it('test_kprobes: two probes registered together', () => {
      const hits: string[] = [];
      const kp: Kprobe = { symbolName: 'kprobe_target', preHandler: () => void hits.push('pre1'), postHandler: () => void hits.push('post1') };
      const kp2: Kprobe = { symbolName: 'kprobe_target2', preHandler: () => void hits.push('pre2'), postHandler: () => void hits.push('post2') };
      expect(d.k.kprobes.registerKprobes([kp, kp2])).toBe(0);
      d.call('kprobe_target', [rand1]);
      d.call('kprobe_target2', [rand1]);
      d.k.kprobes.unregisterKprobes([kp, kp2]);
      expect(hits).toEqual(['pre1', 'post1', 'pre2', 'post2']);
    });

    it('test_kprobe_missed: the handlers call the probed function; nmissed == 2', () => {
      let ran = 0;
      const kp: Kprobe = {
        symbolName: 'kprobe_recursed_target',
        preHandler: () => {
          d.call('kprobe_recursed_target', [rand1]);
          ran++;
          return 0;
        },
        postHandler: () => {
          d.call('kprobe_recursed_target', [rand1]);
          ran++;
        },
      };
      expect(d.k.kprobes.registerKprobe(kp)).toBe(0);
      expect(d.call('kprobe_recursed_target', [rand1])).toBe(rand1 / divFactor);
      d.k.kprobes.unregisterKprobe(kp);
      expect(kp.nmissed).toBe(2);
      expect(ran).toBe(2);
    });

    it('test_kretprobe / test_kretprobes: the handler sees the return value', () => {
      let krph = [0n, 0n];
      const mk = (i: number, sym: string): Kretprobe => ({
        kp: { symbolName: sym },
        entryHandler: () => {
          krph[i] = rand1 / divFactor;
          return 0;
        },
        handler: (_ri, regs) => {
          expect(regs.returnValue).toBe(krph[i]! + BigInt(i));
          expect(krph[i]).not.toBe(0n);
          krph[i] = rand1;
          return 0;
        },
      });
      const rp = mk(0, 'kprobe_target');
      expect(d.k.kprobes.registerKretprobe(rp)).toBe(0);
      d.call('kprobe_target', [rand1]);
      d.k.kprobes.unregisterKretprobe(rp);
      expect(krph[0]).toBe(rand1);

      krph = [0n, 0n];
      const rps = [mk(0, 'kprobe_target'), mk(1, 'kprobe_target2')];
      expect(d.k.kprobes.registerKretprobes(rps)).toBe(0);
      d.call('kprobe_target', [rand1]);
      d.call('kprobe_target2', [rand1]);
      d.k.kprobes.unregisterKretprobes(rps);
      expect(krph).toEqual([rand1, rand1]);
      expect(d.k.host.deaths).toEqual([]);
    });
  });

  describe('kretprobes', () => {
    it('catch every level of a recursion, innermost first, and return to the right callers', () => {
      const rets: bigint[] = [];
      const rp: Kretprobe = { kp: { symbolName: 'fact' }, handler: (_ri, regs) => void rets.push(regs.returnValue) };
      expect(d.k.kprobes.registerKretprobe(rp)).toBe(0);
      expect(d.call('fact', [5n])).toBe(120n);
      expect(rets).toEqual([1n, 2n, 6n, 24n, 120n]);
      expect(d.k.kprobes.kretprobeInstancesOf(d.k.host.task)).toHaveLength(0);
    });

    it('count nmissed when the instances run out', () => {
      const rets: bigint[] = [];
      const rp: Kretprobe = { kp: { symbolName: 'fact' }, maxactive: 2, handler: (_ri, regs) => void rets.push(regs.returnValue) };
      d.k.kprobes.registerKretprobe(rp);
      expect(d.call('fact', [5n])).toBe(120n);
      expect(rets).toEqual([24n, 120n]);
      expect(rp.nmissed).toBe(3);
      // Instances came back: the next call is caught again.
      expect(d.call('fact', [2n])).toBe(2n);
      expect(rets).toEqual([24n, 120n, 1n, 2n]);
    });

    it('give the caller\'s return site and keep per-instance data', () => {
      const seen: string[] = [];
      const rp: Kretprobe = {
        kp: { symbolName: 'kprobe_target' },
        dataSize: 8,
        entryHandler: (ri, regs) => {
          new DataView(ri.data.buffer).setBigUint64(0, regs.argument(0), true);
          return 0;
        },
        handler: (ri, regs) => {
          const arg = new DataView(ri.data.buffer).getBigUint64(0, true);
          seen.push(`${arg}->${regs.returnValue} from ${d.k.kprobes.sprintSymbol(ri.retAddr)}`);
          return 0;
        },
      };
      d.k.kprobes.registerKretprobe(rp);
      expect(d.call('caller', [30n])).toBe(110n);
      expect(d.call('tail_fn', [9n])).toBe(3n);
      expect(seen).toEqual([
        `30->10 from caller+0xc/0x${size('caller').toString(16)}`,
        `9->3 from host_call_return+0x0/0x4`,
      ]);
    });

    it('share an entry with a kprobe', () => {
      const order: string[] = [];
      d.k.kprobes.registerKprobe({ symbolName: 'kprobe_target', preHandler: () => void order.push('kprobe') });
      d.k.kprobes.registerKretprobe({ kp: { symbolName: 'kprobe_target' }, handler: (_ri, regs) => void order.push(`ret ${regs.returnValue}`) });
      expect(d.call('caller', [9n])).toBe(103n);
      expect(order).toEqual(['kprobe', 'ret 3']);
    });
  });

  describe('enable, disable, pre_handler overrides', () => {
    it('a disabled or unregistered probe is not hit; global disarm stops all', () => {
      let hits = 0;
      const p: Kprobe = { symbolName: 'kprobe_target', preHandler: () => void hits++ };
      d.k.kprobes.registerKprobe(p);
      d.call('kprobe_target', [3n]);
      d.k.kprobes.disableKprobe(p);
      d.call('kprobe_target', [3n]);
      d.k.kprobes.enableKprobe(p);
      d.call('kprobe_target', [3n]);
      d.k.kprobes.writeEnabledFile('0');
      d.call('kprobe_target', [3n]);
      d.k.kprobes.writeEnabledFile('1');
      d.call('kprobe_target', [3n]);
      d.k.kprobes.unregisterKprobe(p);
      d.call('kprobe_target', [3n]);
      expect(hits).toBe(3);
      expect(p.nmissed).toBe(0);
    });

    it('a pre_handler returning 1 replaces the function', () => {
      registerReplacement(d, 'kprobe_target', 'x0', 'x30', 42n);
      expect(d.call('caller', [9n])).toBe(142n);
      expect(d.k.host.deaths).toEqual([]);
    });
  });

  describe('faults', () => {
    const VALUE = 0x0123_4567_89ab_cdefn;

    it('the stepped instruction faults; fault_handler maps the page and the slot runs again', () => {
      checkSteppedFaultFixed(d, {
        slotPc: (p) => BigInt((p.ainsn as { api: { insn: number } }).api.insn) | 0xffff_0000_0000_0000n,
        unmapped: UNMAPPED,
        arg: BigInt(UNMAPPED) | 0xffff_0000_0000_0000n,
        write: (memory, addr) => memory.write64(addr, VALUE),
        value: VALUE,
        trapnr: 0x96000007, // data abort, level-3 translation fault
      });
    });

    it('unhandled, the kernel oopses with pc back on the probe, and the machine goes on', () => {
      const p: Kprobe = { symbolName: 'load_fn', faultHandler: () => 0 };
      d.k.kprobes.registerKprobe(p);
      expect(() => d.call('load_fn', [BigInt(UNMAPPED) | 0xffff_0000_0000_0000n])).toThrow(TestKilled);
      expect(d.oopses.map((o) => [o.exception.kind, o.pc])).toEqual([['fault', A('load_fn')]]);
      expect(d.k.kprobes.kprobeRunning()).toBeNull();
      expect(d.call('load_fn', [BigInt(A('data_word')) | 0xffff_0000_0000_0000n])).toBe(d.k.memory.read64(A('data_word')));
    });

    it('a handler reading bad memory: unhandled it kills the call, not the machine', () => {
      const p: Kprobe = { symbolName: 'kprobe_target', preHandler: () => void d.k.memory.read64(UNMAPPED) };
      d.k.kprobes.registerKprobe(p);
      expect(() => d.call('caller', [3n])).toThrow(TestKilled);
      expect(d.k.host.deaths.map((x) => x.kind)).toEqual(['fault']);
      expect(p.nmissed).toBe(1);
      p.faultHandler = () => 1;
      expect(d.call('caller', [3n])).toBe(101n);
      expect(p.nmissed).toBe(2);
    });

    it('guest code called by a handler faults: the handler\'s fault_handler is asked first', () => {
      let fixed = 0;
      const p: Kprobe = {
        symbolName: 'kprobe_target',
        preHandler: () => {
          expect(d.call('load_fn', [BigInt(UNMAPPED) | 0xffff_0000_0000_0000n])).toBe(VALUE);
          return 0;
        },
        faultHandler: () => {
          fixed++;
          d.k.memory.map(UNMAPPED, 4096, { user: false, write: true, exec: false });
          d.k.memory.write64(UNMAPPED, VALUE);
          return 1;
        },
      };
      d.k.kprobes.registerKprobe(p);
      expect(d.call('caller', [3n])).toBe(101n);
      expect(fixed).toBe(1);
      expect(d.k.host.deaths).toEqual([]);
      // Not fixed: the kernel's oops unwinds through the handler; kprobes drops its state.
      d.k.memory.unmap(UNMAPPED, 4096);
      p.faultHandler = () => 0;
      expect(() => d.call('caller', [3n])).toThrow(TestKilled);
      expect(d.oopses).toHaveLength(1);
      expect(d.k.kprobes.kprobeRunning()).toBeNull();
      p.preHandler = undefined;
      expect(d.call('caller', [3n])).toBe(101n);
    });

    it('a probe hit inside a return handler is missed', () => {
      const inner: Kprobe = { symbolName: 'kprobe_target2', preHandler: () => { throw new Error('must not run'); } };
      d.k.kprobes.registerKprobe(inner);
      d.k.kprobes.registerKretprobe({ kp: { symbolName: 'kprobe_target' }, handler: () => void d.call('kprobe_target2', [9n]) });
      expect(d.call('caller', [9n])).toBe(103n);
      expect(inner.nmissed).toBe(1);
      expect(d.k.host.deaths).toEqual([]);
    });
  });

  it('refuses a kretprobe off the entry on real code too', () => {
    expect(d.k.kprobes.registerKretprobe({ kp: { symbolName: 'fact', offset: 8 } })).toBe(-EINVAL);
  });
});
