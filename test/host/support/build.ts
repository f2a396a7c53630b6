// Test helper: builds test/host/support/target.c with the system gcc in the variants uprobe
// resolution must handle — a PIE (the default), a non-PIE executable, a stripped PIE that keeps
// only .dynsym (-rdynamic), and a shared library — into a scratch directory. No Linux counterpart.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TARGET_C = fileURLToPath(new URL('./target.c', import.meta.url));

export interface Targets {
  readonly dir: string;
  readonly pie: string;
  readonly nopie: string;
  /** Stripped: .symtab gone, probe_me only in .dynsym. */
  readonly dynsymOnly: string;
  readonly shared: string;
}

const CFLAGS = ['-O1', '-g', '-fno-inline', '-fno-ipa-icf', '-fno-optimize-sibling-calls'];

export function buildTargets(): Targets {
  const dir = mkdtempSync(join(tmpdir(), 'kprobe-host-'));
  const cc = (out: string, extra: string[]): string => {
    execFileSync('gcc', [...CFLAGS, ...extra, '-o', join(dir, out), TARGET_C], { stdio: 'pipe' });
    return join(dir, out);
  };
  const pie = cc('target', ['-fPIE', '-pie']);
  const nopie = cc('target-nopie', ['-fno-pie', '-no-pie']);
  const dynsymOnly = cc('target-stripped', ['-fPIE', '-pie', '-rdynamic']);
  execFileSync('strip', ['--strip-all', dynsymOnly], { stdio: 'pipe' });
  const shared = cc('libtarget.so', ['-fPIC', '-shared']);
  return { dir, pie, nopie, dynsymOnly, shared };
}

/** Remove the scratch directory of buildTargets(). */
export function removeTargets(t: Targets | undefined): void {
  if (t) rmSync(t.dir, { recursive: true, force: true });
}
