// The seed ("kprobe: dynamic anchor with self-defined handler") run on the real machine: the guest
// kernel on the TypeScript CPU, the shell's commands as guest processes. Every command line the seed
// shows, verbatim; where the seed names a path a real kernel does not have
// (events/kprobes/events/sys_write_event), the shell answers as on a real kernel.

import { beforeAll, describe, expect, it } from 'vitest';
import { bootMachine } from '../../src/shell/machine.ts';
import { Shell } from '../../src/shell/shell.ts';

let out = '';
let sh: Shell;

beforeAll(async () => {
  const decoder = new TextDecoder();
  const m = await bootMachine({ arch: 'arm64', output: (bytes: Uint8Array) => void (out += decoder.decode(bytes, { stream: true })) });
  sh = await Shell.start({ kernel: m.kernel, proc: m.shellProcess });
});

/** Runs one line as typed at the prompt; returns what reached the console and `$?`. */
async function run(line: string): Promise<{ out: string; status: number }> {
  out = '';
  await sh.feed(line);
  return { out, status: sh.status };
}

const EVENT_LINE = /^\s+(\S+)-(\d+)\s+\[000\] \S{5}\s+\d+\.\d{6}: (\w+): \((\S+)\+0x([0-9a-f]+)\/0x[0-9a-f]+\)(.*)$/gm;

function events(trace: string): { comm: string; event: string; sym: string; args: string }[] {
  return [...trace.matchAll(EVENT_LINE)].map((m) => ({ comm: m[1], event: m[3], sym: m[4], args: m[6] }));
}

describe('the seed: the debugfs interface', () => {
  it('the shell starts in /root, where ls shows blog and dockerfile', async () => {
    expect(await run('pwd')).toEqual({ out: '/root\n', status: 0 });
    expect(await run('ls')).toEqual({ out: 'blog        dockerfile\n', status: 0 });
  });

  it('1) mount debugfs', async () => {
    expect(await run('mount -t debugfs nodev /sys/kernel/debug')).toEqual({ out: '', status: 0 });
    expect((await run('mount')).out).toContain('nodev on /sys/kernel/debug type debugfs (');
  });

  it('2) register the kprobe event; a new kprobes directory appears', async () => {
    expect(await run('cd /sys/kernel/debug/tracing')).toEqual({ out: '', status: 0 });
    expect(await run('echo "p:sys_write_event sys_write" > kprobe_events')).toEqual({ out: '', status: 0 });
    expect(await run('cat kprobe_events')).toEqual({ out: 'p:kprobes/sys_write_event sys_write\n', status: 0 });
    expect(await run('ls /sys/kernel/debug/tracing/events/kprobes')).toEqual({ out: 'enable           filter           sys_write_event\n', status: 0 });
  });

  it("3) enable it: the seed's events/kprobes/events/… directory does not exist, the real one works", async () => {
    expect(await run('cd /sys/kernel/debug/tracing/events/kprobes/events/sys_write_event')).toEqual({
      out: "sh: cd: can't cd to /sys/kernel/debug/tracing/events/kprobes/events/sys_write_event: No such file or directory\n",
      status: 1,
    });
    expect(await run('cd /sys/kernel/debug/tracing/events/kprobes/sys_write_event')).toEqual({ out: '', status: 0 });
    expect(await run('echo 1 > enable')).toEqual({ out: '', status: 0 });
    expect(await run('cd /sys/kernel/debug/tracing')).toEqual({ out: '', status: 0 });
    expect(await run('echo hello')).toEqual({ out: 'hello\n', status: 0 });
    const trace = await run('cat trace');
    expect(trace.status).toBe(0);
    expect(trace.out.startsWith('# tracer: nop\n')).toBe(true);
    // The shell's write of "hello\n" went through sys_write: one event, from the shell.
    expect(events(trace.out)).toContainEqual({ comm: 'sh', event: 'sys_write_event', sym: expect.stringMatching(/sys_write$/), args: '' });
  });

  it('a child process writing is traced under its own name', async () => {
    await run('echo > trace');
    await run('ls /root');
    expect(events((await run('cat trace')).out).map((e) => e.comm)).toContain('ls');
  });

  it('truncating kprobe_events while the event is enabled fails with EBUSY', async () => {
    expect(await run('echo > kprobe_events')).toEqual({ out: "sh: can't create kprobe_events: Device or resource busy\n", status: 1 });
  });

  it('4) disable it and remove it', async () => {
    expect(await run('cd /sys/kernel/debug/tracing/events/kprobes/events/sys_write_event')).toMatchObject({ status: 1 });
    expect(await run('echo 0 > events/kprobes/sys_write_event/enable')).toEqual({ out: '', status: 0 });
    // The seed writes kprobe_events from events/, where there is none: tracefs refuses to create it.
    expect(await run('cd /sys/kernel/debug/tracing/events')).toEqual({ out: '', status: 0 });
    expect(await run('echo "-:kprobes/sys_write_event" >> kprobe_events                   # un-register kprobe')).toEqual({
      out: "sh: can't create kprobe_events: Permission denied\n",
      status: 1,
    });
    expect(await run('cd ..')).toEqual({ out: '', status: 0 });
    expect(await run('echo "-:kprobes/sys_write_event" >> kprobe_events')).toEqual({ out: '', status: 0 });
    expect(await run('cat kprobe_events')).toEqual({ out: '', status: 0 });
    expect(await run('ls events/kprobes')).toMatchObject({ status: 1 });
  });
});

describe('tracefs writes as the shell surfaces them', () => {
  it('a rejected line: sh: echo: write error, and error_log explains', async () => {
    await run('cd /sys/kernel/tracing');
    expect(await run("echo 'a:foo sys_write' >> kprobe_events")).toEqual({ out: 'sh: echo: write error: Invalid argument\n', status: 1 });
    // 6.12 answers EINVAL here (parse_error); 6.1, as recorded in real-kernel.md, said ENOENT.
    expect(await run("echo 'p:bad5 no_such_function_xyz' >> kprobe_events")).toEqual({
      out: 'sh: echo: write error: Invalid argument\n',
      status: 1,
    });
    expect((await run('cat error_log')).out).toContain('trace_kprobe: error: Invalid probed address or symbol');
    expect(await run('echo "-:kprobes/nothere" >> kprobe_events')).toEqual({ out: 'sh: echo: write error: No such file or directory\n', status: 1 });
  });

  it('a string fetch-arg sees the file name cat opens', async () => {
    expect(await run("echo 'p:myopen do_sys_openat2 filename=+0(%x1):string' >> kprobe_events")).toEqual({ out: '', status: 0 });
    await run('echo > trace');
    await run('echo 1 > events/kprobes/myopen/enable');
    await run('cat /root/dockerfile > /dev/null');
    await run('echo 0 > events/kprobes/myopen/enable');
    const r = await run('grep myopen trace');
    expect(r.status).toBe(0);
    expect(events(r.out)).toContainEqual({ comm: 'cat', event: 'myopen', sym: 'do_sys_openat2', args: ' filename="/root/dockerfile"' });
    expect(await run('echo > kprobe_events')).toEqual({ out: '', status: 0 });
  });

  it('a probe on kernel_clone is hit by the shell forking a command', async () => {
    await run("echo 'p:myclone kernel_clone' > kprobe_events");
    await run('echo 1 > events/kprobes/myclone/enable');
    await run('echo > trace');
    await run('ls > /dev/null');
    await run('echo 0 > events/kprobes/myclone/enable');
    expect(events((await run('cat trace')).out)).toContainEqual({ comm: 'sh', event: 'myclone', sym: 'kernel_clone', args: '' });
    await run('echo > kprobe_events');
  });

  it('cat trace_pipe blocks until Ctrl-C', async () => {
    const pending = run('cat trace_pipe');
    await new Promise((r) => setTimeout(r, 300));
    sh.interrupt();
    expect((await pending).status).toBe(130);
    expect(await run('echo $?')).toEqual({ out: '130\n', status: 0 });
  });
});

describe('the seed: the kernel module interface', () => {
  it('insmod plants the kprobe on kernel_clone', async () => {
    await run('cd');
    const r = await run('insmod examples/kprobe_example.ts');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/kprobe_init: Planted kprobe at [0-9a-f]+/);
    // lsmod is a new process too: the module's handlers print before its listing.
    expect((await run('lsmod')).out).toMatch(/\nModule {18}Size {2}Used by\nkprobe_example +\d+ {2}0\n$/);
  });

  it('ls (a new process, through kernel_clone) runs the pre- and post-handlers', async () => {
    const r = await run('ls');
    expect(r.status).toBe(0);
    const pre = r.out.indexOf('handler_pre: <kernel_clone> p->addr = 0x');
    const post = r.out.indexOf('handler_post: <kernel_clone> p->addr = 0x');
    const listing = r.out.indexOf('blog        dockerfile\n');
    expect(pre).toBeGreaterThanOrEqual(0);
    expect(post).toBeGreaterThan(pre);
    expect(listing).toBeGreaterThan(post);
    expect((await run('dmesg')).out).toContain('handler_pre: <kernel_clone>');
  });

  it('rmmod unregisters it; ls is quiet again', async () => {
    expect((await run('rmmod kprobe_example')).out).toMatch(/kprobe_exit: kprobe at [0-9a-f]+ unregistered/);
    expect(await run('ls')).toEqual({ out: 'blog        dockerfile\n', status: 0 });
    expect((await run('lsmod')).out).toBe('Module                  Size  Used by\n');
  });

  it('a symbol that does not exist: register_kprobe fails, insmod says so', async () => {
    const r = await run('insmod examples/kprobe_example.ts symbol=no_such_function_xyz');
    expect(r.status).toBe(1);
    expect(r.out).toContain('register_kprobe failed, returned -2');
    expect(r.out).toContain('insmod: ERROR: could not insert module examples/kprobe_example.ts: Unknown symbol in module\n');
  });
});
