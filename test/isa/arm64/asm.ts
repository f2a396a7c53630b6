// A few A64 instruction encodings for unit tests, so they need no assembler. Each is checked
// against GNU as by test/isa/arm64/asm.test.ts when aarch64-linux-gnu-as is installed.

export const nop = 0xd503201f;
export const eret = 0xd69f03e0;
export const svc = (imm: number): number => (0xd4000001 | (imm << 5)) >>> 0;
export const hvc = (imm: number): number => (0xd4000002 | (imm << 5)) >>> 0;
export const brk = (imm: number): number => (0xd4200000 | (imm << 5)) >>> 0;
export const hlt = (imm: number): number => (0xd4400000 | (imm << 5)) >>> 0;
/** MOVZ Xd, #imm16, LSL #shift */
export const movz = (d: number, imm: number, shift = 0): number => (0xd2800000 | ((shift / 16) << 21) | (imm << 5) | d) >>> 0;
/** ADD Xd|SP, Xn|SP, #imm12 */
export const addi = (d: number, n: number, imm: number): number => (0x91000000 | (imm << 10) | (n << 5) | d) >>> 0;
/** SUB Xd|SP, Xn|SP, #imm12 */
export const subi = (d: number, n: number, imm: number): number => (0xd1000000 | (imm << 10) | (n << 5) | d) >>> 0;
/** B to a byte offset from this instruction. */
export const b = (off: number): number => (0x14000000 | ((off >> 2) & 0x3ffffff)) >>> 0;
/** BL to a byte offset. */
export const bl = (off: number): number => (0x94000000 | ((off >> 2) & 0x3ffffff)) >>> 0;
export const br = (n: number): number => (0xd61f0000 | (n << 5)) >>> 0;
export const ret = 0xd65f03c0;
/** LDR Xt, [Xn|SP, #imm] (imm a multiple of 8) */
export const ldr = (t: number, n: number, imm = 0): number => (0xf9400000 | ((imm >> 3) << 10) | (n << 5) | t) >>> 0;
/** STR Xt, [Xn|SP, #imm] */
export const str = (t: number, n: number, imm = 0): number => (0xf9000000 | ((imm >> 3) << 10) | (n << 5) | t) >>> 0;
/** STR Wt, [Xn|SP] */
export const strw = (t: number, n: number): number => (0xb9000000 | (n << 5) | t) >>> 0;
/** LDP Xt1, Xt2, [Xn|SP], #imm (post-index) */
export const ldpPost = (t: number, t2: number, n: number, imm: number): number =>
  (0xa8c00000 | (((imm >> 3) & 0x7f) << 15) | (t2 << 10) | (n << 5) | t) >>> 0;
/** ADR Xd, offset */
export const adr = (d: number, off: number): number => (0x10000000 | ((off & 3) << 29) | (((off >> 2) & 0x7ffff) << 5) | d) >>> 0;
/** MOV Xd, SP (ADD Xd, SP, #0) and MOV SP, Xn */
export const movFromSp = (d: number): number => addi(d, 31, 0);
export const movToSp = (n: number): number => addi(31, n, 0);
/** System register encodings: op0, op1, CRn, CRm, op2. */
export const SYS = {
  NZCV: [3, 3, 4, 2, 0],
  DAIF: [3, 3, 4, 2, 1],
  SPSel: [3, 0, 4, 2, 0],
  CurrentEL: [3, 0, 4, 2, 2],
  SP_EL0: [3, 0, 4, 1, 0],
  SP_EL1: [3, 4, 4, 1, 0],
  ELR_EL1: [3, 0, 4, 0, 1],
  SPSR_EL1: [3, 0, 4, 0, 0],
  ESR_EL1: [3, 0, 5, 2, 0],
  FAR_EL1: [3, 0, 6, 0, 0],
  VBAR_EL1: [3, 0, 12, 0, 0],
  TPIDR_EL0: [3, 3, 13, 0, 2],
  TPIDRRO_EL0: [3, 3, 13, 0, 3],
  TPIDR_EL1: [3, 0, 13, 0, 4],
  CNTVCT_EL0: [3, 3, 14, 0, 2],
  CNTPCT_EL0: [3, 3, 14, 0, 1],
  CNTFRQ_EL0: [3, 3, 14, 0, 0],
  MIDR_EL1: [3, 0, 0, 0, 0],
  MPIDR_EL1: [3, 0, 0, 0, 5],
  CTR_EL0: [3, 3, 0, 0, 1],
  DCZID_EL0: [3, 3, 0, 0, 7],
  SCTLR_EL1: [3, 0, 1, 0, 0],
  TCR_EL1: [3, 0, 2, 0, 2],
} as const;
type SysName = keyof typeof SYS;
const sysBits = (r: SysName): number => {
  const [op0, op1, crn, crm, op2] = SYS[r];
  return ((op0 - 2) << 19) | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5);
};
export const mrs = (t: number, r: SysName): number => (0xd5300000 | sysBits(r) | t) >>> 0;
export const msr = (r: SysName, t: number): number => (0xd5100000 | sysBits(r) | t) >>> 0;
export const msrDaifSet = (imm: number): number => (0xd50340df | (imm << 8)) >>> 0;
export const msrDaifClr = (imm: number): number => (0xd50340ff | (imm << 8)) >>> 0;
export const msrSpSel = (imm: number): number => (0xd50040bf | (imm << 8)) >>> 0;
/** DC ZVA, Xt */
export const dcZva = (t: number): number => (0xd50b7420 | t) >>> 0;
/** FMOV D0, X0: a floating-point instruction this CPU does not implement. */
export const fmovD0X0 = 0x9e670000;

/** The assembler text of each encoder call above, for the cross-check against GNU as. */
export const CROSS_CHECK: [string, number][] = [
  ['nop', nop],
  ['eret', eret],
  ['svc #0x1234', svc(0x1234)],
  ['hvc #7', hvc(7)],
  ['brk #0x4', brk(4)],
  ['hlt #0xf000', hlt(0xf000)],
  ['movz x3, #0xbeef, lsl #16', movz(3, 0xbeef, 16)],
  ['add x1, x2, #4095', addi(1, 2, 4095)],
  ['sub sp, sp, #16', subi(31, 31, 16)],
  ['b .+8', b(8)],
  ['b .-4', b(-4)],
  ['bl .+64', bl(64)],
  ['br x5', br(5)],
  ['ret', ret],
  ['ldr x1, [x2, #16]', ldr(1, 2, 16)],
  ['str x3, [sp, #8]', str(3, 31, 8)],
  ['str w4, [x5]', strw(4, 5)],
  ['ldp x0, x1, [x2], #16', ldpPost(0, 1, 2, 16)],
  ['adr x6, .+12', adr(6, 12)],
  ['mov x7, sp', movFromSp(7)],
  ['mov sp, x8', movToSp(8)],
  ['mrs x1, nzcv', mrs(1, 'NZCV')],
  ['mrs x2, sp_el0', mrs(2, 'SP_EL0')],
  ['msr vbar_el1, x3', msr('VBAR_EL1', 3)],
  ['mrs x4, cntvct_el0', mrs(4, 'CNTVCT_EL0')],
  ['msr tpidr_el0, x5', msr('TPIDR_EL0', 5)],
  ['mrs x6, sp_el1', mrs(6, 'SP_EL1')],
  ['msr daifset, #0xf', msrDaifSet(15)],
  ['msr daifclr, #2', msrDaifClr(2)],
  ['msr spsel, #1', msrSpSel(1)],
  ['dc zva, x9', dcZva(9)],
  ['fmov d0, x0', fmovD0X0],
];
