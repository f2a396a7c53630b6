// sysfs on the emulated machine: the guest's kobjects make the tree (src/kernel/sysfs.ts keeps
// the nodes), attribute files are shown and stored by guest code (rtc's and wakeup_stats's
// name_show among them), class links point where Linux points them, and the PL031 sets the
// system time at boot. Counterpart of what `ls -l /sys/class/rtc` and `cat` show on Linux.

import { beforeAll, describe, expect, it } from 'vitest';
import { bootMachine, type BootedKernel } from '../../src/shell/machine.ts';
import { Shell } from '../../src/shell/shell.ts';
import { EACCES, EINVAL } from '../../src/uapi/errno.ts';
import { O_RDONLY, O_WRONLY } from '../../src/uapi/fcntl.ts';

const AT_FDCWD = -100;
/** 2026-06-13T12:34:56Z */
const RTC_BASE = 1781354096;

let m: BootedKernel;
let out = '';

beforeAll(async () => {
  const decoder = new TextDecoder();
  m = await bootMachine({ arch: 'arm64', rtc: RTC_BASE, output: (bytes) => void (out += decoder.decode(bytes, { stream: true })) });
});

async function sh(text: string): Promise<string> {
  const shell = await Shell.start({ kernel: m.kernel, proc: m.shellProcess, interactive: false });
  out = '';
  for (const line of text.split('\n')) await shell.feed(line);
  await shell.finish();
  return out;
}

async function readFile(path: string): Promise<string | number> {
  const p = m.shellProcess;
  const fd = await p.openat(AT_FDCWD, path, O_RDONLY);
  if (fd < 0) return fd;
  let text = '';
  for (;;) {
    const r = await p.read(fd, 3); // small reads: the content is shown once and read in pieces
    if (typeof r === 'number') return r;
    if (r.length === 0) break;
    text += Buffer.from(r).toString('latin1');
  }
  await p.close(fd);
  return text;
}

async function writeFile(path: string, text: string): Promise<number> {
  const p = m.shellProcess;
  const fd = await p.openat(AT_FDCWD, path, O_WRONLY);
  if (fd < 0) return fd;
  const r = await p.write(fd, Buffer.from(text));
  await p.close(fd);
  return r;
}

describe('sysfs', () => {
  it('has the roots the guest makes, with the mount points of debugfs and tracefs', async () => {
    expect(await sh('ls /sys\nls /sys/kernel\nls /sys/devices/platform')).toBe('class    devices  kernel\ndebug    tracing\n9010000.pl031\n');
  });

  it('links class devices to their directories below the hardware device', async () => {
    expect(await m.shellProcess.readlinkat(AT_FDCWD, '/sys/class/rtc/rtc0')).toBe('../../devices/platform/9010000.pl031/rtc/rtc0');
    expect(await m.shellProcess.readlinkat(AT_FDCWD, '/sys/class/wakeup/wakeup0')).toBe('../../devices/platform/9010000.pl031/wakeup/wakeup0');
    expect(await m.shellProcess.readlinkat(AT_FDCWD, '/sys/class/rtc/rtc0/device')).toBe('../../../9010000.pl031');
    expect(await m.shellProcess.readlinkat(AT_FDCWD, '/sys/class/rtc/rtc0/subsystem')).toBe('../../../../../class/rtc');
    const ls = await sh('ls -l /sys/class/rtc');
    expect(ls).toMatch(/^lrwxrwxrwx +1 root +root +0 .* rtc0 -> \.\.\/\.\.\/devices\/platform\/9010000\.pl031\/rtc\/rtc0\n$/);
    expect(await sh('ls /sys/class/rtc/rtc0/')).toBe('date           hctosys        name           since_epoch    time\ndevice         max_user_freq  range          subsystem\n');
  });

  it('shows the RTC through the guest: name_show, the date and time it reads from the PL031', async () => {
    expect(await readFile('/sys/class/rtc/rtc0/name')).toBe('rtc-pl031 9010000.pl031\n');
    expect(await readFile('/sys/class/rtc/rtc0/date')).toBe('2026-06-13\n');
    expect(await readFile('/sys/class/rtc/rtc0/time')).toMatch(/^12:34:5[6-9]\n$/);
    expect(Number(await readFile('/sys/class/rtc/rtc0/since_epoch'))).toBeGreaterThanOrEqual(RTC_BASE);
    expect(await readFile('/sys/class/rtc/rtc0/hctosys')).toBe('1\n');
    expect(await readFile('/sys/class/rtc/rtc0/range')).toBe('[0,4294967295]\n');
    expect(await readFile('/sys/class/wakeup/wakeup0/name')).toBe('9010000.pl031\n');
    expect(await readFile('/sys/class/wakeup/wakeup0/active_count')).toBe('0\n');
  });

  it('stores through the guest, with its checks; read-only attributes refuse writers', async () => {
    expect(await writeFile('/sys/class/rtc/rtc0/max_user_freq', '128\n')).toBe(4);
    expect(await readFile('/sys/class/rtc/rtc0/max_user_freq')).toBe('128\n');
    expect(await writeFile('/sys/class/rtc/rtc0/max_user_freq', '4096')).toBe(-EINVAL);
    expect(await writeFile('/sys/class/rtc/rtc0/name', 'x')).toBe(-EACCES);
    expect(await readFile('/sys/class/rtc/rtc0/max_user_freq')).toBe('128\n');
  });

  it('set the system time from the RTC at boot, and said so', async () => {
    // A file made now carries the RTC's date (busybox ls -l: "Jun 13 12:34").
    expect(await sh('touch /tmp/now\nls -l /tmp/now')).toMatch(/ Jun 13 12:3[4-5] \/tmp\/now\n$/);
    const dmesg = await sh('dmesg | grep rtc');
    expect(dmesg).toMatch(/\] rtc-pl031 9010000\.pl031: registered as rtc0\n/);
    expect(dmesg).toMatch(/\] rtc-pl031 9010000\.pl031: setting system clock to 2026-06-13T12:34:56 UTC \(1781354096\)\n/);
  });

  it('has two local name_show functions, so a probe on the name is refused as not unique', async () => {
    const kallsyms = await sh('grep " t name_show$" /proc/kallsyms');
    expect(kallsyms.trim().split('\n')).toHaveLength(2);
    const o = await sh('echo p:dup name_show >> /sys/kernel/tracing/kprobe_events\ncat /sys/kernel/tracing/error_log');
    expect(o).toContain('sh: echo: write error: Invalid argument\n');
    expect(o).toMatch(/\] trace_kprobe: error: The symbol is not unique\n  Command: p:dup name_show\n {17}\^\n/);
  });

  it('fires a kprobe on the guest show function when a host read reaches it', async () => {
    const o = await sh(
      [
        'cd /sys/kernel/tracing',
        'echo > trace',
        "echo 'p:show sysfs_kf_seq_show' >> kprobe_events",
        'echo 1 > events/kprobes/show/enable',
        'cat /sys/class/rtc/rtc0/name /sys/class/rtc/rtc0/date',
        'echo 0 > events/kprobes/show/enable',
        'grep -c "show: (sysfs_kf_seq_show" trace',
        "echo '-:show' >> kprobe_events",
      ].join('\n'),
    );
    expect(o, o).toMatch(/^rtc-pl031 9010000\.pl031\n2026-06-13\n2\n$/);
  });
});
