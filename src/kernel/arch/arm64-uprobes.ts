// The arm64 half of uprobes: the counterpart of arch/arm64/kernel/probes/uprobes.c. The probe
// is BRK #0x005 (UPROBES_BRK_IMM); an instruction that reads the PC is simulated
// (simulate-insn.c, shared with kprobes), any other steppable one runs out of line in the task's
// XOL slot, followed by a second BRK #0x005 that traps back (Linux single-steps the slot with
// the hardware step instead); uretprobes hijack the link register.

import { armProbeDecodeInsn, INSN_GOOD, INSN_GOOD_NO_SLOT, insnIs, type DecodedInsn } from '../../kprobes/arch/arm64-decode.ts';
import { simulateLdrLiteral, simulateLdrswLiteral, type SimulateHandler } from '../../kprobes/arch/arm64-simulate.ts';

/** UPROBES_BRK_IMM. */
export const UPROBES_BRK_IMM = 0x005;
/** UPROBE_SWBP_INSN: BRK #0x005. */
export const UPROBE_SWBP_INSN = 0xd4200000 | (UPROBES_BRK_IMM << 5);
/** UPROBE_SWBP_INSN_SIZE (AARCH64_INSN_SIZE). */
export const UPROBE_SWBP_INSN_SIZE = 4;
/** Bytes of one XOL slot here: the instruction, then the BRK that ends the step. */
export const UPROBE_XOL_SLOT_BYTES = 8;

export type UprobeInsnKind = { kind: 'simulate'; handler: SimulateHandler } | { kind: 'xol' };

/**
 * arch_uprobe_analyze_insn(): how the probed instruction is executed, or why it cannot be
 * ('unaligned': Linux's -ENOTSUPP, 'rejected': -EINVAL); such a probe is not installed.
 */
export function arm64UprobeAnalyzeInsn(insn: number, vaddr: number): UprobeInsnKind | 'unaligned' | 'rejected' {
  if (vaddr & 3) return 'unaligned';
  let d: DecodedInsn;
  if (insnIs.ldrLit(insn)) d = { decoded: INSN_GOOD_NO_SLOT, handler: simulateLdrLiteral };
  else if (insnIs.ldrswLit(insn)) d = { decoded: INSN_GOOD_NO_SLOT, handler: simulateLdrswLiteral };
  else d = armProbeDecodeInsn(insn);
  if (d.decoded === INSN_GOOD_NO_SLOT && d.handler) return { kind: 'simulate', handler: d.handler };
  if (d.decoded === INSN_GOOD) return { kind: 'xol' };
  return 'rejected';
}

/** arch_uprobe_copy_ixol(): the slot's words, the instruction and the BRK that traps back. */
export function arm64XolSlot(insn: number): Uint8Array {
  const b = new Uint8Array(UPROBE_XOL_SLOT_BYTES);
  const v = new DataView(b.buffer);
  v.setUint32(0, insn >>> 0, true);
  v.setUint32(4, UPROBE_SWBP_INSN >>> 0, true);
  return b;
}
