// The shell and its commands on the real machine (the guest kernel on the TypeScript CPU, each
// command a guest process): what they print, the exit statuses, and the system calls they make —
// one write(2) per echo, redirections opened with the right flags and undone (the shell left with
// fds 0, 1, 2 on the console), pipes through a /tmp buffer that is unlinked, commands forked and
// exec'd under their name, Ctrl-C as a kill(2) of the running command — as kprobes on the guest's
// sys_* functions see them (strace.ts), and the files they leave, read back with the shell
// process's own openat/read/newfstatat/getdents64. One machine for the file; each test starts a
// fresh shell on its shell process and leaves the machine's files, mounts and probes as it found them.

import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bootMachine, type BootedKernel } from '../../src/shell/machine.ts';
import { Shell } from '../../src/shell/shell.ts';
import { complete } from '../../src/shell/repl.ts';
import type { Stat } from '../../src/kernel/process-api.ts';
import {
  AT_EMPTY_PATH,
  AT_FDCWD,
  F_DUPFD_CLOEXEC,
  O_APPEND,
  O_CREAT,
  O_RDONLY,
  O_TRUNC,
  O_WRONLY,
  SIGINT,
  readDir,
} from '../../src/shell/sys.ts';
import { ENOENT } from '../../src/uapi/errno.ts';
import { readGuestFile, stopAll, strace, type Call } from './strace.ts';

const F_GETFD = 1;

let m: BootedKernel;
let out = '';

beforeAll(async () => {
  const decoder = new TextDecoder();
  m = await bootMachine({ arch: 'arm64', output: (bytes: Uint8Array) => void (out += decoder.decode(bytes, { stream: true })) });
});

afterEach(() => stopAll(m));

/** A fresh shell on the machine's shell process (in /root), and `run`: lines as typed, what reached the console, `$?`. */
async function start(interactive = false): Promise<{ sh: Shell; run: (text: string) => Promise<{ out: string; status: number }> }> {
  const sh = await Shell.start({ kernel: m.kernel, proc: m.shellProcess, interactive });
  const run = async (text: string): Promise<{ out: string; status: number }> => {
    out = '';
    for (const line of text.split('\n')) await sh.feed(line);
    await sh.finish();
    return { out, status: sh.status };
  };
  return { sh, run };
}

/** Waits (on the host's clock) until `cond` holds, while the machine runs. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A call the shell process itself made. */
const bySh = (call: string, ...args: unknown[]): Call => ({ pid: m.shellProcess.pid, comm: 'sh', call, args });

describe('the seed on the real machine', () => {
  it('starts in /root, where ls shows blog and dockerfile in columns; ls is forked and exec’d as ls', async () => {
    const { run } = await start();
    expect(await run('pwd')).toEqual({ out: '/root\n', status: 0 });
    const t = strace(m, ['clone', 'execve', 'write']);
    expect(await run('ls')).toEqual({ out: 'blog        dockerfile\n', status: 0 });
    t.stop();
    // The shell clones; the child (still "sh") execs /bin/ls; what it writes, it writes as "ls".
    expect(t.log.filter((c) => c.call === 'clone')).toEqual([bySh('clone')]);
    const exec = t.log.filter((c) => c.call === 'execve');
    expect(exec).toHaveLength(1);
    expect(exec[0]).toMatchObject({ comm: 'sh', args: ['/bin/ls', ['ls'], expect.any(Array)] });
    expect(exec[0].pid).not.toBe(m.shellProcess.pid);
    expect(t.log.filter((c) => c.call === 'write')).toEqual([{ pid: exec[0].pid, comm: 'ls', call: 'write', args: [1, 'blog        dockerfile\n'] }]);
  });

  it('walks the debugfs steps with the corrected paths', async () => {
    const { run } = await start();
    expect(await run('mount -t debugfs nodev /sys/kernel/debug')).toEqual({ out: '', status: 0 });
    expect(await run('cd /sys/kernel/debug/tracing')).toEqual({ out: '', status: 0 });
    expect(await run('echo "p:sys_write_event sys_write" > kprobe_events')).toEqual({ out: '', status: 0 });
    expect(await run('ls /sys/kernel/debug/tracing/events/kprobes')).toEqual({ out: 'enable           filter           sys_write_event\n', status: 0 });
    expect(await run('cd /sys/kernel/debug/tracing/events/kprobes/events/sys_write_event')).toEqual({
      out: "sh: cd: can't cd to /sys/kernel/debug/tracing/events/kprobes/events/sys_write_event: No such file or directory\n",
      status: 1,
    });
    expect(await run('echo 1 > events/kprobes/sys_write_event/enable')).toEqual({ out: '', status: 0 });
    // Enabled, and armed: the shell's own write(2) of "hi" is a hit, traced under its name.
    expect(await run('cat events/kprobes/sys_write_event/enable')).toEqual({ out: '1\n', status: 0 });
    await run('echo > trace');
    await run('echo hi');
    expect((await run('cat trace')).out).toMatch(new RegExp(`^ +sh-${m.shellProcess.pid} +\\[000\\] .{5} +\\d+\\.\\d{6}: sys_write_event: \\(sys_write\\+0x0/0x[0-9a-f]+\\)$`, 'm'));
    // A truncating open of kprobe_events fails while an event is enabled.
    expect(await run('echo > kprobe_events')).toEqual({ out: "sh: can't create kprobe_events: Device or resource busy\n", status: 1 });
    expect(await run('echo 0 > events/kprobes/sys_write_event/enable')).toEqual({ out: '', status: 0 });
    expect(await run('echo "-:kprobes/sys_write_event" >> kprobe_events                   # un-register kprobe')).toEqual({ out: '', status: 0 });
    // No event left: kprobe_events is empty and events/kprobes is gone.
    expect(await run('cat kprobe_events')).toEqual({ out: '', status: 0 });
    expect(await run('ls events/kprobes')).toEqual({ out: 'ls: events/kprobes: No such file or directory\n', status: 1 });
    expect(await run('cd / && umount /sys/kernel/debug')).toEqual({ out: '', status: 0 });
  });

  it('echo writes its whole line in one write(2), on kprobe_events opened O_WRONLY|O_CREAT|O_APPEND', async () => {
    const { run } = await start();
    await run('cd /sys/kernel/tracing');
    const t = strace(m, ['openat', 'write']);
    expect(await run("echo 'p:myopen do_sys_openat2 filename=+0(%x1):string' >> kprobe_events")).toEqual({ out: '', status: 0 });
    t.stop();
    expect(t.log).toEqual([
      bySh('openat', AT_FDCWD, 'kprobe_events', O_WRONLY | O_CREAT | O_APPEND),
      bySh('write', 1, 'p:myopen do_sys_openat2 filename=+0(%x1):string\n'),
    ]);
    // tracefs took that one write as one whole probe definition.
    expect(await run('cat kprobe_events')).toEqual({ out: 'p:kprobes/myopen do_sys_openat2 filename=+0(%x1):string\n', status: 0 });
    expect(await run('echo "-:myopen" >> kprobe_events && cat kprobe_events')).toEqual({ out: '', status: 0 });
  });

  it('a rejected probe line: sh: echo: write error: Invalid argument, status 1', async () => {
    const { run } = await start();
    expect(await run("echo 'a:foo sys_write' >> /sys/kernel/tracing/kprobe_events")).toEqual({
      out: 'sh: echo: write error: Invalid argument\n',
      status: 1,
    });
    expect(await run("echo '-:nothere' >> /sys/kernel/tracing/kprobe_events; echo $?")).toEqual({
      out: 'sh: echo: write error: No such file or directory\n1\n',
      status: 0,
    });
  });

  it('echo > trace writes a newline, with O_TRUNC', async () => {
    const { run } = await start();
    const t = strace(m, ['openat', 'write']);
    expect(await run('echo > /sys/kernel/tracing/trace')).toEqual({ out: '', status: 0 });
    t.stop();
    expect(t.log).toEqual([bySh('openat', AT_FDCWD, '/sys/kernel/tracing/trace', O_WRONLY | O_CREAT | O_TRUNC), bySh('write', 1, '\n')]);
  });

  it('the module steps', async () => {
    const { run } = await start();
    // insmod finds examples/kprobe_example.ts (relative to the host's directory) and its init runs.
    const ins = await run('insmod examples/kprobe_example.ts');
    expect(ins.status).toBe(0);
    expect(ins.out).toMatch(/kprobe_init: Planted kprobe at [0-9a-f]+\n$/);
    // lsmod is forked through kernel_clone: the module's handlers print before its listing.
    expect((await run('lsmod')).out).toMatch(/\nModule {18}Size {2}Used by\nkprobe_example +\d+ {2}0\n$/);
    const rm = await run('rmmod kprobe_example');
    expect(rm.status).toBe(0);
    expect(rm.out).toMatch(/kprobe_exit: kprobe at [0-9a-f]+ unregistered\n$/);
    expect(await run('rmmod kprobe_example')).toEqual({ out: 'rmmod: ERROR: Module kprobe_example is not currently loaded\n', status: 1 });
  });
});

describe('builtins', () => {
  it('cd, cd -, cd alone, pwd', async () => {
    const { run } = await start();
    expect(await run('cd /tmp; pwd; cd -; cd /; cd; pwd')).toEqual({ out: '/tmp\n/root\n/root\n', status: 0 });
    expect(await run('cd /etc/hostname')).toEqual({ out: "sh: cd: can't cd to /etc/hostname: Not a directory\n", status: 1 });
  });

  it('echo -n, -e, and text that only looks like options', async () => {
    const { run } = await start();
    expect((await run('echo -n a b; echo -e "x\\ty\\n\\x41\\0102"; echo -e "cut\\chere"; echo -- -n -x')).out).toBe('a bx\ty\nAB\ncut-- -n -x\n');
  });

  it('$? && || !', async () => {
    const { run } = await start();
    expect((await run('false || echo $?; true && echo ok; false && echo no; ! false; echo $?')).out).toBe('1\nok\n0\n');
  });

  it('variables, export, assignments for one command', async () => {
    const { run } = await start();
    // A real program in /bin, written there with the shell process's own system calls: the guest's args.elf.
    const p = m.shellProcess;
    const elf = readFileSync(new URL('../../guest/images/arm64/user/args.elf', import.meta.url));
    const fd = p.openat(AT_FDCWD, '/bin/prog', O_WRONLY | O_CREAT | O_TRUNC, 0o755);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(p.write(fd, elf)).toBe(elf.length);
    expect(p.close(fd)).toBe(0);
    try {
      expect((await run('A=1; echo $A ${A}b "$A c"')).out).toBe('1 1b 1 c\n');
      const t = strace(m, ['execve']);
      expect(await run('export B=2; C=3 prog x')).toEqual({ out: 'argc=2\nargv[0]=prog\nargv[1]="x" (1 bytes)\nargv[2]=NULL\n', status: 0 });
      t.stop();
      // Found on PATH and exec'd as the ELF it is, with the exported variables and C=3, not A=1.
      expect(t.log).toHaveLength(1);
      const [path, argv, envp] = t.log[0].args as [string, string[], string[]];
      expect(path).toBe('/bin/prog');
      expect(argv).toEqual(['prog', 'x']);
      expect(envp).toEqual(expect.arrayContaining(['B=2', 'C=3', 'HOME=/root']));
      expect(envp).not.toContain('A=1');
      // C=3 was for that command only.
      expect((await run('echo "[$C]"')).out).toBe('[]\n');
    } finally {
      p.unlinkat(AT_FDCWD, '/bin/prog', 0);
    }
  });

  it('exit ends the script with its status; nothing after it runs', async () => {
    const { sh } = await start();
    out = '';
    expect(await sh.runScript('echo a\nexit 3\necho b\n')).toBe(3);
    expect(out).toBe('a\n');
  });

  it('a syntax error ends a script with status 2', async () => {
    const { sh } = await start();
    out = '';
    expect(await sh.runScript('echo a\necho "b\n')).toBe(2);
    expect(out).toBe('a\nsh: syntax error: unterminated quoted string\n');
  });

  it('an interactive shell keeps going after a syntax error, and keeps history', async () => {
    const { run, sh } = await start(true);
    expect(await run('ls |; echo after')).toEqual({ out: 'sh: syntax error: unexpected ";"\n', status: 2 });
    expect((await run('echo after')).out).toBe('after\n');
    expect((await run('history')).out).toBe('    1  ls |; echo after\n    2  echo after\n    3  history\n');
    expect(sh.exitCode).toBe(null);
  });

  it('help walks through the seed with the right paths', async () => {
    const { run } = await start();
    const text = (await run('help')).out;
    for (const line of [
      'mount -t debugfs nodev /sys/kernel/debug',
      'cd /sys/kernel/debug/tracing',
      'echo "p:sys_write_event sys_write" > kprobe_events',
      'ls events/kprobes',
      'echo 1 > events/kprobes/sys_write_event/enable',
      'cat trace',
      'echo 0 > events/kprobes/sys_write_event/enable',
      'echo "-:kprobes/sys_write_event" >> kprobe_events',
      'insmod examples/kprobe_example.ts',
      'rmmod kprobe_example',
    ]) {
      expect(text).toContain(line);
    }
  });
});

describe('redirections', () => {
  it('> creates, >> appends, and the shell fds come back', async () => {
    const { run } = await start();
    const t = strace(m, ['fcntl', 'openat', 'dup3', 'close', 'write']);
    expect(await run('echo one > /tmp/f; echo two >> /tmp/f; echo back')).toEqual({ out: 'back\n', status: 0 });
    t.stop();
    expect(await readGuestFile(m.shellProcess, '/tmp/f')).toBe('one\ntwo\n');
    // As ash does: fd 1 saved at fd ≥ 10 (close-on-exec), the file opened and moved onto fd 1,
    // the write, then fd 1 put back from the copy and the copy closed.
    const redirected = (flags: number, text: string): Call[] => [
      bySh('fcntl', 1, F_DUPFD_CLOEXEC, 10),
      bySh('openat', AT_FDCWD, '/tmp/f', flags),
      bySh('dup3', 3, 1, 0),
      bySh('close', 3),
      bySh('write', 1, text),
      bySh('dup3', 10, 1, 0),
      bySh('close', 10),
    ];
    expect(t.log).toEqual([
      ...redirected(O_WRONLY | O_CREAT | O_TRUNC, 'one\n'),
      ...redirected(O_WRONLY | O_CREAT | O_APPEND, 'two\n'),
      bySh('write', 1, 'back\n'),
    ]);
    // Afterwards the shell has fds 0, 1 and 2 and no other, all three on /dev/console.
    const p = m.shellProcess;
    const open = [...Array(64).keys()].filter((fd) => p.fcntl(fd, F_GETFD, 0) >= 0);
    expect(open).toEqual([0, 1, 2]);
    const console = p.newfstatat(AT_FDCWD, '/dev/console', 0) as Stat;
    for (const fd of open) expect(p.newfstatat(fd, '', AT_EMPTY_PATH)).toMatchObject({ ino: console.ino, mode: console.mode });
    expect(p.unlinkat(AT_FDCWD, '/tmp/f', 0)).toBe(0);
  });

  it('errors in the ash style', async () => {
    const { run } = await start();
    expect(await run('echo x > /nope/y')).toEqual({ out: "sh: can't create /nope/y: No such file or directory\n", status: 1 });
    expect(await run('cat < /nope')).toEqual({ out: "sh: can't open /nope: No such file or directory\n", status: 1 });
    expect(await run('echo x >&7')).toEqual({ out: 'sh: 7: Bad file descriptor\n', status: 1 });
  });

  it('2>/dev/null, 2>&1 and < for a command', async () => {
    const { run } = await start();
    expect(await run('ls /nope 2>/dev/null')).toEqual({ out: '', status: 1 });
    expect(await run('ls /nope /root > /tmp/o 2>&1')).toEqual({ out: '', status: 1 });
    expect(await readGuestFile(m.shellProcess, '/tmp/o')).toBe('ls: /nope: No such file or directory\n/root:\nblog\ndockerfile\n');
    expect(await run('wc -l < /tmp/o')).toEqual({ out: '4\n', status: 0 });
    expect(m.shellProcess.unlinkat(AT_FDCWD, '/tmp/o', 0)).toBe(0);
  });

  it('a bare > file creates it', async () => {
    const { run } = await start();
    expect(await run('> /tmp/empty')).toEqual({ out: '', status: 0 });
    expect(m.shellProcess.newfstatat(AT_FDCWD, '/tmp/empty', 0)).toMatchObject({ size: 0n });
    expect(await readGuestFile(m.shellProcess, '/tmp/empty')).toBe('');
    expect(m.shellProcess.unlinkat(AT_FDCWD, '/tmp/empty', 0)).toBe(0);
  });
});

describe('commands', () => {
  it('unknown commands: not found, 127; a file that is not a program: 126', async () => {
    const { run } = await start();
    expect(await run('nope')).toEqual({ out: 'sh: nope: not found\n', status: 127 });
    // /etc/hostname is not executable (mode 644): execve says EACCES.
    expect(await run('/etc/hostname')).toEqual({ out: 'sh: /etc/hostname: Permission denied\n', status: 126 });
    // An executable file that is no ELF: execve says ENOEXEC.
    const p = m.shellProcess;
    const fd = p.openat(AT_FDCWD, '/tmp/bad', O_WRONLY | O_CREAT | O_TRUNC, 0o755);
    p.write(fd, '\x7fELF, but not really\n');
    p.close(fd);
    expect(await run('/tmp/bad')).toEqual({ out: 'sh: /tmp/bad: Exec format error\n', status: 126 });
    expect(p.unlinkat(AT_FDCWD, '/tmp/bad', 0)).toBe(0);
  });

  it('pipes through a buffer file in /tmp, removed afterwards', async () => {
    const { run } = await start();
    const t = strace(m, ['openat', 'unlinkat']);
    expect(await run('cat /etc/hostname /etc/hostname | grep kp | wc -l')).toEqual({ out: '2\n', status: 0 });
    t.stop();
    // Each buffer: created (truncated) as the writer's stdout, opened as the reader's stdin, then unlinked.
    const shell = t.log.filter((c) => c.pid === m.shellProcess.pid);
    const buffers = [...new Set(shell.filter((c) => c.call === 'openat').map((c) => c.args[1] as string))];
    expect(buffers).toHaveLength(2);
    for (const b of buffers) expect(b).toMatch(/^\/tmp\/\.pipe-/);
    const [b1, b2] = buffers;
    expect(shell).toEqual([
      bySh('openat', AT_FDCWD, b1, O_WRONLY | O_CREAT | O_TRUNC),
      bySh('openat', AT_FDCWD, b1, O_RDONLY | O_CREAT),
      bySh('openat', AT_FDCWD, b2, O_WRONLY | O_CREAT | O_TRUNC),
      bySh('openat', AT_FDCWD, b2, O_RDONLY | O_CREAT),
      bySh('unlinkat', AT_FDCWD, b1, 0),
      bySh('unlinkat', AT_FDCWD, b2, 0),
    ]);
    expect(await run('ls /nope | wc -l')).toEqual({ out: 'ls: /nope: No such file or directory\n0\n', status: 0 });
    const tmp = await readDir(m.shellProcess, '/tmp');
    expect(typeof tmp === 'number' ? tmp : tmp.map((e) => e.name).sort()).toEqual(['.', '..']);
  });

  it('ls -l, -a, -1 and ls into a file', async () => {
    const { run } = await start();
    expect((await run('ls -l')).out).toBe(
      'drwxr-xr-x    2 root     root             0 Jan  1 00:00 blog\n-rw-r--r--    1 root     root           111 Jan  1 00:00 dockerfile\n',
    );
    expect((await run('ls -a')).out).toBe('.           ..          blog        dockerfile\n');
    expect((await run('ls -1 /root/blog /etc/hostname')).out).toBe('/etc/hostname\n\n/root/blog:\nhello.md\n');
    await run('ls > /tmp/l');
    expect(await readGuestFile(m.shellProcess, '/tmp/l')).toBe('blog\ndockerfile\n');
    expect(m.shellProcess.unlinkat(AT_FDCWD, '/tmp/l', 0)).toBe(0);
    expect(await run('ls -z')).toEqual({ out: "ls: invalid option -- 'z'\nUsage: ls [-1al] [FILE]...\n", status: 1 });
  });

  it('cat, head, tail, grep, wc', async () => {
    const { run } = await start();
    await run('echo -e "l1\\nl2\\nl3\\nfoo bar" > /tmp/t');
    expect((await run('cat /tmp/t /nope')).out).toBe("l1\nl2\nl3\nfoo bar\ncat: can't open '/nope': No such file or directory\n");
    expect((await run('head -n 2 /tmp/t; head -1 /tmp/t')).out).toBe('l1\nl2\nl1\n');
    expect((await run('tail -n 1 /tmp/t; tail -n +3 /tmp/t')).out).toBe('foo bar\nl3\nfoo bar\n');
    expect(await run('grep -n l /tmp/t')).toEqual({ out: '1:l1\n2:l2\n3:l3\n', status: 0 });
    expect(await run('grep -c -v l /tmp/t')).toEqual({ out: '1\n', status: 0 });
    expect(await run('grep zzz /tmp/t')).toEqual({ out: '', status: 1 });
    expect((await run('grep "l\\(1\\|3\\)" /tmp/t; grep -E "l(1|3)" /tmp/t; grep -F "." /tmp/t')).out).toBe('l1\nl3\nl1\nl3\n');
    expect((await run('wc /tmp/t; wc -l /tmp/t')).out).toBe(' 4  5 17 /tmp/t\n4 /tmp/t\n');
    expect(m.shellProcess.unlinkat(AT_FDCWD, '/tmp/t', 0)).toBe(0);
  });

  it('mount lists /proc/mounts; umount', async () => {
    const { run } = await start();
    expect(await run('mount -t debugfs nodev /sys/kernel/debug')).toEqual({ out: '', status: 0 });
    expect((await run('mount')).out).toContain('nodev on /sys/kernel/debug type debugfs (rw,relatime)\n');
    expect(await run('mount -t nosuchfs x /tmp')).toEqual({ out: 'mount: mounting x on /tmp failed: No such device\n', status: 1 });
    expect(await run('umount /sys/kernel/debug; umount /tmp')).toEqual({ out: "umount: can't unmount /tmp: Invalid argument\n", status: 1 });
    expect((await run('mount')).out).not.toContain('/sys/kernel/debug');
  });

  it('mkdir -p, touch, rm -r', async () => {
    const { run } = await start();
    expect(await run('mkdir -p /tmp/a/b/c && touch /tmp/a/b/f && ls /tmp/a/b')).toEqual({ out: 'c  f\n', status: 0 });
    expect(await run('mkdir /tmp/a')).toEqual({ out: "mkdir: can't create directory '/tmp/a': File exists\n", status: 1 });
    expect(await run('rm /tmp/a')).toEqual({ out: "rm: '/tmp/a' is a directory\n", status: 1 });
    expect(await run('rm -r /tmp/a && rm -f /tmp/none')).toEqual({ out: '', status: 0 });
    expect(m.shellProcess.newfstatat(AT_FDCWD, '/tmp/a', 0)).toBe(-ENOENT);
  });

  it('insmod errors in kmod words', async () => {
    const { run } = await start();
    expect(await run('insmod nothere.ts')).toEqual({ out: 'insmod: ERROR: could not load module nothere.ts: No such file or directory\n', status: 1 });
    // The module's init reports register_kprobe's -ENOENT (pr_err reaches the console), insmod then says it in kmod's words.
    const r = await run('insmod examples/kprobe_example.ts symbol=nonexistent');
    expect(r.status).toBe(1);
    expect(r.out).toMatch(
      /^\[ *\d+\.\d{6}\] kprobe_init: register_kprobe failed, returned -2\ninsmod: ERROR: could not insert module examples\/kprobe_example\.ts: Unknown symbol in module\n$/,
    );
    expect((await run('lsmod')).out).toBe('Module                  Size  Used by\n');
  });

  it('uname, ps, dmesg, sleep, true, false', async () => {
    const { run } = await start();
    expect((await run('uname; uname -a')).out).toBe('Linux\nLinux kprobe 6.12.0-kprobe #1 SMP PREEMPT aarch64\n');
    expect((await run('ps')).out).toMatch(/^ {2}PID USER {6}TIME COMMAND\n {4}1 root +\d+:\d\d init\n {4}2 root +\d+:\d\d sh\n +\d+ root +\d+:\d\d ps\n$/);
    expect((await run('dmesg')).out).toContain('Booting Linux');
    // sleep waits on the machine's virtual clock.
    const before = m.core.clockNs();
    expect(await run('sleep 0.5')).toEqual({ out: '', status: 0 });
    expect(m.core.clockNs() - before).toBeGreaterThanOrEqual(500_000_000);
    expect((await run('true; echo $?; false; echo $?')).out).toBe('0\n1\n');
  });

  it('cat of the console gets typed lines until Ctrl-D', async () => {
    const { sh } = await start();
    const t = strace(m, ['read']);
    out = '';
    const done = sh.feed('cat');
    await until(() => t.log.some((c) => c.comm === 'cat' && c.args[0] === 0), 'cat to read its stdin');
    m.kernel.console.input(new TextEncoder().encode('typed\n'));
    await until(() => out === 'typed\n', 'cat to write the typed line');
    m.kernel.console.endOfInput();
    await done;
    expect(out).toBe('typed\n');
    expect(sh.status).toBe(0);
  });

  it('Ctrl-C sends SIGINT to the running command and abandons the line', async () => {
    const { sh, run } = await start();
    const t = strace(m, ['read', 'kill']);
    out = '';
    const done = sh.feed('cat; echo not-reached');
    await until(() => t.log.some((c) => c.comm === 'cat' && c.call === 'read'), 'cat to block reading the console');
    sh.interrupt();
    await done;
    t.stop();
    const cat = t.log.find((c) => c.comm === 'cat' && c.call === 'read')!;
    expect(cat.args[0]).toBe(0);
    // One kill(2), from the shell, to the cat it forked, with SIGINT.
    expect(t.log.filter((c) => c.call === 'kill')).toEqual([bySh('kill', cat.pid, SIGINT)]);
    expect(sh.status).toBe(130);
    expect(out).toBe('');
    // cat is gone.
    expect((await run('ps')).out).not.toMatch(/ cat\n/);
  });
});

describe('completion', () => {
  it('completes commands, then guest paths', async () => {
    const { sh } = await start();
    expect(await complete(sh, 'ins')).toEqual([['insmod'], 'ins']);
    expect(await complete(sh, 'ls b')).toEqual([['blog/'], 'b']);
    expect(await complete(sh, 'cat /etc/host')).toEqual([['/etc/hostname '], '/etc/host']);
    const tracing = [
      'README', 'available_events', 'available_filter_functions', 'available_tracers', 'buffer_size_kb', 'buffer_total_size_kb',
      'current_tracer', 'dynamic_events', 'error_log', 'events/', 'kprobe_events', 'kprobe_profile', 'options/', 'per_cpu/',
      'saved_cmdlines', 'saved_cmdlines_size', 'set_event', 'timestamp_mode', 'trace', 'trace_clock', 'trace_marker',
      'trace_options', 'trace_pipe', 'tracing_cpumask', 'tracing_on', 'uprobe_events', 'uprobe_profile',
    ].map((e) => `/sys/kernel/tracing/${e}`);
    expect(await complete(sh, 'cd /sys/kernel/tracing/')).toEqual([tracing, '/sys/kernel/tracing/']);
    expect(await complete(sh, 'cat /sys/kernel/tracing/kprobe_e')).toEqual([['/sys/kernel/tracing/kprobe_events '], '/sys/kernel/tracing/kprobe_e']);
    expect(await complete(sh, 'ls | gr')).toEqual([['grep'], 'gr']);
  });
});
