// `kprobe run [--arch ARCH] FILE [ARGS]`: each static program of guest/user/ (arm64, and mips with
// --arch mips) runs as a user process of the emulated machine, its system calls going through the
// guest kernel, and gives the same standard output and exit status as under Debian's
// qemu-aarch64-static / qemu-mips-static (run side by side here, and recorded in
// test/guest/expected/).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool } from '../helpers/tools.ts';
import { expectedOutput, USER_PROGRAM_DIR, USER_PROGRAMS, userProgramDir } from '../guest/user-programs.ts';

const BIN = fileURLToPath(new URL('../../bin/kprobe.js', import.meta.url));

describe('kprobe run against qemu-aarch64-static', () => {
  const haveQemu = requireTool('qemu-aarch64-static');
  const cwd = mkdtempSync(join(tmpdir(), 'kprobe-run-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it.each(Object.keys(USER_PROGRAMS))('%s', (name) => {
    const { args, status } = USER_PROGRAMS[name]!;
    const elf = join(USER_PROGRAM_DIR, `${name}.elf`);
    const ours = spawnSync(process.execPath, [BIN, 'run', elf, ...args], { cwd, encoding: 'latin1', timeout: 120_000 });
    expect(ours.stdout).toBe(expectedOutput(name));
    expect(ours.status).toBe(status);
    if (haveQemu) {
      const qemu = spawnSync('qemu-aarch64-static', [elf, ...args], { cwd, encoding: 'latin1', timeout: 60_000 });
      expect(ours.stdout).toBe(qemu.stdout);
      expect(ours.status).toBe(qemu.status);
    }
  });
});

describe('kprobe run --arch mips against qemu-mips-static', () => {
  const haveQemu = requireTool('qemu-mips-static');
  const cwd = mkdtempSync(join(tmpdir(), 'kprobe-run-mips-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it.each(Object.keys(USER_PROGRAMS))('%s', (name) => {
    const { args, status } = USER_PROGRAMS[name]!;
    const elf = join(userProgramDir('mips'), `${name}.elf`);
    const ours = spawnSync(process.execPath, [BIN, 'run', '--arch', 'mips', elf, ...args], { cwd, encoding: 'latin1', timeout: 120_000 });
    expect(ours.stdout).toBe(expectedOutput(name, 'mips'));
    expect(ours.status).toBe(status);
    if (haveQemu) {
      const qemu = spawnSync('qemu-mips-static', [elf, ...args], { cwd, encoding: 'latin1', timeout: 60_000 });
      expect(ours.stdout).toBe(qemu.stdout);
      expect(ours.status).toBe(qemu.status);
    }
  });
});
