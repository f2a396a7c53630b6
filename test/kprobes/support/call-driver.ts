// Test support: the arch-independent half of the kprobes tests' tiny kernel loop (driver.ts for
// arm64, mips-driver.ts for mips). It calls a guest function with the CPU context saved and
// restored around the call (so calls may nest from handlers), runs the CPU until the return
// hypercall, and routes traps as the kernel must: breakpoints to kprobes.breakpoint(), kernel
// faults and undefined instructions to kprobes.fault() first, anything unclaimed is an "oops"
// that kills the call (TestKilled). With `profile` set, it single-steps and counts how often each
// pc executes. The arch part says how a call is entered (arguments, stack, link register) and
// which hypercall and register end it.

import type { Cpu, CpuException } from '../../../src/isa/cpu.ts';
import type { Kprobes } from '../../../src/kprobes/kprobes.ts';
import { TestKilled, type TestHost } from './guest.ts';

export interface Oops {
  readonly exception: CpuException;
  /** The CPU's pc when the kernel took over (after kprobes had its say). */
  readonly pc: number;
}

/** What the loop needs of a test kernel. */
export interface CallKernel {
  readonly cpu: Cpu;
  readonly host: TestHost;
  readonly kprobes: Kprobes;
  addr(name: string): number;
}

/** How an arch enters and leaves a guest call. */
export interface CallConvention {
  /** The hypercall immediate of host_call_return, and how messages name the instruction. */
  readonly returnHypercall: number;
  readonly hypercallName: string;
  /** The register holding the return value. */
  readonly returnReg: string;
  /** Set up arguments, stack (below the caller's when nested) and link register; pc is set after. */
  enter(cpu: Cpu, k: CallKernel, addr: number, args: readonly (number | bigint)[], nested: boolean): void;
}

export class CallDriver<K extends CallKernel = CallKernel> {
  readonly oopses: Oops[] = [];
  /** When set, calls single-step and count each executed pc here (an execution profile). */
  profile: Map<number, number> | null = null;
  private depth = 0;

  constructor(
    readonly k: K,
    private readonly conv: CallConvention,
    /** Instructions per call before the test gives up. */
    private readonly maxInstructions: number,
  ) {
    k.host.dieThrows = true;
  }

  get cpu(): Cpu {
    return this.k.cpu;
  }

  /** Call a guest function; the return register on return. */
  call(fn: string | number, args: readonly (number | bigint)[] = []): bigint {
    const cpu = this.cpu;
    const addr = typeof fn === 'string' ? this.k.addr(fn) : fn;
    const saved = cpu.saveContext();
    this.conv.enter(cpu, this.k, addr, args, this.depth !== 0);
    cpu.pc = addr;
    this.depth++;
    try {
      return this.run();
    } finally {
      this.depth--;
      cpu.restoreContext(saved);
    }
  }

  private run(): bigint {
    const cpu = this.cpu;
    const profile = this.profile;
    let left = this.maxInstructions;
    for (;;) {
      if (left <= 0) throw new Error('guest call did not return');
      if (profile) profile.set(cpu.pc, (profile.get(cpu.pc) ?? 0) + 1);
      const before = cpu.retired;
      const r = cpu.run(profile ? 1 : Math.min(left, 1_000_000));
      left -= Math.max(1, cpu.retired - before);
      if (r.stop === 'budget') continue;
      const e = r.exception;
      switch (e.kind) {
        case 'hypercall':
          if (e.imm === this.conv.returnHypercall) return cpu.getReg(this.conv.returnReg);
          throw new Error(`unexpected ${this.conv.hypercallName}${e.imm}`);
        case 'breakpoint':
          if (this.k.kprobes.breakpoint(e)) continue;
          return this.oops(e);
        case 'fault':
        case 'undefined':
          if (this.k.kprobes.fault(e)) continue;
          return this.oops(e);
        default:
          throw new Error(`unexpected exception ${e.kind}`);
      }
    }
  }

  /** An unclaimed kernel exception: record it and kill the call, as die() kills the task. */
  private oops(e: CpuException): never {
    this.oopses.push({ exception: e, pc: this.cpu.pc });
    throw new TestKilled({ kind: 'kernel-oops', pc: this.cpu.pc });
  }
}
