// The plan run on a real Linux kernel: the runner (conformance/guest/runner.c) compiled static for
// the guest architecture, an initramfs holding it as /init with the plan as /plan, one QEMU boot,
// and the runner's records read back from the console.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { buildCpio, withParents } from './cpio.ts';
import type { GuestArch, KernelFiles } from './debian.ts';
import { CACHE_ROOT, REPO_ROOT } from './debian.ts';
import type { PlannedCase, RunResult } from './plan.ts';
import { parseRunnerOutput, planText } from './plan.ts';
import { bootQemu } from './qemu.ts';

/** The C compiler that builds static programs for the guest architecture. */
export const GUEST_CC: Record<GuestArch, string> = {
  arm64: 'aarch64-linux-gnu-gcc',
  x86_64: 'x86_64-linux-gnu-gcc',
};

export const RUNNER_SOURCE = join(REPO_ROOT, 'conformance', 'guest', 'runner.c');

/** runner.c built with GUEST_CC, cached by the source's hash. */
export function buildRunner(arch: GuestArch): string {
  const source = readFileSync(RUNNER_SOURCE);
  const hash = createHash('sha256').update(source).update(arch).digest('hex').slice(0, 16);
  const dir = join(CACHE_ROOT, 'runner');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `runner-${arch}-${hash}`);
  if (!existsSync(out)) {
    const tmp = `${out}.${process.pid}.tmp`;
    execFileSync(GUEST_CC[arch], ['-static', '-O2', '-Wall', '-Wno-format-truncation', '-o', tmp, RUNNER_SOURCE], { stdio: 'pipe' });
    renameSync(tmp, out);
  }
  return out;
}

/** The conformance initramfs: /init (the runner), /plan, and the mount points. */
export function runnerInitramfs(runner: string, plan: string): Buffer {
  return buildCpio(
    withParents([
      { path: 'init', type: 'file', data: readFileSync(runner), mode: 0o755 },
      { path: 'plan', type: 'file', data: plan },
      { path: 'dev', type: 'dir' },
      { path: 'dev/console', type: 'char', major: 5, minor: 1 },
      { path: 'proc', type: 'dir' },
      { path: 'sys', type: 'dir' },
      { path: 'tmp', type: 'dir' },
    ]),
  );
}

export interface RealRun extends RunResult {
  /** QEMU's wall time. */
  wallMs: number;
  /** The console, for a report when something went wrong. */
  console: string;
  /** Why the guest stopped early, if it did (timeout, QEMU status, no @@END). */
  problem?: string;
}

/** Boot the real kernel once and run the whole plan in it. */
export async function runReal(kernel: KernelFiles, planned: readonly PlannedCase[], options: { timeoutMs?: number; log?: (s: string) => void } = {}): Promise<RealRun> {
  const runner = buildRunner(kernel.arch);
  const initrd = runnerInitramfs(runner, planText(planned));
  options.log?.(`booting ${kernel.package} under QEMU (TCG) with ${planned.length} cases`);
  const r = await bootQemu({ kernel, initrd, timeoutMs: options.timeoutMs ?? 900_000 });
  const release = /^vmlinuz-(.*)$/.exec(kernel.kernel.split('/').pop() ?? '')?.[1] ?? kernel.package;
  const parsed = parseRunnerOutput(r.console, `real ${release}`);
  let problem: string | undefined;
  if (r.timedOut) problem = 'QEMU timed out';
  else if (!r.console.includes('@@END')) problem = `the guest stopped before the end of the plan (QEMU status ${r.exitCode})`;
  return { ...parsed, wallMs: r.wallMs, console: r.console, problem };
}
