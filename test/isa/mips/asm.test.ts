// The unit tests' hand encodings (asm.ts) agree with GNU as (assembled and linked at address 0).
// No Linux counterpart.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTools } from '../../helpers/tools.ts';
import { CROSS_CHECK } from './asm.ts';

const ok = requireTools('mips-linux-gnu-as', 'mips-linux-gnu-ld', 'mips-linux-gnu-objcopy');

describe.skipIf(!ok)('mips test encodings', () => {
  it('match GNU as', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mips-asm-'));
    const src = '\t.set noreorder\n\t.set noat\n\t.set mips32r2\n\t.set virt\n' + CROSS_CHECK.map(([text]) => `\t${text}\n`).join('');
    const as = spawnSync('mips-linux-gnu-as', ['-EB', '-mips32r2', '-mvirt', '-o', join(dir, 'a.o'), '-'], { input: src, encoding: 'utf8' });
    expect(as.stderr).toBe('');
    const ld = spawnSync('mips-linux-gnu-ld', ['-Ttext=0', '-e', '0', '-o', join(dir, 'a.elf'), join(dir, 'a.o')], { encoding: 'utf8' });
    expect(ld.status, ld.stderr).toBe(0);
    const cp = spawnSync('mips-linux-gnu-objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'a.elf'), join(dir, 'a.bin')]);
    expect(cp.status).toBe(0);
    const bin = readFileSync(join(dir, 'a.bin'));
    CROSS_CHECK.forEach(([text, word], i) => {
      expect(`${text}: ${bin.readUInt32BE(i * 4).toString(16)}`).toBe(`${text}: ${word.toString(16)}`);
    });
  });
});
