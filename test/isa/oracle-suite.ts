// The oracle test of an ISA, the same for every arch: each oracle program, compiled under each
// compiler variant, runs under qemu's user-mode emulator and on the TypeScript CPU (user mode,
// through the arch's harness.ts); stdout and the exit status must be identical byte for byte.
// No Linux counterpart.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstDifference, type RunOutput } from './harness-common.ts';

/** What the suite needs of an arch's harness.ts. */
export interface OracleHarness {
  readonly PROGRAMS: readonly string[];
  readonly VARIANTS: Readonly<Record<string, readonly string[]>>;
  compileProgram(name: string, variant: string): string;
  runQemu(path: string): RunOutput;
  runOurs(bytes: Uint8Array): RunOutput;
}

/** Declares the suite; `toolsInstalled` false skips it (the compiler or qemu is missing). */
export function describeOracle(arch: string, qemu: string, toolsInstalled: boolean, harness: OracleHarness): void {
  describe.skipIf(!toolsInstalled)(`${arch} oracle: ${qemu} vs the TypeScript CPU`, () => {
    for (const program of harness.PROGRAMS) {
      for (const variant of Object.keys(harness.VARIANTS)) {
        it(`${program} (${variant})`, () => {
          const path = harness.compileProgram(program, variant);
          const expected = harness.runQemu(path);
          const ours = harness.runOurs(readFileSync(path));
          const diff = firstDifference(expected.stdout.toString('latin1'), ours.stdout.toString('latin1'));
          expect(diff).toBe('identical');
          expect(ours.status).toBe(expected.status);
          expect(expected.stdout.length).toBeGreaterThan(0);
        });
      }
    }
  });
}
