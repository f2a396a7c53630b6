// Which arm64 instructions may be probed and how each runs: the counterpart of
// arch/arm64/kernel/probes/decode-insn.c (arm_probe_decode_insn, arm_kprobe_decode_insn,
// is_probed_address_atomic) with the instruction-class tests of arch/arm64/include/asm/insn.h
// it relies on (aarch64_insn_is_*, aarch64_insn_is_steppable_hint, aarch64_insn_uses_literal).
//
//   INSN_GOOD          runs out of line in a slot [insn][BRK #6]
//   INSN_GOOD_NO_SLOT  simulated on pt_regs (branches, adr/adrp, ldr/ldrsw literal)
//   INSN_REJECTED      may not be probed (registration fails with -EINVAL)

import {
  simulateAdrAdrp,
  simulateBBl,
  simulateBCond,
  simulateBrBlrRet,
  simulateCbzCbnz,
  simulateLdrLiteral,
  simulateLdrswLiteral,
  simulateTbzTbnz,
  type SimulateHandler,
} from './arm64-simulate.ts';

export const INSN_REJECTED = 0;
export const INSN_GOOD_NO_SLOT = 1;
export const INSN_GOOD = 2;
export type ProbeInsn = typeof INSN_REJECTED | typeof INSN_GOOD_NO_SLOT | typeof INSN_GOOD;

/** ARM recommends at most 128 bytes between a load-exclusive and its store-exclusive. */
export const MAX_ATOMIC_CONTEXT_SIZE = 128 / 4;

/** An `insn & mask === value` test, as __AARCH64_INSN_FUNCS generates. */
const is = (mask: number, value: number) => (insn: number): boolean => ((insn & mask) >>> 0) === value >>> 0;

export const insnIs = {
  classBranchSys: is(0x1c000000, 0x14000000),
  adr: is(0x9f000000, 0x10000000),
  adrp: is(0x9f000000, 0x90000000),
  prfmLit: is(0xff000000, 0xd8000000),
  ldrLit: is(0xbf000000, 0x18000000),
  ldrswLit: is(0xff000000, 0x98000000),
  exclusive: is(0x3f800000, 0x08000000),
  loadEx: is(0x3f400000, 0x08400000),
  storeEx: is(0x3f400000, 0x08000000),
  mops: is(0x3b200c00, 0x19000400),
  b: is(0xfc000000, 0x14000000),
  bl: is(0xfc000000, 0x94000000),
  cbz: is(0x7f000000, 0x34000000),
  cbnz: is(0x7f000000, 0x35000000),
  tbz: is(0x7f000000, 0x36000000),
  tbnz: is(0x7f000000, 0x37000000),
  bcond: is(0xff000000, 0x54000000),
  exception: is(0xff000000, 0xd4000000),
  hint: is(0xfffff01f, 0xd503201f),
  br: is(0xfffffc1f, 0xd61f0000),
  brAuth: is(0xfefff800, 0xd61f0800),
  blr: is(0xfffffc1f, 0xd63f0000),
  blrAuth: is(0xfefff800, 0xd63f0800),
  ret: is(0xfffffc1f, 0xd65f0000),
  retAuth: is(0xfffffbff, 0xd65f0bff),
  eret: is(0xffffffff, 0xd69f03e0),
  eretAuth: is(0xfffffbff, 0xd69f0bff),
  mrs: is(0xfff00000, 0xd5300000),
  msrImm: is(0xfff8f01f, 0xd500401f),
  msrReg: is(0xfff00000, 0xd5100000),
} as const;

/** aarch64_insn_extract_system_reg(): op0:op1:CRn:CRm:op2 of MRS/MSR. */
export function extractSystemReg(insn: number): number {
  return (insn & 0x1fffe0) >>> 5;
}
/** AARCH64_INSN_SPCLREG_DAIF: MRS Xt, DAIF is the one MRS that may be stepped. */
export const SPCLREG_DAIF = 0xda11;

/** HINT CRm:op2 values (insn & 0xfe0) that are safe to step: NOP, PAC*, XPACLRI, BTI*. */
const STEPPABLE_HINTS = new Set([
  0x00 << 5, // NOP
  0x07 << 5, // XPACLRI
  0x08 << 5, // PACIA1716
  0x0a << 5, // PACIB1716
  0x18 << 5, // PACIAZ
  0x19 << 5, // PACIASP
  0x1a << 5, // PACIBZ
  0x1b << 5, // PACIBSP
  0x20 << 5, // BTI
  0x22 << 5, // BTI C
  0x24 << 5, // BTI J
  0x26 << 5, // BTI JC
]);

export function isSteppableHint(insn: number): boolean {
  return insnIs.hint(insn) && STEPPABLE_HINTS.has(insn & 0xfe0);
}

/** aarch64_insn_is_branch(): b, bl, cb*, tb*, ret*, b.cond, br*, blr*. */
export function isBranch(insn: number): boolean {
  return (
    insnIs.b(insn) || insnIs.bl(insn) || insnIs.cbz(insn) || insnIs.cbnz(insn) || insnIs.tbz(insn) ||
    insnIs.tbnz(insn) || insnIs.ret(insn) || insnIs.retAuth(insn) || insnIs.br(insn) || insnIs.brAuth(insn) ||
    insnIs.blr(insn) || insnIs.blrAuth(insn) || insnIs.bcond(insn)
  );
}

/** aarch64_insn_uses_literal(): ldr/ldrsw (literal), adr/adrp, prfm (literal). */
export function usesLiteral(insn: number): boolean {
  return insnIs.ldrLit(insn) || insnIs.ldrswLit(insn) || insnIs.adr(insn) || insnIs.adrp(insn) || insnIs.prfmLit(insn);
}

/**
 * aarch64_insn_is_steppable(): may the instruction run from a slot. Branches would compute their
 * target from the slot address; exception-generating, MSR and most MRS/HINT instructions are
 * unsafe in the stepping context; PC-relative literals read from the wrong place; exclusives
 * never complete once a trap intervenes; MOPS needs its three instructions together. (As in
 * Linux, SIMD&FP literal loads are not in the literal set and so are stepped.)
 */
export function isSteppable(insn: number): boolean {
  if (insnIs.classBranchSys(insn)) {
    if (isBranch(insn) || insnIs.msrImm(insn) || insnIs.msrReg(insn) || insnIs.exception(insn) || insnIs.eret(insn) || insnIs.eretAuth(insn)) {
      return false;
    }
    if (insnIs.mrs(insn)) return extractSystemReg(insn) === SPCLREG_DAIF;
    if (insnIs.hint(insn)) return isSteppableHint(insn);
    return true;
  }
  if (usesLiteral(insn) || insnIs.exclusive(insn) || insnIs.mops(insn)) return false;
  return true;
}

export interface DecodedInsn {
  readonly decoded: ProbeInsn;
  /** The simulation routine for INSN_GOOD_NO_SLOT. */
  readonly handler: SimulateHandler | null;
}

const REJECTED: DecodedInsn = { decoded: INSN_REJECTED, handler: null };
const GOOD: DecodedInsn = { decoded: INSN_GOOD, handler: null };
const simulated = (handler: SimulateHandler): DecodedInsn => ({ decoded: INSN_GOOD_NO_SLOT, handler });

/** arm_probe_decode_insn(): the rules that uprobes shares (no literal loads here). */
export function armProbeDecodeInsn(insn: number): DecodedInsn {
  if (isSteppable(insn)) return GOOD;
  if (insnIs.bcond(insn)) return simulated(simulateBCond);
  if (insnIs.cbz(insn) || insnIs.cbnz(insn)) return simulated(simulateCbzCbnz);
  if (insnIs.tbz(insn) || insnIs.tbnz(insn)) return simulated(simulateTbzTbnz);
  if (insnIs.adr(insn) || insnIs.adrp(insn)) return simulated(simulateAdrAdrp);
  if (insnIs.b(insn) || insnIs.bl(insn)) return simulated(simulateBBl);
  if (insnIs.br(insn) || insnIs.blr(insn) || insnIs.ret(insn)) return simulated(simulateBrBlrRet);
  // Cannot be stepped out of line and is not simulated.
  return REJECTED;
}

/**
 * is_probed_address_atomic(): scanning back from the instruction before the probe, is there a
 * load-exclusive before any store-exclusive (the probe would sit inside an LL/SC sequence).
 */
function isProbedAddressAtomic(read32: (addr: number) => number, scanStart: number, scanEnd: number): boolean {
  for (let a = scanStart; a >= scanEnd; a -= 4) {
    const insn = read32(a);
    if (insnIs.storeEx(insn)) return false;
    if (insnIs.loadEx(insn)) return true;
  }
  return false;
}

/**
 * arm_kprobe_decode_insn(): decode the instruction at `addr`. `symbolOffset` is the probe's
 * offset in its symbol (kallsyms_lookup_size_offset), which bounds the exclusive-sequence scan;
 * without a symbol the scan is skipped, as Linux skips it.
 */
export function armKprobeDecodeInsn(addr: number, read32: (addr: number) => number, symbolOffset: number | undefined): DecodedInsn {
  const insn = read32(addr);
  let d: DecodedInsn;
  if (insnIs.ldrLit(insn)) d = simulated(simulateLdrLiteral);
  else if (insnIs.ldrswLit(insn)) d = simulated(simulateLdrswLiteral);
  else d = armProbeDecodeInsn(insn);

  if (d.decoded !== INSN_REJECTED && symbolOffset !== undefined) {
    const scanEnd = symbolOffset < MAX_ATOMIC_CONTEXT_SIZE * 4 ? addr - symbolOffset : addr - MAX_ATOMIC_CONTEXT_SIZE * 4;
    if (isProbedAddressAtomic(read32, addr - 4, scanEnd)) return REJECTED;
  }
  return d;
}

/** For listings and tests: how a single word would be treated (without the exclusive scan). */
export function classifyInsn(insn: number): 'rejected' | 'simulated' | 'stepped' {
  if (insnIs.ldrLit(insn) || insnIs.ldrswLit(insn)) return 'simulated';
  const d = armProbeDecodeInsn(insn);
  return d.decoded === INSN_GOOD ? 'stepped' : d.decoded === INSN_GOOD_NO_SLOT ? 'simulated' : 'rejected';
}
