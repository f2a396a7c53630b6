// runInGuest (conformance/guest.ts): a shell script in a real Debian 6.12 kernel under QEMU —
// arm64 with busybox, x86_64 with the host's Node.js and a packed copy of the repository (what
// issue 3's `kprobe host` test builds on). Skipped without QEMU; failing under CI=true without it.

import { describe, expect, it } from 'vitest';
import { runInGuest } from '../../conformance/guest.ts';
import { requireTools } from '../helpers/tools.ts';

describe.skipIf(!requireTools('qemu-system-aarch64', 'apt-get', 'dpkg-deb'))('runInGuest, arm64', () => {
  it('runs the script as root on the real kernel and returns its output and status', async () => {
    const r = await runInGuest({
      arch: 'arm64',
      files: { '/etc/probe-line': 'p:guesttest/openat do_sys_openat2 fn=+0($arg2):string\n' },
      script: [
        'uname -m',
        'cd /sys/kernel/tracing',
        'cat /etc/probe-line >> kprobe_events',
        'cat kprobe_events',
        'echo 1 > events/guesttest/openat/enable',
        'cat /etc/hostname > /dev/null',
        'echo 0 > events/guesttest/openat/enable',
        'grep -c \'fn="/etc/hostname"\' trace',
        "echo 'p:bad vfs_read x=%zz' >> kprobe_events",
        'exit 7',
      ].join('\n'),
    });
    expect(r.kernelRelease).toMatch(/^6\.12\..*-arm64$/);
    expect(r.status).toBe(7);
    expect(r.output).toBe(
      'aarch64\np:guesttest/openat do_sys_openat2 fn=+0($arg2):string\n1\nsh: write error: Invalid argument\n',
    );
  }, 600_000);
});

describe.skipIf(process.arch !== 'x64' || !requireTools('qemu-system-x86_64', 'apt-get', 'dpkg-deb'))('runInGuest, x86_64 with node and the repository', () => {
  it('runs node and the repository\'s TypeScript in the guest', async () => {
    const r = await runInGuest({
      arch: 'x86_64',
      node: true,
      repo: true,
      script: [
        'node -e "console.log(process.version === \'' + process.version + '\')"',
        "node --import tsx -e \"import('./src/uapi/errno.ts').then((m) => console.log(m.EINVAL))\"",
        'node bin/kprobe.js --version | cut -d" " -f1',
      ].join('\n'),
    });
    expect(r.kernelRelease).toMatch(/^6\.12\..*-amd64$/);
    expect(r.output).toBe('true\n22\nkprobe\n');
    expect(r.status).toBe(0);
  }, 600_000);
});
