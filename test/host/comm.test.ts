// Naming a task the kernel printed as "<...>": /proc/PID/comm while it lives, else the kernel's
// saved_cmdlines, else unknown.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommResolver } from '../../src/host/comm.ts';

const proc = mkdtempSync(join(tmpdir(), 'kprobe-comm-'));
afterAll(() => rmSync(proc, { recursive: true, force: true }));

describe('CommResolver', () => {
  mkdirSync(join(proc, '41'));
  writeFileSync(join(proc, '41', 'comm'), 'target\n');
  const saved = '1 systemd\n4200 bash\n77 gone-now\n';
  const reads: string[] = [];
  const r = new CommResolver((rel) => (reads.push(rel), rel === 'saved_cmdlines' ? saved : undefined), proc);

  it('takes a live task name from /proc without asking tracefs', () => {
    expect(r.resolve(41)).toBe('target');
    expect(reads).toEqual([]);
  });

  it('falls back to the kernel\'s saved_cmdlines for a task that has exited', () => {
    expect(r.resolve(77)).toBe('gone-now');
    expect(r.resolve(4200)).toBe('bash');
    expect(r.resolve(420)).toBeUndefined();
    expect(reads.every((x) => x === 'saved_cmdlines')).toBe(true);
  });

  it('knows nothing where tracefs cannot be read either', () => {
    expect(new CommResolver(() => undefined, proc).resolve(5)).toBeUndefined();
  });
});
