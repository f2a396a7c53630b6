// The op-numbering test of an ISA, the same for every arch. The interpreter's switch labels are
// number literals (V8 builds a jump table only then), each carrying its op's name in a comment;
// this keeps those numbers and the arch's ops.ts in step, and checks that every op has a case.
// No Linux counterpart.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** What the test needs of an arch's ops.ts. */
export interface OpNumbering {
  readonly OP: Readonly<Record<string, number>>;
  readonly OP_NAMES: readonly string[];
  readonly OP2_NAMES: readonly string[];
  readonly SECONDARY: number;
}

/**
 * Declares the test for the CPU source at `cpuSource`: the main loop's labels are those of run()
 * up to exec2(), the secondary ones those of exec2() up to the line `exec2End` starts with.
 */
export function describeOpNumbering(arch: string, cpuSource: URL, ops: OpNumbering, exec2End: string): void {
  const source = readFileSync(cpuSource, 'utf8');
  const labels = (from: string, to: string): Map<string, number> => {
    const body = source.slice(source.indexOf(from), source.indexOf(to));
    const out = new Map<string, number>();
    for (const m of body.matchAll(/case (\d+):(?: \{)? \/\/ ([A-Z][A-Z0-9_]*)/g)) out.set(m[2]!, Number(m[1]));
    return out;
  };

  describe(`${arch} op numbering`, () => {
    const main = labels('  run(budget: number): RunResult {', '  private exec2(');
    const secondary = labels('  private exec2(', exec2End);

    it('labels in run() match ops.ts', () => {
      for (const [name, n] of main) expect(`${name}=${n}`).toBe(`${name}=${ops.OP[name]}`);
      for (const name of ops.OP_NAMES) expect(main.has(name), `run() has no case for ${name}`).toBe(true);
    });

    it('labels in exec2() match ops.ts', () => {
      for (const [name, n] of secondary) expect(`${name}=${n}`).toBe(`${name}=${ops.OP[name]}`);
      for (const name of ops.OP2_NAMES) expect(secondary.has(name), `exec2() has no case for ${name}`).toBe(true);
      expect(ops.OP[ops.OP2_NAMES[0]!]).toBe(ops.SECONDARY);
      expect(ops.OP_NAMES.length).toBeLessThanOrEqual(ops.SECONDARY);
    });
  });
}
