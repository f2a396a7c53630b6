// The shell's commands on the real machine: each is a guest process whose system calls run the
// guest kernel's code (ramfs, procfs, the mount table, the console).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

async function run(text: string): Promise<{ out: string; status: number }> {
  out = '';
  for (const line of text.split('\n')) await sh.feed(line);
  return { out, status: sh.status };
}

describe('commands on the guest kernel', () => {
  it('files: echo >, >>, cat, wc, head, tail, grep, pipes', async () => {
    expect(await run('cd /tmp && echo one > f && echo two >> f && echo three >> f && cat f')).toEqual({ out: 'one\ntwo\nthree\n', status: 0 });
    expect(await run('wc -l f; head -n 1 f; tail -n 1 f; grep -n w f')).toEqual({ out: '3 f\none\nthree\n2:two\n', status: 0 });
    expect(await run('cat f | grep t | wc -l')).toEqual({ out: '2\n', status: 0 });
    expect(await run('ls /tmp')).toEqual({ out: 'f\n', status: 0 });
  });

  it('mkdir -p, touch, ls -l, rm -r', async () => {
    expect(await run('mkdir -p /tmp/a/b && touch /tmp/a/b/x && ls /tmp/a/b')).toEqual({ out: 'x\n', status: 0 });
    expect((await run('ls -l /tmp/a')).out).toMatch(/^drwx[-r][-w][-x][-r][-w][-x]\s+\d+ root\s+root\s+\d+ \w{3} [ \d]\d \d\d:\d\d b\n$/);
    expect(await run('rm /tmp/a')).toEqual({ out: "rm: '/tmp/a' is a directory\n", status: 1 });
    expect(await run('rm -r /tmp/a && ls /tmp/a')).toEqual({ out: 'ls: /tmp/a: No such file or directory\n', status: 1 });
  });

  it('ln -s, ln, ln -sf; ls -l shows a link and its target; paths through links', async () => {
    expect(await run('mkdir -p /tmp/ln/d && cd /tmp/ln && echo data > f && ln -s f sym && ln f hard && cat sym')).toEqual({ out: 'data\n', status: 0 });
    const long = (await run('ls -l /tmp/ln')).out.split('\n');
    expect(long.find((l) => l.endsWith(' sym -> f'))).toMatch(/^lrwxrwxrwx\s+1 root\s+root\s+1 /);
    expect(long.find((l) => l.endsWith(' hard'))).toMatch(/^-rw-r--r--\s+2 /);
    expect(await run('ln -s f sym')).toEqual({ out: 'ln: sym: File exists\n', status: 1 });
    expect(await run('ln -sf hard sym && ls -l sym')).toMatchObject({ out: expect.stringMatching(/ sym -> hard\n$/), status: 0 });
    expect(await run('ln -s ../f d && cat d/f && ln -s /tmp/ln/d dl && ls dl')).toEqual({ out: 'data\nf\n', status: 0 });
    expect(await run('ln nope x')).toEqual({ out: 'ln: nope: No such file or directory\n', status: 1 });
    expect(await run('ln -s loop loop; cat loop')).toEqual({ out: "cat: can't open 'loop': Too many levels of symbolic links\n", status: 1 });
    expect(await run('cd / && rm -r /tmp/ln && ls /tmp/ln')).toEqual({ out: 'ls: /tmp/ln: No such file or directory\n', status: 1 });
  });

  it('tracefs: the event directories are the guest kernel\'s eventfs, made by eventfs_create_dir', async () => {
    await run('cd /sys/kernel/tracing');
    expect(await run("echo 'p:watch eventfs_create_dir name=+0(%x0):string' > kprobe_events && ls -1 events/kprobes")).toEqual({
      out: 'enable\nfilter\nwatch\n',
      status: 0,
    });
    await run("echo 1 > events/kprobes/watch/enable; echo 'p:grp/second vfs_read' >> kprobe_events; echo 0 > events/kprobes/watch/enable");
    const hits = (await run('grep watch: trace')).out.split('\n').filter(Boolean);
    expect(hits.map((l) => l.replace(/^.*watch: \(eventfs_create_dir\+0x0\/0x[0-9a-f]+\) /, ''))).toEqual(['name="grp"', 'name="second"']);
    expect(await run('ls -1 events/grp')).toEqual({ out: 'enable\nfilter\nsecond\n', status: 0 });
    const events = (await run('echo > kprobe_events; ls -1 events')).out.split('\n');
    expect(events).toEqual(expect.arrayContaining(['enable', 'header_event', 'header_page']));
    expect(events).not.toContain('kprobes');
    expect(events).not.toContain('grp');
    expect(await run('cd events/kprobes')).toEqual({ out: "sh: cd: can't cd to events/kprobes: No such file or directory\n", status: 1 });
    await run('echo > trace; cd /');
  });

  it('errors the way a Linux shell prints them', async () => {
    expect(await run('echo x > /nope/y')).toEqual({ out: "sh: can't create /nope/y: No such file or directory\n", status: 1 });
    expect(await run('cat /nope')).toEqual({ out: "cat: can't open '/nope': No such file or directory\n", status: 1 });
    expect(await run('cd /nope')).toEqual({ out: "sh: cd: can't cd to /nope: No such file or directory\n", status: 1 });
    expect(await run('nosuchcommand')).toEqual({ out: 'sh: nosuchcommand: not found\n', status: 127 });
    expect(await run('ls /nope 2>/dev/null')).toEqual({ out: '', status: 1 });
  });

  it('mount lists the mount table; uname; ps', async () => {
    const mounts = (await run('mount')).out;
    expect(mounts).toContain('proc on /proc type proc (');
    expect(mounts).toContain(' on /sys/kernel/tracing type tracefs (');
    expect(await run('uname -s; uname -m')).toEqual({ out: 'Linux\naarch64\n', status: 0 });
    const ps = (await run('ps')).out.split('\n');
    expect(ps[0]).toBe('  PID USER      TIME COMMAND');
    expect(ps.some((l) => / sh$/.test(l))).toBe(true);
    expect(ps.some((l) => / ps$/.test(l))).toBe(true);
  });

  it('sleep, true, false, $?', async () => {
    expect(await run('sleep 0.001; true; echo $?; false; echo $?')).toEqual({ out: '0\n1\n', status: 0 });
  });

  it('run: a host ELF as a user process, its output and status', async () => {
    // write(1, "hello\n", 6); exit(7) — see test/cli/cli.test.ts for the layout.
    const code = [0xd2800020, 0x100000e1, 0xd28000c2, 0xd2800808, 0xd4000001, 0xd28000e0, 0xd2800ba8, 0xd4000001];
    const b = Buffer.alloc(64 + 56 + 32 + 6);
    b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
    b.writeUInt16LE(2, 16);
    b.writeUInt16LE(183, 18);
    b.writeUInt32LE(1, 20);
    b.writeBigUInt64LE(0x400078n, 24);
    b.writeBigUInt64LE(64n, 32);
    b.writeUInt16LE(64, 52);
    b.writeUInt16LE(56, 54);
    b.writeUInt16LE(1, 56);
    b.writeUInt32LE(1, 64);
    b.writeUInt32LE(5, 68);
    b.writeBigUInt64LE(0x400000n, 80);
    b.writeBigUInt64LE(0x400000n, 88);
    b.writeBigUInt64LE(BigInt(b.length), 96);
    b.writeBigUInt64LE(BigInt(b.length), 104);
    b.writeBigUInt64LE(0x1000n, 112);
    code.forEach((w, i) => b.writeUInt32LE(w, 120 + 4 * i));
    b.write('hello\n', 152);
    const path = join(mkdtempSync(join(tmpdir(), 'kprobe-run-')), 'hello');
    writeFileSync(path, b, { mode: 0o755 });
    expect(await run(`run ${path}; echo $?`)).toEqual({ out: 'hello\n7\n', status: 0 });
  });
});
