// Test support: a tiny kernel loop around the arm64 CPU for kprobes tests. It calls guest
// functions the way src/kernel does (guest/ABI.md "Function calls from TypeScript into the
// guest": context saved, x0..x7, lr = host_call_return, EL1h with DAIF masked, run until hvc #7,
// context restored; calls may nest from handlers) and routes traps as the kernel must: BRK to
// kprobes.breakpoint(), kernel faults to kprobes.fault() first, anything unclaimed is an "oops"
// that kills the call (TestKilled).

import type { Cpu, CpuException } from '../../../src/isa/cpu.ts';
import type { Memory } from '../../../src/machine/memory.ts';
import { STACK, STACK_SIZE, TestKilled, type TestKernel } from './guest.ts';

const HVC_CALL_RETURN = 7;
const PSTATE_EL1H_DAIF = 0x3c5n;
const canonical = (a: number): bigint => (a >= 0x8000_0000_0000 ? BigInt(a) | 0xffff_0000_0000_0000n : BigInt(a));

export interface Oops {
  readonly exception: CpuException;
  /** The CPU's pc when the kernel took over (after kprobes had its say). */
  readonly pc: number;
}

export class Driver {
  readonly oopses: Oops[] = [];
  private depth = 0;

  constructor(
    readonly k: TestKernel & { cpu: Cpu },
    /** Instructions per call before the test gives up. */
    private readonly maxInstructions = 50_000_000,
  ) {
    k.host.dieThrows = true;
  }

  get cpu(): Cpu {
    return this.k.cpu;
  }

  /** Call a guest function with up to 8 arguments; x0 on return. */
  call(fn: string | number, args: readonly bigint[] = []): bigint {
    const cpu = this.cpu;
    const addr = typeof fn === 'string' ? this.k.addr(fn) : fn;
    const saved = cpu.saveContext();
    let sp: number;
    if (this.depth === 0) sp = STACK + STACK_SIZE - 16;
    else sp = Math.floor((Number(cpu.getReg('sp') & 0xffff_ffff_ffffn) - 512) / 16) * 16;
    for (let i = 0; i < 8; i++) cpu.setReg(`x${i}`, BigInt.asUintN(64, args[i] ?? 0n));
    cpu.setReg('pstate', PSTATE_EL1H_DAIF);
    cpu.setReg('sp', canonical(sp));
    cpu.setReg('x29', 0n);
    cpu.setReg('x30', canonical(this.k.addr('host_call_return')));
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
    let left = this.maxInstructions;
    for (;;) {
      if (left <= 0) throw new Error('guest call did not return');
      const before = cpu.retired;
      const r = cpu.run(Math.min(left, 1_000_000));
      left -= Math.max(1, cpu.retired - before);
      if (r.stop === 'budget') continue;
      const e = r.exception;
      switch (e.kind) {
        case 'hypercall':
          if (e.imm === HVC_CALL_RETURN) return cpu.getReg('x0');
          throw new Error(`unexpected hvc #${e.imm}`);
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

  get memory(): Memory {
    return this.k.memory;
  }
}
