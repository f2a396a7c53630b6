// Internal operation numbers of the AArch64 interpreter: the decoder (decode.ts) turns each
// instruction word into one of these plus up to three operand fields, and the interpreter
// (cpu.ts) dispatches on it. No Linux counterpart.
//
// cpu.ts switches on these values with literal case labels (`case 45: // ADD_X`), because V8
// only compiles a switch into a jump table when every label is a number literal; a test checks
// that each label's comment names the op defined here. Ops below SECONDARY run inline in the
// main loop; the rest go through one method call.

import { opTable } from '../op-table.ts';

export const OP_NAMES = [
  'UNDECODED', // 0: slot not decoded yet
  'UNDEF', // 1: unallocated / unsupported (FP, SIMD, SVE, …)
  'NOP', // 2
  'B', // 3
  'BL', // 4
  'BCOND', // 5
  'CBZ_X', // 6
  'CBNZ_X', // 7
  'CBZ_W', // 8
  'CBNZ_W', // 9
  'TBZ', // 10
  'TBNZ', // 11
  'BR', // 12
  'BLR', // 13
  'RET', // 14
  'ERET', // 15
  'SVC', // 16
  'HVC', // 17
  'BRK', // 18
  'HLT', // 19
  'MOVI', // 20: register := 64-bit constant (MOVZ/MOVN/MOV bitmask)
  'MOVK_X', // 21
  'MOVK_W', // 22
  'ADR', // 23
  'ADRP', // 24
  'ADD_X_IMM', // 25: also SUB (negated constant), MOV to/from SP
  'ADD_W_IMM', // 26
  'ADDS_X_IMM', // 27: ADDS/SUBS/CMP/CMN with a constant and carry-in
  'ADDS_W_IMM', // 28
  'AND_X_IMM', // 29
  'ORR_X_IMM', // 30
  'EOR_X_IMM', // 31
  'ANDS_X_IMM', // 32
  'AND_W_IMM', // 33
  'ORR_W_IMM', // 34
  'EOR_W_IMM', // 35
  'ANDS_W_IMM', // 36
  'LSL_X_IMM', // 37
  'LSR_X_IMM', // 38
  'ASR_X_IMM', // 39
  'LSL_W_IMM', // 40
  'LSR_W_IMM', // 41
  'ASR_W_IMM', // 42
  'MOV_X', // 43
  'MOV_W', // 44
  'ADD_X', // 45
  'SUB_X', // 46
  'ADDS_X', // 47
  'SUBS_X', // 48
  'ADD_W', // 49
  'SUB_W', // 50
  'ADDS_W', // 51
  'SUBS_W', // 52
  'AND_X', // 53
  'ORR_X', // 54
  'EOR_X', // 55
  'ANDS_X', // 56
  'AND_W', // 57
  'ORR_W', // 58
  'EOR_W', // 59
  'ANDS_W', // 60
  'CSEL_X', // 61
  'CSEL_W', // 62
  'CSINC_X', // 63
  'CSINC_W', // 64
  'MADD_X', // 65
  'MADD_W', // 66
  'LDP_X', // 67
  'STP_X', // 68
  'LDP_W', // 69
  'STP_W', // 70
  'LDST_IDX', // 71: pre/post-index and unprivileged single-register forms
  'LDST_REG', // 72: register offset
  'LDR_LIT', // 73
  'STRB', // 74: base + immediate forms, by access kind
  'LDRB', // 75
  'LDRSB_X', // 76
  'LDRSB_W', // 77
  'STRH', // 78
  'LDRH', // 79
  'LDRSH_X', // 80
  'LDRSH_W', // 81
  'STR_W', // 82
  'LDR_W', // 83
  'LDRSW', // 84
  'STR_X', // 85
  'LDR_X', // 86
  'LOGIC_SH_W', // 87: logical (shifted register) with a shift or an inverted operand; A = opc<<1 | N
  'LOGIC_SH_X', // 88
  'ADDSUB_SH_W', // 89: add/sub (shifted register, non-zero shift); A = sub<<1 | S
  'ADDSUB_SH_X', // 90
  'EXTR_W', // 91
  'EXTR_X', // 92
] as const;

/** First op number handled outside the main loop (Arm64Cpu.exec2). */
export const SECONDARY = 100;

export const OP2_NAMES = [
  'UBF_X', // 100: UBFM forms other than shifts and low masks
  'UBF_W', // 101
  'SBF_X', // 102
  'SBF_W', // 103
  'BF_X', // 104
  'BF_W', // 105
  'ADDSUB_EXT', // 106: add/sub (extended register)
  'ADC', // 107: ADC/ADCS/SBC/SBCS
  'CCMP', // 108: CCMP/CCMN, register and immediate
  'CSEL_G', // 109: CSINV/CSNEG
  'DP1', // 110: RBIT/REV16/REV32/REV/CLZ/CLS
  'DP2', // 111: UDIV/SDIV/LSLV/LSRV/ASRV/RORV
  'DP3', // 112: MSUB, SMADDL/SMSUBL/UMADDL/UMSUBL, SMULH/UMULH
  'LDPSW', // 113
  'LDEX', // 114: LDXR/LDAXR/LDXP/LDAXP
  'STEX', // 115: STXR/STLXR/STXP/STLXP
  'LDAR', // 116: LDAR/LDLAR
  'STLR', // 117: STLR/STLLR
  'CAS', // 118
  'CASP', // 119
  'ATOMIC', // 120: LDADD/LDCLR/LDEOR/LDSET/LD{S,U}{MAX,MIN}/SWP/LDAPR
  'MRS', // 121
  'MSR', // 122
  'MSR_IMM', // 123: DAIFSet/DAIFClr/SPSel
  'SYS', // 124: cache and TLB maintenance (no effect here)
  'CLREX', // 125
] as const;

/** Op number by name, and the name of an op number (for tests and diagnostics). */
export const { OP, opName } = opTable(OP_NAMES, OP2_NAMES, SECONDARY);
export type OpName = keyof typeof OP;

/**
 * Single-register load/store access kinds: size << 2 | opc, as the encoding's size and opc fields
 * give them (size 0..3 = 8..64 bits; opc 0 store, 1 load, 2 signed load to X, 3 signed load to W).
 */
export const KIND_STRB = 0;
export const KIND_LDRB = 1;
export const KIND_LDRSB_X = 2;
export const KIND_LDRSB_W = 3;
export const KIND_STRH = 4;
export const KIND_LDRH = 5;
export const KIND_LDRSH_X = 6;
export const KIND_LDRSH_W = 7;
export const KIND_STR_W = 8;
export const KIND_LDR_W = 9;
export const KIND_LDRSW = 10;
export const KIND_STR_X = 12;
export const KIND_LDR_X = 13;
export const KIND_PRFM = 14;

/** Register slots in the interpreter's register file (each slot is two Int32 halves). */
export const SLOT_SP = 31;
/** Reads as zero: register 31 where it means XZR as a source. */
export const SLOT_ZR = 32;
/** Discards writes: register 31 where it means XZR as a destination. */
export const SLOT_DISCARD = 33;
/** Scratch for computed operands (shifted/extended registers). */
export const SLOT_TMP = 34;
export const SLOT_COUNT = 36;
