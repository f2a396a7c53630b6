// `kprobe host` on this machine's real kernel (root, tracefs, uprobes): uprobes and uretprobes on
// a C program built here by gcc, their typed argument values — integers, strings with quotes in
// them, a NULL string (fault) — in text and in JSON; PIE, non-PIE and stripped binaries; -n, -d,
// -p, -c, filters, stacks, headers, --dry-run, -v; kernel errors reported with error_log's text
// and caret; the message on a kernel without kprobes; cleanup on exit, SIGINT, SIGTERM, SIGHUP,
// a closed pipe and an uncaught error, and after kill -9 the next start's sweep; the module-style
// API's handlers. After each test the leftovers of dead processes are swept; at the end nothing
// of any process these tests started may be left in uprobe_events or dynamic_events.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostKprobes, type HostProbeEvent } from '../../src/host/kprobes-api.ts';
import { HostSession, sweepLeftovers } from '../../src/host/lifecycle.ts';
import { buildHostProbe, hostArch } from '../../src/host/probe-line.ts';
import { parseTraceLine } from '../../src/host/trace-line.ts';
import { resolveUprobeSymbol } from '../../src/host/uprobe-symbols.ts';
import { EINVAL, ENOENT, EOPNOTSUPP } from '../../src/uapi/errno.ts';
import { requireTools } from '../helpers/tools.ts';
import { buildTargets, removeTargets, type Targets } from './support/build.ts';
import { Cli, hostKernel, leftoversOf, REPO, runCli } from './support/kernel.ts';
import { runOpenat2Check } from './support/openat2-check.ts';
import { acquireHostTracefs, releaseHostTracefs } from './support/lock.ts';

const k = requireTools('gcc', 'strip') ? hostKernel() : undefined;
const arch = hostArch();
/** Argument registers of the C ABI here. */
const R = arch?.name === 'arm64' ? { a: '%x0', b: '%x1', c: '%x2', ret: '%x0' } : { a: '%di', b: '%si', c: '%dx', ret: '%ax' };
const QUOTED = 'hello "quoted" x=1';

/** Every pid whose probes these tests may have created. */
const pids = new Set<number>([process.pid]);

describe.skipIf(!k || !arch)('kprobe host on the real kernel', () => {
  // Registered first: taken before everything else, released after every other afterAll.
  beforeAll(acquireHostTracefs, 600_000);
  afterAll(releaseHostTracefs);
  let t: Targets;
  beforeAll(() => {
    t = buildTargets();
  });
  afterAll(() => removeTargets(t));
  afterEach(() => {
    // The children are dead by now: what they left is swept as the next start would.
    if (k) sweepLeftovers(k.tracefs, k.features);
  });
  afterAll(() => {
    if (!k) return;
    sweepLeftovers(k.tracefs, k.features);
    expect(leftoversOf(k, pids)).toEqual([]);
  });

  const cli = (args: string[]): Cli => {
    const c = new Cli(args);
    pids.add(c.pid);
    return c;
  };
  const run = async (args: string[]) => {
    const c = cli(args);
    return c.done();
  };
  const entry = (bin: string): string => `p:${bin}:probe_me a=${R.a}:s32 b=${R.b}:s64 s=+0(${R.c}):string`;
  const ret = (bin: string): string => `r:${bin}:probe_me ret=${R.ret}:s32`;

  it('uprobe + uretprobe, text: the kernel\'s lines with the values the program passed', async () => {
    const r = await run(['-c', `${t.pie} 3 > /dev/null`, '-e', ret(t.pie), entry(t.pie)]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    // Text output is the kernel's line as it is: a task the kernel has not named yet (its comm is
    // recorded at the task's next context switch, which a quick reader can beat) prints as <...>.
    for (let i = 0; i < 3; i++) {
      expect(lines[2 * i]).toMatch(new RegExp(`^ +(target|<\\.\\.\\.>)-\\d+ +\\[\\d{3}\\] \\S{5} +\\d+\\.\\d{6}: probe_me: \\(0x[0-9a-f]+\\) a=${i} b=${1000 + i} s="hello "quoted" x=1"$`));
      expect(lines[2 * i + 1]).toMatch(new RegExp(`: probe_me__return: \\(0x[0-9a-f]+ <- 0x[0-9a-f]+\\) ret=${i + 1000 + i + 1}$`));
    }
    expect(r.stderr).toMatch(/tracing 2 probes while '.*target 3 > \/dev\/null' runs/);
    expect(r.stderr).toMatch(/6 events, 0 lost/);
    expect(leftoversOf(k!, pids)).toEqual([]);
  });

  it('--json: typed values — numbers, strings with quotes, null for a NULL string, negative returns', async () => {
    const r = await run([
      '--json',
      '-c',
      `${t.pie} 2 > /dev/null`,
      '-e',
      ret(t.pie),
      '-e',
      `p:${t.pie}:probe_str s=+0(${R.a}):string t=+0(${R.b}):string`,
      '-e',
      `r:${t.pie}:probe_neg v=${R.ret}:s64 h=${R.ret}:x64`,
      entry(t.pie),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const byName = (n: string) => events.filter((e) => e.event === n);
    expect(byName('probe_me').map((e) => e.args)).toEqual([
      { a: 0, b: 1000, s: QUOTED },
      { a: 1, b: 1001, s: QUOTED },
    ]);
    expect(byName('probe_me__return').map((e) => e.args)).toEqual([{ ret: 1001 }, { ret: 1003 }]);
    expect(byName('probe_str').map((e) => e.args)).toEqual([{ s: 'a" t="b', t: null }]);
    expect(byName('probe_neg__return').map((e) => e.args)).toEqual([{ v: -42, h: '0xffffffffffffffd6' }]);
    const e0 = byName('probe_me')[0]!;
    expect(e0).toMatchObject({ comm: 'target', cpu: expect.any(Number), flags: expect.stringMatching(/^\S{5}$/), timestamp: expect.any(Number) });
    expect(e0.ip).toMatch(/^0x[0-9a-f]+$/);
    const r0 = byName('probe_me__return')[0]!;
    // A uretprobe's function is the probed address of the entry event.
    expect(r0.func).toBe(e0.ip);
    expect(r0.caller).toMatch(/^0x[0-9a-f]+$/);
    expect(new Set(events.map((e) => e.pid)).size).toBe(1);
  });

  it('non-PIE and stripped (.dynsym only) binaries: the same events', async () => {
    for (const bin of [t.nopie, t.dynsymOnly]) {
      const r = await run(['--json', '-c', `${bin} 2 > /dev/null`, entry(bin)]);
      expect(r.code, r.stderr).toBe(0);
      const ev = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { args: unknown; ip: string });
      expect(ev.map((e) => e.args)).toEqual([
        { a: 0, b: 1000, s: QUOTED },
        { a: 1, b: 1001, s: QUOTED },
      ]);
      // A non-PIE probe address is the link-time one.
      if (bin === t.nopie) expect(BigInt(ev[0]!.ip)).toBe(resolveUprobeSymbol(bin, 'probe_me').vaddr);
    }
  });

  it('a program run on its own; -n stops after that many events', async () => {
    const c = cli(['-n', '2', entry(t.pie)]);
    await c.waitFor(/tracing uprobe probe_me/);
    spawnSync(t.pie, ['5'], { stdio: 'ignore' });
    const r = await c.done();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/2 events, 0 lost/);
  });

  it('-p PID: only that process (another one running the same code is not traced)', async () => {
    const start = () => {
      const p = spawn(t.pie, ['2', 'wait'], { stdio: ['pipe', 'pipe', 'ignore'] });
      return { p, ready: new Promise<void>((res) => p.stdout!.once('data', () => res())) };
    };
    const mine = start();
    const other = start();
    await Promise.all([mine.ready, other.ready]);
    const c = cli(['--json', '-n', '2', '-p', String(mine.p.pid), entry(t.pie)]);
    await c.waitFor(/tracing uprobe/);
    other.p.stdin!.end('go\n');
    await new Promise((res) => other.p.on('exit', res));
    mine.p.stdin!.end('go\n');
    const r = await c.done();
    expect(r.code, r.stderr).toBe(0);
    const ev = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { pid: number; args: { a: number } });
    expect(ev.map((e) => [e.pid, e.args.a])).toEqual([
      [mine.p.pid, 0],
      [mine.p.pid, 1],
    ]);
  });

  it('a FILTER on the event\'s fields, in the instance', async () => {
    const r = await run(['-c', `${t.pie} 4 > /dev/null`, entry(t.pie), 'a > 1 && s ~ "hello*"']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map((l) => /a=(\d+)/.exec(l)![1])).toEqual(['2', '3']);
  });

  it('-s: user stacks after each event; in JSON their frames are named from the binary', async () => {
    const text = await run(['-s', '-c', `${t.pie} 1 > /dev/null`, entry(t.pie)]);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(parseTraceLine(lines[0]!)).toMatchObject({ kind: 'event', rec: { event: 'probe_me' } });
    expect(parseTraceLine(lines[1]!)).toMatchObject({ kind: 'stack', user: true });
    expect(lines[2]).toMatch(/^ => /);
    const json = await run(['--json', '-s', '-c', `${t.pie} 1 > /dev/null`, '-e', ret(t.pie), entry(t.pie)]);
    const ev = json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { event: string; stack: { frame: string; symbol?: string }[] });
    expect(ev[0]!.stack[0]!.symbol).toMatch(/^probe_me\+0x0\//);
    expect(ev[1]!.stack[0]!.symbol).toMatch(/^main\+0x[0-9a-f]+\//);
  });

  it('-H prints the trace header; -v prints the format file; -d ends after the time', async () => {
    const h = await run(['-H', '-d', '0.3', entry(t.pie)]);
    expect(h.code, h.stderr).toBe(0);
    expect(h.stdout).toMatch(/^# tracer: nop\n#\n# entries-in-buffer\/entries-written: 0\/0 +#P:\d+\n/);
    expect(h.stdout).toContain('#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n');
    const v = await run(['-v', entry(t.pie)]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/^name: probe_me\nID: \d+\nformat:\n/);
    expect(v.stdout).toContain('\tfield:__data_loc char[] s;\toffset:28;\tsize:4;\tsigned:1;\n');
    expect(v.stdout).toContain('print fmt: "(%lx) a=%d b=%Ld s=\\"%s\\"", REC->__probe_ip, REC->a, REC->b, __get_str(s)\n');
  });

  it('--dry-run prints the writes and where, and changes nothing', async () => {
    const before = [k!.tracefs.read('uprobe_events'), k!.tracefs.list('instances').join(',')];
    const r = await run(['--dry-run', '-s', entry(t.pie), 'a > 1']);
    expect(r.code, r.stderr).toBe(0);
    const off = resolveUprobeSymbol(t.pie, 'probe_me').fileOffset.toString(16);
    const dir = k!.tracefs.dir;
    expect(r.stdout).toContain(`\necho 'p:kprobe_${r.stdout.match(/kprobe_(\d+)/)![1]}/probe_me ${t.pie}:0x${off} a=${R.a}:s32 b=${R.b}:s64 s=+0(${R.c}):string' >> ${dir}/uprobe_events\n`);
    expect(r.stdout).toMatch(new RegExp(`^mkdir ${dir}/instances/kprobe_\\d+\\n`));
    expect(r.stdout).toMatch(/echo 'a > 1' > .*\/events\/kprobe_\d+\/probe_me\/filter\n/);
    expect(r.stdout).toMatch(/echo 1 > .*\/options\/userstacktrace\n/);
    expect(r.stdout).toMatch(/# on exit .*\necho 0 > .*\/enable\nrmdir .*\necho -:kprobe_\d+\/probe_me >> .*uprobe_events\n$/);
    expect([k!.tracefs.read('uprobe_events'), k!.tracefs.list('instances').join(',')]).toEqual(before);
    // The project's own parser of the grammar checks the line and the filter.
    const bad = await run(['--dry-run', `p:${t.pie}:probe_me x=%zz`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/trace_uprobe: error: Invalid register name\n {2}Command: p:kprobe_\d+\/probe_me .* x=%zz\n +\^\n/);
  });

  it('a line the kernel refuses: its error_log text and caret, and nothing left behind', async () => {
    const r = await run([`p:${t.pie}:probe_me x=%zz`]);
    expect(r.code).toBe(1);
    const m = /kprobe host: uprobe_events rejected '(p:kprobe_(\d+)\/probe_me \S+ x=%zz)': Invalid argument \(EINVAL\)\ntrace_uprobe: error: Invalid register name\n {2}Command: (.*)\n( *)\^\n/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(m![3]).toBe(m![1]);
    expect(m![4]!.length).toBe(11 + m![1]!.indexOf('%zz'));
    const f = await run([entry(t.pie), 'a > zz']);
    expect(f.code).toBe(1);
    expect(f.stderr).toContain('the kernel rejected the filter for probe_me:\na > zz\n     ^\nparse_error: Invalid value (did you forget quotes)?\n');
    const missing = await run(['p:/nonexistent/binary:0x10']);
    expect(missing.stderr).toMatch(/\/nonexistent\/binary: no such file/);
    expect(leftoversOf(k!, pids)).toEqual([]);
  });

  // Which half runs depends on the kernel: with kprobes (the QEMU guest of test/host/qemu.test.ts
  // runs the same check), the do_sys_openat2 probes; without (this machine), the exact message.
  it('kprobes: traced where the kernel has them, said exactly where it has not', async () => {
    if (k!.features.kprobeEvents) {
      expect(runOpenat2Check(REPO)).toBe(0);
      return;
    }
    const r = await run(['p:do_sys_openat2 filename=+0(%si):string']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^kprobe host: this kernel \(.+\) has no kprobes: (CONFIG_KPROBES is not set|CONFIG_KPROBE_EVENTS is not set|it was built without CONFIG_KPROBES or CONFIG_KPROBE_EVENTS), so tracefs has no kprobe_events\. Uprobes still work: probe a user-space function with 'p:\/path\/to\/binary:function' \('kprobe host -l BINARY' lists them\)\.\n$/);
  });

  it('after kill -9, the next start removes what was left; --sweep does it on demand', async () => {
    const c = cli([entry(t.pie)]);
    await c.waitFor(/tracing uprobe/);
    const off = resolveUprobeSymbol(t.pie, 'probe_me').fileOffset.toString(16).padStart(16, '0');
    expect(leftoversOf(k!, [c.pid])).toEqual(
      expect.arrayContaining([`uprobe_events: p:kprobe_${c.pid}/probe_me ${t.pie}:0x${off} a=${R.a}:s32 b=${R.b}:s64 s=+0(${R.c}):string`, `instances/kprobe_${c.pid}`]),
    );
    c.child.kill('SIGKILL');
    await c.exit;
    expect(leftoversOf(k!, [c.pid]).length).toBeGreaterThan(0);
    const next = await run(['-d', '0.2', `p:${t.pie}:main`]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain(`removed leftovers of kprobe processes that no longer run: instance kprobe_${c.pid}, kprobe_${c.pid}/probe_me`);
    expect(leftoversOf(k!, [c.pid])).toEqual([]);

    const d = cli([entry(t.pie)]);
    await d.waitFor(/tracing uprobe/);
    d.child.kill('SIGKILL');
    await d.exit;
    const s = await run(['--sweep']);
    expect(s.stdout).toBe(`removed instance kprobe_${d.pid}\nremoved event kprobe_${d.pid}/probe_me\n`);
    expect(leftoversOf(k!, [d.pid])).toEqual([]);
    expect((await run(['--sweep'])).stdout).toBe('nothing to remove\n');
  });

  it('SIGINT, SIGTERM, SIGHUP: disabled and removed, with the usual exit status', async () => {
    for (const [sig, code] of [
      ['SIGINT', 0],
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      const c = cli(['-e', ret(t.pie), entry(t.pie)]);
      await c.waitFor(/tracing 2 probes/);
      expect(leftoversOf(k!, [c.pid]).length).toBeGreaterThan(0);
      c.child.kill(sig);
      const r = await c.done();
      expect([r.code, sig], r.stderr).toEqual([code, sig]);
      expect(leftoversOf(k!, [c.pid])).toEqual([]);
    }
  });

  it('a closed pipe ends tracing cleanly', async () => {
    const c = cli([entry(t.pie)]);
    await c.waitFor(/tracing uprobe/);
    c.child.stdout!.destroy();
    for (let i = 0; i < 50 && c.child.exitCode === null; i++) {
      spawnSync(t.pie, ['20'], { stdio: 'ignore' });
      await new Promise((res) => setTimeout(res, 50));
    }
    const r = await c.done();
    expect(r.code, r.stderr).toBe(0);
    expect(leftoversOf(k!, [c.pid])).toEqual([]);
  });

  it('an uncaught error in a program using the API: its probes are removed as it dies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kprobe-crash-'));
    const script = join(dir, 'crash.mts');
    writeFileSync(
      script,
      `import { HostKprobes } from ${JSON.stringify(join(REPO, 'src/host/kprobes-api.ts'))};
const host = new HostKprobes();
if (host.registerKprobe({ symbolName: ${JSON.stringify(`${t.pie}:probe_me`)} }) !== 0) process.exit(3);
process.stdout.write(host.session.name + '\\n');
setTimeout(() => { throw new Error('boom'); }, 100);
`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    rmSync(dir, { recursive: true, force: true });
    const pid = Number(/kprobe_(\d+)/.exec(r.stdout)?.[1]);
    pids.add(pid);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('Error: boom');
    expect(leftoversOf(k!, [pid])).toEqual([]);
  });

  it('lost events: counted from the ring buffer\'s stats, and the LOST lines trace_pipe prints', async () => {
    const session = HostSession.open();
    try {
      const p = buildHostProbe(`p:${t.pie}:probe_me a=${R.a}:s32`, { group: session.group, taken: session.taken });
      session.addProbe(p);
      // A tiny buffer and nobody reading: most of 3000 events are overwritten.
      session.instance.setBufferSizeKb(4);
      session.enable(undefined, true);
      spawnSync(t.pie, ['3000'], { stdio: 'ignore' });
      let events = 0;
      let lostLines = 0;
      session.stop();
      await session.stream((lines) => {
        for (const l of lines) {
          const x = parseTraceLine(l);
          if (x.kind === 'event') events++;
          else if (x.kind === 'lost') lostLines += x.count ?? 0;
        }
      });
      const { lost, perCpu } = session.lostEvents();
      expect(events).toBeGreaterThan(0);
      expect(events).toBeLessThan(3000);
      expect(lost).toBe(3000 - events);
      expect(lostLines).toBe(lost);
      expect(perCpu.reduce((n, c) => n + c.overrun, 0)).toBe(lost);
    } finally {
      session.close();
    }
  });

  it('the module-style API: pre handlers and return handlers with pt_regs and the fetched arguments', async () => {
    const host = new HostKprobes();
    try {
      const pre: string[] = [];
      const rets: string[] = [];
      let writeError = '';
      const kp = {
        symbolName: `${t.pie}:probe_me`,
        fetchArgs: [`s=+0(${R.c}):string`],
        preHandler: (_p: unknown, regs: import('../../src/kprobes/types.ts').PtRegs, ev: HostProbeEvent) => {
          pre.push(`${BigInt.asIntN(32, regs.argument(0))} ${regs.argument(1)} ${ev.args.s} ${ev.comm}`);
          try {
            regs.set(R.a.slice(1), 0n);
          } catch (e) {
            writeError = (e as Error).message;
          }
          return 0;
        },
      };
      expect(host.registerKprobe(kp), host.lastError).toBe(0);
      expect(kp.symbolName).toBe(`${t.pie}:probe_me`);
      const rp = {
        kp: { symbolName: `${t.pie}:probe_me` },
        dataSize: 8,
        entryHandler: (ri: { data: Uint8Array }, regs: import('../../src/kprobes/types.ts').PtRegs) => {
          new DataView(ri.data.buffer).setBigUint64(0, regs.argument(0), true);
          return 0;
        },
        handler: (ri: { data: Uint8Array; retAddr: bigint; task: number }, regs: import('../../src/kprobes/types.ts').PtRegs) => {
          rets.push(`${new DataView(ri.data.buffer).getBigUint64(0, true)} -> ${BigInt.asIntN(32, regs.returnValue)} ${ri.retAddr > 0n}`);
        },
      };
      expect(host.registerKretprobe(rp), host.lastError).toBe(0);
      expect(host.registerKprobe({ symbolName: `${t.pie}:no_such_function` })).toBe(-ENOENT);
      expect(host.registerKprobe({ symbolName: `${t.pie}:main`, postHandler: () => undefined })).toBe(-EOPNOTSUPP);
      expect(host.lastError).toMatch(/no post_handler on the host/);
      expect(host.registerKprobe({})).toBe(-EINVAL);
      if (!k!.features.kprobeEvents) {
        expect(host.registerKprobe({ symbolName: 'do_sys_openat2' })).toBe(-EOPNOTSUPP);
        expect(host.lastError).toMatch(/has no kprobes/);
      }
      spawnSync(t.pie, ['3'], { stdio: 'ignore' });
      await host.drain();
      expect(pre).toEqual([0, 1, 2].map((i) => `${i} ${1000 + i} ${QUOTED} target`));
      expect(rets).toEqual([0, 1, 2].map((i) => `${i} -> ${2 * i + 1001} true`));
      expect(writeError).toMatch(/read-only on the host target/);
      // Disabled: no more calls; unregistered: the event is gone.
      expect(host.disableKprobe(kp)).toBe(0);
      spawnSync(t.pie, ['1'], { stdio: 'ignore' });
      await host.drain();
      expect(pre).toHaveLength(3);
      host.unregisterKprobe(kp);
      expect(k!.tracefs.read('uprobe_events')).not.toContain(`${host.session.name}/probe_me `);
    } finally {
      await host.close();
    }
    expect(leftoversOf(k!, [process.pid])).toEqual([]);
  });
});

describe('kprobe host without root, and -l', () => {
  it.skipIf(process.getuid?.() !== 0)('a non-root user gets a sentence, not a stack trace', async () => {
    const r = await runCli(['p:/bin/sh:main'], { uid: 65534, gid: 65534 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^kprobe host: root is needed: .*Run it as root, e\.g\. with sudo\.\n$/);
  });

  it('-l BINARY lists its functions (no root needed)', async () => {
    if (!requireTools('gcc', 'strip')) return;
    const t = buildTargets();
    try {
      const r = await runCli(['-l', t.pie]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['main', 'probe_me', 'probe_neg', 'probe_str']));
      const bad = await runCli(['-l', join(t.dir, 'nope')]);
      expect(bad).toMatchObject({ code: 1, stderr: `kprobe host: ${join(t.dir, 'nope')}: no such file\n` });
    } finally {
      removeTargets(t);
    }
  });
});
