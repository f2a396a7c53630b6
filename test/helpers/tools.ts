// Test helper: find the external tools a test needs (cross compilers, qemu-user, binutils).
// A missing tool skips the test on a developer's machine and fails it in CI (CI=true), so that
// CI can never pass by silently skipping the oracle tests. No Linux counterpart.

import { spawnSync } from 'node:child_process';

const found = new Map<string, boolean>();

/** True if `name` is an executable on PATH. */
export function hasTool(name: string): boolean {
  let ok = found.get(name);
  if (ok === undefined) {
    ok = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { stdio: 'ignore' }).status === 0;
    found.set(name, ok);
  }
  return ok;
}

/**
 * True if the tool is there. If it is missing: false (the caller skips) on a developer's machine,
 * and an error (the test file fails) when CI=true.
 */
export function requireTool(name: string): boolean {
  if (hasTool(name)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`required tool "${name}" is not installed; CI must run these tests (install it in .ci/run)`);
  }
  return false;
}

/** requireTool for several tools; all must be present. */
export function requireTools(...names: string[]): boolean {
  let ok = true;
  for (const n of names) ok = requireTool(n) && ok;
  return ok;
}
