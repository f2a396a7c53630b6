// The simulated arm64 instructions (src/kprobes/arch/arm64-simulate.ts, after
// arch/arm64/kernel/probes/simulate-insn.c), run on the test image's real code. Branch targets
// and literal addresses come from the assembler's symbols; the condition codes are checked
// against qemu executing every B.cond under every NZCV.

import { describe, expect, it } from 'vitest';
import { Arm64Regs, arm64Canonical } from '../../../src/kprobes/arch/arm64-regs.ts';
import {
  conditionHolds,
  simulateAdrAdrp,
  simulateBBl,
  simulateBCond,
  simulateBrBlrRet,
  simulateCbzCbnz,
  simulateLdrLiteral,
  simulateLdrswLiteral,
  simulateTbzTbnz,
  type SimulateHandler,
} from '../../../src/kprobes/arch/arm64-simulate.ts';
import { ASM_TOOLS, assembleWords, runUserProgram } from '../support/asm.ts';
import { guestImage, loadImage } from '../support/guest.ts';
import { requireTools } from '../../helpers/tools.ts';

const haveAsm = requireTools(...ASM_TOOLS);
const haveQemu = haveAsm && requireTools('qemu-aarch64-static');

const CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];

describe.skipIf(!haveAsm)('arm64 simulation on the test image', () => {
  const image = haveAsm ? guestImage() : undefined!;
  const memory = haveAsm ? loadImage(image) : undefined!;
  const A = (name: string): number => image.addr(name);
  const C = (name: string, off = 0): bigint => arm64Canonical(image.addr(name) + off);

  /** Simulate the instruction at sym+off with the given registers; the resulting view. */
  function sim(handler: SimulateHandler, sym: string, off: number, regs: Record<string, bigint> = {}): Arm64Regs {
    const addr = A(sym) + off;
    const r = Arm64Regs.of({ ...regs, pc: arm64Canonical(addr) });
    handler(memory.read32(addr) >>> 0, arm64Canonical(addr), r, memory);
    return r;
  }

  it('B and BL go to the assembler\'s target; BL links x30', () => {
    const bl = sim(simulateBBl, 'caller', 8, { x30: 0x1234n });
    expect(bl.pc).toBe(C('kprobe_target'));
    expect(bl.x30).toBe(C('caller', 12));
    const b = sim(simulateBBl, 'tail_fn', 0, { x30: 0x1234n });
    expect(b.pc).toBe(C('kprobe_target'));
    expect(b.x30).toBe(0x1234n);
    // A backward branch.
    const back = sim(simulateBBl, 'sum_loop', 16);
    expect(back.pc).toBe(C('sum_loop', 4));
  });

  it('CBZ/CBNZ test the X or W register', () => {
    expect(sim(simulateCbzCbnz, 'branchy', 0, { x0: 0n }).pc).toBe(C('branchy_zero'));
    expect(sim(simulateCbzCbnz, 'branchy', 0, { x0: 1n }).pc).toBe(C('branchy', 4));
    // cbnz w0: only the low 32 bits count.
    expect(sim(simulateCbzCbnz, 'branchy2', 0, { x0: 0x1_0000_0000n }).pc).toBe(C('branchy2', 4));
    expect(sim(simulateCbzCbnz, 'branchy2', 0, { x0: 0x1_0000_0001n }).pc).toBe(C('branchy2_nz'));
  });

  it('TBZ/TBNZ test the bit, including bit 63 (b5 in bit 31)', () => {
    expect(sim(simulateTbzTbnz, 'branchy', 4, { x0: 2n }).pc).toBe(C('branchy_bit1'));
    expect(sim(simulateTbzTbnz, 'branchy', 4, { x0: 5n }).pc).toBe(C('branchy', 8));
    expect(sim(simulateTbzTbnz, 'branchy2_nz', 0, { x0: 1n }).pc).toBe(C('branchy2_pos'));
    expect(sim(simulateTbzTbnz, 'branchy2_nz', 0, { x0: 1n << 63n }).pc).toBe(C('branchy2_nz', 4));
  });

  it('B.cond follows PSTATE', () => {
    // branchy+12 is b.gt after cmp x0, #5.
    const gt = 0n; // N=V, Z=0
    const le = 1n << 30n; // Z=1
    expect(sim(simulateBCond, 'branchy', 12, { pstate: gt | 0x3c5n }).pc).toBe(C('branchy_gt5'));
    expect(sim(simulateBCond, 'branchy', 12, { pstate: le | 0x3c5n }).pc).toBe(C('branchy', 16));
  });

  it('ADR/ADRP compute from the probed address, then step over', () => {
    const r = sim(simulateAdrAdrp, 'adr_fn', 0);
    expect(r.x0).toBe(C('data_word') & ~0xfffn);
    expect(r.pc).toBe(C('adr_fn', 4));
    expect(sim(simulateAdrAdrp, 'adr_fn', 12).x1).toBe(C('adr_fn'));
    expect(sim(simulateAdrAdrp, 'adr_fn', 16).x2).toBe(C('adr_fn_end'));
  });

  it('BR/BLR/RET jump through the register; BLR links, also as "blr lr"', () => {
    const blr = sim(simulateBrBlrRet, 'indirect_fn', 12, { x16: C('kprobe_target2'), x30: 7n });
    expect(blr.pc).toBe(C('kprobe_target2'));
    expect(blr.x30).toBe(C('indirect_fn', 16));
    const br = sim(simulateBrBlrRet, 'jump_fn', 4, { x17: C('kprobe_target2'), x30: 7n });
    expect(br.pc).toBe(C('kprobe_target2'));
    expect(br.x30).toBe(7n);
    const ret = sim(simulateBrBlrRet, 'kprobe_target', 8, { x30: C('caller', 12) });
    expect(ret.pc).toBe(C('caller', 12));
    const [blrLr] = assembleWords(['blr x30']);
    const r = Arm64Regs.of({ x30: 0xffff800008000100n, pc: 0xffff800008000040n });
    simulateBrBlrRet(blrLr!, 0xffff800008000040n, r, memory);
    expect(r.pc).toBe(0xffff800008000100n);
    expect(r.x30).toBe(0xffff800008000044n);
  });

  it('CBZ on xzr always branches (register 31 reads as zero)', () => {
    const [w] = assembleWords(['cbz xzr, .+12']);
    const r = Arm64Regs.of({ pc: 0xffff800008000040n });
    simulateCbzCbnz(w!, 0xffff800008000040n, r, memory);
    expect(r.pc).toBe(0xffff80000800004cn);
  });

  it('LDR/LDRSW literal load from the literal pool', () => {
    const q = sim(simulateLdrLiteral, 'literal_load', 0);
    expect(q.x0).toBe(memory.read64(A('lit_q')));
    expect(q.x0).toBe(0x1122334455667788n);
    expect(q.pc).toBe(C('literal_load', 4));
    const sw = sim(simulateLdrswLiteral, 'literal_load', 4, { x1: 0xdeadn });
    expect(sw.x1).toBe(BigInt.asUintN(64, -16n));
    // ldr w2: zero-extended into x2.
    const w = sim(simulateLdrLiteral, 'literal_load', 8, { x2: 0xffff_ffff_ffff_ffffn });
    expect(w.x2).toBe(0x80000001n);
  });
});

describe.skipIf(!haveQemu)('B.cond conditions against qemu', () => {
  it('agree for all 16 conditions under all 16 NZCV values', () => {
    const body = CONDS.map(
      (c) => `\tmsr nzcv, x0\n\tmov w1, #0\n\tb.${c} 1f\n\tb 2f\n1:\tmov w1, #1\n2:\tstrb w1, [x20], #1\n`,
    ).join('');
    const out = runUserProgram(`
	.global _start
	.text
_start:
	adrp x20, buf
	add x20, x20, :lo12:buf
	mov x21, #0
outer:
	lsl x0, x21, #28
${body}
	add x21, x21, #1
	cmp x21, #16
	b.lt outer
	mov x0, #1
	adrp x1, buf
	add x1, x1, :lo12:buf
	mov x2, #256
	mov x8, #64
	svc #0
	mov x0, #0
	mov x8, #93
	svc #0
	.data
buf:	.skip 256
`);
    expect(out.length).toBe(256);
    const words = assembleWords(CONDS.map((c) => `b.${c} .+64`));
    const addr = 0xffff800008000100n;
    for (let nzcv = 0; nzcv < 16; nzcv++) {
      for (let c = 0; c < 16; c++) {
        const taken = out[nzcv * 16 + c] === 1;
        expect(conditionHolds(c, BigInt(nzcv) << 28n), `${CONDS[c]} nzcv=${nzcv.toString(2)}`).toBe(taken);
        const r = Arm64Regs.of({ pstate: BigInt(nzcv) << 28n, pc: addr });
        simulateBCond(words[c]!, addr, r, {} as never);
        expect(r.pc).toBe(taken ? addr + 64n : addr + 4n);
      }
    }
  });
});
