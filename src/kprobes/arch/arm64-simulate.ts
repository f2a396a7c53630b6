// Simulation of the arm64 instructions that cannot run out of line because they read the PC:
// the counterpart of arch/arm64/kernel/probes/simulate-insn.c (simulate_b_bl, simulate_b_cond,
// simulate_br_blr_ret, simulate_cbz_cbnz, simulate_tbz_tbnz, simulate_adr_adrp,
// simulate_ldr_literal, simulate_ldrsw_literal) and of the condition checks of
// arch/arm64/kernel/insn.c's aarch32_opcode_cond_checks. Each works on the pt_regs view and,
// for literal loads, on kernel memory; `addr` is the probed instruction's address as the
// canonical 64-bit value.

import type { Arm64PtRegs } from '../types.ts';

/** The memory a literal load reads (kernel addresses, 48-bit). */
export interface SimulateMemory {
  read32(address: number): number;
  read64(address: number): bigint;
}

export type SimulateHandler = (opcode: number, addr: bigint, regs: Arm64PtRegs, memory: SimulateMemory) => void;

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const addr48 = (v: bigint): number => Number(v & 0xffff_ffff_ffffn);

/** imm26 << 2, sign-extended from bit 27. */
export function bblDisplacement(insn: number): number {
  return ((insn & 0x3ffffff) << 6) >> 4;
}
/** imm19 << 2, sign-extended from bit 20 (B.cond, CBZ/CBNZ, LDR literal). */
export function imm19Displacement(insn: number): number {
  return (((insn >>> 5) & 0x7ffff) << 13) >> 11;
}
/** imm14 << 2, sign-extended from bit 15 (TBZ/TBNZ). */
export function tbzDisplacement(insn: number): number {
  return (((insn >>> 5) & 0x3fff) << 18) >> 16;
}

const PSR_N = 1n << 31n;
const PSR_Z = 1n << 30n;
const PSR_C = 1n << 29n;
const PSR_V = 1n << 28n;

/** aarch32_opcode_cond_checks[cond](pstate): EQ NE CS CC MI PL VS VC HI LS GE LT GT LE AL NV. */
export function conditionHolds(cond: number, pstate: bigint): boolean {
  const n = (pstate & PSR_N) !== 0n;
  const z = (pstate & PSR_Z) !== 0n;
  const c = (pstate & PSR_C) !== 0n;
  const v = (pstate & PSR_V) !== 0n;
  switch (cond & 0xf) {
    case 0x0: return z;
    case 0x1: return !z;
    case 0x2: return c;
    case 0x3: return !c;
    case 0x4: return n;
    case 0x5: return !n;
    case 0x6: return v;
    case 0x7: return !v;
    case 0x8: return c && !z;
    case 0x9: return !c || z;
    case 0xa: return n === v;
    case 0xb: return n !== v;
    case 0xc: return !z && n === v;
    case 0xd: return z || n !== v;
    default: return true; // AL, and NV which behaves as AL in A64
  }
}

export const simulateAdrAdrp: SimulateHandler = (opcode, addr, regs) => {
  const xn = opcode & 0x1f;
  // immhi (bits 23..5) : immlo (bits 30..29), 21 bits signed.
  const imm = ((((opcode >>> 3) & 0x1ffffc) | ((opcode >>> 29) & 0x3)) << 11) >> 11;
  const val = opcode & 0x80000000 ? (BigInt(imm) << 12n) + (addr & ~0xfffn) : BigInt(imm) + addr;
  regs.writeReg(xn, u64(val));
  regs.pc = regs.pc + 4n;
};

export const simulateBBl: SimulateHandler = (opcode, addr, regs) => {
  const disp = bblDisplacement(opcode);
  if (opcode & 0x80000000) regs.writeReg(30, u64(addr + 4n)); // BL: link register is x30
  regs.pc = u64(addr + BigInt(disp));
};

export const simulateBCond: SimulateHandler = (opcode, addr, regs) => {
  const disp = conditionHolds(opcode & 0xf, regs.pstate & 0xffff_ffffn) ? imm19Displacement(opcode) : 4;
  regs.pc = u64(addr + BigInt(disp));
};

export const simulateBrBlrRet: SimulateHandler = (opcode, addr, regs) => {
  const xn = (opcode >>> 5) & 0x1f;
  // The PC first, in case this is "blr lr".
  regs.pc = regs.readReg(xn);
  if (((opcode >>> 21) & 0x3) === 1) regs.writeReg(30, u64(addr + 4n)); // BLR
};

export const simulateCbzCbnz: SimulateHandler = (opcode, addr, regs) => {
  const xn = opcode & 0x1f;
  const value = opcode & 0x80000000 ? regs.readReg(xn) : regs.readReg(xn) & 0xffff_ffffn;
  const taken = opcode & (1 << 24) ? value !== 0n : value === 0n;
  regs.pc = u64(addr + BigInt(taken ? imm19Displacement(opcode) : 4));
};

export const simulateTbzTbnz: SimulateHandler = (opcode, addr, regs) => {
  const xn = opcode & 0x1f;
  const bitPos = ((opcode >>> 26) & 0x20) | ((opcode >>> 19) & 0x1f);
  const bit = (regs.readReg(xn) >> BigInt(bitPos)) & 1n;
  const taken = opcode & (1 << 24) ? bit !== 0n : bit === 0n;
  regs.pc = u64(addr + BigInt(taken ? tbzDisplacement(opcode) : 4));
};

export const simulateLdrLiteral: SimulateHandler = (opcode, addr, regs, memory) => {
  const xn = opcode & 0x1f;
  const loadAddr = addr48(addr + BigInt(imm19Displacement(opcode)));
  if (opcode & (1 << 30)) regs.writeReg(xn, memory.read64(loadAddr)); // x0-x30
  else regs.writeReg(xn, BigInt(memory.read32(loadAddr) >>> 0)); // w0-w30, zero-extended
  regs.pc = regs.pc + 4n;
};

export const simulateLdrswLiteral: SimulateHandler = (opcode, addr, regs, memory) => {
  const xn = opcode & 0x1f;
  const loadAddr = addr48(addr + BigInt(imm19Displacement(opcode)));
  regs.writeReg(xn, u64(BigInt(memory.read32(loadAddr) | 0)));
  regs.pc = regs.pc + 4n;
};
