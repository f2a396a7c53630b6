// The CPUs this project emulates, by arch name: the one place the machine picks an ISA.

import type { Memory } from '../machine/memory.ts';
import type { ArchName, Cpu } from './cpu.ts';
import { Arm64Cpu } from './arm64/cpu.ts';
import { MipsCpu } from './mips/cpu.ts';

/** Arches with a CPU and a guest kernel, offered by the CLI's --arch. */
export const SUPPORTED_ARCHES: readonly ArchName[] = ['arm64', 'mips'];

export function createCpu(arch: ArchName, memory: Memory): Cpu {
  switch (arch) {
    case 'arm64':
      return new Arm64Cpu(memory);
    case 'mips':
      return new MipsCpu(memory);
    default:
      throw new Error(`arch ${arch} is not available yet (supported: ${SUPPORTED_ARCHES.join(', ')})`);
  }
}
