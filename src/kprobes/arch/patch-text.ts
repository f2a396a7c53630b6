// Writing one instruction word into kernel text for kprobes, ignoring page permissions, then
// flushing the icache over it: what arm64's aarch64_insn_patch_text() and mips's plain store plus
// flush_insn_slot() do for arming, disarming and filling slots. Linux repeats this per arch in
// arch/*/kernel/probes/kprobes.c (arch/mips/kernel/kprobes.c); here the arches differ only in
// the word's byte order.

import type { KprobesCore } from './arch.ts';

/** The 4 bytes of `word` in the given byte order. */
export function insnWordBytes(word: number, littleEndian: boolean): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, word >>> 0, littleEndian);
  return b;
}

/** Write `insn` at `addr` (one 4-byte instruction) and flush the icache over it. */
export function patchTextWord(core: KprobesCore, addr: number, insn: number, littleEndian: boolean): void {
  core.host.memory.poke(addr, insnWordBytes(insn, littleEndian));
  core.host.flushIcacheRange?.(addr, addr + 4);
}
