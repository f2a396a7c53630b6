// The user programs of guest/user/ (static Linux executables with the tiny C library of
// guest/user/lib, built for arm64 and for mips o32 big-endian) against their expected output in
// test/guest/expected/, run under Debian's qemu-user (qemu-aarch64-static, qemu-mips-static): the
// oracle that `kprobe run` must match byte for byte. Each program is deterministic (no pids,
// times, absolute paths or errno numbers, which differ between arches: errors print by name), so
// the expectations are exact, and the same for both arches. No Linux counterpart (compare
// tools/testing/selftests' expected outputs).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool } from '../helpers/tools.ts';
import { expectedOutput, USER_PROGRAM_ARCHES, USER_PROGRAMS, userProgramDir } from './user-programs.ts';

const EXPECTED = fileURLToPath(new URL('./expected/', import.meta.url));
const QEMU = { arm64: 'qemu-aarch64-static', mips: 'qemu-mips-static' } as const;

describe.each(USER_PROGRAM_ARCHES)('guest user programs (%s)', (arch) => {
  const dir = userProgramDir(arch);

  it('every built program has an expectation, and every expectation a program', () => {
    const built = readdirSync(dir).filter((f) => f.endsWith('.elf')).map((f) => f.slice(0, -4)).sort();
    expect(built).toEqual(Object.keys(USER_PROGRAMS).sort());
    for (const name of built) expect(existsSync(join(EXPECTED, `${name}.txt`)), name).toBe(true);
  });

  const qemu = QEMU[arch];
  const haveQemu = requireTool(qemu);
  const cwd = mkdtempSync(join(tmpdir(), `kprobe-user-${arch}-`));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it.skipIf(!haveQemu).each(Object.keys(USER_PROGRAMS))(`%s under ${qemu}`, (name) => {
    const { args, status } = USER_PROGRAMS[name]!;
    const r = spawnSync(qemu, [join(dir, `${name}.elf`), ...args], { cwd, encoding: 'latin1', timeout: 60_000 });
    expect(r.stdout).toBe(expectedOutput(name, arch));
    expect(r.status).toBe(status);
    expect(r.stderr).toBe('');
  });

  it.skipIf(!haveQemu)('files leaves nothing behind', () => {
    expect(readdirSync(cwd)).toEqual([]);
  });
});
