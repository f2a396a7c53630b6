// MIPS32 release 2 instruction decoder: one 32-bit word → an op number (ops.ts) and up to three
// operand fields, written into a page's decode table. Follows the opcode tables of the MIPS32
// Architecture for Programmers Vol. II (A.2: opcode, SPECIAL, REGIMM, SPECIAL2, SPECIAL3, COP0);
// Linux's counterpart is arch/mips/include/uapi/asm/inst.h (the opcode enums and formats), with
// arch/mips/kernel/branch.c for what counts as a branch.
//
// Destination register $0 becomes REG_DISCARD, so the interpreter never tests for $0; sources
// stay 0..31 ($0 is never written, so it reads as zero). Fields that the architecture requires
// to be zero are checked: a word that is not a MIPS32r2 integer instruction gives UNDEF, and so
// do the FPU (soft-float: no FPU), COP2, MIPS16/microMIPS (jalx), TLB, EJTAG (sdbbp, deret) and
// release-6-only encodings.

import { entryDecoder, putFields, wordDecoder } from '../decode-entry.ts';
import { OP, REG_DISCARD, REG_HI, REG_LO, TRAP_EQ, TRAP_GE, TRAP_GEU, TRAP_LT, TRAP_LTU, TRAP_NE, opName } from './ops.ts';

export type { Decoded } from '../decode-entry.ts';

/** Register index for a destination field. */
const dst = (x: number): number => (x === 0 ? REG_DISCARD : x);

/** Branch offset field → byte distance from the branch to its target (relative to the slot + 4). */
const branchOffset = (w: number): number => 4 + (((w << 16) >> 16) << 2);

function special(w: number, out: Int32Array, k: number): number {
  const rs = (w >>> 21) & 31;
  const rt = (w >>> 16) & 31;
  const rd = (w >>> 11) & 31;
  const sa = (w >>> 6) & 31;
  const fn = w & 63;
  // Three-register ALU forms need sa == 0.
  const alu3 = (op: number): number => {
    if (sa !== 0) return OP.UNDEF;
    putFields(out, k, dst(rd), rs, rt);
    return op;
  };
  switch (fn) {
    case 0x00: // SLL (nop, ssnop, ehb, pause are sll $0,$0,n)
      if (rs !== 0) return OP.UNDEF;
      if (rd === 0) return OP.NOP;
      putFields(out, k, rd, rt, sa);
      return OP.SLL;
    case 0x02: // SRL, ROTR (rs = 1)
      if (rs > 1) return OP.UNDEF;
      putFields(out, k, dst(rd), rt, sa);
      return rs === 1 ? OP.ROTR : OP.SRL;
    case 0x03:
      if (rs !== 0) return OP.UNDEF;
      putFields(out, k, dst(rd), rt, sa);
      return OP.SRA;
    case 0x04:
      if (sa !== 0) return OP.UNDEF;
      putFields(out, k, dst(rd), rt, rs);
      return OP.SLLV;
    case 0x06: // SRLV, ROTRV (sa = 1)
      if (sa > 1) return OP.UNDEF;
      putFields(out, k, dst(rd), rt, rs);
      return sa === 1 ? OP.ROTRV : OP.SRLV;
    case 0x07:
      if (sa !== 0) return OP.UNDEF;
      putFields(out, k, dst(rd), rt, rs);
      return OP.SRAV;
    case 0x08: // JR, JR.HB (hint 16)
      if (rt !== 0 || rd !== 0 || (sa !== 0 && sa !== 16)) return OP.UNDEF;
      putFields(out, k, rs);
      return OP.JR;
    case 0x09: // JALR, JALR.HB
      if (rt !== 0 || (sa !== 0 && sa !== 16)) return OP.UNDEF;
      putFields(out, k, dst(rd), rs);
      return OP.JALR;
    case 0x0a:
      return alu3(OP.MOVZ);
    case 0x0b:
      return alu3(OP.MOVN);
    case 0x0c:
      putFields(out, k, 0, 0, (w >>> 6) & 0xfffff);
      return OP.SYSCALL;
    case 0x0d:
      putFields(out, k, 0, 0, (w >>> 6) & 0xfffff);
      return OP.BREAK;
    case 0x0f: // SYNC (stype in sa): one CPU, in-order memory
      return (w >>> 11) & 0x7fff ? OP.UNDEF : OP.NOP;
    case 0x10: // MFHI
      if (rs !== 0 || rt !== 0 || sa !== 0) return OP.UNDEF;
      putFields(out, k, dst(rd), REG_HI);
      return OP.MOVE;
    case 0x11: // MTHI
      if (rt !== 0 || rd !== 0 || sa !== 0) return OP.UNDEF;
      putFields(out, k, REG_HI, rs);
      return OP.MOVE;
    case 0x12: // MFLO
      if (rs !== 0 || rt !== 0 || sa !== 0) return OP.UNDEF;
      putFields(out, k, dst(rd), REG_LO);
      return OP.MOVE;
    case 0x13: // MTLO
      if (rt !== 0 || rd !== 0 || sa !== 0) return OP.UNDEF;
      putFields(out, k, REG_LO, rs);
      return OP.MOVE;
    case 0x18:
    case 0x19:
    case 0x1a:
    case 0x1b:
      if (rd !== 0 || sa !== 0) return OP.UNDEF;
      putFields(out, k, 0, rs, rt);
      return [OP.MULT, OP.MULTU, OP.DIV, OP.DIVU][fn - 0x18]!;
    case 0x20:
      return alu3(OP.ADD);
    case 0x21: // ADDU; move is addu d,s,$0
      if (sa === 0 && rt === 0) {
        putFields(out, k, dst(rd), rs);
        return OP.MOVE;
      }
      return alu3(OP.ADDU);
    case 0x22:
      return alu3(OP.SUB);
    case 0x23:
      return alu3(OP.SUBU);
    case 0x24:
      return alu3(OP.AND);
    case 0x25: // OR; move is or d,s,$0
      if (sa === 0 && rt === 0) {
        putFields(out, k, dst(rd), rs);
        return OP.MOVE;
      }
      return alu3(OP.OR);
    case 0x26:
      return alu3(OP.XOR);
    case 0x27:
      return alu3(OP.NOR);
    case 0x2a:
      return alu3(OP.SLT);
    case 0x2b:
      return alu3(OP.SLTU);
    case 0x30:
    case 0x31:
    case 0x32:
    case 0x33:
    case 0x34:
    case 0x36: {
      const cond = [TRAP_GE, TRAP_GEU, TRAP_LT, TRAP_LTU, TRAP_EQ, -1, TRAP_NE][fn - 0x30]!;
      putFields(out, k, rs, rt, cond | (((w >>> 6) & 0x3ff) << 4));
      return OP.TRAP;
    }
    default:
      return OP.UNDEF; // movci (FPU), and the unallocated functions
  }
}

function regimm(w: number, out: Int32Array, k: number): number {
  const rs = (w >>> 21) & 31;
  const rt = (w >>> 16) & 31;
  const off = branchOffset(w);
  const simm = (w << 16) >> 16;
  switch (rt) {
    case 0x00:
      putFields(out, k, rs, 0, off);
      return OP.BLTZ;
    case 0x01:
      putFields(out, k, rs, 0, off);
      return rs === 0 ? OP.B : OP.BGEZ;
    case 0x02:
      putFields(out, k, rs, 0, off);
      return OP.BLTZL;
    case 0x03:
      putFields(out, k, rs, 0, off);
      return OP.BGEZL;
    case 0x08:
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0e:
      putFields(out, k, rs, [TRAP_GE, TRAP_GEU, TRAP_LT, TRAP_LTU, TRAP_EQ, -1, TRAP_NE][rt - 0x08]!, simm);
      return OP.TRAPI;
    case 0x10:
      putFields(out, k, rs, 0, off);
      return OP.BLTZAL;
    case 0x11:
      putFields(out, k, rs, 0, off);
      return rs === 0 ? OP.BAL : OP.BGEZAL;
    case 0x12:
      putFields(out, k, rs, 0, off);
      return OP.BLTZALL;
    case 0x13:
      putFields(out, k, rs, 0, off);
      return OP.BGEZALL;
    case 0x1f: // SYNCI: no caches, and Memory already tells the decode caches about code writes
      return OP.NOP;
    default:
      return OP.UNDEF;
  }
}

function special2(w: number, out: Int32Array, k: number): number {
  const rs = (w >>> 21) & 31;
  const rt = (w >>> 16) & 31;
  const rd = (w >>> 11) & 31;
  const sa = (w >>> 6) & 31;
  if (sa !== 0) return OP.UNDEF;
  switch (w & 63) {
    case 0x00:
    case 0x01:
    case 0x04:
    case 0x05:
      if (rd !== 0) return OP.UNDEF;
      putFields(out, k, 0, rs, rt);
      return [OP.MADD, OP.MADDU, OP.UNDEF, OP.UNDEF, OP.MSUB, OP.MSUBU][w & 63]!;
    case 0x02:
      putFields(out, k, dst(rd), rs, rt);
      return OP.MUL;
    case 0x20:
      putFields(out, k, dst(rd), rs);
      return OP.CLZ;
    case 0x21:
      putFields(out, k, dst(rd), rs);
      return OP.CLO;
    default:
      return OP.UNDEF; // sdbbp (no EJTAG: Config1.EP = 0) and the unallocated functions
  }
}

function special3(w: number, out: Int32Array, k: number): number {
  const rs = (w >>> 21) & 31;
  const rt = (w >>> 16) & 31;
  const rd = (w >>> 11) & 31;
  const sa = (w >>> 6) & 31;
  switch (w & 63) {
    case 0x00: { // EXT rt, rs, pos=sa, size=rd+1
      const size = rd + 1;
      if (sa + size > 32) return OP.UNDEF;
      putFields(out, k, dst(rt) | (rs << 8), sa, size === 32 ? -1 : (1 << size) - 1);
      return OP.EXT;
    }
    case 0x04: { // INS rt, rs, pos=sa, size=rd-sa+1
      if (rd < sa) return OP.UNDEF;
      const size = rd - sa + 1;
      putFields(out, k, dst(rt) | (rt << 8) | (rs << 16), sa, size === 32 ? -1 : (1 << size) - 1);
      return OP.INS;
    }
    case 0x20: // BSHFL
      if (rs !== 0) return OP.UNDEF;
      putFields(out, k, dst(rd), rt);
      if (sa === 0x02) return OP.WSBH;
      if (sa === 0x10) return OP.SEB;
      if (sa === 0x18) return OP.SEH;
      return OP.UNDEF;
    case 0x3b: // RDHWR rt, rd
      if (rs !== 0 || sa !== 0) return OP.UNDEF;
      putFields(out, k, dst(rt), rd);
      return OP.RDHWR;
    default:
      return OP.UNDEF;
  }
}

function cop0(w: number, out: Int32Array, k: number): number {
  const rs = (w >>> 21) & 31;
  const rt = (w >>> 16) & 31;
  const rd = (w >>> 11) & 31;
  if (rs >= 0x10) {
    // CO = 1: the function field says which.
    switch (w & 63) {
      case 0x18:
        return (w >>> 6) & 0x7ffff ? OP.UNDEF : OP.ERET;
      case 0x20: // WAIT (bits 24..6 are an implementation-defined code)
        return OP.WAIT;
      case 0x28: // HYPCALL (VZ): the machine's hypercall (see cpu.ts)
        if (rs !== 0x10 || ((w >>> 6) & 0x1f) !== 0) return OP.UNDEF;
        putFields(out, k, 0, 0, (w >>> 11) & 0x3ff);
        return OP.HYPCALL;
      default:
        return OP.UNDEF; // tlbr/tlbwi/tlbwr/tlbp (no TLB), deret (no EJTAG)
    }
  }
  switch (rs) {
    case 0x00: // MFC0 rt, rd, sel
      if ((w >>> 3) & 0xff) return OP.UNDEF;
      putFields(out, k, dst(rt), (rd << 3) | (w & 7));
      return OP.MFC0;
    case 0x04: // MTC0
      if ((w >>> 3) & 0xff) return OP.UNDEF;
      putFields(out, k, rt, (rd << 3) | (w & 7));
      return OP.MTC0;
    case 0x0a: // RDPGPR rd, rt
      if (w & 0x7ff) return OP.UNDEF;
      putFields(out, k, dst(rd), rt);
      return OP.PGPR;
    case 0x0b: // MFMC0: di / ei
      if ((w & 0xffdf) !== 0x6000) return OP.UNDEF;
      putFields(out, k, dst(rt));
      return (w >>> 5) & 1 ? OP.EI : OP.DI;
    case 0x0e: // WRPGPR rd, rt
      if (w & 0x7ff) return OP.UNDEF;
      putFields(out, k, dst(rd), rt);
      return OP.PGPR;
    default:
      return OP.UNDEF;
  }
}

/** The top-level decode (MIPS32 Vol. II table A.2, the opcode field): the op, fields into out[k+1..k+3]. */
function decodeWord(w: number, out: Int32Array, k: number): number {
  const rs = (w >>> 21) & 31;
  const rt = (w >>> 16) & 31;
  const simm = (w << 16) >> 16;
  const uimm = w & 0xffff;
  let op: number;
  switch (w >>> 26) {
    case 0x00:
      op = special(w, out, k);
      break;
    case 0x01:
      op = regimm(w, out, k);
      break;
    case 0x02:
      putFields(out, k, 0, 0, (w & 0x3ffffff) << 2);
      op = OP.J;
      break;
    case 0x03:
      putFields(out, k, 31, 0, (w & 0x3ffffff) << 2);
      op = OP.JAL;
      break;
    case 0x04:
      putFields(out, k, rs, rt, branchOffset(w));
      op = rs === 0 && rt === 0 ? OP.B : OP.BEQ;
      break;
    case 0x05:
      putFields(out, k, rs, rt, branchOffset(w));
      op = OP.BNE;
      break;
    case 0x06:
      putFields(out, k, rs, 0, branchOffset(w));
      op = rt === 0 ? OP.BLEZ : OP.UNDEF;
      break;
    case 0x07:
      putFields(out, k, rs, 0, branchOffset(w));
      op = rt === 0 ? OP.BGTZ : OP.UNDEF;
      break;
    case 0x08:
      putFields(out, k, dst(rt), rs, simm);
      op = OP.ADDI;
      break;
    case 0x09:
      if (rs === 0) {
        putFields(out, k, dst(rt), 0, simm);
        op = OP.LI;
      } else {
        putFields(out, k, dst(rt), rs, simm);
        op = OP.ADDIU;
      }
      break;
    case 0x0a:
      putFields(out, k, dst(rt), rs, simm);
      op = OP.SLTI;
      break;
    case 0x0b:
      putFields(out, k, dst(rt), rs, simm);
      op = OP.SLTIU;
      break;
    case 0x0c:
      putFields(out, k, dst(rt), rs, uimm);
      op = OP.ANDI;
      break;
    case 0x0d:
      if (rs === 0) {
        putFields(out, k, dst(rt), 0, uimm);
        op = OP.LI;
      } else {
        putFields(out, k, dst(rt), rs, uimm);
        op = OP.ORI;
      }
      break;
    case 0x0e:
      putFields(out, k, dst(rt), rs, uimm);
      op = OP.XORI;
      break;
    case 0x0f:
      putFields(out, k, dst(rt), 0, uimm << 16);
      op = rs === 0 ? OP.LI : OP.UNDEF;
      break;
    case 0x10:
      op = cop0(w, out, k);
      break;
    case 0x14:
    case 0x15:
      putFields(out, k, rs, rt, branchOffset(w));
      op = w >>> 26 === 0x14 ? OP.BEQL : OP.BNEL;
      break;
    case 0x16:
    case 0x17:
      putFields(out, k, rs, 0, branchOffset(w));
      op = rt !== 0 ? OP.UNDEF : w >>> 26 === 0x16 ? OP.BLEZL : OP.BGTZL;
      break;
    case 0x1c:
      op = special2(w, out, k);
      break;
    case 0x1f:
      op = special3(w, out, k);
      break;
    case 0x20:
    case 0x21:
    case 0x23:
    case 0x24:
    case 0x25:
      putFields(out, k, dst(rt), rs, simm);
      op = [OP.LB, OP.LH, OP.UNDEF, OP.LW, OP.LBU, OP.LHU][(w >>> 26) - 0x20]!;
      break;
    case 0x22:
    case 0x26: // LWL/LWR read the old rt too: keep its number, writes to $0 are dropped in cpu.ts
      putFields(out, k, rt, rs, simm);
      op = w >>> 26 === 0x22 ? OP.LWL : OP.LWR;
      break;
    case 0x28:
    case 0x29:
    case 0x2a:
    case 0x2b:
    case 0x2e:
      putFields(out, k, rt, rs, simm);
      op = [OP.SB, OP.SH, OP.SWL, OP.SW, OP.UNDEF, OP.UNDEF, OP.SWR][(w >>> 26) - 0x28]!;
      break;
    case 0x2f:
      op = OP.CACHE;
      break;
    case 0x30:
      putFields(out, k, dst(rt), rs, simm);
      op = OP.LL;
      break;
    case 0x33: // PREF: a hint; never faults
      op = OP.NOP;
      break;
    case 0x38:
      putFields(out, k, rt, rs, simm);
      op = OP.SC;
      break;
    default:
      // COP1/COP1X/LWC1/SWC1/LDC1/SDC1 (no FPU), COP2 and its loads/stores, JALX (no MIPS16 or
      // microMIPS), and the opcodes release 2 leaves unallocated.
      op = OP.UNDEF;
  }
  return op;
}

/** Decode `word` into out[k] (op) and out[k+1..k+3] (fields). Returns the op. */
export const decodeInto = entryDecoder(decodeWord);

const words = wordDecoder(decodeInto, opName, OP.UNDEF);

/** Decode one word for inspection (tests, coverage checks, diagnostics). */
export const decode = words.decode;

/** True if this CPU executes `word` (it may still trap at run time, e.g. mfc0 in user mode). */
export const isSupported = words.isSupported;

/** True for the instructions that have a delay slot (branches and jumps). */
export function hasDelaySlot(word: number): boolean {
  const op = words.opOf(word);
  return op >= OP.BEQ && op <= OP.BGEZALL;
}
