// Test support: a tiny kernel loop around the arm64 CPU for kprobes tests (the loop itself is
// call-driver.ts). It calls guest functions the way src/kernel does (guest/ABI.md "Function calls
// from TypeScript into the guest": context saved, x0..x7, lr = host_call_return, EL1h with DAIF
// masked, run until hvc #7, context restored; calls may nest from handlers) and routes traps as
// the kernel must: BRK to kprobes.breakpoint(), kernel faults to kprobes.fault() first, anything
// unclaimed is an "oops" that kills the call (TestKilled).

import type { Cpu } from '../../../src/isa/cpu.ts';
import type { Memory } from '../../../src/machine/memory.ts';
import { CallDriver, type CallConvention } from './call-driver.ts';
import { STACK, STACK_SIZE, type TestKernel } from './guest.ts';

export type { Oops } from './call-driver.ts';

const PSTATE_EL1H_DAIF = 0x3c5n;
const canonical = (a: number): bigint => (a >= 0x8000_0000_0000 ? BigInt(a) | 0xffff_0000_0000_0000n : BigInt(a));

/** AAPCS64 from the host: x0..x7, sp 16-aligned, x29 = 0, x30 = host_call_return (`hvc #7`). */
const ARM64_CALL: CallConvention = {
  returnHypercall: 7,
  hypercallName: 'hvc #',
  returnReg: 'x0',
  enter(cpu, k, _addr, args, nested) {
    const sp = nested ? Math.floor((Number(cpu.getReg('sp') & 0xffff_ffff_ffffn) - 512) / 16) * 16 : STACK + STACK_SIZE - 16;
    for (let i = 0; i < 8; i++) cpu.setReg(`x${i}`, BigInt.asUintN(64, BigInt(args[i] ?? 0n)));
    cpu.setReg('pstate', PSTATE_EL1H_DAIF);
    cpu.setReg('sp', canonical(sp));
    cpu.setReg('x29', 0n);
    cpu.setReg('x30', canonical(k.addr('host_call_return')));
  },
};

export class Driver extends CallDriver<TestKernel & { cpu: Cpu }> {
  constructor(k: TestKernel & { cpu: Cpu }, maxInstructions = 50_000_000) {
    super(k, ARM64_CALL, maxInstructions);
  }

  get memory(): Memory {
    return this.k.memory;
  }
}
