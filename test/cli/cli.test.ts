// Tests of the `kprobe` command as users run it: `node bin/kprobe.js` (what `npx kprobe` starts),
// with arguments, with a shell script on stdin, and with `run FILE` on a small static arm64 ELF
// built here byte by byte. The argument tests need no machine; the others boot the real one.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArgs, parseRtcBase } from '../../src/cli/main.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function kprobe(args: string[], input = ''): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/kprobe.js'), ...args], { cwd: REPO, input, encoding: 'utf8', timeout: 110_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** A static arm64 ELF: write(1, "hello\n", 6); exit(7). Runs as is under qemu-aarch64. */
function helloElf(): string {
  const code = [
    0xd2800020, // mov x0, #1
    0x100000e1, // adr x1, msg
    0xd28000c2, // mov x2, #6
    0xd2800808, // mov x8, #64 (write)
    0xd4000001, // svc #0
    0xd28000e0, // mov x0, #7
    0xd2800ba8, // mov x8, #93 (exit)
    0xd4000001, // svc #0
  ];
  const msg = Buffer.from('hello\n');
  const total = 64 + 56 + code.length * 4 + msg.length;
  const b = Buffer.alloc(total);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0); // ELFCLASS64, little endian
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(183, 18); // EM_AARCH64
  b.writeUInt32LE(1, 20);
  b.writeBigUInt64LE(0x400078n, 24); // e_entry: the code after the headers
  b.writeBigUInt64LE(64n, 32); // e_phoff
  b.writeUInt16LE(64, 52); // e_ehsize
  b.writeUInt16LE(56, 54); // e_phentsize
  b.writeUInt16LE(1, 56); // e_phnum
  b.writeUInt16LE(64, 58); // e_shentsize
  b.writeUInt32LE(1, 64); // PT_LOAD
  b.writeUInt32LE(5, 68); // PF_R | PF_X
  b.writeBigUInt64LE(0x400000n, 80); // p_vaddr
  b.writeBigUInt64LE(0x400000n, 88); // p_paddr
  b.writeBigUInt64LE(BigInt(total), 96); // p_filesz
  b.writeBigUInt64LE(BigInt(total), 104); // p_memsz
  b.writeBigUInt64LE(0x1000n, 112); // p_align
  code.forEach((w, i) => b.writeUInt32LE(w, 120 + 4 * i));
  msg.copy(b, 120 + code.length * 4);
  const path = join(mkdtempSync(join(tmpdir(), 'kprobe-cli-')), 'hello');
  writeFileSync(path, b, { mode: 0o755 });
  return path;
}

describe('kprobe arguments', () => {
  it('--version and --help', () => {
    const v = kprobe(['--version']);
    expect(v).toMatchObject({ status: 0, stderr: '' });
    expect(v.stdout).toMatch(/^kprobe \d+\.\d+\.\d+\n$/);
    const h = kprobe(['--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('kprobe run [--arch ARCH] FILE [ARG]...');
    expect(h.stdout).toContain('--arch ARCH');
  });

  it('an arch not yet available is a clear error, status 2', () => {
    expect(kprobe(['--arch', 'x86_64'])).toEqual({ stdout: '', stderr: "kprobe: arch 'x86_64' is not yet available (available: arm64, mips)\n", status: 2 });
    expect(kprobe(['run', '--arch=ppc32', 'x'])).toEqual({ stdout: '', stderr: "kprobe: arch 'ppc32' is not yet available (available: arm64, mips)\n", status: 2 });
    expect(kprobe(['--arch', 'vax']).stderr).toBe('kprobe: unknown arch \'vax\' (known: x86_64, arm64, arm, mips, ppc32)\n');
  });

  it('bad usage: status 2 and the usage', () => {
    const r = kprobe(['--frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^kprobe: unknown option '--frobnicate'\nUsage: kprobe/);
    expect(kprobe(['run']).stderr).toMatch(/^kprobe: run: missing FILE\n/);
    expect(kprobe(['frob']).stderr).toMatch(/^kprobe: unknown command 'frob'\n/);
  });
});

describe('--rtc: the machine\'s real-time clock at power-on', () => {
  it('parses utc, a UTC date or seconds, and refuses anything else', () => {
    const now = Date.UTC(2026, 10, 30, 19, 36, 20);
    expect(parseRtcBase(undefined, now)).toBe(now / 1000);
    expect(parseRtcBase('utc', now)).toBe(now / 1000);
    expect(parseRtcBase('2006-06-17T16:01:21')).toBe(1150560081);
    expect(parseRtcBase('2006-06-17')).toBe(1150502400);
    expect(parseRtcBase('0')).toBe(0);
    expect(parseRtcBase('4294967296')).toHaveProperty('message');
    expect(parseRtcBase('2006-13-40')).toHaveProperty('message');
    expect(parseRtcBase('yesterday')).toHaveProperty('message');
    expect(parseArgs(['--rtc', '0', 'run', 'x'])).toEqual({ kind: 'run', arch: 'arm64', file: 'x', args: [], rtc: '0' });
    expect(parseArgs(['--rtc'])).toEqual({ kind: 'error', message: "option '--rtc' needs a value" });
  });

  it('sets the clock the guest reads and takes its time from (boots the machine)', () => {
    const r = kprobe(['--rtc', '2006-06-17T16:01:21'], 'cat /sys/class/rtc/rtc0/date /sys/class/rtc/rtc0/since_epoch\ndmesg | grep hctosys; dmesg | grep "setting system clock"\n');
    expect(r.stdout).toMatch(/^2006-06-17\n115056008[1-2]\n\[ *[0-9.]+\] rtc-pl031 9010000\.pl031: setting system clock to 2006-06-17T16:01:21 UTC \(1150560081\)\n$/);
    expect(r.status).toBe(0);
    const bad = kprobe(['--rtc', 'soon']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^kprobe: invalid --rtc 'soon' \(utc, a UTC date/);
  });
});

describe('kprobe < script (boots the machine)', () => {
  it('runs the seed\'s debugfs steps, prints no prompt, exits with the last status', () => {
    const script = [
      'ls',
      'mount -t debugfs nodev /sys/kernel/debug',
      'cd /sys/kernel/debug/tracing',
      'echo "p:sys_write_event sys_write" > kprobe_events',
      'cat kprobe_events',
      'ls /sys/kernel/debug/tracing/events/kprobes',
      'cd /sys/kernel/debug/tracing/events/kprobes/events/sys_write_event',
      'echo 1 > events/kprobes/sys_write_event/enable',
      'echo hello',
      'cat trace',
      'echo 0 > events/kprobes/sys_write_event/enable',
      'echo "-:kprobes/sys_write_event" >> kprobe_events',
      'cat kprobe_events',
      'ls events/kprobes',
      'exit 3',
      'echo not reached',
    ].join('\n');
    const r = kprobe([], script + '\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(3);
    const out = r.stdout;
    expect(out.startsWith('blog        dockerfile\n')).toBe(true);
    // Listed once while it exists, gone after -: (the last `cat kprobe_events` prints nothing).
    expect(out.split('p:kprobes/sys_write_event sys_write\n').length - 1).toBe(1);
    expect(out).toContain('enable           filter           sys_write_event\n');
    expect(out).toContain("ls: events/kprobes: No such file or directory\n");
    expect(out).toContain(
      "sh: cd: can't cd to /sys/kernel/debug/tracing/events/kprobes/events/sys_write_event: No such file or directory\n",
    );
    expect(out).toMatch(/^\s+sh-\d+\s+\[000\] \S{5}\s+\d+\.\d{6}: sys_write_event: \(sys_write\+0x0\/0x[0-9a-f]+\)$/m);
    expect(out).not.toContain('$ ');
    expect(out).not.toContain('not reached');
  });
});

describe('kprobe --arch mips < script (boots the MIPS machine)', () => {
  it("runs the seed's debugfs steps and the kprobe example on mips", () => {
    const script = [
      'ls',
      'uname -m',
      'mount -t debugfs nodev /sys/kernel/debug',
      'cd /sys/kernel/debug/tracing',
      'echo "p:sys_write_event sys_write" > kprobe_events',
      'cat kprobe_events',
      'echo 1 > events/kprobes/sys_write_event/enable',
      'echo hello',
      'cat trace',
      'echo 0 > events/kprobes/sys_write_event/enable',
      'echo "-:kprobes/sys_write_event" >> kprobe_events',
      `insmod ${join(REPO, 'examples/kprobe_example.ts')}`,
      'ls /',
      'rmmod kprobe_example',
      'exit 3',
    ].join('\n');
    const r = kprobe(['--arch', 'mips'], script + '\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(3);
    expect(r.stdout.startsWith('blog        dockerfile\nmips\n')).toBe(true);
    expect(r.stdout).toContain('p:kprobes/sys_write_event sys_write\n');
    expect(r.stdout).toMatch(/^\s+sh-\d+\s+\[000\] d\.\.\.\.\s+\d+\.\d{6}: sys_write_event: \(sys_write\+0x0\/0x[0-9a-f]+\)$/m);
    expect(r.stdout).toMatch(/handler_pre: <kernel_clone> p->addr = 0x[0-9a-f]{8}, epc = 0x[0-9a-f]{8}, status = 0x10000000\n/);
    expect(r.stdout).toMatch(/handler_post: <kernel_clone> p->addr = 0x[0-9a-f]{8}, status = 0x10000000\n/);
  });
});

describe('a module of your own, outside the repository (boots the machine)', () => {
  // A module whose pre-handler calls a kernel function with a bad pointer: the oops kills only
  // the task that hit the probe; with panic_on_oops=1 the machine panics and kprobe stops.
  const dir = mkdtempSync(join(tmpdir(), 'kprobe-mod-'));
  const mod = join(dir, 'faulty.ts');
  writeFileSync(
    mod,
    [
      `import { module_init, module_exit, register_kprobe, unregister_kprobe, call_kernel_function, pr_info, MODULE_LICENSE, type Kprobe } from '${join(REPO, 'src/kernel/module.ts')}';`,
      "const kp: Kprobe = { symbolName: 'vfs_read', preHandler: () => { call_kernel_function('strlen', 0x10); return 0; } };",
      "module_init(() => { const r = register_kprobe(kp); pr_info('faulty: registered %d\\n', r); return r; });",
      'module_exit(() => unregister_kprobe(kp));',
      "MODULE_LICENSE('GPL');",
    ].join('\n'),
  );

  it('an oops in a handler kills the task, the shell goes on', () => {
    const r = kprobe([], `insmod ${mod}\ncat /etc/hostname\necho still here\n`);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('faulty: registered 0');
    expect(r.stdout).toMatch(/Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010/);
    expect(r.stdout).toMatch(/pc : strlen\+0x0\/0x[0-9a-f]+/);
    expect(r.stdout).toContain('Segmentation fault\nstill here\n');
  });

  it('with panic_on_oops=1 the machine panics and kprobe stops', () => {
    const r = kprobe([], `echo 1 > /proc/sys/kernel/panic_on_oops\ninsmod ${mod}\ncat /etc/hostname\necho not reached\n`);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Kernel panic - not syncing: Fatal exception');
    expect(r.stdout).not.toContain('not reached');
    expect(r.stderr).toBe('kprobe: the machine has panicked and stopped\n');
  });
});

describe('kprobe run (boots the machine)', () => {
  it('runs a static ELF, forwards its output and exit status', () => {
    expect(kprobe(['run', helloElf(), 'a', 'b'])).toEqual({ stdout: 'hello\n', stderr: '', status: 7 });
  });

  it('a missing file', () => {
    expect(kprobe(['run', '/nonexistent/prog'])).toEqual({ stdout: '', stderr: 'kprobe run: /nonexistent/prog: No such file or directory\n', status: 127 });
  });
});
