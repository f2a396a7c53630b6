// Test support: a tiny kernel loop around the MIPS CPU for kprobes tests, the mips twin of
// driver.ts. It calls guest functions the way a kernel would call C from an exception handler
// (o32: a0..a3, sp with the 16-byte argument area, t9 = the function, ra = host_call_return,
// whose `hypcall 7` ends the call; kernel mode with Status.IE set; the CPU context saved and
// restored around the call, so calls may nest from handlers) and routes traps as the kernel must:
// `break` stops to kprobes.breakpoint() (do_bp's notify_die), kernel faults and Reserved
// Instructions to kprobes.fault() first, anything unclaimed is an "oops" that kills the call
// (TestKilled). With `profile` set, it single-steps and counts how often each pc executes.

import type { CpuException } from '../../../src/isa/cpu.ts';
import { TestKilled } from './guest.ts';
import { MIPS_STACK, MIPS_STACK_SIZE, type MipsTestKernel } from './mips-guest.ts';

const HYPCALL_CALL_RETURN = 7;
/** Kernel mode (KSU = 0, EXL = ERL = 0), all interrupt lines unmasked, IE set. */
export const MIPS_KERNEL_STATUS = 0xff01n;

export interface MipsOops {
  readonly exception: CpuException;
  /** The CPU's pc when the kernel took over (after kprobes had its say). */
  readonly pc: number;
}

export class MipsDriver {
  readonly oopses: MipsOops[] = [];
  /** When set, calls single-step and count each executed pc here (an execution profile). */
  profile: Map<number, number> | null = null;
  private depth = 0;

  constructor(
    readonly k: MipsTestKernel,
    /** Instructions per call before the test gives up. */
    private readonly maxInstructions = 20_000_000,
  ) {
    k.host.dieThrows = true;
  }

  /** Call a guest function with up to 4 arguments (32-bit); v0 on return. */
  call(fn: string | number, args: readonly (number | bigint)[] = []): bigint {
    const cpu = this.k.cpu;
    const addr = typeof fn === 'string' ? this.k.addr(fn) : fn;
    const saved = cpu.saveContext();
    const sp = this.depth === 0 ? MIPS_STACK + MIPS_STACK_SIZE - 64 : ((Number(cpu.getReg('sp')) - 512) & ~7) >>> 0;
    for (let i = 0; i < 4; i++) cpu.setReg(`a${i}`, BigInt.asUintN(32, BigInt(args[i] ?? 0)));
    cpu.setReg('status', MIPS_KERNEL_STATUS);
    cpu.setReg('sp', BigInt(sp));
    cpu.setReg('t9', BigInt(addr));
    cpu.setReg('ra', BigInt(this.k.addr('host_call_return')));
    cpu.pc = addr;
    this.depth++;
    try {
      return this.run();
    } finally {
      this.depth--;
      cpu.restoreContext(saved);
    }
  }

  /** call(), with v0 read as a signed 32-bit number. */
  callSigned(fn: string | number, args: readonly (number | bigint)[] = []): number {
    return Number(BigInt.asIntN(32, this.call(fn, args)));
  }

  private run(): bigint {
    const cpu = this.k.cpu;
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
          if (e.imm === HYPCALL_CALL_RETURN) return cpu.getReg('v0');
          throw new Error(`unexpected hypcall ${e.imm}`);
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
    this.oopses.push({ exception: e, pc: this.k.cpu.pc });
    throw new TestKilled({ kind: 'kernel-oops', pc: this.k.cpu.pc });
  }
}
