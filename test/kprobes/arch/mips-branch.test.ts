// Branch evaluation for mips kprobes (src/kprobes/arch/mips-branch.ts): insn_has_delay_slot() as
// Linux's probes-common.h has it, and __compute_return_epc_for_insn() for every MIPS32r2 branch
// and jump, taken and not taken, with the link registers the hardware writes. The words come from
// test/isa/mips/asm.ts (checked against GNU as there); the CPU's own decoder is the cross-check
// for which words have a delay slot.

import { describe, expect, it } from 'vitest';
import { hasDelaySlot } from '../../../src/isa/mips/index.ts';
import {
  BRANCH_LIKELY_NOT_TAKEN,
  BRANCH_LIKELY_TAKEN,
  computeReturnEpcForInsn,
  insnHasDelaySlot,
  isBranchLikely,
  isEvaluableBranch,
} from '../../../src/kprobes/arch/mips-branch.ts';
import { MipsRegs } from '../../../src/kprobes/arch/mips-regs.ts';
import * as asm from '../../isa/mips/asm.ts';

const EPC = 0x8010_0100;
const A0 = 4;
const A1 = 5;
const T8 = 24;
const T9 = 25;
const RA = 31;
const OLD_RA = 0x1234_5678n;

/** Evaluate `insn` at EPC with a0, a1 (signed numbers welcome) and t9 set; what it did. */
function evaluate(insn: number, a0 = 0, a1 = 0, t9 = 0): { ret: number; epc: number; ra: bigint; t8: bigint } {
  const regs = MipsRegs.of({ c0_epc: BigInt(EPC), r4: BigInt(a0 >>> 0), r5: BigInt(a1 >>> 0), r25: BigInt(t9 >>> 0), r31: OLD_RA });
  const ret = computeReturnEpcForInsn(regs, insn);
  return { ret, epc: Number(regs.pc), ra: regs.r31, t8: regs.r24 };
}

const TARGET = EPC + 0x40; // every branch below goes to .+0x40
const FALL = EPC + 8;
const LINK = BigInt(EPC + 8);

describe('insnHasDelaySlot (probes-common.h __insn_has_delay_slot)', () => {
  const branches: [string, number][] = [
    ['beq', asm.beq(2, 3, 16)],
    ['bne', asm.bne(2, 3, 16)],
    ['blez', asm.blez(2, 16)],
    ['bgtz', asm.bgtz(2, 16)],
    ['bltz', asm.bltz(2, 16)],
    ['bgez', asm.bgez(2, 16)],
    ['bltzal', asm.bltzal(2, 16)],
    ['bgezal', asm.bgezal(2, 16)],
    ['bal', asm.bal(16)],
    ['beql', asm.beql(2, 3, 16)],
    ['bnel', asm.bnel(2, 3, 16)],
    ['blezl', asm.blezl(2, 16)],
    ['bgtzl', asm.bgtzl(2, 16)],
    ['bltzl', asm.bltzl(2, 16)],
    ['bgezl', asm.bgezl(2, 16)],
    ['bltzall', asm.bltzall(2, 16)],
    ['bgezall', asm.bgezall(2, 16)],
    ['j', asm.j(0x1000)],
    ['jal', asm.jal(0x1000)],
    ['jr', asm.jr(31)],
    ['jalr', asm.jalr(31, 25)],
  ];
  const others: [string, number][] = [
    ['nop', asm.nop],
    ['addiu', asm.addiu(2, 3, 1)],
    ['lw', asm.lw(2, 0, 4)],
    ['sw', asm.sw(2, 0, 4)],
    ['ll', asm.ll(2, 0, 4)],
    ['sc', asm.sc(2, 0, 4)],
    ['syscall', asm.syscall()],
    ['break', asm.brk(515)],
    ['teq', asm.teq(2, 0, 7)],
    ['tgei', asm.tgei(2, 1)],
    ['eret', asm.eret],
    ['mfc0', asm.mfc0r(2, 'Status')],
    ['divu', asm.divu(2, 3)],
    ['mul', asm.mul(2, 3, 4)],
    ['ext', asm.ext(2, 3, 4, 5)],
    ['jalx', asm.jalx(0x1000)],
  ];

  it('is true for every branch and jump, as the CPU decodes them', () => {
    for (const [name, w] of branches) {
      expect(insnHasDelaySlot(w), name).toBe(true);
      expect(hasDelaySlot(w), name).toBe(true);
      expect(isEvaluableBranch(w), name).toBe(true);
    }
  });

  it('is false for other instructions (jalx too: Linux leaves it out)', () => {
    for (const [name, w] of others) {
      expect(insnHasDelaySlot(w), name).toBe(false);
      expect(isEvaluableBranch(w), name).toBe(false);
    }
  });

  it('is true for every COP1 word and for BPOSGE32, which are not evaluable here', () => {
    const bc1f = 0x4500_0003;
    const mtc1 = 0x4482_0000;
    const bposge32 = (0x01 << 26) | (0x1c << 16) | 3;
    for (const w of [bc1f, mtc1, bposge32]) {
      expect(insnHasDelaySlot(w)).toBe(true);
      expect(isEvaluableBranch(w)).toBe(false);
    }
  });

  it('knows the branch-likely forms', () => {
    const likely = new Set(['beql', 'bnel', 'blezl', 'bgtzl', 'bltzl', 'bgezl', 'bltzall', 'bgezall']);
    for (const [name, w] of branches) expect(isBranchLikely(w), name).toBe(likely.has(name));
  });
});

describe('computeReturnEpcForInsn (branch.c __compute_return_epc_for_insn)', () => {
  /** [name, word, (a0, a1) taking it, (a0, a1) not taking it]. */
  const conditional: [string, number, [number, number], [number, number]][] = [
    ['beq', asm.beq(A0, A1, 0x40), [7, 7], [7, 8]],
    ['bne', asm.bne(A0, A1, 0x40), [7, 8], [7, 7]],
    ['blez (0)', asm.blez(A0, 0x40), [0, 0], [1, 0]],
    ['blez (negative)', asm.blez(A0, 0x40), [-1, 0], [0x7fff_ffff, 0]],
    ['bgtz', asm.bgtz(A0, 0x40), [1, 0], [0, 0]],
    ['bgtz (negative)', asm.bgtz(A0, 0x40), [0x7fff_ffff, 0], [-0x8000_0000, 0]],
    ['bltz', asm.bltz(A0, 0x40), [-1, 0], [0, 0]],
    ['bgez', asm.bgez(A0, 0x40), [0, 0], [-1, 0]],
  ];
  const likely: typeof conditional = [
    ['beql', asm.beql(A0, A1, 0x40), [7, 7], [7, 8]],
    ['bnel', asm.bnel(A0, A1, 0x40), [7, 8], [7, 7]],
    ['blezl', asm.blezl(A0, 0x40), [-5, 0], [5, 0]],
    ['bgtzl', asm.bgtzl(A0, 0x40), [5, 0], [-5, 0]],
    ['bltzl', asm.bltzl(A0, 0x40), [-5, 0], [5, 0]],
    ['bgezl', asm.bgezl(A0, 0x40), [0, 0], [-5, 0]],
  ];

  it('conditional branches: the target when taken, epc + 8 when not; no link', () => {
    for (const [name, w, yes, no] of conditional) {
      expect(evaluate(w, ...yes), `${name} taken`).toEqual({ ret: 0, epc: TARGET, ra: OLD_RA, t8: 0n });
      expect(evaluate(w, ...no), `${name} not taken`).toEqual({ ret: 0, epc: FALL, ra: OLD_RA, t8: 0n });
    }
  });

  it('backward offsets wrap as 32-bit addresses', () => {
    expect(evaluate(asm.beq(0, 0, -0x100)).epc).toBe(EPC - 0x100);
    expect(evaluate(asm.b(4)).epc).toBe(EPC + 4);
  });

  it('branch-likely: taken runs the slot (BRANCH_LIKELY_TAKEN), not taken annuls it (BRANCH_LIKELY_NOT_TAKEN)', () => {
    for (const [name, w, yes, no] of likely) {
      expect(evaluate(w, ...yes), `${name} taken`).toEqual({ ret: BRANCH_LIKELY_TAKEN, epc: TARGET, ra: OLD_RA, t8: 0n });
      expect(evaluate(w, ...no), `${name} not taken`).toEqual({ ret: BRANCH_LIKELY_NOT_TAKEN, epc: FALL, ra: OLD_RA, t8: 0n });
    }
  });

  it('bltzal/bgezal write ra = epc + 8 whether or not they branch', () => {
    expect(evaluate(asm.bltzal(A0, 0x40), -1)).toEqual({ ret: 0, epc: TARGET, ra: LINK, t8: 0n });
    expect(evaluate(asm.bltzal(A0, 0x40), 1)).toEqual({ ret: 0, epc: FALL, ra: LINK, t8: 0n });
    expect(evaluate(asm.bgezal(A0, 0x40), 0)).toEqual({ ret: 0, epc: TARGET, ra: LINK, t8: 0n });
    expect(evaluate(asm.bgezal(A0, 0x40), -1)).toEqual({ ret: 0, epc: FALL, ra: LINK, t8: 0n });
  });

  it('bltzall/bgezall link always and report the likely outcome', () => {
    expect(evaluate(asm.bltzall(A0, 0x40), -1)).toEqual({ ret: BRANCH_LIKELY_TAKEN, epc: TARGET, ra: LINK, t8: 0n });
    expect(evaluate(asm.bltzall(A0, 0x40), 0)).toEqual({ ret: BRANCH_LIKELY_NOT_TAKEN, epc: FALL, ra: LINK, t8: 0n });
    expect(evaluate(asm.bgezall(A0, 0x40), 3)).toEqual({ ret: BRANCH_LIKELY_TAKEN, epc: TARGET, ra: LINK, t8: 0n });
    expect(evaluate(asm.bgezall(A0, 0x40), -3)).toEqual({ ret: BRANCH_LIKELY_NOT_TAKEN, epc: FALL, ra: LINK, t8: 0n });
  });

  it('bal (bgezal $0) always branches; nal (bltzal $0) never does, as the hardware', () => {
    expect(evaluate(asm.bal(0x40))).toEqual({ ret: 0, epc: TARGET, ra: LINK, t8: 0n });
    expect(evaluate(asm.bltzal(0, 0x40))).toEqual({ ret: 0, epc: FALL, ra: LINK, t8: 0n });
    expect(evaluate(asm.bltzall(0, 0x40))).toEqual({ ret: BRANCH_LIKELY_NOT_TAKEN, epc: FALL, ra: LINK, t8: 0n });
  });

  it('a condition on ra itself reads ra before the link is written', () => {
    const regs = MipsRegs.of({ c0_epc: BigInt(EPC), r31: 0xffff_fff0n });
    computeReturnEpcForInsn(regs, asm.bltzal(RA, 0x40));
    expect([Number(regs.pc), regs.r31]).toEqual([TARGET, LINK]);
  });

  it('j and jal: the 256 MB region of the delay slot; jal links', () => {
    expect(evaluate(asm.j(0x0012_3450))).toEqual({ ret: 0, epc: 0x8012_3450, ra: OLD_RA, t8: 0n });
    expect(evaluate(asm.jal(0x0040_0000))).toEqual({ ret: 0, epc: 0x8040_0000, ra: LINK, t8: 0n });
    // A jump in the last slot of a region goes to the next region (epc + 4 decides).
    const regs = MipsRegs.of({ c0_epc: 0x8fff_fffcn });
    computeReturnEpcForInsn(regs, asm.j(0x100));
    expect(regs.pc).toBe(0x9000_0100n);
  });

  it('jr and jalr: the register; jalr links in rd (ra or another), $0 discards the link', () => {
    expect(evaluate(asm.jr(T9), 0, 0, 0x8010_2000)).toEqual({ ret: 0, epc: 0x8010_2000, ra: OLD_RA, t8: 0n });
    expect(evaluate(asm.jalr(RA, T9), 0, 0, 0x8010_2000)).toEqual({ ret: 0, epc: 0x8010_2000, ra: LINK, t8: 0n });
    expect(evaluate(asm.jalr(T8, T9), 0, 0, 0x8010_2000)).toEqual({ ret: 0, epc: 0x8010_2000, ra: OLD_RA, t8: LINK });
    const regs = MipsRegs.of({ c0_epc: BigInt(EPC), r25: 0x8010_2000n });
    computeReturnEpcForInsn(regs, asm.jalr(0, T9));
    expect([regs.pc, regs.r0]).toEqual([0x8010_2000n, 0n]);
    // jalr rd, rs with rd == rs: the old rs is the target.
    const same = MipsRegs.of({ c0_epc: BigInt(EPC), r25: 0x8010_2000n });
    computeReturnEpcForInsn(same, asm.jalr(T9, T9));
    expect([same.pc, same.r25]).toEqual([0x8010_2000n, LINK]);
  });

  it('leaves regs alone for a word that is not a branch', () => {
    expect(evaluate(asm.addiu(2, 3, 1))).toEqual({ ret: 0, epc: EPC, ra: OLD_RA, t8: 0n });
  });
});
