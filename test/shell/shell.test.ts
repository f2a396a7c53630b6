// Tests of the shell and its commands against a test double of the machine (fake-machine.ts): what
// they print, the exit statuses, and the system calls they make (one write per echo, redirections
// opened with the right flags and undone, commands forked with their name). The same behaviour on
// the real guest kernel is tested in seed.test.ts and commands.test.ts.

import { describe, expect, it } from 'vitest';
import { Shell } from '../../src/shell/shell.ts';
import { complete } from '../../src/shell/repl.ts';
import { FakeMachine } from './fake-machine.ts';

async function start(interactive = false): Promise<{ m: FakeMachine; sh: Shell; run: (text: string) => Promise<{ out: string; status: number }> }> {
  const m = new FakeMachine();
  const sh = await Shell.start({ kernel: m, proc: m.shellProcess, interactive });
  const run = async (text: string): Promise<{ out: string; status: number }> => {
    m.output = '';
    for (const line of text.split('\n')) await sh.feed(line);
    await sh.finish();
    return { out: m.output, status: sh.status };
  };
  return { m, sh, run };
}

describe('the seed on the test double', () => {
  it('starts in /root, where ls shows blog and dockerfile in columns', async () => {
    const { run, m } = await start();
    expect(await run('pwd')).toEqual({ out: '/root\n', status: 0 });
    expect(await run('ls')).toEqual({ out: 'blog        dockerfile\n', status: 0 });
    expect(m.calls.some((c) => c.call === 'clone' && c.args[0] === 'ls')).toBe(true);
  });

  it('walks the debugfs steps with the corrected paths', async () => {
    const { run, m } = await start();
    expect(await run('mount -t debugfs nodev /sys/kernel/debug')).toEqual({ out: '', status: 0 });
    expect(await run('cd /sys/kernel/debug/tracing')).toEqual({ out: '', status: 0 });
    expect(await run('echo "p:sys_write_event sys_write" > kprobe_events')).toEqual({ out: '', status: 0 });
    expect(await run('ls /sys/kernel/debug/tracing/events/kprobes')).toEqual({ out: 'enable           filter           sys_write_event\n', status: 0 });
    expect(await run('cd /sys/kernel/debug/tracing/events/kprobes/events/sys_write_event')).toEqual({
      out: "sh: cd: can't cd to /sys/kernel/debug/tracing/events/kprobes/events/sys_write_event: No such file or directory\n",
      status: 1,
    });
    expect(await run('echo 1 > events/kprobes/sys_write_event/enable')).toEqual({ out: '', status: 0 });
    expect(m.events.get('sys_write_event')?.enabled).toBe(true);
    // A truncating open of kprobe_events fails while an event is enabled.
    expect(await run('echo > kprobe_events')).toEqual({ out: "sh: can't create kprobe_events: Device or resource busy\n", status: 1 });
    expect(await run('cat events/kprobes/sys_write_event/enable')).toEqual({ out: '1\n', status: 0 });
    expect(await run('echo 0 > events/kprobes/sys_write_event/enable')).toEqual({ out: '', status: 0 });
    expect(await run('echo "-:kprobes/sys_write_event" >> kprobe_events                   # un-register kprobe')).toEqual({ out: '', status: 0 });
    expect(m.events.size).toBe(0);
  });

  it('echo writes its whole line in one write(2)', async () => {
    const { run, m } = await start();
    await run('cd /sys/kernel/tracing');
    m.calls.length = 0;
    await run("echo 'p:myopen do_sys_openat2 filename=+0(%x1):string' >> kprobe_events");
    const writes = m.calls.filter((c) => c.call === 'write');
    expect(writes).toEqual([{ pid: 1, call: 'write', args: [1, 'p:myopen do_sys_openat2 filename=+0(%x1):string\n'] }]);
    const open = m.calls.find((c) => c.call === 'openat')!;
    expect(open.args).toEqual(['kprobe_events', 0o1 | 0o100 | 0o2000]);
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
    const { run, m } = await start();
    m.calls.length = 0;
    await run('echo > /sys/kernel/tracing/trace');
    expect(m.calls.find((c) => c.call === 'openat')!.args).toEqual(['/sys/kernel/tracing/trace', 0o1 | 0o100 | 0o1000]);
    expect(m.calls.filter((c) => c.call === 'write')[0].args).toEqual([1, '\n']);
  });

  it('the module steps', async () => {
    const { run, m } = await start();
    expect(await run('insmod examples/kprobe_example.ts')).toEqual({ out: '', status: 0 });
    expect(m.calls.find((c) => c.call === 'insmod')!.args[0]).toMatch(/\/examples\/kprobe_example\.ts$/);
    expect((await run('lsmod')).out).toBe('Module                  Size  Used by\nkprobe_example         16384  0\n');
    expect(await run('rmmod kprobe_example')).toEqual({ out: '', status: 0 });
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
    const { run, m } = await start();
    m.shellProcess.openat(-100, '/bin/prog', 0o101, 0o755);
    m.shellProcess.write(3, '\x7fELF');
    m.shellProcess.close(3);
    expect((await run('A=1; echo $A ${A}b "$A c"')).out).toBe('1 1b 1 c\n');
    await run('export B=2; C=3 prog x');
    const call = m.calls.find((c) => c.call === 'runElf')!;
    expect(call.args[0]).toBe('/bin/prog');
    expect(call.args[1]).toEqual(['prog', 'x']);
    expect(call.args[2]).toEqual(expect.arrayContaining(['B=2', 'C=3', 'HOME=/root']));
    expect(call.args[2]).not.toContain('A=1');
    expect(m.calls.some((c) => c.call === 'clone' && c.args[0] === 'prog')).toBe(false);
  });

  it('exit ends the script with its status; nothing after it runs', async () => {
    const { sh, m } = await start();
    expect(await sh.runScript('echo a\nexit 3\necho b\n')).toBe(3);
    expect(m.output).toBe('a\n');
  });

  it('a syntax error ends a script with status 2', async () => {
    const { sh, m } = await start();
    expect(await sh.runScript('echo a\necho "b\n')).toBe(2);
    expect(m.output).toBe('a\nsh: syntax error: unterminated quoted string\n');
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
    const out = (await run('help')).out;
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
      expect(out).toContain(line);
    }
  });
});

describe('redirections', () => {
  it('> creates, >> appends, and the shell fds come back', async () => {
    const { run, m } = await start();
    expect(await run('echo one > /tmp/f; echo two >> /tmp/f; echo back')).toEqual({ out: 'back\n', status: 0 });
    expect(m.readFile('/tmp/f')).toBe('one\ntwo\n');
    expect([...m.shellProcess.fds.keys()].sort()).toEqual([0, 1, 2]);
  });

  it('errors in the ash style', async () => {
    const { run } = await start();
    expect(await run('echo x > /nope/y')).toEqual({ out: "sh: can't create /nope/y: No such file or directory\n", status: 1 });
    expect(await run('cat < /nope')).toEqual({ out: "sh: can't open /nope: No such file or directory\n", status: 1 });
    expect(await run('echo x >&7')).toEqual({ out: 'sh: 7: Bad file descriptor\n', status: 1 });
  });

  it('2>/dev/null, 2>&1 and < for a command', async () => {
    const { run, m } = await start();
    expect(await run('ls /nope 2>/dev/null')).toEqual({ out: '', status: 1 });
    expect(await run('ls /nope /root > /tmp/o 2>&1')).toEqual({ out: '', status: 1 });
    expect(m.readFile('/tmp/o')).toBe('ls: /nope: No such file or directory\n/root:\nblog\ndockerfile\n');
    expect(await run('wc -l < /tmp/o')).toEqual({ out: '4\n', status: 0 });
  });

  it('a bare > file creates it', async () => {
    const { run, m } = await start();
    await run('> /tmp/empty');
    expect(m.readFile('/tmp/empty')).toBe('');
  });
});

describe('commands', () => {
  it('unknown commands: not found, 127', async () => {
    const { run } = await start();
    expect(await run('nope')).toEqual({ out: 'sh: nope: not found\n', status: 127 });
    expect(await run('/etc/hostname')).toEqual({ out: 'sh: /etc/hostname: Exec format error\n', status: 126 });
  });

  it('pipes through a buffer file in /tmp, removed afterwards', async () => {
    const { run, m } = await start();
    expect(await run('cat /etc/hostname /etc/hostname | grep kp | wc -l')).toEqual({ out: '2\n', status: 0 });
    expect(await run('ls /nope | wc -l')).toEqual({ out: 'ls: /nope: No such file or directory\n0\n', status: 0 });
    expect([...(m.lookup('/tmp') as { children: Map<string, unknown> }).children.keys()]).toEqual([]);
  });

  it('ls -l, -a, -1 and ls into a file', async () => {
    const { run, m } = await start();
    expect((await run('ls -l')).out).toBe(
      'drwxr-xr-x    2 root     root             0 Jan  1 00:00 blog\n-rw-r--r--    1 root     root            12 Jan  1 00:00 dockerfile\n',
    );
    expect((await run('ls -a')).out).toBe('.           ..          blog        dockerfile\n');
    expect((await run('ls -1 /root/blog /etc/hostname')).out).toBe('/etc/hostname\n\n/root/blog:\n');
    await run('ls > /tmp/l');
    expect(m.readFile('/tmp/l')).toBe('blog\ndockerfile\n');
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
  });

  it('mount lists /proc/mounts; umount', async () => {
    const { run } = await start();
    await run('mount -t debugfs nodev /sys/kernel/debug');
    expect((await run('mount')).out).toContain('nodev on /sys/kernel/debug type debugfs (rw,relatime)\n');
    expect(await run('mount -t nosuchfs x /tmp')).toEqual({ out: 'mount: mounting x on /tmp failed: No such device\n', status: 1 });
    expect(await run('umount /sys/kernel/debug; umount /tmp')).toEqual({ out: "umount: can't unmount /tmp: Invalid argument\n", status: 1 });
  });

  it('mkdir -p, touch, rm -r', async () => {
    const { run, m } = await start();
    expect(await run('mkdir -p /tmp/a/b/c && touch /tmp/a/b/f && ls /tmp/a/b')).toEqual({ out: 'c  f\n', status: 0 });
    expect(await run('mkdir /tmp/a')).toEqual({ out: "mkdir: can't create directory '/tmp/a': File exists\n", status: 1 });
    expect(await run('rm /tmp/a')).toEqual({ out: "rm: '/tmp/a' is a directory\n", status: 1 });
    expect(await run('rm -r /tmp/a && rm -f /tmp/none')).toEqual({ out: '', status: 0 });
    expect(m.lookup('/tmp/a')).toBeUndefined();
  });

  it('insmod errors in kmod words', async () => {
    const { run } = await start();
    expect(await run('insmod nothere.ts')).toEqual({ out: 'insmod: ERROR: could not load module nothere.ts: No such file or directory\n', status: 1 });
    expect(await run('insmod examples/kprobe_example.ts symbol=nonexistent')).toEqual({
      out: 'insmod: ERROR: could not insert module examples/kprobe_example.ts: Unknown symbol in module\n',
      status: 1,
    });
  });

  it('uname, ps, dmesg, sleep, true, false', async () => {
    const { run } = await start();
    expect((await run('uname; uname -a')).out).toBe('Linux\nLinux kprobe 6.12.0-kprobe #1 SMP aarch64\n');
    expect((await run('ps')).out).toBe('  PID USER      TIME COMMAND\n    1 root      0:03 init\n');
    expect((await run('dmesg')).out).toContain('Booting Linux');
    expect(await run('sleep 0.5')).toEqual({ out: '', status: 0 });
    expect((await run('true; echo $?; false; echo $?')).out).toBe('0\n1\n');
  });

  it('cat of the console gets typed lines until Ctrl-D', async () => {
    const { sh, m } = await start();
    m.output = '';
    const done = sh.feed('cat');
    await new Promise((r) => setTimeout(r, 10));
    m.console.input(new TextEncoder().encode('typed\n'));
    await new Promise((r) => setTimeout(r, 10));
    m.console.endOfInput();
    await done;
    expect(m.output).toBe('typed\n');
    expect(sh.status).toBe(0);
  });

  it('Ctrl-C sends SIGINT to the running command and abandons the line', async () => {
    const { sh, m } = await start();
    m.output = '';
    const done = sh.feed('cat; echo not-reached');
    await new Promise((r) => setTimeout(r, 10));
    sh.interrupt();
    await done;
    expect(m.killed).toEqual([{ pid: 100, sig: 2 }]);
    expect(sh.status).toBe(130);
    expect(m.output).toBe('');
  });
});

describe('completion', () => {
  it('completes commands, then guest paths', async () => {
    const { sh } = await start();
    expect(await complete(sh, 'ins')).toEqual([['insmod'], 'ins']);
    expect(await complete(sh, 'ls b')).toEqual([['blog/'], 'b']);
    expect(await complete(sh, 'cat /etc/host')).toEqual([['/etc/hostname '], '/etc/host']);
    expect((await complete(sh, 'cd /sys/kernel/tracing/')).at(0)).toEqual(['/sys/kernel/tracing/events/', '/sys/kernel/tracing/kprobe_events', '/sys/kernel/tracing/trace']);
    expect(await complete(sh, 'ls | gr')).toEqual([['grep'], 'gr']);
  });
});
