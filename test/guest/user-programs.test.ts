// The user programs of guest/user/ (static arm64 Linux executables with the tiny C library of
// guest/user/lib) against their expected output in test/guest/expected/, run under Debian's
// qemu-aarch64-static: the oracle that `kprobe run` must match byte for byte. Each program is
// deterministic (no pids, times or absolute paths), so the expectations are exact. No Linux
// counterpart (compare tools/testing/selftests' expected outputs).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool } from '../helpers/tools.ts';
import { expectedOutput, USER_PROGRAM_DIR as USER, USER_PROGRAMS } from './user-programs.ts';

const EXPECTED = fileURLToPath(new URL('./expected/', import.meta.url));

describe('guest user programs', () => {
  it('every built program has an expectation, and every expectation a program', () => {
    const built = readdirSync(USER).filter((f) => f.endsWith('.elf')).map((f) => f.slice(0, -4)).sort();
    expect(built).toEqual(Object.keys(USER_PROGRAMS).sort());
    for (const name of built) expect(existsSync(join(EXPECTED, `${name}.txt`)), name).toBe(true);
  });

  const haveQemu = requireTool('qemu-aarch64-static');
  const cwd = mkdtempSync(join(tmpdir(), 'kprobe-user-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it.skipIf(!haveQemu).each(Object.keys(USER_PROGRAMS))('%s under qemu-aarch64-static', (name) => {
    const { args, status } = USER_PROGRAMS[name]!;
    const r = spawnSync('qemu-aarch64-static', [join(USER, `${name}.elf`), ...args], { cwd, encoding: 'latin1', timeout: 60_000 });
    expect(r.stdout).toBe(expectedOutput(name));
    expect(r.status).toBe(status);
    expect(r.stderr).toBe('');
  });

  it.skipIf(!haveQemu)('files leaves nothing behind', () => {
    expect(readdirSync(cwd)).toEqual([]);
  });
});
