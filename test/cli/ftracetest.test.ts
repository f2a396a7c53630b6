// Linux 6.12's ftrace selftests for kprobes (test.d/kprobe/*.tc, run by the kernel's own
// ftracetest) against the emulated machine through `kprobe mount` (conformance/ftracetest.ts).
// Needs root (unshare -m), FUSE (/dev/fuse, fuse3, libfuse2) and Debian's linux-source-6.12:
// skipped on a developer machine without them, a failure under CI=true. Every .tc that needs
// neither a loadable module nor the function tracer passes, except those listed with their reason
// in NOT_PASSING, whose result is asserted as it is, so that a fix is noticed there.

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LINUX_SOURCE_TARBALL, NOT_PASSING, OUT_OF_SCOPE, runFtracetest } from '../../conformance/ftracetest.ts';
import { loadFuse } from '../../src/cli/fuse.ts';
import { requireTools } from '../helpers/tools.ts';

/** The tarball, FUSE and root: missing, skip here and fail in CI. */
async function available(): Promise<boolean> {
  if (!requireTools('unshare', 'tar', 'xz', 'fusermount')) return false;
  const missing: string[] = [];
  if (!existsSync(LINUX_SOURCE_TARBALL)) missing.push(`${LINUX_SOURCE_TARBALL} (apt-get install linux-source-6.12)`);
  const fuse = await loadFuse();
  if ('message' in fuse) missing.push(fuse.message);
  if (process.getuid?.() !== 0) missing.push('root (unshare -m and the bind mounts)');
  if (missing.length === 0) return true;
  if (process.env.CI === 'true') throw new Error(`ftracetest needs: ${missing.join('; ')}`);
  return false;
}

const ok = await available();

describe.skipIf(!ok)('ftracetest test.d/kprobe through the FUSE mount', () => {
  it('passes every kprobe selftest that needs neither a module nor the function tracer', { timeout: 900_000 }, async () => {
    const outcomes = await runFtracetest();
    expect(outcomes.length).toBeGreaterThanOrEqual(26);
    const unexpected = outcomes
      .filter((o) => !OUT_OF_SCOPE[o.file])
      .filter((o) => o.result !== (NOT_PASSING[o.file]?.result ?? 'PASS'))
      .map((o) => `${o.file}: ${o.result} (expected ${NOT_PASSING[o.file]?.result ?? 'PASS'})\n${o.logTail}`);
    expect(unexpected).toEqual([]);
    const passed = outcomes.filter((o) => o.result === 'PASS').map((o) => o.file);
    expect(passed).toEqual(expect.arrayContaining(['add_and_remove.tc', 'busy_check.tc', 'kprobe_args_vfs.tc', 'kprobe_syntax_errors.tc', 'multiple_kprobes.tc']));
  });
});
