// kprobe_fault_handler(): what kprobes does with a kernel fault while a kprobe is active. Linux
// repeats it per arch in arch/*/kernel/probes/kprobes.c (arch/mips/kernel/kprobes.c); here one
// body serves both arches, which differ only in the hooks below.
//
// During the out-of-line step (KPROBE_HIT_SS, KPROBE_REENTER) a fault of the slot's instruction
// is offered to the probe's fault_handler, which may fix it (the slot then runs again); otherwise
// the pc goes back to the probed instruction, the arch restores what it changed for the step, the
// probe state is dropped (or the outer probe's restored), and the kernel handles the fault as if
// the instruction had faulted in place. While a handler runs (KPROBE_HIT_ACTIVE,
// KPROBE_HIT_SSDONE: guest code it called faulted) the fault is offered to the running handler's
// fault_handler.

import { KPROBE_HIT_ACTIVE, KPROBE_HIT_SS, KPROBE_HIT_SSDONE, KPROBE_REENTER, type Kprobe, type PtRegs } from '../types.ts';
import type { ArchCtlblk, KprobesCore } from './arch.ts';

/** The per-arch pieces of kprobe_fault_handler(). */
export interface FaultHandlerArch<K extends ArchCtlblk & { kprobeStatus: number }> {
  /** The slot of p (p->ainsn's insn), or null when p has none. */
  slotOf(p: Kprobe): number | null;
  address(value: bigint): number;
  canonical(addr: number): bigint;
  /** After the pc is back on the probe: undo the step's changes to regs (interrupt masks…). */
  abandonStep(regs: PtRegs, kcb: K): void;
  restorePreviousKprobe(kcb: K): void;
}

/** kprobe_fault_handler(): 1 when kprobes dealt with the fault, 0 for the kernel's own path. */
export function kprobeFaultHandler<K extends ArchCtlblk & { kprobeStatus: number }>(
  core: KprobesCore,
  arch: FaultHandlerArch<K>,
  regs: PtRegs,
  trapnr: number,
): number {
  const cur = core.kprobeRunning();
  if (!cur) return 0;
  const kcb = core.getKprobeCtlblk() as K;
  switch (kcb.kprobeStatus) {
    case KPROBE_HIT_SS:
    case KPROBE_REENTER: {
      const slot = arch.slotOf(cur);
      if (kcb.kprobeStatus === KPROBE_HIT_SS && slot !== null && arch.address(regs.pc) === slot && core.offerStepFault(cur, regs, trapnr)) {
        return 1;
      }
      // instruction_pointer_set(): back on the probed instruction.
      regs.pc = arch.canonical(cur.addr!);
      arch.abandonStep(regs, kcb);
      if (kcb.kprobeStatus === KPROBE_REENTER) arch.restorePreviousKprobe(kcb);
      else core.resetCurrentKprobe();
      return 0;
    }
    case KPROBE_HIT_ACTIVE:
    case KPROBE_HIT_SSDONE:
      return core.offerHandlerFault(cur, regs, trapnr) ? 1 : 0;
    default:
      return 0;
  }
}
