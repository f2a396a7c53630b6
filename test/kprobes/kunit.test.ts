// A port of the kernel's KUnit suite kprobes_test (lib/test_kprobes.c) to the emulated machine:
// the same probes on the same targets (kprobe_target, kprobe_target2, kprobe_recursed_target,
// compiled into the guest image), registered through the module API, with the targets called as
// kernel code on the TypeScript CPU. Handlers run in the BRK exception with interrupts masked,
// which is what KUNIT_EXPECT_FALSE(preemptible()) checks.

import { beforeAll, describe, expect, it } from 'vitest';
import { bootMachine, type BootedKernel } from '../../src/kernel/boot.ts';
import type { Kprobe, Kretprobe, PtRegs } from '../../src/kprobes/types.ts';
import type { KprobesApi } from '../../src/kernel/module.ts';

const div_factor = 3;
let m: BootedKernel;
let api: KprobesApi;
let rand1 = 0;
let preh_val = 0;
let posth_val = 0;
let krph_val = 0;
const failures: string[] = [];

/** KUNIT_EXPECT_* inside handlers: collected, then asserted by the test. */
function expectInHandler(ok: boolean, what: string): void {
  if (!ok) failures.push(what);
}

const target = (v: number) => Number(m.core.callGuest('kprobe_target', [v]));
const target2 = (v: number) => Number(m.core.callGuest('kprobe_target2', [v]));
const recursed_target = (v: number) => Number(m.core.callGuest('kprobe_recursed_target', [v]));

/** !preemptible(): the handler runs with IRQs masked (PSTATE.I set), in the trap. */
function preemptible(): boolean {
  return (m.core.cpu.getReg('pstate') & 0x80n) === 0n;
}

function kp_pre_handler(_p: Kprobe, _regs: PtRegs): number {
  expectInHandler(!preemptible(), 'pre_handler preemptible');
  preh_val = recursed_target(rand1);
  return 0;
}

function kp_post_handler(_p: Kprobe, _regs: PtRegs, _flags: number): void {
  const expval = recursed_target(rand1);
  expectInHandler(!preemptible(), 'post_handler preemptible');
  expectInHandler(preh_val === expval, `preh_val ${preh_val} != ${expval}`);
  posth_val = preh_val + div_factor;
}

const KP_CLEAR = (kp: Kprobe) => {
  kp.addr = undefined;
  kp.flags = 0;
};

let kp: Kprobe;
let kp2: Kprobe;
let kp_missed: Kprobe;
let rp: Kretprobe;
let rp2: Kretprobe;

function entry_handler(): number {
  expectInHandler(!preemptible(), 'entry_handler preemptible');
  krph_val = Math.floor(rand1 / div_factor);
  return 0;
}

function return_handler(_ri: unknown, regs: PtRegs): number {
  const ret = Number(regs.returnValue & 0xffffffffn);
  expectInHandler(!preemptible(), 'return_handler preemptible');
  expectInHandler(ret === Math.floor(rand1 / div_factor), `return value ${ret}`);
  expectInHandler(krph_val !== 0, 'krph_val is 0');
  krph_val = rand1;
  return 0;
}

function return_handler2(_ri: unknown, regs: PtRegs): number {
  const ret = Number(regs.returnValue & 0xffffffffn);
  expectInHandler(ret === Math.floor(rand1 / div_factor) + 1, `return value ${ret}`);
  expectInHandler(krph_val !== 0, 'krph_val is 0');
  krph_val = rand1;
  return 0;
}

beforeAll(async () => {
  m = await bootMachine({ arch: 'arm64', output: () => undefined });
  api = m.core.kprobesApi!;
  // get_random_u32_above(div_factor): a fixed seed keeps the run reproducible.
  rand1 = 0x2a17_1c55 % 0xffff_fff0 + div_factor + 1;
});

describe('kprobes_test (lib/test_kprobes.c) on the guest kernel', () => {
  // kprobes_test_init(): the probes are fresh for every case.
  const init = () => {
    failures.length = 0;
    kp = { symbolName: 'kprobe_target', preHandler: kp_pre_handler, postHandler: kp_post_handler };
    kp2 = {
      symbolName: 'kprobe_target2',
      preHandler: () => {
        preh_val = Math.floor(rand1 / div_factor) + 1;
        return 0;
      },
      postHandler: () => {
        expectInHandler(preh_val === Math.floor(rand1 / div_factor) + 1, 'kp2 preh_val');
        posth_val = preh_val + div_factor;
      },
    };
    kp_missed = { symbolName: 'kprobe_recursed_target', preHandler: kp_pre_handler, postHandler: kp_post_handler };
    rp = { kp: { symbolName: 'kprobe_target' }, handler: return_handler, entryHandler: entry_handler };
    rp2 = { kp: { symbolName: 'kprobe_target2' }, handler: return_handler2, entryHandler: entry_handler };
    for (const p of [kp, kp2, kp_missed, rp.kp, rp2.kp]) KP_CLEAR(p);
  };

  it('test_kprobe', () => {
    init();
    preh_val = posth_val = 0;
    expect(api.registerKprobe(kp)).toBe(0);
    expect(target(rand1)).toBe(Math.floor(rand1 / div_factor));
    api.unregisterKprobe(kp);
    expect(preh_val).not.toBe(0);
    expect(posth_val).not.toBe(0);
    expect(failures).toEqual([]);
  });

  it('test_kprobes', () => {
    init();
    expect(m.core.kprobesCore!.registerKprobes([kp, kp2])).toBe(0);
    preh_val = posth_val = 0;
    target(rand1);
    expect(preh_val).not.toBe(0);
    expect(posth_val).not.toBe(0);
    preh_val = posth_val = 0;
    expect(target2(rand1)).toBe(Math.floor(rand1 / div_factor) + 1);
    expect(preh_val).not.toBe(0);
    expect(posth_val).not.toBe(0);
    m.core.kprobesCore!.unregisterKprobes([kp, kp2]);
    expect(failures).toEqual([]);
  });

  it('test_kprobe_missed', () => {
    init();
    preh_val = posth_val = 0;
    expect(api.registerKprobe(kp_missed)).toBe(0);
    recursed_target(rand1);
    // The pre- and post-handler each call the probed function again: two misses.
    expect(kp_missed.nmissed).toBe(2);
    expect(preh_val).not.toBe(0);
    expect(posth_val).not.toBe(0);
    api.unregisterKprobe(kp_missed);
    expect(failures).toEqual([]);
  });

  it('test_kretprobe', () => {
    init();
    expect(api.registerKretprobe(rp)).toBe(0);
    target(rand1);
    api.unregisterKretprobe(rp);
    expect(krph_val).toBe(rand1);
    expect(failures).toEqual([]);
  });

  it('test_kretprobes', () => {
    init();
    expect(m.core.kprobesCore!.registerKretprobes([rp, rp2])).toBe(0);
    krph_val = 0;
    target(rand1);
    expect(krph_val).toBe(rand1);
    krph_val = 0;
    target2(rand1);
    expect(krph_val).toBe(rand1);
    m.core.kprobesCore!.unregisterKretprobes([rp, rp2]);
    expect(failures).toEqual([]);
  });

  it('unregistering restores the original instructions', () => {
    init();
    const addr = m.core.symbol('kprobe_target');
    const before = m.core.memory.read32(addr);
    expect(api.registerKprobe(kp)).toBe(0);
    expect(m.core.memory.read32(addr)).toBe(0xd4200080); // BRK #0x004
    api.unregisterKprobe(kp);
    expect(m.core.memory.read32(addr)).toBe(before);
  });
});
