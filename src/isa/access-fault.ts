// A CPU's failed memory access, as the interpreter throws it and as run() reports it: Memory's
// MemoryFault (unmapped, permission) and the CPU's own AlignmentFault, both turned into a 'fault'
// stop at the faulting instruction. No Linux counterpart.

import type { CpuException } from './cpu.ts';
import { MemoryFault } from '../machine/memory.ts';

/** An access that the ISA requires to be aligned and is not. */
export class AlignmentFault extends Error {
  constructor(
    readonly address: number,
    readonly access: 'read' | 'write',
  ) {
    super(`alignment fault (${access}) at 0x${address.toString(16)}`);
  }
}

/** The 'fault' stop for an access fault thrown by the instruction at `pc`; any other error is rethrown. */
export function faultStop(err: unknown, pc: number): CpuException {
  if (err instanceof MemoryFault) return { kind: 'fault', pc, address: err.address, access: err.access, reason: err.reason };
  if (err instanceof AlignmentFault) return { kind: 'fault', pc, address: err.address, access: err.access, reason: 'alignment' };
  throw err;
}
