// Internal operation numbers of the MIPS32 interpreter: the decoder (decode.ts) turns each
// instruction word into one of these plus up to three operand fields, and the interpreter
// (cpu.ts) dispatches on it. No Linux counterpart.
//
// cpu.ts switches on these values with literal case labels (`case 11: // ADDU`), because V8
// only compiles a switch into a jump table when every label is a number literal; a test checks
// that each label's comment names the op defined here. Ops below SECONDARY run inline in the
// main loop; the rest go through one method call (MipsCpu.exec2).
//
// Operand fields (ops[k+1..k+3] = A, B, C) hold register-file indices (see REG_* below) and
// immediates already extended, so the interpreter never re-decodes a field.

import { opTable } from '../op-table.ts';

export const OP_NAMES = [
  'UNDECODED', // 0: slot not decoded yet
  'UNDEF', // 1: reserved or unsupported encoding (Reserved Instruction, or Coprocessor Unusable for COP1/COP2)
  'NOP', // 2: sll $0 forms (nop, ssnop, ehb, pause), sync, pref, synci
  'SLL', // 3: A=d B=t C=sa
  'SRL', // 4
  'SRA', // 5
  'ROTR', // 6
  'SLLV', // 7: A=d B=t C=s
  'SRLV', // 8
  'SRAV', // 9
  'ROTRV', // 10
  'ADDU', // 11: A=d B=s C=t
  'SUBU', // 12
  'AND', // 13
  'OR', // 14
  'XOR', // 15
  'NOR', // 16
  'SLT', // 17
  'SLTU', // 18
  'MOVZ', // 19
  'MOVN', // 20
  'MOVE', // 21: A=d B=s; also mfhi/mflo/mthi/mtlo (HI and LO are register-file slots)
  'MULT', // 22: B=s C=t
  'MULTU', // 23
  'MUL', // 24: A=d B=s C=t
  'ADDIU', // 25: A=t B=s C=sign-extended imm
  'SLTI', // 26
  'SLTIU', // 27
  'ANDI', // 28: C=zero-extended imm
  'ORI', // 29
  'XORI', // 30
  'LI', // 31: A=t C=constant (lui; addiu/ori from $0)
  'LB', // 32: A=t B=base C=offset
  'LBU', // 33
  'LH', // 34
  'LHU', // 35
  'LW', // 36
  'SB', // 37
  'SH', // 38
  'SW', // 39
  'BEQ', // 40: A=s B=t C=offset from the branch to the target
  'BNE', // 41
  'BLEZ', // 42
  'BGTZ', // 43
  'BLTZ', // 44
  'BGEZ', // 45
  'B', // 46: beq $0,$0 / bgez $0
  'BAL', // 47: bgezal $0
  'BLTZAL', // 48
  'BGEZAL', // 49
  'J', // 50: C=instr_index << 2
  'JAL', // 51
  'JR', // 52: A=s
  'JALR', // 53: A=d B=s
  'BEQL', // 54: branch likely: the delay slot is annulled when not taken
  'BNEL', // 55
  'BLEZL', // 56
  'BGTZL', // 57
  'BLTZL', // 58
  'BGEZL', // 59
  'BLTZALL', // 60
  'BGEZALL', // 61
  'SEB', // 62: A=d B=t
  'SEH', // 63
  'WSBH', // 64
  'CLZ', // 65: A=d B=s
  'CLO', // 66
  'EXT', // 67: A=t|s<<8 B=lsb C=mask
  'INS', // 68: A=dest|t<<8|s<<16 B=lsb C=mask
  'DIV', // 69: B=s C=t
  'DIVU', // 70
  'MADD', // 71
  'MADDU', // 72
  'MSUB', // 73
  'MSUBU', // 74
  'LWL', // 75: A=t B=base C=offset (A is read and written)
  'LWR', // 76
  'SWL', // 77
  'SWR', // 78
  'SYSCALL', // 79: C=code (20 bits)
  'BREAK', // 80: C=code (20 bits)
  'ERET', // 81
  'WAIT', // 82
  'HYPCALL', // 83: C=code (10 bits)
  'MTC0', // 84: A=t B=reg<<3|sel (a write can change the privilege, so the loop refetches)
] as const;

/** First op number handled outside the main loop (MipsCpu.exec2). */
export const SECONDARY = 100;

export const OP2_NAMES = [
  'ADD', // 100: A=d B=s C=t; Integer Overflow traps
  'SUB', // 101
  'ADDI', // 102: A=t B=s C=imm
  'TRAP', // 103: A=s B=t C=cond|code<<4 (tge tgeu tlt tltu teq tne)
  'TRAPI', // 104: A=s B=cond C=imm (tgei tgeiu tlti tltiu teqi tnei)
  'LL', // 105: A=t B=base C=offset
  'SC', // 106: A=t (source; also gets 1/0) B=base C=offset
  'MFC0', // 107: A=t B=reg<<3|sel
  'DI', // 108: A=t
  'EI', // 109: A=t
  'RDHWR', // 110: A=t B=hardware register number
  'CACHE', // 111: privileged; no caches to maintain
  'PGPR', // 112: rdpgpr/wrpgpr A=d B=t (one shadow set: a privileged move)
] as const;

/** Op number by name, and the name of an op number (for tests and diagnostics). */
export const { OP, opName } = opTable(OP_NAMES, OP2_NAMES, SECONDARY);
export type OpName = keyof typeof OP;

// Register-file slots: 0..31 are the GPRs ($0 is never written, so it reads as zero).
/** Writes to $0 go here instead, so no instruction needs a $0 test. */
export const REG_DISCARD = 32;
export const REG_HI = 33;
export const REG_LO = 34;
export const REG_COUNT = 35;

/** Condition numbers of TRAP/TRAPI (the SPECIAL funct / REGIMM rt low bits). */
export const TRAP_GE = 0;
export const TRAP_GEU = 1;
export const TRAP_LT = 2;
export const TRAP_LTU = 3;
export const TRAP_EQ = 4;
export const TRAP_NE = 6;
