// The interpreter's switch labels are number literals (V8 builds a jump table only then); each
// carries the op's name in a comment. This test keeps those numbers and ops.ts in step, and
// checks that every op has a case.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OP, OP_NAMES, OP2_NAMES, SECONDARY } from '../../../src/isa/arm64/ops.ts';

const source = readFileSync(new URL('../../../src/isa/arm64/cpu.ts', import.meta.url), 'utf8');

function labels(from: string, to: string): Map<string, number> {
  const body = source.slice(source.indexOf(from), source.indexOf(to));
  const out = new Map<string, number>();
  for (const m of body.matchAll(/case (\d+):(?: \{)? \/\/ ([A-Z][A-Z0-9_]*)/g)) out.set(m[2]!, Number(m[1]));
  return out;
}

describe('arm64 op numbering', () => {
  const main = labels('  run(budget: number): RunResult {', '  private exec2(');
  const secondary = labels('  private exec2(', '  // --- arithmetic helpers');

  it('labels in run() match ops.ts', () => {
    for (const [name, n] of main) expect(`${name}=${n}`).toBe(`${name}=${OP[name as keyof typeof OP]}`);
    for (const name of OP_NAMES) expect(main.has(name), `run() has no case for ${name}`).toBe(true);
  });

  it('labels in exec2() match ops.ts', () => {
    for (const [name, n] of secondary) expect(`${name}=${n}`).toBe(`${name}=${OP[name as keyof typeof OP]}`);
    for (const name of OP2_NAMES) expect(secondary.has(name), `exec2() has no case for ${name}`).toBe(true);
    expect(OP[OP2_NAMES[0]]).toBe(SECONDARY);
    expect(OP_NAMES.length).toBeLessThanOrEqual(SECONDARY);
  });
});
