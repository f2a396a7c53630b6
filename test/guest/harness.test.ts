// Runs the guest kernel's C code under qemu-user, once per arch: test/guest/harness/ links the
// generic guest kernel (guest/kernel/*.c, the arch's system-call table and uaccess routines) into
// a static Linux program for the arch that plays the TypeScript half (hypercalls, UART, host-backed
// file systems, task switches) and checks ~560 system-call results against what Linux returns: the
// VFS, symbolic and hard links, mounts, tracefs's pinned and eventfs directories, loopback TCP
// sockets (blocking accept and read woken by another task), fork/exit/wait, exec, signals, the
// console, and that nothing leaks. arm64 runs under qemu-aarch64-static, mips (o32, big-endian)
// under qemu-mips-static, with the same checks and ~30 more for the o32-only calls. No Linux
// counterpart (compare KUnit on UML).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTools } from '../helpers/tools.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

const ARCHES = [
  { arch: 'arm64', cc: 'aarch64-linux-gnu-gcc', qemu: 'qemu-aarch64-static' },
  { arch: 'mips', cc: 'mips-linux-gnu-gcc', qemu: 'qemu-mips-static' },
] as const;

describe.each(ARCHES)('guest kernel under qemu-user ($arch)', ({ arch, cc, qemu }) => {
  const ok = requireTools(cc, qemu);
  const dir = mkdtempSync(join(tmpdir(), `kprobe-guest-harness-${arch}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!ok)('passes every check of test/guest/harness/harness.c', () => {
    const elf = join(dir, 'harness.elf');
    const build = spawnSync('bash', [join(REPO, 'test/guest/harness/build.sh'), elf, arch], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 110_000,
    });
    expect(build.status, `harness build failed:\n${build.stderr}`).toBe(0);
    const run = spawnSync(qemu, [elf], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stdout).toMatch(/^\d+ checks, 0 failed$/m);
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });
});
