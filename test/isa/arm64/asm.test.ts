// The unit tests' hand encodings (asm.ts) agree with GNU as.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../helpers/tools.ts';
import { CROSS_CHECK } from './asm.ts';

const ok = requireTool('aarch64-linux-gnu-as') && requireTool('aarch64-linux-gnu-objcopy');

describe.skipIf(!ok)('arm64 test encodings', () => {
  it('match GNU as', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arm64-asm-'));
    const src = CROSS_CHECK.map(([text]) => `\t${text}\n`).join('');
    const as = spawnSync('aarch64-linux-gnu-as', ['-o', join(dir, 'a.o'), '-'], { input: src, encoding: 'utf8' });
    expect(as.stderr).toBe('');
    const cp = spawnSync('aarch64-linux-gnu-objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'a.o'), join(dir, 'a.bin')]);
    expect(cp.status).toBe(0);
    const bin = readFileSync(join(dir, 'a.bin'));
    CROSS_CHECK.forEach(([text, word], i) => {
      expect(`${text}: ${bin.readUInt32LE(i * 4).toString(16)}`).toBe(`${text}: ${word.toString(16)}`);
    });
  });
});
