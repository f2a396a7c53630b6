// The emulated machine on mips: the same TypeScript kernel half (src/kernel/) booting the MIPS
// guest through the mips ArchKernel (src/kernel/arch/mips.ts) and the o32 user ABI
// (src/kernel/arch/mips-user-abi.ts, src/uapi/mips/): the shell, /proc, uname, the seed's debugfs
// walkthrough, the error_log of a bad register name, the kprobe and kretprobe examples, calls into
// the guest with the o32 convention, and the errno, flag and signal translations at the user
// boundary. No Linux counterpart (compare booting a MIPS kernel under QEMU and running the
// samples/kprobes modules there).

import { beforeAll, describe, expect, it } from 'vitest';
import { bootMachine, type BootedKernel } from '../../../src/shell/machine.ts';
import { Shell } from '../../../src/shell/shell.ts';
import { AT_FDCWD, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_WRONLY } from '../../../src/uapi/fcntl.ts';
import { EEXIST, ENOENT, ENOTDIR, ENOTEMPTY, EOPNOTSUPP, EADDRNOTAVAIL, ECANCELED, EILSEQ, ENOSYS, ELOOP } from '../../../src/uapi/errno.ts';
import { genericErrnoFromMips, mipsErrnoFromGeneric } from '../../../src/uapi/mips/errno.ts';
import { mipsOpenFlags } from '../../../src/uapi/mips/fcntl.ts';
import { genericSignalFromMips, mipsSignalFromGeneric } from '../../../src/uapi/mips/signal.ts';
import { mipsKernel } from '../../../src/kernel/arch/mips.ts';
import { waitStatusFromGuest } from '../../../src/kernel/process.ts';

describe('the o32 user ABI numbers', () => {
  it('translates errno values both ways (arch/mips/include/uapi/asm/errno.h)', () => {
    expect(mipsErrnoFromGeneric(-EADDRNOTAVAIL)).toBe(-126);
    expect(mipsErrnoFromGeneric(-ECANCELED)).toBe(-158);
    expect(mipsErrnoFromGeneric(-EILSEQ)).toBe(-88);
    expect(mipsErrnoFromGeneric(-EOPNOTSUPP)).toBe(-122);
    expect(mipsErrnoFromGeneric(-ENOSYS)).toBe(-89);
    expect(mipsErrnoFromGeneric(-ELOOP)).toBe(-90);
    expect(mipsErrnoFromGeneric(-ENOENT)).toBe(-ENOENT); // errno-base.h is shared
    expect(mipsErrnoFromGeneric(1234)).toBe(1234); // not an error
    for (const e of [EADDRNOTAVAIL, ECANCELED, EILSEQ, EOPNOTSUPP, ENOSYS, ELOOP, ENOTEMPTY]) {
      expect(genericErrnoFromMips(mipsErrnoFromGeneric(-e))).toBe(-e);
    }
  });

  it('translates open flags (arch/mips/include/uapi/asm/fcntl.h) and signals (signal.h)', () => {
    expect(mipsOpenFlags(O_WRONLY | O_CREAT | O_EXCL)).toBe(0x1 | 0x100 | 0x400);
    expect(mipsOpenFlags(O_RDONLY | O_DIRECTORY)).toBe(0o200000);
    expect(mipsSignalFromGeneric(17)).toBe(18); // SIGCHLD
    expect(mipsSignalFromGeneric(10)).toBe(16); // SIGUSR1
    expect(mipsSignalFromGeneric(19)).toBe(23); // SIGSTOP
    expect(mipsSignalFromGeneric(2)).toBe(2); // SIGINT
    expect(genericSignalFromMips(16)).toBe(10);
    expect(waitStatusFromGuest(mipsKernel.userAbi, 16)).toBe(10); // killed by SIGUSR1
    expect(waitStatusFromGuest(mipsKernel.userAbi, 3 << 8)).toBe(3 << 8); // exit(3)
  });
});

describe('the mips machine (boots the MIPS guest)', () => {
  let m: BootedKernel;
  let out = '';

  beforeAll(async () => {
    m = await bootMachine({ arch: 'mips', output: (bytes) => void (out += Buffer.from(bytes).toString('latin1')) });
  });

  async function sh(text: string): Promise<string> {
    const shell = await Shell.start({ kernel: m.kernel, proc: m.shellProcess, interactive: false });
    out = '';
    for (const line of text.split('\n')) await shell.feed(line);
    await shell.finish();
    return out;
  }

  it('boots the MIPS guest to the shell: ls /, /proc/version, uname -m', async () => {
    expect(m.core.arch.name).toBe('mips');
    expect(m.kernel.arch).toBe('mips');
    expect(m.core.printk.dmesg()).toContain('CPU0 revision is: 00019300 (MIPS 24Kc)');
    expect(await sh('ls /')).toBe('bin   dev   etc   home  proc  root  sys   tmp\n');
    expect(await sh('cat /proc/version')).toMatch(/^Linux version 6\.12\.0-kprobe .*mips-linux-gnu-gcc/);
    expect(await sh('uname -m')).toBe('mips\n');
  });

  it('speaks generic errno, flags and stat to TypeScript, o32 to the guest', async () => {
    const p = m.shellProcess;
    expect(p.openat(AT_FDCWD, '/nonexistent', O_RDONLY)).toBe(-ENOENT);
    expect(p.openat(AT_FDCWD, '/etc/hostname', O_RDONLY | O_DIRECTORY)).toBe(-ENOTDIR);
    expect(p.mkdirat(AT_FDCWD, '/tmp/d', 0o755)).toBe(0);
    expect(p.mkdirat(AT_FDCWD, '/tmp/d', 0o755)).toBe(-EEXIST);
    const fd = p.openat(AT_FDCWD, '/tmp/d/f', O_WRONLY | O_CREAT | O_EXCL, 0o644);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(p.write(fd, 'twelve bytes')).toBe(12);
    p.close(fd);
    // ENOTEMPTY is 93 on mips, 39 generic: the rmdir's errno comes back translated.
    expect(p.unlinkat(AT_FDCWD, '/tmp/d', 0x200)).toBe(-ENOTEMPTY);
    const st = p.newfstatat(AT_FDCWD, '/tmp/d/f', 0);
    expect(typeof st).toBe('object');
    if (typeof st === 'object') {
      expect(st.size).toBe(12n);
      expect(st.mode & 0o170000).toBe(0o100000);
    }
    expect(await sh('cat /tmp/d/f; echo; ls -l /tmp/d')).toMatch(/^twelve bytes\n-rw-r--r-- +1 root +root +12 /);
  });

  it('calls guest functions with the o32 convention (arguments 5 and 6 on the stack)', () => {
    expect(m.core.callGuest('kprobe_trace_selftest_target', [1, 2, 3, 4, 5, 6])).toBe(21n);
    expect(m.core.callGuest('kprobe_target', [10])).toBe(3n);
  });

  it("runs the seed's debugfs walkthrough: a kprobe event on sys_write and its trace line", async () => {
    const text = await sh(
      [
        'mount -t debugfs nodev /sys/kernel/debug',
        'cd /sys/kernel/debug/tracing',
        'echo "p:sys_write_event sys_write" > kprobe_events',
        'cat kprobe_events',
        'ls events/kprobes',
        'echo 1 > events/kprobes/sys_write_event/enable',
        'echo hello',
        'cat trace',
        'echo 0 > events/kprobes/sys_write_event/enable',
        'echo "-:kprobes/sys_write_event" >> kprobe_events',
        'cat kprobe_events',
        'ls events/kprobes',
      ].join('\n'),
    );
    expect(text.split('p:kprobes/sys_write_event sys_write\n').length - 1).toBe(1);
    expect(text).toContain('enable           filter           sys_write_event\n');
    expect(text).toMatch(/^\s+sh-\d+\s+\[000\] d\.\.\.\.\s+\d+\.\d{6}: sys_write_event: \(sys_write\+0x0\/0x[0-9a-f]+\)$/m);
    expect(text).toContain('ls: events/kprobes: No such file or directory\n');
  });

  it('rejects an arm64 register name with the kernel error_log entry and caret', async () => {
    const text = await sh(
      ["cd /sys/kernel/debug/tracing", "echo > error_log", "echo 'p:bad sys_write %x0' >> kprobe_events", 'cat error_log', "echo 'p:good sys_write r=%r4 epc=%c0_epc' >> kprobe_events", 'cat kprobe_events', "echo '-:good' >> kprobe_events"].join('\n'),
    );
    expect(text).toContain('sh: echo: write error: Invalid argument\n');
    expect(text).toMatch(/\] trace_kprobe: error: Invalid register name\n {2}Command: p:bad sys_write %x0\n {27}\^\n/);
    expect(text).toContain('p:kprobes/good sys_write r=%r4 epc=%c0_epc\n');
  });

  it('shows sysfs attributes through the guest: sprintf on a 32-bit kernel, the two name_show', async () => {
    const text = await sh('cat /sys/class/rtc/rtc0/name /sys/class/rtc/rtc0/since_epoch /sys/class/wakeup/wakeup0/name\ngrep -c " t name_show$" /proc/kallsyms');
    expect(text).toMatch(/^rtc-pl031 1f001000\.pl031\n\d+\n1f001000\.pl031\n2\n$/);
  });

  it('has no uprobe_events: uprobes are arm64-only here', async () => {
    expect(await sh('ls /sys/kernel/tracing')).not.toContain('uprobe_events');
  });

  it('runs examples/kprobe_example.ts with the epc and status Linux prints on MIPS', async () => {
    const text = await sh('insmod examples/kprobe_example.ts\nls\nrmmod kprobe_example');
    expect(text).toMatch(/kprobe_init: Planted kprobe at [0-9a-f]{8}\n/);
    expect(text).toMatch(/handler_pre: <kernel_clone> p->addr = 0x[0-9a-f]{8}, epc = 0x8[0-9a-f]{7}, status = 0x10000000\n/);
    expect(text).toMatch(/handler_post: <kernel_clone> p->addr = 0x[0-9a-f]{8}, status = 0x10000000\n/);
    const epc = /epc = 0x([0-9a-f]+)/.exec(text)![1]!;
    expect(parseInt(epc, 16)).toBe(m.core.symbol('kernel_clone'));
    expect(text).toMatch(/kprobe_exit: kprobe at [0-9a-f]{8} unregistered\n/);
  });

  it('runs examples/kretprobe_example.ts: kernel_clone returns the new pid', async () => {
    const text = await sh('insmod examples/kretprobe_example.ts\nls\nrmmod kretprobe_example');
    expect(text).toMatch(/Planted return probe at kernel_clone: [0-9a-f]{8}\n/);
    expect(text).toMatch(/kernel_clone returned \d+ and took \d+ ns to execute\n/);
    expect(text).toContain('Missed probing 0 instances of kernel_clone\n');
  });

  it('a kernel fault in guest code a handler called is an oops that kills only that task', async () => {
    const kp = { symbolName: 'vfs_read', preHandler: () => (m.core.callGuest('strlen', [0x10]), 0) };
    expect(m.core.kprobesApi!.registerKprobe(kp)).toBe(0);
    const text = await sh('cat /etc/hostname\necho still here');
    m.core.kprobesApi!.unregisterKprobe(kp);
    expect(text).toMatch(/epc   : [0-9a-f]{8} strlen\+0x[0-9a-f]+\/0x[0-9a-f]+\n/);
    expect(text).toContain('PrId  : 00019300 (MIPS 24Kc)\n');
    expect(text).toContain('Segmentation fault\nstill here\n');
    expect(await sh('uname -m')).toBe('mips\n');
  });
});
