// Issue 3's real-kernel check with kprobes: inside Debian's 6.12 kernel booted under QEMU (this
// machine's own kernel has no kprobes), `kprobe host` traces do_sys_openat2 with its user-space
// file name and its kretprobe with $retval while a command opens a file that exists and one that
// does not; the values must match what the program opened (test/host/support/openat2-check.ts).

import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runInGuest } from '../../conformance/guest.ts';
import { requireTools } from '../helpers/tools.ts';

const CHECK = fileURLToPath(new URL('./support/openat2-check.ts', import.meta.url));

describe('kprobe host on a real kernel with kprobes (QEMU)', () => {
  const ok = requireTools('qemu-system-x86_64');

  it.skipIf(!ok)(
    'traces do_sys_openat2 and its return with the values the program saw',
    async () => {
      const r = await runInGuest({
        arch: 'x86_64',
        node: true,
        repo: true,
        files: { '/repo/test/host/support/openat2-check.ts': { host: CHECK } },
        script: 'cd /repo && node --import tsx test/host/support/openat2-check.ts',
        timeoutMs: 600_000,
      });
      expect(r.output, r.console.slice(-4000)).toContain('KPROBE_HOST_OPENAT2 PASS');
      expect(r.status).toBe(0);
    },
    900_000,
  );
});
