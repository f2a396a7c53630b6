// The machine's file server (src/kernel/file-server.ts) and background workload
// (src/shell/workload.ts), driven from TypeScript as the FUSE mount drives them, on the real
// machine: every operation is a guest system call of the "fuse-server" task, taken in turns with
// the workload under the machine lock; a blocking trace_pipe read waits outside the lock while the
// workload runs, and returns the events the workload caused.

import { describe, expect, it } from 'vitest';
import { GuestFileServer, guestOpenFlags, isDirMode } from '../../src/kernel/file-server.ts';

import { bootMachine } from '../../src/shell/machine.ts';
import { Workload, workloadLines, WORKLOADS } from '../../src/shell/workload.ts';
import { EBUSY, EINTR, EINVAL, ENOENT } from '../../src/uapi/errno.ts';
import { O_APPEND, O_DIRECTORY, O_NONBLOCK, O_RDONLY, O_TRUNC, O_WRONLY } from '../../src/uapi/fcntl.ts';

const T = '/sys/kernel/tracing';
const text = (r: Uint8Array | number): string => (typeof r === 'number' ? `errno ${r}` : Buffer.from(r).toString('latin1'));

async function machine(workload = 'busy') {
  const m = await bootMachine({ arch: 'arm64', output: () => undefined });
  const server = await GuestFileServer.start(m.kernel, { parent: m.init });
  const wl = await Workload.start({ kernel: m.kernel, core: m.core, proc: m.shellProcess, lines: workloadLines(workload) });
  server.setTurnTaker(wl);
  const write = async (path: string, data: string, flags = O_WRONLY | O_TRUNC): Promise<number> => {
    const fd = await server.open(path, flags);
    if (fd < 0) return fd;
    const n = await server.write(fd, Buffer.from(data), 0);
    await server.release(fd);
    return n;
  };
  const read = async (path: string): Promise<string> => {
    const fd = await server.open(path, O_RDONLY);
    if (fd < 0) return `errno ${fd}`;
    let out = '';
    for (let pos = 0; ; ) {
      const r = await server.read(fd, 65536, pos);
      if (typeof r === 'number') return `errno ${r}`;
      if (r.length === 0) break;
      out += text(r);
      pos += r.length;
    }
    await server.release(fd);
    return out;
  };
  return { m, server, wl, write, read };
}

describe('the machine file server', () => {
  it('serves tracefs through guest system calls, with tracefs errno values', async () => {
    const { server, wl, write, read } = await machine('none');
    const st = await server.getattr(T);
    expect(typeof st !== 'number' && isDirMode(st.mode)).toBe(true);
    expect(await server.getattr(`${T}/no_such_file`)).toBe(-ENOENT);
    const names = await server.readdir(T);
    expect(names).toEqual(expect.arrayContaining(['.', '..', 'kprobe_events', 'trace', 'trace_pipe', 'events', 'error_log']));

    expect(await write(`${T}/kprobe_events`, 'p:ev vfs_read\n', O_WRONLY | O_APPEND)).toBe(14);
    expect(await read(`${T}/kprobe_events`)).toBe('p:kprobes/ev vfs_read\n');
    expect(await write(`${T}/kprobe_events`, 'p:bad no_such_function\n', O_WRONLY | O_APPEND)).toBe(-EINVAL);
    expect(await read(`${T}/error_log`)).toContain('trace_kprobe: error: Invalid probed address or symbol');
    expect(await write(`${T}/events/kprobes/ev/enable`, '1\n')).toBe(2);
    // open(O_TRUNC) of kprobe_events while an event is enabled: EBUSY, at open, as tracefs does.
    expect(await server.open(`${T}/kprobe_events`, O_WRONLY | O_TRUNC)).toBe(-EBUSY);
    expect(await write(`${T}/events/kprobes/ev/enable`, '0\n')).toBe(2);
    expect(await write(`${T}/kprobe_events`, '\n')).toBe(1);
    expect(await read(`${T}/kprobe_events`)).toBe('');
    await wl.stop();
    await server.stop();
  });

  it('sees the workload between two host writes: its forks reach a kernel_clone probe', async () => {
    const { wl, write, read } = await machine();
    expect(await write(`${T}/kprobe_events`, 'p:fork kernel_clone\n')).toBe(20);
    expect(await write(`${T}/events/kprobes/fork/enable`, '1\n')).toBe(2);
    // No wait here: the next host operation runs only after the workload has had its turn.
    const trace = await read(`${T}/trace`);
    expect(trace).toMatch(/ sh-\d+ +\[000\] d\.\.\.\. +[\d.]+: fork: \(kernel_clone\+0x0\/0x[0-9a-f]+\)/);
    expect(wl.steps).toBeGreaterThan(0);
    await wl.stop();
  });

  it('a blocking trace_pipe read waits without holding the machine, and wakes on the workload', async () => {
    const { server, wl, write } = await machine();
    expect(await write(`${T}/kprobe_events`, 'p:rd vfs_read\n')).toBe(14);
    const fd = await server.open(`${T}/trace_pipe`, O_RDONLY);
    expect(fd).toBeGreaterThan(0);
    // Nothing recorded yet: a non-blocking open would get EAGAIN; this one waits.
    const pending = server.read(fd, 4096, 0);
    let settled = false;
    void pending.then(() => (settled = true));
    const before = wl.steps;
    await wl.waitSteps(3);
    expect(settled).toBe(false);
    expect(wl.steps).toBeGreaterThanOrEqual(before + 3);
    expect(await write(`${T}/events/kprobes/rd/enable`, '1\n')).toBe(2);
    const got = text(await pending);
    expect(got).toMatch(/: rd: \(vfs_read\+0x0\/0x[0-9a-f]+\)\n/);
    // The events are the machine's own: the workload's commands read files.
    expect(got).toMatch(/^ +(cat|grep|wc|head|ls)-\d+ /m);
    await write(`${T}/events/kprobes/rd/enable`, '0\n');
    await server.release(fd);
    await wl.stop();
    await server.stop();
  });

  it('a read still waiting ends with EINTR when the server stops', async () => {
    const { server, wl } = await machine('none');
    const fd = await server.open(`${T}/trace_pipe`, O_RDONLY);
    const pending = server.read(fd, 4096, 0);
    await server.stop();
    expect(await pending).toBe(-EINTR);
    await wl.stop();
  });

  it("the guest's own VFS does the work: %pD of vfs_read names the tracefs file the host read", async () => {
    const { wl, write, read } = await machine('none');
    expect(await write(`${T}/kprobe_events`, 'p:rd vfs_read name=$arg1:%pD\n')).toBeGreaterThan(0);
    expect(await write(`${T}/events/kprobes/rd/enable`, '1\n')).toBe(2);
    expect(await read(`${T}/events/kprobes/rd/enable`)).toBe('1\n');
    expect(await write(`${T}/events/kprobes/rd/enable`, '0\n')).toBe(2);
    expect(await read(`${T}/trace`)).toMatch(/fuse-server-\d+ +\[000\] d\.\.\.\. +[\d.]+: rd: \(vfs_read\+0x0\/0x[0-9a-f]+\) name="enable"/);
    await wl.stop();
  });

  it("maps the host's open flags onto the guest's", () => {
    const x86 = { O_WRONLY: 1, O_RDWR: 2, O_CREAT: 0o100, O_EXCL: 0o200, O_TRUNC: 0o1000, O_APPEND: 0o2000, O_NONBLOCK: 0o4000, O_DIRECTORY: 0o200000, O_NOFOLLOW: 0o400000, O_SYNC: 0o4010000, O_DSYNC: 0o10000 };
    const O_LARGEFILE_X86 = 0o100000;
    expect(guestOpenFlags(O_WRONLY | O_TRUNC | O_LARGEFILE_X86, x86)).toBe(O_WRONLY | O_TRUNC);
    expect(guestOpenFlags(O_WRONLY | O_APPEND | O_NONBLOCK, x86)).toBe(O_WRONLY | O_APPEND | O_NONBLOCK);
    expect(guestOpenFlags(0o200000, x86)).toBe(O_DIRECTORY);
  });

  it('names its workloads', () => {
    expect(Object.keys(WORKLOADS)).toEqual(['busy', 'fork', 'files', 'none']);
    expect(workloadLines('none')).toEqual([]);
    expect(workloadLines('cat /etc/passwd > /dev/null')).toEqual(['cat /etc/passwd > /dev/null']);
  });
});
