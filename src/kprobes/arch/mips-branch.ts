// MIPS branch evaluation for kprobes: which instructions have a delay slot (the counterpart of
// __insn_has_delay_slot() in arch/mips/kernel/probes-common.h) and where a branch or jump goes,
// with the link register it writes (the counterpart of __compute_return_epc_for_insn() in
// arch/mips/kernel/branch.c). A probed branch is never executed: kprobes evaluates it here on the
// trap's pt_regs and steps only its delay-slot instruction out of line.
//
// The evaluation follows the MIPS32 release 2 architecture, which is also what Linux's code does
// for every branch a MIPS32r2 kernel contains, with two differences where Linux's evaluation
// departs from the hardware and would change what the probed code does:
//  - BLTZAL/BLTZALL with rs = $0 (NAL): Linux takes the branch ("NAL or BLTZAL with rs == 0");
//    the hardware never does, since 0 < 0 is false. Here it is not taken (ra is still written).
//  - Branch-likely: Linux reports BRANCH_LIKELY_TAKEN when the branch is taken and kprobes then
//    skips the delay slot; the hardware runs the slot exactly when a likely branch is taken and
//    annuls it when not. Here a likely branch that is not taken reports
//    BRANCH_LIKELY_NOT_TAKEN, and mips.ts skips the slot for that instead (see there).
// Not evaluated: the COP1 branches (bc1f/bc1t…: this CPU has no FPU) and BPOSGE32 (no DSP ASE),
// which archPrepareKprobe refuses; JALX, which Linux's delay-slot test leaves out (a probed jalx
// is stepped like any instruction, and raises the Reserved Instruction it raises unprobed on a
// CPU without MIPS16/microMIPS); and the release 6 compact branches, which MIPS32r2 lacks.

import type { MipsPtRegs } from '../types.ts';

/** A likely branch was taken: its delay slot runs (Linux's value, branch.h). */
export const BRANCH_LIKELY_TAKEN = 1;
/** Ours: a likely branch was not taken, so its delay slot is annulled. */
export const BRANCH_LIKELY_NOT_TAKEN = 2;

// Major opcodes (arch/mips/include/uapi/asm/inst.h enum major_op).
export const SPEC_OP = 0x00;
export const BCOND_OP = 0x01;
export const J_OP = 0x02;
export const JAL_OP = 0x03;
export const BEQ_OP = 0x04;
export const BNE_OP = 0x05;
export const BLEZ_OP = 0x06;
export const BGTZ_OP = 0x07;
export const COP1_OP = 0x11;
export const BEQL_OP = 0x14;
export const BNEL_OP = 0x15;
export const BLEZL_OP = 0x16;
export const BGTZL_OP = 0x17;
export const LL_OP = 0x30;
export const LLD_OP = 0x34;
export const SC_OP = 0x38;
export const SCD_OP = 0x3c;
// SPECIAL functions (enum func_field).
export const JR_OP = 0x08;
export const JALR_OP = 0x09;
// REGIMM rt values (enum rt_op).
export const BLTZ_OP = 0x00;
export const BGEZ_OP = 0x01;
export const BLTZL_OP = 0x02;
export const BGEZL_OP = 0x03;
export const BLTZAL_OP = 0x10;
export const BGEZAL_OP = 0x11;
export const BLTZALL_OP = 0x12;
export const BGEZALL_OP = 0x13;
export const BPOSGE32_OP = 0x1c;

const opcodeOf = (insn: number): number => insn >>> 26;
const rsOf = (insn: number): number => (insn >>> 21) & 31;
const rtOf = (insn: number): number => (insn >>> 16) & 31;
const rdOf = (insn: number): number => (insn >>> 11) & 31;
const funcOf = (insn: number): number => insn & 63;
/** The 16-bit offset in bytes (simmediate << 2), sign-extended. */
const branchOffset = (insn: number): number => ((insn << 16) >> 16) * 4;

/**
 * __insn_has_delay_slot(): jr, jalr, the REGIMM branches, j, jal, beq/bne/blez/bgtz and their
 * likely forms, and every COP1 instruction (the bc1 branches live there; Linux does not look
 * further). Only the fields Linux looks at are checked.
 */
export function insnHasDelaySlot(insn: number): boolean {
  switch (opcodeOf(insn)) {
    case SPEC_OP: {
      const f = funcOf(insn);
      return f === JR_OP || f === JALR_OP;
    }
    case BCOND_OP:
      switch (rtOf(insn)) {
        case BLTZ_OP:
        case BLTZL_OP:
        case BGEZ_OP:
        case BGEZL_OP:
        case BLTZAL_OP:
        case BLTZALL_OP:
        case BGEZAL_OP:
        case BGEZALL_OP:
        case BPOSGE32_OP:
          return true;
        default:
          return false;
      }
    case J_OP:
    case JAL_OP:
    case BEQ_OP:
    case BEQL_OP:
    case BNE_OP:
    case BNEL_OP:
    case BLEZ_OP:
    case BLEZL_OP:
    case BGTZ_OP:
    case BGTZL_OP:
    case COP1_OP:
      return true;
    default:
      return false;
  }
}

/** Is this one of the branches this file evaluates (insnHasDelaySlot minus COP1 and BPOSGE32)? */
export function isEvaluableBranch(insn: number): boolean {
  if (!insnHasDelaySlot(insn)) return false;
  if (opcodeOf(insn) === COP1_OP) return false;
  return !(opcodeOf(insn) === BCOND_OP && rtOf(insn) === BPOSGE32_OP);
}

/** The branch-likely forms (their delay slot is annulled when not taken). */
export function isBranchLikely(insn: number): boolean {
  switch (opcodeOf(insn)) {
    case BEQL_OP:
    case BNEL_OP:
    case BLEZL_OP:
    case BGTZL_OP:
      return true;
    case BCOND_OP: {
      const rt = rtOf(insn);
      return rt === BLTZL_OP || rt === BGEZL_OP || rt === BLTZALL_OP || rt === BGEZALL_OP;
    }
    default:
      return false;
  }
}

/**
 * __compute_return_epc_for_insn(regs, insn): the branch or jump `insn` at regs->cp0_epc is
 * evaluated on regs: cp0_epc becomes where execution continues after the delay slot (the target,
 * or epc + 8), and the link register (ra for jal/bal/bltzal…, rd for jalr) is written as the
 * hardware writes it, before the delay slot runs. Returns 0, BRANCH_LIKELY_TAKEN, or
 * BRANCH_LIKELY_NOT_TAKEN. `insn` must satisfy isEvaluableBranch(); anything else leaves regs
 * alone and returns 0.
 */
export function computeReturnEpcForInsn(regs: MipsPtRegs, insn: number): number {
  const epc = Number(regs.cp0_epc & 0xffff_ffffn);
  const rs = rsOf(insn);
  const rt = rtOf(insn);
  const signed = (n: number): number => Number(BigInt.asIntN(32, regs.readReg(n)));
  const target = (epc + 4 + branchOffset(insn)) >>> 0;
  const fallThrough = (epc + 8) >>> 0;
  const link = BigInt(fallThrough);

  /** A conditional branch: set the epc; report a likely one's outcome. */
  const conditional = (taken: boolean, likely: boolean): number => {
    regs.cp0_epc = BigInt(taken ? target : fallThrough);
    if (!likely) return 0;
    return taken ? BRANCH_LIKELY_TAKEN : BRANCH_LIKELY_NOT_TAKEN;
  };

  switch (opcodeOf(insn)) {
    case SPEC_OP:
      switch (funcOf(insn)) {
        case JALR_OP: {
          // The target is read before the link is written, as the CPU does (rd == rs is
          // UNPREDICTABLE; Linux would jump to the link).
          const dest = regs.readReg(rs);
          regs.writeReg(rdOf(insn), link);
          regs.cp0_epc = dest;
          return 0;
        }
        case JR_OP:
          regs.cp0_epc = regs.readReg(rs);
          return 0;
        default:
          return 0;
      }

    case BCOND_OP:
      switch (rt) {
        case BLTZ_OP:
        case BLTZL_OP:
          return conditional(signed(rs) < 0, rt === BLTZL_OP);
        case BGEZ_OP:
        case BGEZL_OP:
          return conditional(signed(rs) >= 0, rt === BGEZL_OP);
        case BLTZAL_OP:
        case BLTZALL_OP: {
          // The link is written whether or not the branch is taken, after rs is read (rs == 31 is
          // UNPREDICTABLE; the CPU compares the old value).
          const taken = signed(rs) < 0;
          regs.writeReg(31, link);
          return conditional(taken, rt === BLTZALL_OP);
        }
        case BGEZAL_OP:
        case BGEZALL_OP: {
          const taken = signed(rs) >= 0;
          regs.writeReg(31, link);
          return conditional(taken, rt === BGEZALL_OP);
        }
        default:
          return 0;
      }

    case JAL_OP:
      regs.writeReg(31, link);
      regs.cp0_epc = BigInt((((epc + 4) & 0xf000_0000) | ((insn & 0x03ff_ffff) << 2)) >>> 0);
      return 0;
    case J_OP:
      // The 256 MB region of the delay slot, as Linux computes it (epc + 4).
      regs.cp0_epc = BigInt((((epc + 4) & 0xf000_0000) | ((insn & 0x03ff_ffff) << 2)) >>> 0);
      return 0;

    case BEQ_OP:
    case BEQL_OP:
      return conditional(regs.readReg(rs) === regs.readReg(rt), opcodeOf(insn) === BEQL_OP);
    case BNE_OP:
    case BNEL_OP:
      return conditional(regs.readReg(rs) !== regs.readReg(rt), opcodeOf(insn) === BNEL_OP);
    // blez/bgtz: "rt field assumed to be zero" (a non-zero rt is a release 6 compact branch).
    case BLEZ_OP:
    case BLEZL_OP:
      return conditional(signed(rs) <= 0, opcodeOf(insn) === BLEZL_OP);
    case BGTZ_OP:
    case BGTZL_OP:
      return conditional(signed(rs) > 0, opcodeOf(insn) === BGTZL_OP);

    default:
      return 0;
  }
}
