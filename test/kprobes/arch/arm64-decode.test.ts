// Which arm64 instructions kprobes steps out of line, simulates or rejects
// (src/kprobes/arch/arm64-decode.ts, after arch/arm64/kernel/probes/decode-insn.c). Every word is
// produced by GNU as from its mnemonic; the expected class is the rule Linux applies to it.

import { describe, expect, it } from 'vitest';
import {
  armKprobeDecodeInsn,
  classifyInsn,
  INSN_GOOD,
  INSN_GOOD_NO_SLOT,
  INSN_REJECTED,
} from '../../../src/kprobes/arch/arm64-decode.ts';
import {
  simulateAdrAdrp,
  simulateBBl,
  simulateBCond,
  simulateBrBlrRet,
  simulateCbzCbnz,
  simulateLdrLiteral,
  simulateLdrswLiteral,
  simulateTbzTbnz,
} from '../../../src/kprobes/arch/arm64-simulate.ts';
import { BRK64_OPCODE_KPROBES, BRK64_OPCODE_KPROBES_SS, BRK64_OPCODE_KRETPROBES } from '../../../src/kprobes/arch/arm64.ts';
import { ASM_TOOLS, assembleWords } from '../support/asm.ts';
import { guestImage, loadImage, TestSymbols } from '../support/guest.ts';
import { requireTools } from '../../helpers/tools.ts';

const haveAsm = requireTools(...ASM_TOOLS);

type Cls = 'stepped' | 'simulated' | 'rejected';
const table: [string, Cls, string?][] = [
  // Data processing, loads and stores: out of line.
  ['nop', 'stepped'],
  ['mov x0, x1', 'stepped'],
  ['add x0, x1, #1', 'stepped'],
  ['sub sp, sp, #32', 'stepped'],
  ['mul x0, x1, x2', 'stepped'],
  ['udiv w0, w0, w1', 'stepped'],
  ['csel x0, x1, x2, eq', 'stepped'],
  ['ubfx x0, x1, #4, #8', 'stepped'],
  ['movz x0, #0x1234, lsl #16', 'stepped'],
  ['movk x0, #0x1234', 'stepped'],
  ['ldr x0, [x1]', 'stepped'],
  ['ldrb w0, [x1, #3]', 'stepped'],
  ['str x0, [sp, #8]', 'stepped'],
  ['stp x29, x30, [sp, #-16]!', 'stepped'],
  ['ldp x29, x30, [sp], #16', 'stepped'],
  ['ldar x0, [x1]', 'stepped'],
  ['stlr w0, [x1]', 'stepped'],
  ['cas x0, x1, [x2]', 'stepped'],
  ['ldadd w0, w1, [x2]', 'stepped'],
  ['prfm pldl1keep, [x0]', 'stepped'],
  // System class: barriers, cache maintenance, MRS DAIF and the steppable hints.
  ['dmb ish', 'stepped'],
  ['dsb sy', 'stepped'],
  ['isb', 'stepped'],
  ['dc civac, x0', 'stepped'],
  ['mrs x0, daif', 'stepped'],
  ['paciasp', 'stepped'],
  ['pacibsp', 'stepped'],
  ['xpaclri', 'stepped'],
  ['bti c', 'stepped'],
  ['bti jc', 'stepped'],
  // Linux does not count SIMD&FP literal loads as literal loads: they are stepped.
  ['ldr q0, .+8', 'stepped'],
  // Reading the PC: simulated.
  ['b .+8', 'simulated', simulateBBl.name],
  ['bl .-4', 'simulated', simulateBBl.name],
  ['b.eq .+8', 'simulated', simulateBCond.name],
  ['b.gt .-16', 'simulated', simulateBCond.name],
  ['cbz x0, .+8', 'simulated', simulateCbzCbnz.name],
  ['cbnz w3, .+8', 'simulated', simulateCbzCbnz.name],
  ['tbz x0, #33, .+8', 'simulated', simulateTbzTbnz.name],
  ['tbnz w1, #3, .+8', 'simulated', simulateTbzTbnz.name],
  ['adr x0, .+8', 'simulated', simulateAdrAdrp.name],
  ['adrp x0, .+4096', 'simulated', simulateAdrAdrp.name],
  ['br x1', 'simulated', simulateBrBlrRet.name],
  ['blr x16', 'simulated', simulateBrBlrRet.name],
  ['ret', 'simulated', simulateBrBlrRet.name],
  ['ret x3', 'simulated', simulateBrBlrRet.name],
  ['ldr x0, .+8', 'simulated', simulateLdrLiteral.name],
  ['ldr w0, .-8', 'simulated', simulateLdrLiteral.name],
  ['ldrsw x0, .+8', 'simulated', simulateLdrswLiteral.name],
  // Exception generation, system register writes, other MRS, unsafe hints, ERET, exclusives,
  // prefetch literal, pointer-authenticated branches, MOPS: rejected.
  ['svc #0', 'rejected'],
  ['hvc #0', 'rejected'],
  ['smc #0', 'rejected'],
  ['brk #0', 'rejected'],
  ['brk #0x4', 'rejected'],
  ['hlt #0', 'rejected'],
  ['eret', 'rejected'],
  ['eretaa', 'rejected'],
  ['retaa', 'rejected'],
  ['braa x0, x1', 'rejected'],
  ['blraaz x2', 'rejected'],
  ['msr daifset, #2', 'rejected'],
  ['msr sctlr_el1, x0', 'rejected'],
  ['msr nzcv, x0', 'rejected'],
  ['mrs x0, sctlr_el1', 'rejected'],
  ['mrs x0, nzcv', 'rejected'],
  ['wfi', 'rejected'],
  ['wfe', 'rejected'],
  ['yield', 'rejected'],
  ['sev', 'rejected'],
  ['autiasp', 'rejected'],
  ['esb', 'rejected'],
  ['csdb', 'rejected'],
  ['ldxr x0, [x1]', 'rejected'],
  ['stxr w2, x0, [x1]', 'rejected'],
  ['ldaxr w0, [x1]', 'rejected'],
  ['stlxr w2, w0, [x1]', 'rejected'],
  ['ldxp x0, x1, [x2]', 'rejected'],
  ['stxp w3, x0, x1, [x2]', 'rejected'],
  ['prfm pldl1keep, .+8', 'rejected'],
  ['cpyfp [x0]!, [x1]!, x2!', 'rejected'],
  ['setp [x0]!, x1!, x2', 'rejected'],
];

describe.skipIf(!haveAsm)('arm64 decode tables', () => {
  const words = haveAsm ? assembleWords(table.map((t) => t[0]), '\t.arch armv8.8-a+mops+pauth') : [];

  it.each(table.map((t, i) => [t[0], t[1], i] as const))('%s is %s', (_asm, cls, i) => {
    expect(classifyInsn(words[i]!)).toBe(cls);
  });

  it('picks the simulation routine of the instruction class', () => {
    table.forEach(([asm, cls, handler], i) => {
      if (cls !== 'simulated') return;
      // Decode in a function of its own (no exclusive scan) through the full kprobe decoder.
      const d = armKprobeDecodeInsn(0x1000, () => words[i]!, 0);
      expect(d.decoded, asm).toBe(INSN_GOOD_NO_SLOT);
      expect(d.handler?.name, asm).toBe(handler);
    });
  });

  it('encodes the kprobes BRKs as the assembler does', () => {
    expect([BRK64_OPCODE_KPROBES, BRK64_OPCODE_KPROBES_SS, BRK64_OPCODE_KRETPROBES]).toEqual(
      assembleWords(['brk #0x004', 'brk #0x006', 'brk #0x007']),
    );
  });
});

describe.skipIf(!haveAsm)('exclusive sequences (is_probed_address_atomic)', () => {
  const image = haveAsm ? guestImage() : undefined;
  const decodeAt = (name: string, offset: number): number => {
    const memory = loadImage(image!);
    const symbols = new TestSymbols(image!.symbols);
    const addr = image!.addr(name) + offset;
    const sym = symbols.lookupAddress(addr);
    return armKprobeDecodeInsn(addr, (a) => memory.read32(a) >>> 0, sym ? addr - sym.start : undefined).decoded;
  };

  it('rejects a probe between a load-exclusive and its store-exclusive', () => {
    expect(decodeAt('atomic_inc', 0)).toBe(INSN_REJECTED); // ldxr itself
    expect(decodeAt('atomic_inc', 4)).toBe(INSN_REJECTED); // add after ldxr
    expect(decodeAt('atomic_inc', 8)).toBe(INSN_REJECTED); // stxr itself
  });

  it('allows a probe once the store-exclusive is behind it', () => {
    expect(decodeAt('atomic_inc', 12)).toBe(INSN_GOOD_NO_SLOT); // cbnz
    expect(decodeAt('atomic_inc', 16)).toBe(INSN_GOOD_NO_SLOT); // ret
  });

  it('does not scan past the start of the symbol', () => {
    expect(decodeAt('next_fn', 0)).toBe(INSN_GOOD);
    // Without the symbol bound the previous function's ldxr would be found.
    const memory = loadImage(image!);
    const addr = image!.addr('next_fn');
    expect(armKprobeDecodeInsn(addr + 4, (a) => memory.read32(a) >>> 0, 128).decoded).toBe(INSN_REJECTED);
  });

  it('scans back at most 32 instructions', () => {
    // far_ldxr: ldxr at +0, nops from +4. At +128 the 32-instruction window reaches +0.
    expect(decodeAt('far_ldxr', 128)).toBe(INSN_REJECTED);
    expect(decodeAt('far_ldxr', 132)).toBe(INSN_GOOD);
  });
});
