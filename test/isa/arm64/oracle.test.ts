// Oracle tests: every program in programs/ is compiled at several optimisation levels and run
// under qemu-aarch64-static and on the TypeScript CPU (user mode, see harness.ts); stdout and
// the exit status must be identical byte for byte.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requireTools } from '../../helpers/tools.ts';
import { compileProgram, runOurs, runQemu, VARIANTS } from './harness.ts';

const ok = requireTools('aarch64-linux-gnu-gcc', 'qemu-aarch64-static');

const PROGRAMS = ['hello', 'alu', 'bitfield', 'ldst', 'atomics', 'cond', 'sysreg', 'program'];

/** The first differing line, so that a failure says where, not just "3 MB differ". */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n  qemu: ${a[i]}\n  ours: ${b[i]}`;
  }
  return 'identical';
}

describe.skipIf(!ok)('arm64 oracle: qemu-aarch64-static vs the TypeScript CPU', () => {
  for (const program of PROGRAMS) {
    for (const variant of Object.keys(VARIANTS)) {
      it(`${program} (${variant})`, () => {
        const path = compileProgram(program, variant);
        const qemu = runQemu(path);
        const ours = runOurs(readFileSync(path));
        const diff = firstDifference(qemu.stdout.toString('latin1'), ours.stdout.toString('latin1'));
        expect(diff).toBe('identical');
        expect(ours.status).toBe(qemu.status);
      });
    }
  }
});
