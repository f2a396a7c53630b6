// AArch64 (A64) instruction decoder: one 32-bit word → an op number (ops.ts) and up to three
// operand fields, written into a page's decode table. Follows the Arm ARM's top-level encoding
// tables (C4.1); Linux's counterpart is arch/arm64/include/asm/insn.h with
// arch/arm64/lib/insn.c (aarch64_insn_is_*, aarch64_insn_decode_*).
//
// Register fields become slot indices already multiplied by two (each slot is two Int32 halves),
// with register 31 resolved here once: SP where the encoding means SP, a zero slot where it
// reads XZR, a discard slot where it writes XZR. Only integer instructions are decoded; FP,
// SIMD, SVE and unallocated encodings give UNDEF.

import {
  OP,
  KIND_PRFM,
  SLOT_DISCARD,
  SLOT_ZR,
  opName,
} from './ops.ts';
import { SYSREGS, sysRegId } from './sysregs.ts';
import { entryDecoder, putFields, wordDecoder } from '../decode-entry.ts';

export type { Decoded } from '../decode-entry.ts';

/** Slot index of register x as a source where 31 is XZR. */
const rR = (x: number): number => (x === 31 ? SLOT_ZR * 2 : x << 1);
/** Slot index of register x as a destination where 31 is XZR (writes dropped). */
const rW = (x: number): number => (x === 31 ? SLOT_DISCARD * 2 : x << 1);
/** Slot index of register x where 31 is SP. */
const rS = (x: number): number => x << 1;

function sext(v: number, bits: number): number {
  return (v << (32 - bits)) >> (32 - bits);
}

/** Op per single-register access kind (size << 2 | opc) for the base + immediate forms. */
const KIND_OP = [
  OP.STRB, OP.LDRB, OP.LDRSB_X, OP.LDRSB_W,
  OP.STRH, OP.LDRH, OP.LDRSH_X, OP.LDRSH_W,
  OP.STR_W, OP.LDR_W, OP.LDRSW, OP.UNDEF,
  OP.STR_X, OP.LDR_X, OP.NOP, OP.UNDEF,
];

const isLoadKind = (kind: number): boolean => (kind & 3) !== 0;

/**
 * DecodeBitMasks(N, imms, immr, immediate=TRUE) of the Arm ARM: the bitmask immediate of the
 * logical-immediate instructions as [lo, hi] Int32 halves, or undefined for a reserved encoding.
 * Decoding is not hot, so BigInt keeps it plain.
 */
export function decodeBitMask(n: number, imms: number, immr: number, is64: boolean): [number, number] | undefined {
  const combined = (n << 6) | (~imms & 0x3f);
  if (combined === 0) return undefined;
  const len = 31 - Math.clz32(combined);
  if (len < 1) return undefined;
  const levels = (1 << len) - 1;
  if ((imms & levels) === levels) return undefined;
  const s = imms & levels;
  const r = immr & levels;
  const esize = 1 << len;
  const emask = (1n << BigInt(esize)) - 1n;
  let elem = (1n << BigInt(s + 1)) - 1n;
  if (r !== 0) elem = ((elem >> BigInt(r)) | (elem << BigInt(esize - r))) & emask;
  let v = 0n;
  for (let i = 0; i < 64; i += esize) v |= elem << BigInt(i);
  if (!is64) v &= 0xffff_ffffn;
  return [Number(v & 0xffff_ffffn) | 0, Number(v >> 32n) | 0];
}

/** Mask of the low `width` bits (1..64) as halves. */
function lowMask(width: number): [number, number] {
  if (width >= 64) return [-1, -1];
  if (width > 32) return [-1, (1 << (width - 32)) - 1];
  return [width === 32 ? -1 : (1 << width) - 1, 0];
}

type Fields = Int32Array;

// --- data processing, immediate -------------------------------------------------------------

function dpImmediate(w: number, out: Fields, k: number): number {
  const sf = w >>> 31;
  const rd = w & 31;
  const rn = (w >>> 5) & 31;
  switch ((w >>> 23) & 7) {
    case 0:
    case 1: {
      // ADR / ADRP: imm = immhi:immlo, signed 21 bits.
      const imm = sext((w >>> 5) & 0x7ffff, 19) * 4 + ((w >>> 29) & 3);
      putFields(out, k, rW(rd), imm);
      return sf ? OP.ADRP : OP.ADR;
    }
    case 2: {
      const sub = (w >>> 30) & 1;
      const setFlags = (w >>> 29) & 1;
      const imm = ((w >>> 10) & 0xfff) << ((w >>> 22) & 1 ? 12 : 0);
      if (!setFlags) {
        // ADD/SUB (immediate) is one add of a 64-bit constant; SUB adds the negation.
        const regs = rS(rd) | (rS(rn) << 8);
        if (sf) {
          putFields(out, k, regs, sub ? -imm | 0 : imm, sub && imm !== 0 ? -1 : 0);
          return OP.ADD_X_IMM;
        }
        putFields(out, k, regs, sub ? -imm | 0 : imm);
        return OP.ADD_W_IMM;
      }
      // ADDS/SUBS: a + K + cin with K = ~imm, cin = 1 for SUBS, so the carry comes out right.
      const regs = rW(rd) | (rS(rn) << 8) | (sub << 24);
      if (sf) {
        putFields(out, k, regs, sub ? ~imm : imm, sub ? -1 : 0);
        return OP.ADDS_X_IMM;
      }
      putFields(out, k, regs, sub ? ~imm : imm);
      return OP.ADDS_W_IMM;
    }
    case 4: {
      const opc = (w >>> 29) & 3;
      const n = (w >>> 22) & 1;
      if (!sf && n) return OP.UNDEF;
      const mask = decodeBitMask(n, (w >>> 10) & 0x3f, (w >>> 16) & 0x3f, sf === 1);
      if (!mask) return OP.UNDEF;
      if (opc === 1 && rn === 31) {
        // MOV (bitmask immediate): ORR with XZR; the destination may be SP.
        putFields(out, k, rS(rd), mask[0], mask[1]);
        return OP.MOVI;
      }
      putFields(out, k, (opc === 3 ? rW(rd) : rS(rd)) | (rR(rn) << 8), mask[0], mask[1]);
      if (sf) return [OP.AND_X_IMM, OP.ORR_X_IMM, OP.EOR_X_IMM, OP.ANDS_X_IMM][opc]!;
      return [OP.AND_W_IMM, OP.ORR_W_IMM, OP.EOR_W_IMM, OP.ANDS_W_IMM][opc]!;
    }
    case 5: {
      const opc = (w >>> 29) & 3;
      const hw = (w >>> 21) & 3;
      const imm16 = (w >>> 5) & 0xffff;
      if (opc === 1 || (!sf && hw >= 2)) return OP.UNDEF;
      if (opc === 3) {
        putFields(out, k, rW(rd) | (rR(rd) << 8), hw * 16, imm16);
        return sf ? OP.MOVK_X : OP.MOVK_W;
      }
      let lo = hw === 0 ? imm16 : hw === 1 ? imm16 << 16 : 0;
      let hi = hw === 2 ? imm16 : hw === 3 ? imm16 << 16 : 0;
      if (opc === 0) {
        lo = ~lo;
        hi = sf ? ~hi : 0;
      }
      putFields(out, k, rW(rd), lo | 0, hi | 0);
      return OP.MOVI;
    }
    case 6: {
      const opc = (w >>> 29) & 3;
      const n = (w >>> 22) & 1;
      const immr = (w >>> 16) & 0x3f;
      const imms = (w >>> 10) & 0x3f;
      if (opc === 3 || n !== sf || (!sf && (immr > 31 || imms > 31))) return OP.UNDEF;
      const size = sf ? 64 : 32;
      const d = rW(rd);
      const src = rR(rn);
      // BFM family as: take `width` bits at `lsb`, place them at `pos` (see the Arm ARM's
      // DecodeBitMasks with immediate=FALSE: imms >= immr extracts, imms < immr inserts).
      let lsb: number, width: number, pos: number;
      if (imms >= immr) {
        lsb = immr;
        width = imms - immr + 1;
        pos = 0;
      } else {
        lsb = 0;
        width = imms + 1;
        pos = size - immr;
      }
      if (opc === 2) {
        if (imms === size - 1) {
          if (immr === 0) {
            putFields(out, k, d | (src << 8));
            return sf ? OP.MOV_X : OP.MOV_W;
          }
          putFields(out, k, d | (src << 8), immr);
          return sf ? OP.LSR_X_IMM : OP.LSR_W_IMM;
        }
        if (imms + 1 === immr) {
          putFields(out, k, d | (src << 8), size - 1 - imms);
          return sf ? OP.LSL_X_IMM : OP.LSL_W_IMM;
        }
        if (immr === 0) {
          // UXTB/UXTH/UBFX #0: an AND with a low mask.
          const m = lowMask(width);
          putFields(out, k, d | (src << 8), m[0], m[1]);
          return sf ? OP.AND_X_IMM : OP.AND_W_IMM;
        }
        putFields(out, k, d | (src << 8), lsb | (width << 8) | (pos << 16));
        return sf ? OP.UBF_X : OP.UBF_W;
      }
      if (opc === 0) {
        if (imms === size - 1) {
          putFields(out, k, d | (src << 8), immr);
          if (immr === 0) return sf ? OP.MOV_X : OP.MOV_W;
          return sf ? OP.ASR_X_IMM : OP.ASR_W_IMM;
        }
        putFields(out, k, d | (src << 8), lsb | (width << 8) | (pos << 16));
        return sf ? OP.SBF_X : OP.SBF_W;
      }
      putFields(out, k, d | (src << 8) | (rR(rd) << 16), lsb | (width << 8) | (pos << 16));
      return sf ? OP.BF_X : OP.BF_W;
    }
    case 7: {
      const op21 = (w >>> 29) & 3;
      const n = (w >>> 22) & 1;
      const o0 = (w >>> 21) & 1;
      const imms = (w >>> 10) & 0x3f;
      if (op21 || o0 || n !== sf || (!sf && imms > 31)) return OP.UNDEF;
      const rm = (w >>> 16) & 31;
      if (imms === 0) {
        putFields(out, k, rW(rd) | (rR(rm) << 8));
        return sf ? OP.MOV_X : OP.MOV_W;
      }
      putFields(out, k, rW(rd) | (rR(rn) << 8) | (rR(rm) << 16), imms);
      return sf ? OP.EXTR_X : OP.EXTR_W;
    }
    default:
      return OP.UNDEF; // add/sub immediate with tags (MTE)
  }
}

// --- branches, exception generation, system --------------------------------------------------

function system(w: number, out: Fields, k: number): number {
  const l = (w >>> 21) & 1;
  const op0 = (w >>> 19) & 3;
  const op1 = (w >>> 16) & 7;
  const crn = (w >>> 12) & 15;
  const crm = (w >>> 8) & 15;
  const op2 = (w >>> 5) & 7;
  const rt = w & 31;
  if (op0 === 0) {
    if (l) return OP.UNDEF;
    if (crn === 2 && op1 === 3 && rt === 31) return OP.NOP; // HINT space: NOP, YIELD, WFI, PACIASP, BTI, …
    if (crn === 3 && op1 === 3 && rt === 31) {
      if (op2 === 2) return OP.CLREX;
      if (op2 >= 4) return OP.NOP; // DSB, DMB, ISB, SB: one in-order CPU needs no ordering
      return OP.UNDEF;
    }
    if (crn === 4 && rt === 31) {
      // PSTATE field: 0 DAIFSet, 1 DAIFClr, 2 SPSel (PAN, UAO, SSBS, DIT, TCO are not implemented).
      const field = op1 === 3 && op2 === 6 ? 0 : op1 === 3 && op2 === 7 ? 1 : op1 === 0 && op2 === 5 ? 2 : -1;
      if (field < 0) return OP.UNDEF;
      putFields(out, k, 0, field, crm);
      return OP.MSR_IMM;
    }
    return OP.UNDEF;
  }
  if (op0 === 1) {
    if (l) return OP.UNDEF; // SYSL
    if (op1 === 3 && crn === 7 && crm === 4 && op2 === 1) return OP.UNDEF; // DC ZVA: prohibited (DCZID_EL0.DZP)
    putFields(out, k, rR(rt), op1);
    return OP.SYS;
  }
  const id = sysRegId((w >>> 5) & 0xffff);
  if (id < 0) return OP.UNDEF;
  if (l) {
    putFields(out, k, rW(rt), id);
    return OP.MRS;
  }
  if (!SYSREGS[id]!.writable) return OP.UNDEF;
  putFields(out, k, rR(rt), id);
  return OP.MSR;
}

function branchSystem(w: number, out: Fields, k: number): number {
  if (((w >>> 26) & 0x1f) === 0b00101) {
    putFields(out, k, 0, sext(w & 0x3ffffff, 26) * 4);
    return w >>> 31 ? OP.BL : OP.B;
  }
  if (w >>> 24 === 0x54) {
    if (w & 0x10) return OP.UNDEF; // BC.cond (FEAT_HBC)
    const cond = w & 15;
    putFields(out, k, 0, sext((w >>> 5) & 0x7ffff, 19) * 4, cond);
    return cond >= 14 ? OP.B : OP.BCOND;
  }
  const top = (w >>> 25) & 0x3f;
  if (top === 0b011010) {
    putFields(out, k, rR(w & 31), sext((w >>> 5) & 0x7ffff, 19) * 4);
    const nz = (w >>> 24) & 1;
    if (w >>> 31) return nz ? OP.CBNZ_X : OP.CBZ_X;
    return nz ? OP.CBNZ_W : OP.CBZ_W;
  }
  if (top === 0b011011) {
    const bit = ((w >>> 31) << 5) | ((w >>> 19) & 31);
    putFields(out, k, rR(w & 31) + (bit >= 32 ? 1 : 0), sext((w >>> 5) & 0x3fff, 14) * 4, 1 << (bit & 31));
    return (w >>> 24) & 1 ? OP.TBNZ : OP.TBZ;
  }
  if (w >>> 24 === 0xd4) {
    const opc = (w >>> 21) & 7;
    const ll = w & 3;
    if ((w >>> 2) & 7) return OP.UNDEF;
    putFields(out, k, 0, (w >>> 5) & 0xffff);
    if (opc === 0 && ll === 1) return OP.SVC;
    if (opc === 0 && ll === 2) return OP.HVC;
    if (opc === 1 && ll === 0) return OP.BRK;
    if (opc === 2 && ll === 0) return OP.HLT;
    return OP.UNDEF; // SMC (no EL3), DCPS*, TCANCEL
  }
  if (w >>> 22 === 0x354) return system(w, out, k);
  if (w >>> 25 === 0x6b) {
    const opc = (w >>> 21) & 15;
    const rn = (w >>> 5) & 31;
    if (((w >>> 16) & 31) !== 31 || ((w >>> 10) & 0x3f) !== 0 || (w & 31) !== 0) return OP.UNDEF; // PAuth forms
    if (opc === 4) return rn === 31 ? OP.ERET : OP.UNDEF;
    putFields(out, k, rR(rn));
    if (opc === 0) return OP.BR;
    if (opc === 1) return OP.BLR;
    if (opc === 2) return OP.RET;
    return OP.UNDEF;
  }
  return OP.UNDEF;
}

// --- loads and stores -----------------------------------------------------------------------

function exclusive(w: number, out: Fields, k: number): number {
  const size = w >>> 30;
  const o2 = (w >>> 23) & 1;
  const l = (w >>> 22) & 1;
  const o1 = (w >>> 21) & 1;
  const rs = (w >>> 16) & 31;
  const rt2 = (w >>> 10) & 31;
  const rn = (w >>> 5) & 31;
  const rt = w & 31;
  if (!o2 && !o1) {
    if (l) putFields(out, k, rW(rt) | (rS(rn) << 16), size);
    else putFields(out, k, rR(rt) | (rS(rn) << 16) | (rW(rs) << 24), size);
    return l ? OP.LDEX : OP.STEX;
  }
  if (!o2 && o1) {
    if (size >= 2) {
      if (l) putFields(out, k, rW(rt) | (rW(rt2) << 8) | (rS(rn) << 16), size | 4);
      else putFields(out, k, rR(rt) | (rR(rt2) << 8) | (rS(rn) << 16) | (rW(rs) << 24), size | 4);
      return l ? OP.LDEX : OP.STEX;
    }
    // CASP: register pairs (even numbers), element size 32 or 64 bits.
    if (rt2 !== 31 || rs & 1 || rt & 1) return OP.UNDEF;
    putFields(out, k, rt | (rS(rn) << 8) | (rs << 16), size + 2);
    return OP.CASP;
  }
  if (o2 && !o1) {
    putFields(out, k, (l ? rW(rt) : rR(rt)) | (rS(rn) << 8), size);
    return l ? OP.LDAR : OP.STLR;
  }
  if (rt2 !== 31) return OP.UNDEF;
  putFields(out, k, rR(rt) | (rS(rn) << 8) | (rR(rs) << 16) | (rW(rs) << 24), size);
  return OP.CAS;
}

function pair(w: number, out: Fields, k: number): number {
  const opc = w >>> 30;
  const l = (w >>> 22) & 1;
  let mode = (w >>> 23) & 3; // 0 no-allocate (offset), 1 post-index, 2 offset, 3 pre-index
  const imm7 = sext((w >>> 15) & 0x7f, 7);
  const rt2 = (w >>> 10) & 31;
  const rn = (w >>> 5) & 31;
  const rt = w & 31;
  if (opc === 3) return OP.UNDEF;
  if (opc === 1) {
    if (!l || mode === 0) return OP.UNDEF; // STGP (MTE); there is no LDNPSW
    putFields(out, k, rW(rt) | (rW(rt2) << 8) | (rS(rn) << 16), imm7 * 4, mode);
    return OP.LDPSW;
  }
  if (mode === 0) mode = 2;
  const reg = l ? rW : rR;
  putFields(out, k, reg(rt) | (reg(rt2) << 8) | (rS(rn) << 16), imm7 * (opc === 2 ? 8 : 4), mode);
  if (opc === 2) return l ? OP.LDP_X : OP.STP_X;
  return l ? OP.LDP_W : OP.STP_W;
}

function atomic(w: number, out: Fields, k: number): number {
  const size = w >>> 30;
  const a = (w >>> 23) & 1;
  const r = (w >>> 22) & 1;
  const rs = (w >>> 16) & 31;
  const o3 = (w >>> 15) & 1;
  const aop = (w >>> 12) & 7;
  const rn = (w >>> 5) & 31;
  const rt = w & 31;
  if (o3 && aop !== 0 && !(aop === 4 && a === 1 && r === 0 && rs === 31)) return OP.UNDEF;
  putFields(out, k, rW(rt) | (rS(rn) << 8) | (rR(rs) << 16), size | (aop << 2) | (o3 << 5));
  return OP.ATOMIC;
}

function loadStore(w: number, out: Fields, k: number): number {
  if (w & (1 << 26)) return OP.UNDEF; // SIMD & FP registers
  if ((w & 0x3f000000) === 0x08000000) return exclusive(w, out, k);
  if ((w & 0x3a000000) === 0x28000000) return pair(w, out, k);
  const rt = w & 31;
  const rn = (w >>> 5) & 31;
  if ((w & 0x3b000000) === 0x18000000) {
    const opc = w >>> 30;
    if (opc === 3) return OP.NOP; // PRFM (literal)
    putFields(out, k, rW(rt), sext((w >>> 5) & 0x7ffff, 19) * 4, [9, 13, 10][opc]);
    return OP.LDR_LIT;
  }
  const size = w >>> 30;
  const kind = (size << 2) | ((w >>> 22) & 3);
  const t = isLoadKind(kind) ? rW(rt) : rR(rt);
  if ((w & 0x3b000000) === 0x39000000) {
    // Unsigned, scaled 12-bit offset.
    const op = KIND_OP[kind]!;
    if (op !== OP.UNDEF && op !== OP.NOP) putFields(out, k, t | (rS(rn) << 8), ((w >>> 10) & 0xfff) << size);
    return op;
  }
  if ((w & 0x3b000000) !== 0x38000000) return OP.UNDEF;
  const op4 = (w >>> 10) & 3;
  if (!((w >>> 21) & 1)) {
    const imm9 = sext((w >>> 12) & 0x1ff, 9);
    if (KIND_OP[kind] === OP.UNDEF) return OP.UNDEF;
    if (op4 === 0) {
      // Unscaled (LDUR/STUR/PRFUM): the same ops as the scaled offset forms.
      const op = KIND_OP[kind]!;
      if (op !== OP.NOP) putFields(out, k, t | (rS(rn) << 8), imm9);
      return op;
    }
    if (kind === KIND_PRFM) return OP.UNDEF;
    // 1 post-index, 3 pre-index, 2 unprivileged (LDTR/STTR: an offset access made as EL0).
    putFields(out, k, t | (rS(rn) << 8), imm9, kind | (op4 << 4));
    return OP.LDST_IDX;
  }
  if (op4 === 2) {
    const option = (w >>> 13) & 7;
    if (!(option & 2)) return OP.UNDEF;
    if (KIND_OP[kind] === OP.UNDEF) return OP.UNDEF;
    if (kind === KIND_PRFM) return OP.NOP;
    const shift = (w >>> 12) & 1 ? size : 0;
    putFields(out, k, t | (rS(rn) << 8) | (rR((w >>> 16) & 31) << 16), 0, kind | (option << 4) | (shift << 8));
    return OP.LDST_REG;
  }
  if (op4 === 0) return atomic(w, out, k);
  return OP.UNDEF; // LDRAA/LDRAB (PAuth)
}

// --- data processing, register ---------------------------------------------------------------

function dpRegister(w: number, out: Fields, k: number): number {
  const sf = w >>> 31;
  const op = (w >>> 30) & 1;
  const s = (w >>> 29) & 1;
  const rd = w & 31;
  const rn = (w >>> 5) & 31;
  const rm = (w >>> 16) & 31;
  const three = rW(rd) | (rR(rn) << 8) | (rR(rm) << 16);
  if (!((w >>> 28) & 1)) {
    const imm6 = (w >>> 10) & 0x3f;
    const shift = (w >>> 22) & 3;
    if (!((w >>> 24) & 1)) {
      // Logical (shifted register).
      const opc = (w >>> 29) & 3;
      const n = (w >>> 21) & 1;
      if (!sf && imm6 > 31) return OP.UNDEF;
      if (imm6 === 0 && !n) {
        if (opc === 1 && rn === 31) {
          putFields(out, k, rW(rd) | (rR(rm) << 8));
          return sf ? OP.MOV_X : OP.MOV_W;
        }
        putFields(out, k, three);
        if (sf) return [OP.AND_X, OP.ORR_X, OP.EOR_X, OP.ANDS_X][opc]!;
        return [OP.AND_W, OP.ORR_W, OP.EOR_W, OP.ANDS_W][opc]!;
      }
      putFields(out, k, three, (opc << 1) | n, shift | (imm6 << 8));
      return sf ? OP.LOGIC_SH_X : OP.LOGIC_SH_W;
    }
    if (!((w >>> 21) & 1)) {
      // Add/subtract (shifted register).
      if (shift === 3 || (!sf && imm6 > 31)) return OP.UNDEF;
      putFields(out, k, three, (sf << 2) | (op << 1) | s, shift | (imm6 << 8));
      if (imm6 !== 0) return sf ? OP.ADDSUB_SH_X : OP.ADDSUB_SH_W;
      const kind = (op << 1) | s;
      if (sf) return [OP.ADD_X, OP.ADDS_X, OP.SUB_X, OP.SUBS_X][kind]!;
      return [OP.ADD_W, OP.ADDS_W, OP.SUB_W, OP.SUBS_W][kind]!;
    }
    // Add/subtract (extended register): Rd is SP unless flags are set, Rn is SP.
    const imm3 = (w >>> 10) & 7;
    if (shift !== 0 || imm3 > 4) return OP.UNDEF;
    putFields(out, k, (s ? rW(rd) : rS(rd)) | (rS(rn) << 8) | (rR(rm) << 16), (sf << 2) | (op << 1) | s, ((w >>> 13) & 7) | (imm3 << 8));
    return OP.ADDSUB_EXT;
  }
  const op2 = (w >>> 21) & 15;
  if (op2 & 8) {
    // Data processing (3 source).
    if ((w >>> 29) & 3) return OP.UNDEF;
    const op31 = (w >>> 21) & 7;
    const o0 = (w >>> 15) & 1;
    putFields(out, k, three | (rR((w >>> 10) & 31) << 24), op31 | (o0 << 3) | (sf << 4));
    if (op31 === 0) return o0 ? OP.DP3 : sf ? OP.MADD_X : OP.MADD_W;
    if (!sf) return OP.UNDEF;
    if (op31 === 1 || op31 === 5) return OP.DP3;
    if ((op31 === 2 || op31 === 6) && !o0) return OP.DP3;
    return OP.UNDEF;
  }
  switch (op2) {
    case 0: // ADC/ADCS/SBC/SBCS
      if ((w >>> 10) & 0x3f) return OP.UNDEF; // RMIF, SETF
      putFields(out, k, three, (sf << 2) | (op << 1) | s);
      return OP.ADC;
    case 2: {
      // CCMN/CCMP (register or immediate).
      if (!s || (w >>> 10) & 1 || (w >>> 4) & 1) return OP.UNDEF;
      const isImm = (w >>> 11) & 1;
      putFields(out, k, rR(rn) | (rR(rm) << 8), sf | (op << 1) | (isImm << 2) | (((w >>> 12) & 15) << 4) | ((w & 15) << 8), rm);
      return OP.CCMP;
    }
    case 4: {
      const o2 = (w >>> 10) & 3;
      if (s || o2 > 1) return OP.UNDEF;
      const cond = (w >>> 12) & 15;
      if (!op) {
        putFields(out, k, three, cond);
        if (o2) return sf ? OP.CSINC_X : OP.CSINC_W;
        return sf ? OP.CSEL_X : OP.CSEL_W;
      }
      putFields(out, k, three, cond | (o2 << 5) | (sf << 6));
      return OP.CSEL_G;
    }
    case 6: {
      if (s) return OP.UNDEF;
      const opcode = (w >>> 10) & 0x3f;
      if (!op) {
        if (opcode !== 2 && opcode !== 3 && (opcode < 8 || opcode > 11)) return OP.UNDEF; // CRC32*, PAC*, MTE
        putFields(out, k, three, opcode | (sf << 8));
        return OP.DP2;
      }
      if (rm !== 0 || opcode > 5 || (opcode === 3 && !sf)) return OP.UNDEF;
      putFields(out, k, rW(rd) | (rR(rn) << 8), opcode | (sf << 8));
      return OP.DP1;
    }
    default:
      return OP.UNDEF;
  }
}

/** The top-level decode (Arm ARM C4.1, op0 in bits 28:25): the op, fields into out[k+1..k+3]. */
function decodeWord(w: number, out: Fields, k: number): number {
  let op: number;
  switch ((w >>> 25) & 15) {
    case 8:
    case 9:
      op = dpImmediate(w, out, k);
      break;
    case 10:
    case 11:
      op = branchSystem(w, out, k);
      break;
    case 4:
    case 6:
    case 12:
    case 14:
      op = loadStore(w, out, k);
      break;
    case 5:
    case 13:
      op = dpRegister(w, out, k);
      break;
    default:
      op = OP.UNDEF; // reserved (UDF), SVE, SME, unallocated, SIMD & FP data processing
  }
  return op;
}

/** Decode `word` into out[k] (op) and out[k+1..k+3] (fields). Returns the op. */
export const decodeInto = entryDecoder(decodeWord);

const words = wordDecoder(decodeInto, opName, OP.UNDEF);

/** Decode one word for inspection (tests, coverage checks, diagnostics). */
export const decode = words.decode;

/** True if this CPU executes `word` (it may still trap at run time, e.g. an EL1 MRS at EL0). */
export const isSupported = words.isSupported;
