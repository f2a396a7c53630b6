// Decoder checks independent of the oracle: a word of each class gets the right op and fields,
// fields the architecture requires to be zero are enforced, and what this CPU does not implement
// (FPU, COP2, MIPS16/microMIPS, TLB, EJTAG, release 6) is UNDEF.
// No Linux counterpart.
import { describe, expect, it } from 'vitest';
import { decode, hasDelaySlot, isSupported } from '../../../src/isa/mips/decode.ts';
import { REG_DISCARD, REG_HI, REG_LO } from '../../../src/isa/mips/ops.ts';
import * as A from './asm.ts';

const name = (w: number): string => `${(w >>> 0).toString(16)} ${decode(w).name}`;

describe('mips decoder', () => {
  it('names a word of each class', () => {
    const cases: [number, string][] = [
      [A.nop, 'NOP'],
      [A.ehb, 'NOP'],
      [A.sync, 'NOP'],
      [A.pref(0, 0, 4), 'NOP'],
      [0x041f0000, 'NOP'], // synci 0($zero)
      [A.sll(2, 3, 4), 'SLL'],
      [A.rotr(2, 3, 4), 'ROTR'],
      [A.addu(2, 3, 4), 'ADDU'],
      [A.move(2, 3), 'MOVE'],
      [A.addu(2, 3, 0), 'MOVE'],
      [A.mfhi(2), 'MOVE'],
      [A.mtlo(2), 'MOVE'],
      [A.li(2, -1), 'LI'],
      [A.lui(2, 0x8000), 'LI'],
      [A.ori(2, 0, 5), 'LI'],
      [A.ori(2, 3, 5), 'ORI'],
      [A.addiu(29, 29, -32), 'ADDIU'],
      [A.lw(2, 4, 29), 'LW'],
      [A.lwl(2, 1, 4), 'LWL'],
      [A.swr(2, 4, 4), 'SWR'],
      [A.ll(2, 0, 4), 'LL'],
      [A.sc(2, 0, 4), 'SC'],
      [A.beq(2, 3, 8), 'BEQ'],
      [A.b(8), 'B'],
      [A.bgez(0, 8), 'B'],
      [A.bal(8), 'BAL'],
      [A.bgezal(4, 8), 'BGEZAL'],
      [A.beql(2, 3, 8), 'BEQL'],
      [A.bgezall(4, 8), 'BGEZALL'],
      [A.j(0x400000), 'J'],
      [A.jal(0x400000), 'JAL'],
      [A.jr(31), 'JR'],
      [A.jr(31) | (16 << 6), 'JR'], // jr.hb
      [A.jalr(31, 25), 'JALR'],
      [A.mult(2, 3), 'MULT'],
      [A.div(2, 3), 'DIV'],
      [A.madd(2, 3), 'MADD'],
      [A.msubu(2, 3), 'MSUBU'],
      [A.mul(2, 3, 4), 'MUL'],
      [A.clz(2, 3), 'CLZ'],
      [A.ext(2, 3, 4, 5), 'EXT'],
      [A.ins(2, 3, 4, 5), 'INS'],
      [A.seb(2, 3), 'SEB'],
      [A.rdhwr(3, 29), 'RDHWR'],
      [A.syscall(), 'SYSCALL'],
      [A.brk(514), 'BREAK'],
      [A.teq(4, 0, 7), 'TRAP'],
      [A.teqi(4, 5), 'TRAPI'],
      [A.add(2, 3, 4), 'ADD'],
      [A.addi(2, 3, 4), 'ADDI'],
      [A.mfc0(2, 12), 'MFC0'],
      [A.mtc0(2, 14), 'MTC0'],
      [A.di(2), 'DI'],
      [A.ei(0), 'EI'],
      [A.eret, 'ERET'],
      [A.wait, 'WAIT'],
      [A.hypcall(1), 'HYPCALL'],
      [A.cache(0x14, 0, 4), 'CACHE'],
      [A.rdpgpr(2, 3), 'PGPR'],
    ];
    for (const [word, op] of cases) expect(name(word)).toBe(`${(word >>> 0).toString(16)} ${op}`);
  });

  it('decodes operand fields once: $0 destinations discarded, immediates extended, branch offsets in bytes', () => {
    expect(decode(A.addu(0, 3, 4)).fields).toEqual([REG_DISCARD, 3, 4]);
    expect(decode(A.addiu(5, 6, -2)).fields).toEqual([5, 6, -2]);
    expect(decode(A.ori(5, 6, 0xfffe)).fields).toEqual([5, 6, 0xfffe]);
    expect(decode(A.lui(7, 0x8001)).fields).toEqual([7, 0, 0x8001_0000 | 0]);
    expect(decode(A.beq(2, 3, -8)).fields).toEqual([2, 3, -8]);
    expect(decode(A.bne(2, 3, 0x20000)).fields).toEqual([2, 3, 0x20000]);
    expect(decode(A.j(0x0ffffffc)).fields).toEqual([0, 0, 0x0ffffffc]);
    expect(decode(A.mfhi(9)).fields).toEqual([9, REG_HI, 0]);
    expect(decode(A.mtlo(9)).fields).toEqual([REG_LO, 9, 0]);
    expect(decode(A.ext(2, 3, 4, 5)).fields).toEqual([2 | (3 << 8), 4, 0x1f]);
    expect(decode(A.ext(2, 3, 0, 32)).fields).toEqual([2 | (3 << 8), 0, -1]);
    expect(decode(A.ins(2, 3, 8, 16)).fields).toEqual([2 | (2 << 8) | (3 << 16), 8, 0xffff]);
    expect(decode(A.brk(0xfffff)).fields).toEqual([0, 0, 0xfffff]);
    expect(decode(A.teq(4, 5, 7)).fields).toEqual([4, 5, 4 | (7 << 4)]);
    expect(decode(A.mfc0(2, 15, 1)).fields).toEqual([2, (15 << 3) | 1, 0]);
    expect(decode(A.hypcall(0x3ff)).fields).toEqual([0, 0, 0x3ff]);
  });

  it('rejects words whose must-be-zero fields are set, and impossible bit-field sizes', () => {
    expect(isSupported(A.addu(2, 3, 4) | (1 << 6))).toBe(false); // sa != 0
    expect(isSupported(A.sll(2, 3, 4) | (5 << 21))).toBe(false); // rs != 0
    expect(isSupported(A.jr(31) | (1 << 11))).toBe(false); // rd != 0
    expect(isSupported(A.mult(2, 3) | (1 << 11))).toBe(false);
    expect(isSupported(A.mfc0(2, 12) | (1 << 3))).toBe(false);
    expect(isSupported(A.lui(2, 1) | (3 << 21))).toBe(false); // aui (release 6)
    expect(isSupported(A.blez(2, 8) | (3 << 16))).toBe(false); // release 6 compact branch
    expect(isSupported(((0x1f << 26) | (3 << 21) | (2 << 16) | (31 << 11) | (4 << 6)) >>> 0)).toBe(false); // ext pos 4 size 32
    expect(isSupported(((0x1f << 26) | (3 << 21) | (2 << 16) | (3 << 11) | (4 << 6) | 4) >>> 0)).toBe(false); // ins msb < lsb
    expect(isSupported(A.eret | (1 << 6))).toBe(false);
  });

  it('leaves FPU, COP2, MIPS16/microMIPS, TLB, EJTAG and unallocated encodings UNDEF', () => {
    const undef = [
      A.lwc1(0, 0, 4),
      0x46020000, // add.s $f0, $f0, $f2
      0x44820000, // mtc1 $2, $f0
      0x00000001, // movf $0, $0, $fcc0
      0x48020000, // mfc2
      A.jalx(0x1000),
      A.tlbwi,
      A.deret,
      A.sdbbp,
      0x7c000000 | (0x3f), // special3 function 0x3f
      0x0000003f, // special 0x3f
      0xec000000, // release 6 PC-relative
      0x00000035, // special 0x35 (no trap there)
      0x04050000, // regimm rt 5
    ];
    for (const w of undef) expect(name(w)).toBe(`${(w >>> 0).toString(16)} UNDEF`);
  });

  it('knows which instructions have a delay slot', () => {
    for (const w of [A.beq(1, 2, 8), A.bgezall(3, 8), A.j(0), A.jal(0), A.jr(31), A.jalr(31, 2), A.bal(8), A.bnel(1, 2, 8)]) {
      expect(hasDelaySlot(w)).toBe(true);
    }
    for (const w of [A.nop, A.eret, A.syscall(), A.brk(0), A.lw(1, 0, 2), A.teq(1, 2)]) expect(hasDelaySlot(w)).toBe(false);
  });
});
