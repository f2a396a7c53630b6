// Helpers of the CPU unit tests shared by every arch: instruction words stored in a Memory in
// its byte order, and running a CPU up to the exception a test expects. No Linux counterpart.

import type { Cpu, CpuException } from '../../src/isa/cpu.ts';
import type { Memory } from '../../src/machine/memory.ts';

/** Store 32-bit instruction words at `addr`, in the memory's byte order. */
export function putWords(mem: Memory, addr: number, words: readonly number[]): void {
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, mem.littleEndian));
  mem.poke(addr, bytes);
}

/** Run `cpu` for at most `budget` instructions; the exception it stops with (running out of budget fails the test). */
export function runToException(cpu: Cpu, budget = 1000): CpuException {
  const r = cpu.run(budget);
  if (r.stop !== 'exception') throw new Error('expected an exception, ran out of budget');
  return r.exception;
}
