// Test support: a tiny kernel loop around the MIPS CPU for kprobes tests, the mips twin of
// driver.ts (the loop itself is call-driver.ts). It calls guest functions the way a kernel would
// call C from an exception handler (o32: a0..a3, sp with the 16-byte argument area, t9 = the
// function, ra = host_call_return, whose `hypcall 7` ends the call; kernel mode with Status.IE
// set; the CPU context saved and restored around the call, so calls may nest from handlers) and
// routes traps as the kernel must: `break` stops to kprobes.breakpoint() (do_bp's notify_die),
// kernel faults and Reserved Instructions to kprobes.fault() first, anything unclaimed is an
// "oops" that kills the call (TestKilled). With `profile` set, it single-steps and counts how
// often each pc executes.

import { CallDriver, type CallConvention } from './call-driver.ts';
import { MIPS_KERNEL_STATUS, MIPS_STACK, MIPS_STACK_SIZE, type MipsTestKernel } from './mips-guest.ts';

export type { Oops as MipsOops } from './call-driver.ts';

export { MIPS_KERNEL_STATUS } from './mips-guest.ts';

/** o32 from the host: a0..a3 (32-bit), sp 8-aligned, t9 = the function, ra = host_call_return (`hypcall 7`). */
const MIPS_CALL: CallConvention = {
  returnHypercall: 7,
  hypercallName: 'hypcall ',
  returnReg: 'v0',
  enter(cpu, k, addr, args, nested) {
    const sp = nested ? ((Number(cpu.getReg('sp')) - 512) & ~7) >>> 0 : MIPS_STACK + MIPS_STACK_SIZE - 64;
    for (let i = 0; i < 4; i++) cpu.setReg(`a${i}`, BigInt.asUintN(32, BigInt(args[i] ?? 0)));
    cpu.setReg('status', MIPS_KERNEL_STATUS);
    cpu.setReg('sp', BigInt(sp));
    cpu.setReg('t9', BigInt(addr));
    cpu.setReg('ra', BigInt(k.addr('host_call_return')));
  },
};

export class MipsDriver extends CallDriver<MipsTestKernel> {
  constructor(k: MipsTestKernel, maxInstructions = 20_000_000) {
    super(k, MIPS_CALL, maxInstructions);
  }

  /** call(), with v0 read as a signed 32-bit number. */
  callSigned(fn: string | number, args: readonly (number | bigint)[] = []): number {
    return Number(BigInt.asIntN(32, this.call(fn, args)));
  }
}
