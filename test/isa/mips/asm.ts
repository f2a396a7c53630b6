// MIPS32 instruction encodings for unit tests, so they need no assembler. Each is checked
// against GNU as by test/isa/mips/asm.test.ts when mips-linux-gnu-as is installed.
// Branch offsets are in bytes from the branch itself (GNU as `.+off`); jump targets are absolute.
// No Linux counterpart.

const R = (rs: number, rt: number, rd: number, sa: number, fn: number): number =>
  ((rs << 21) | (rt << 16) | (rd << 11) | (sa << 6) | fn) >>> 0;
const I = (op: number, rs: number, rt: number, imm: number): number => ((op << 26) | (rs << 21) | (rt << 16) | (imm & 0xffff)) >>> 0;
const branchImm = (off: number): number => ((off - 4) >> 2) & 0xffff;

export const nop = 0;
export const ehb = R(0, 0, 0, 3, 0);
export const sync = 0x0000000f;
export const eret = 0x42000018;
export const wait = 0x42000020;
export const tlbwi = 0x42000002;
export const deret = 0x4200001f;
export const sdbbp = 0x7000003f;
export const syscall = (code = 0): number => (((code & 0xfffff) << 6) | 0x0c) >>> 0;
/** break with a 20-bit code field (GNU as `break hi, lo` puts hi in bits 25..16, lo in 15..6). */
export const brk = (code: number): number => (((code & 0xfffff) << 6) | 0x0d) >>> 0;
export const hypcall = (code: number): number => (0x42000028 | ((code & 0x3ff) << 11)) >>> 0;

export const addu = (d: number, s: number, t: number): number => R(s, t, d, 0, 0x21);
export const subu = (d: number, s: number, t: number): number => R(s, t, d, 0, 0x23);
export const add = (d: number, s: number, t: number): number => R(s, t, d, 0, 0x20);
export const sub = (d: number, s: number, t: number): number => R(s, t, d, 0, 0x22);
export const or = (d: number, s: number, t: number): number => R(s, t, d, 0, 0x25);
export const move = (d: number, s: number): number => or(d, s, 0);
export const sll = (d: number, t: number, sa: number): number => R(0, t, d, sa, 0x00);
export const rotr = (d: number, t: number, sa: number): number => R(1, t, d, sa, 0x02);
export const addiu = (t: number, s: number, imm: number): number => I(0x09, s, t, imm);
export const addi = (t: number, s: number, imm: number): number => I(0x08, s, t, imm);
export const ori = (t: number, s: number, imm: number): number => I(0x0d, s, t, imm);
export const lui = (t: number, imm: number): number => I(0x0f, 0, t, imm);
export const li = (t: number, imm: number): number => addiu(t, 0, imm);

export const lb = (t: number, off: number, b: number): number => I(0x20, b, t, off);
export const lh = (t: number, off: number, b: number): number => I(0x21, b, t, off);
export const lwl = (t: number, off: number, b: number): number => I(0x22, b, t, off);
export const lw = (t: number, off: number, b: number): number => I(0x23, b, t, off);
export const lbu = (t: number, off: number, b: number): number => I(0x24, b, t, off);
export const lhu = (t: number, off: number, b: number): number => I(0x25, b, t, off);
export const lwr = (t: number, off: number, b: number): number => I(0x26, b, t, off);
export const sb = (t: number, off: number, b: number): number => I(0x28, b, t, off);
export const sh = (t: number, off: number, b: number): number => I(0x29, b, t, off);
export const swl = (t: number, off: number, b: number): number => I(0x2a, b, t, off);
export const sw = (t: number, off: number, b: number): number => I(0x2b, b, t, off);
export const swr = (t: number, off: number, b: number): number => I(0x2e, b, t, off);
export const ll = (t: number, off: number, b: number): number => I(0x30, b, t, off);
export const sc = (t: number, off: number, b: number): number => I(0x38, b, t, off);
export const lwc1 = (ft: number, off: number, b: number): number => I(0x31, b, ft, off);
export const cache = (op: number, off: number, b: number): number => I(0x2f, b, op, off);
export const pref = (hint: number, off: number, b: number): number => I(0x33, b, hint, off);

export const beq = (s: number, t: number, off: number): number => I(0x04, s, t, branchImm(off));
export const bne = (s: number, t: number, off: number): number => I(0x05, s, t, branchImm(off));
export const b = (off: number): number => beq(0, 0, off);
export const blez = (s: number, off: number): number => I(0x06, s, 0, branchImm(off));
export const bgtz = (s: number, off: number): number => I(0x07, s, 0, branchImm(off));
export const bltz = (s: number, off: number): number => I(0x01, s, 0x00, branchImm(off));
export const bgez = (s: number, off: number): number => I(0x01, s, 0x01, branchImm(off));
export const bltzal = (s: number, off: number): number => I(0x01, s, 0x10, branchImm(off));
export const bgezal = (s: number, off: number): number => I(0x01, s, 0x11, branchImm(off));
export const bal = (off: number): number => bgezal(0, off);
export const beql = (s: number, t: number, off: number): number => I(0x14, s, t, branchImm(off));
export const bnel = (s: number, t: number, off: number): number => I(0x15, s, t, branchImm(off));
export const blezl = (s: number, off: number): number => I(0x16, s, 0, branchImm(off));
export const bgtzl = (s: number, off: number): number => I(0x17, s, 0, branchImm(off));
export const bltzl = (s: number, off: number): number => I(0x01, s, 0x02, branchImm(off));
export const bgezl = (s: number, off: number): number => I(0x01, s, 0x03, branchImm(off));
export const bltzall = (s: number, off: number): number => I(0x01, s, 0x12, branchImm(off));
export const bgezall = (s: number, off: number): number => I(0x01, s, 0x13, branchImm(off));
export const j = (target: number): number => ((0x02 << 26) | ((target >>> 2) & 0x3ffffff)) >>> 0;
export const jal = (target: number): number => ((0x03 << 26) | ((target >>> 2) & 0x3ffffff)) >>> 0;
export const jr = (s: number): number => R(s, 0, 0, 0, 0x08);
export const jalr = (d: number, s: number): number => R(s, 0, d, 0, 0x09);

export const mult = (s: number, t: number): number => R(s, t, 0, 0, 0x18);
export const multu = (s: number, t: number): number => R(s, t, 0, 0, 0x19);
export const div = (s: number, t: number): number => R(s, t, 0, 0, 0x1a);
export const divu = (s: number, t: number): number => R(s, t, 0, 0, 0x1b);
export const mfhi = (d: number): number => R(0, 0, d, 0, 0x10);
export const mflo = (d: number): number => R(0, 0, d, 0, 0x12);
export const mthi = (s: number): number => R(s, 0, 0, 0, 0x11);
export const mtlo = (s: number): number => R(s, 0, 0, 0, 0x13);
export const madd = (s: number, t: number): number => R(s, t, 0, 0, 0x00) | (0x1c << 26);
export const maddu = (s: number, t: number): number => (R(s, t, 0, 0, 0x01) | (0x1c << 26)) >>> 0;
export const msub = (s: number, t: number): number => (R(s, t, 0, 0, 0x04) | (0x1c << 26)) >>> 0;
export const msubu = (s: number, t: number): number => (R(s, t, 0, 0, 0x05) | (0x1c << 26)) >>> 0;
export const mul = (d: number, s: number, t: number): number => (R(s, t, d, 0, 0x02) | (0x1c << 26)) >>> 0;
export const clz = (d: number, s: number): number => (R(s, d, d, 0, 0x20) | (0x1c << 26)) >>> 0;
export const ext = (t: number, s: number, pos: number, size: number): number => (R(s, t, size - 1, pos, 0x00) | (0x1f << 26)) >>> 0;
export const ins = (t: number, s: number, pos: number, size: number): number => (R(s, t, pos + size - 1, pos, 0x04) | (0x1f << 26)) >>> 0;
export const seb = (d: number, t: number): number => (R(0, t, d, 0x10, 0x20) | (0x1f << 26)) >>> 0;
export const rdhwr = (t: number, hw: number): number => (R(0, t, hw, 0, 0x3b) | (0x1f << 26)) >>> 0;

export const teq = (s: number, t: number, code = 0): number => (((s << 21) | (t << 16) | ((code & 0x3ff) << 6) | 0x34) >>> 0);
export const tne = (s: number, t: number, code = 0): number => (((s << 21) | (t << 16) | ((code & 0x3ff) << 6) | 0x36) >>> 0);
export const tltu = (s: number, t: number, code = 0): number => (((s << 21) | (t << 16) | ((code & 0x3ff) << 6) | 0x33) >>> 0);
export const tgei = (s: number, imm: number): number => I(0x01, s, 0x08, imm);
export const tltiu = (s: number, imm: number): number => I(0x01, s, 0x0b, imm);
export const teqi = (s: number, imm: number): number => I(0x01, s, 0x0c, imm);

export const mfc0 = (t: number, rd: number, sel = 0): number => ((0x10 << 26) | (0 << 21) | (t << 16) | (rd << 11) | sel) >>> 0;
export const mtc0 = (t: number, rd: number, sel = 0): number => ((0x10 << 26) | (4 << 21) | (t << 16) | (rd << 11) | sel) >>> 0;
export const di = (t: number): number => (0x41606000 | (t << 16)) >>> 0;
export const ei = (t: number): number => (0x41606020 | (t << 16)) >>> 0;
export const rdpgpr = (d: number, t: number): number => ((0x10 << 26) | (0x0a << 21) | (t << 16) | (d << 11)) >>> 0;
export const wrpgpr = (d: number, t: number): number => ((0x10 << 26) | (0x0e << 21) | (t << 16) | (d << 11)) >>> 0;
export const jalx = (target: number): number => ((0x1d << 26) | ((target >>> 2) & 0x3ffffff)) >>> 0;

/** CP0 register numbers. */
export const C0 = {
  UserLocal: [4, 2],
  HWREna: [7, 0],
  BadVAddr: [8, 0],
  Count: [9, 0],
  Compare: [11, 0],
  Status: [12, 0],
  IntCtl: [12, 1],
  Cause: [13, 0],
  EPC: [14, 0],
  PRId: [15, 0],
  EBase: [15, 1],
  Config: [16, 0],
  Config1: [16, 1],
  Config3: [16, 3],
  ErrorEPC: [30, 0],
} as const;
export const mfc0r = (t: number, r: keyof typeof C0): number => mfc0(t, C0[r][0], C0[r][1]);
export const mtc0r = (t: number, r: keyof typeof C0): number => mtc0(t, C0[r][0], C0[r][1]);

/**
 * The assembler text of encoder calls, for the cross-check against GNU as. Assembled at address
 * 0 with `.set noreorder`, so `.+off` and absolute jump targets resolve as written.
 */
export const CROSS_CHECK: [string, number][] = [
  ['nop', nop],
  ['ehb', ehb],
  ['sync', sync],
  ['eret', eret],
  ['wait', wait],
  ['tlbwi', tlbwi],
  ['deret', deret],
  ['sdbbp', sdbbp],
  ['syscall', syscall()],
  ['syscall 0x12345', syscall(0x12345)],
  ['break 0x3ff, 0x3ff', brk(0xfffff)],
  ['break 0, 514', brk(514)],
  ['break 7', brk(7 << 10)],
  ['hypcall 0x55', hypcall(0x55)],
  ['addu $2, $3, $4', addu(2, 3, 4)],
  ['subu $5, $6, $7', subu(5, 6, 7)],
  ['add $8, $9, $10', add(8, 9, 10)],
  ['sub $11, $12, $13', sub(11, 12, 13)],
  ['or $14, $15, $16', or(14, 15, 16)],
  ['move $17, $18', move(17, 18)],
  ['sll $19, $20, 7', sll(19, 20, 7)],
  ['rotr $21, $22, 9', rotr(21, 22, 9)],
  ['addiu $23, $24, -5', addiu(23, 24, -5)],
  ['addi $25, $26, 0x7fff', addi(25, 26, 0x7fff)],
  ['ori $2, $3, 0xfedc', ori(2, 3, 0xfedc)],
  ['lui $4, 0x8000', lui(4, 0x8000)],
  ['lb $5, -1($6)', lb(5, -1, 6)],
  ['lh $7, 2($8)', lh(7, 2, 8)],
  ['lwl $9, 3($10)', lwl(9, 3, 10)],
  ['lw $11, 16($29)', lw(11, 16, 29)],
  ['lbu $12, 0($13)', lbu(12, 0, 13)],
  ['lhu $14, 6($15)', lhu(14, 6, 15)],
  ['lwr $16, 0($17)', lwr(16, 0, 17)],
  ['sb $18, 1($19)', sb(18, 1, 19)],
  ['sh $20, -2($21)', sh(20, -2, 21)],
  ['swl $22, 4($23)', swl(22, 4, 23)],
  ['sw $31, 28($29)', sw(31, 28, 29)],
  ['swr $24, 7($25)', swr(24, 7, 25)],
  ['ll $2, 0($4)', ll(2, 0, 4)],
  ['sc $3, 8($4)', sc(3, 8, 4)],
  ['lwc1 $f0, 0($4)', lwc1(0, 0, 4)],
  ['cache 0x14, 0($4)', cache(0x14, 0, 4)],
  ['pref 0, 0($4)', pref(0, 0, 4)],
  ['beq $2, $3, .+16', beq(2, 3, 16)],
  ['bne $4, $5, .-8', bne(4, 5, -8)],
  ['b .+12', b(12)],
  ['blez $6, .+8', blez(6, 8)],
  ['bgtz $7, .+8', bgtz(7, 8)],
  ['bltz $8, .+20', bltz(8, 20)],
  ['bgez $9, .+4', bgez(9, 4)],
  ['bltzal $10, .+8', bltzal(10, 8)],
  ['bgezal $11, .+8', bgezal(11, 8)],
  ['bal .+32', bal(32)],
  ['beql $2, $3, .+16', beql(2, 3, 16)],
  ['bnel $4, $5, .+12', bnel(4, 5, 12)],
  ['blezl $6, .+8', blezl(6, 8)],
  ['bgtzl $7, .+8', bgtzl(7, 8)],
  ['bltzl $8, .+8', bltzl(8, 8)],
  ['bgezl $9, .+8', bgezl(9, 8)],
  ['bltzall $10, .+8', bltzall(10, 8)],
  ['bgezall $11, .+8', bgezall(11, 8)],
  ['j 0x1000', j(0x1000)],
  ['jal 0x2ff0', jal(0x2ff0)],
  ['jr $31', jr(31)],
  ['jalr $25', jalr(31, 25)],
  ['jalr $5, $6', jalr(5, 6)],
  ['mult $2, $3', mult(2, 3)],
  ['multu $4, $5', multu(4, 5)],
  ['div $0, $6, $7', div(6, 7)],
  ['divu $0, $8, $9', divu(8, 9)],
  ['mfhi $10', mfhi(10)],
  ['mflo $11', mflo(11)],
  ['mthi $12', mthi(12)],
  ['mtlo $13', mtlo(13)],
  ['madd $14, $15', madd(14, 15)],
  ['maddu $16, $17', maddu(16, 17)],
  ['msub $18, $19', msub(18, 19)],
  ['msubu $20, $21', msubu(20, 21)],
  ['mul $2, $3, $4', mul(2, 3, 4)],
  ['clz $5, $6', clz(5, 6)],
  ['ext $7, $8, 3, 5', ext(7, 8, 3, 5)],
  ['ext $7, $8, 0, 32', ext(7, 8, 0, 32)],
  ['ins $9, $10, 4, 12', ins(9, 10, 4, 12)],
  ['seb $11, $12', seb(11, 12)],
  ['rdhwr $3, $29', rdhwr(3, 29)],
  ['teq $4, $0, 7', teq(4, 0, 7)],
  ['tne $5, $6, 0x3ff', tne(5, 6, 0x3ff)],
  ['tltu $7, $8', tltu(7, 8)],
  ['tgei $9, -3', tgei(9, -3)],
  ['tltiu $10, 100', tltiu(10, 100)],
  ['teqi $11, 5', teqi(11, 5)],
  ['mfc0 $2, $12', mfc0(2, 12)],
  ['mtc0 $3, $14', mtc0(3, 14)],
  ['mfc0 $4, $15, 1', mfc0(4, 15, 1)],
  ['mtc0 $5, $4, 2', mtc0(5, 4, 2)],
  ['di $6', di(6)],
  ['ei $7', ei(7)],
  ['di', di(0)],
  ['rdpgpr $8, $9', rdpgpr(8, 9)],
  ['wrpgpr $10, $11', wrpgpr(10, 11)],
  ['jalx 0x1000', jalx(0x1000)],
];
