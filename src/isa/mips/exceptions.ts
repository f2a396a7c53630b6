// Which MIPS exception a CPU stop is: the Cause.ExcCode (and Cause.CE) that the hardware would
// record for it. The Cpu interface has six stop kinds; MIPS has more exception codes, so the
// kind is refined by the instruction word and the privilege of the stop. Counterpart of the
// EXCCODE_* numbers in arch/mips/include/asm/mipsregs.h and of the handler each selects in
// arch/mips/kernel/traps.c (do_ade, do_bp, do_tr, do_ri, do_cpu, do_ov, handle_sys, tlb_do_page_fault).

import type { CpuException } from '../cpu.ts';
import {
  EXC_ADEL,
  EXC_ADES,
  EXC_BP,
  EXC_CPU,
  EXC_INT,
  EXC_MOD,
  EXC_OV,
  EXC_RI,
  EXC_SYS,
  EXC_TLBL,
  EXC_TLBS,
  EXC_TR,
} from './cp0.ts';

/** User-mode addresses end here: kseg0 and above belong to the kernel. */
export const KUSEG_END = 0x8000_0000;

export interface ExceptionCode {
  /** Cause.ExcCode. */
  code: number;
  /** Cause.CE: the coprocessor of a Coprocessor Unusable exception, else 0. */
  ce: number;
}

/** The coprocessor an instruction word belongs to (0..2), or -1 for none. */
function coprocessorOf(insn: number): number {
  const major = insn >>> 26;
  switch (major) {
    case 0x10: // COP0
    case 0x2f: // CACHE
      return 0;
    case 0x11: // COP1
    case 0x13: // COP1X
    case 0x31: // LWC1
    case 0x35: // LDC1
    case 0x39: // SWC1
    case 0x3d: // SDC1
      return 1;
    case 0x12: // COP2
    case 0x32: // LWC2
    case 0x36: // LDC2
    case 0x3a: // SWC2
    case 0x3e: // SDC2
      return 2;
    case 0x00:
      return (insn & 63) === 0x01 ? 1 : -1; // MOVF/MOVT read the FPU condition codes
    default:
      return -1;
  }
}

/** ADD, SUB and ADDI: an 'undefined' stop on these is their Integer Overflow trap. */
function isOverflowing(insn: number): boolean {
  const major = insn >>> 26;
  if (major === 0x08) return true;
  return major === 0 && ((insn >>> 6) & 31) === 0 && ((insn & 63) === 0x20 || (insn & 63) === 0x22);
}

/**
 * The exception a stop is, as Cause records it.
 * - 'undefined': Coprocessor Unusable for COP1/COP2 (no FPU, no COP2) and for COP0/CACHE in user
 *   mode without Status.CU0; Integer Overflow for add/addi/sub; else Reserved Instruction.
 * - 'breakpoint': Bp for `break`, Tr for the conditional traps (teq, tgei, …).
 * - 'fault': AdEL/AdES for misalignment and for user accesses to kseg0 and above; Mod for a
 *   store to a read-only page; TLBL/TLBS for an address with no mapping (there is no TLB: the
 *   Memory's page tables stand in for it).
 * - 'hypercall': Reserved Instruction (a CPU without the VZ ASE has no hypcall).
 * - 'halt' (wait): an interrupt ends a wait, so its delivery is an Interrupt exception.
 */
export function exceptionCode(e: CpuException, user: boolean, cu0: boolean): ExceptionCode {
  switch (e.kind) {
    case 'syscall':
      return { code: EXC_SYS, ce: 0 };
    case 'hypercall':
      return { code: EXC_RI, ce: 0 };
    case 'halt':
      return { code: EXC_INT, ce: 0 };
    case 'breakpoint':
      return { code: (e.insn & 0xfc00003f) === 0x0000000d ? EXC_BP : EXC_TR, ce: 0 };
    case 'undefined': {
      const cop = coprocessorOf(e.insn);
      if (cop > 0 || (cop === 0 && user && !cu0)) return { code: EXC_CPU, ce: cop };
      if (isOverflowing(e.insn)) return { code: EXC_OV, ce: 0 };
      return { code: EXC_RI, ce: 0 };
    }
    case 'fault': {
      const load = e.access !== 'write';
      if (e.reason === 'alignment' || (user && e.address >= KUSEG_END)) return { code: load ? EXC_ADEL : EXC_ADES, ce: 0 };
      if (e.reason === 'permission' && !load) return { code: EXC_MOD, ce: 0 };
      return { code: load ? EXC_TLBL : EXC_TLBS, ce: 0 };
    }
  }
}
