// Test support: the kprobes scenarios that both arches' machine tests (machine.test.ts for arm64,
// mips-machine.test.ts for mips) run on a real CPU through a CallDriver, parametrised by what
// differs per arch: register names, the slot's pc, the faulting access and its trap number.

import { expect } from 'vitest';
import type { Memory } from '../../../src/machine/memory.ts';
import type { Kprobe } from '../../../src/kprobes/types.ts';
import type { CallDriver, CallKernel } from './call-driver.ts';
import type { TestKernel } from './guest.ts';

type MachineDriver = CallDriver<TestKernel & CallKernel>;

/**
 * Probe `symbolName` with a pre_handler that returns `value` in `retReg` and jumps to the link
 * register `linkReg` itself (returning 1): the function is replaced, and no post_handler runs.
 */
export function registerReplacement(d: MachineDriver, symbolName: string, retReg: string, linkReg: string, value: bigint): void {
  d.k.kprobes.registerKprobe({
    symbolName,
    preHandler: (_p, regs) => {
      regs.set(retReg, value);
      regs.pc = regs.get(linkReg);
      return 1;
    },
    postHandler: () => {
      throw new Error('no post_handler after an override');
    },
  });
}

/** How an arch's load_fn(ptr) is made to fault on its stepped load. */
export interface SteppedFault {
  /** The pc a fault in p's slot reports (the slot's address, canonical). */
  slotPc(p: Kprobe): bigint;
  /** An address nothing maps, and load_fn's argument that points at it. */
  readonly unmapped: number;
  readonly arg: bigint;
  /** Store the value load_fn loads at `addr`. */
  write(memory: Memory, addr: number): void;
  /** What load_fn returns once the page is there. */
  readonly value: bigint;
  /** The trap number the fault_handler sees. */
  readonly trapnr: number;
}

/** The stepped load faults; the fault_handler maps the page and the slot runs again. */
export function checkSteppedFaultFixed(d: MachineDriver, f: SteppedFault): void {
  const trapnrs: number[] = [];
  let post = 0;
  const p: Kprobe = {
    symbolName: 'load_fn',
    postHandler: () => void post++,
    faultHandler: (_p, regs, trapnr) => {
      trapnrs.push(trapnr);
      expect(regs.pc).toBe(f.slotPc(p));
      d.k.memory.map(f.unmapped, 4096, { user: false, write: true, exec: false });
      f.write(d.k.memory, f.unmapped);
      return 1;
    },
  };
  d.k.kprobes.registerKprobe(p);
  expect(d.call('load_fn', [f.arg])).toBe(f.value);
  expect(trapnrs).toEqual([f.trapnr]);
  expect(post).toBe(1);
  expect(d.oopses).toEqual([]);
}
