// `kprobe mount DIR`: the machine's tracefs (and /proc) mounted with FUSE, served by a `kprobe`
// child process, driven by plain bash in another process (the test process itself never touches
// the mount: a FUSE server's own process must not). Checks what the issue asks for: `>>` appends a
// probe, `>` with an enabled event fails with EBUSY, a bad line is "write error: Invalid argument",
// `cat trace` shows the workload's hits, a blocking trace_pipe read is answered, unmount on SIGTERM
// and SIGINT; and the argument parsing and the message when FUSE is missing, which need no FUSE.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/main.ts';
import { loadFuse } from '../../src/cli/fuse.ts';
import { WORKLOADS } from '../../src/shell/workload.ts';
import { requireTool } from '../helpers/tools.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

describe('kprobe mount: arguments', () => {
  it('parses DIR and its options', () => {
    expect(parseArgs(['mount', '/tmp/t'])).toEqual({ kind: 'mount', arch: 'arm64', dir: '/tmp/t', workload: 'busy' });
    expect(parseArgs(['mount', '--workload', 'none', '--proc=/tmp/p', '/tmp/t', '--arch', 'aarch64'])).toEqual({
      kind: 'mount',
      arch: 'aarch64',
      dir: '/tmp/t',
      procDir: '/tmp/p',
      workload: 'none',
    });
    expect(parseArgs(['mount'])).toEqual({ kind: 'error', message: 'mount: missing DIR' });
    expect(parseArgs(['mount', 'a', 'b'])).toEqual({ kind: 'error', message: "mount: unexpected argument 'b'" });
    expect(parseArgs(['mount', '--workload'])).toEqual({ kind: 'error', message: "option '--workload' needs a value" });
    expect(parseArgs(['mount', '--bogus', 'd'])).toEqual({ kind: 'error', message: "unknown option '--bogus'" });
  });

  it('--help names the workloads that exist', async () => {
    const { main } = await import('../../src/cli/main.ts');
    let out = '';
    const io = { stdin: process.stdin, stdout: { write: (s: string) => ((out += s), true) }, stderr: process.stderr } as never;
    expect(await main(['--help'], io)).toBe(0);
    const names = Object.keys(WORKLOADS).filter((w) => w !== 'none');
    expect(out).toContain(`${names.join(', ')}, none`);
  });

  it('says clearly when FUSE is missing', async () => {
    expect(await loadFuse('/nonexistent/fuse')).toEqual({
      message: 'FUSE is not available: there is no /nonexistent/fuse (a kernel without FUSE, or a container without the device)',
    });
  });
});

async function fuseAvailable(): Promise<boolean> {
  if (!requireTool('fusermount') || !requireTool('bash')) return false;
  const f = await loadFuse();
  if (!('message' in f)) return true;
  if (process.env.CI === 'true') throw new Error(f.message);
  return false;
}

/** bash -c SCRIPT in DIR, asynchronously (never a synchronous call on the mount from here). */
function bash(script: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile('bash', ['-c', script], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function startMount(dir: string, args: string[]): Promise<{ child: ChildProcess; out: () => string; err: () => string }> {
  const child = spawn(process.execPath, [join(REPO, 'bin/kprobe.js'), 'mount', ...args, dir], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((res, rej) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('kprobe mount:')) res();
    });
    child.on('exit', (code) => rej(new Error(`kprobe mount exited ${code}: ${err}`)));
  });
  return { child, out: () => out, err: () => err };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((res) => (child.exitCode !== null ? res(child.exitCode) : child.once('exit', (c) => res(c))));
}

const mounted = (dir: string) => readFileSync('/proc/mounts', 'utf8').split('\n').some((l) => l.split(' ')[1] === dir);

const ok = await fuseAvailable();

describe.skipIf(!ok)('kprobe mount: the FUSE mount from another process', () => {
  it("drives the machine's kprobes with plain bash, and unmounts on SIGTERM", async () => {
    const work = mkdtempSync(join(tmpdir(), 'kprobe-mount-'));
    const dir = join(work, 'tracing');
    const proc = join(work, 'proc');
    const m = await startMount(dir, ['--proc', proc]);
    try {
      expect(m.out()).toContain(`/sys/kernel/tracing on ${dir}, /proc on ${proc} (workload: busy)`);
      expect(mounted(dir) && mounted(proc)).toBe(true);
      const r = await bash(
        `set -u
        echo 'p:ev vfs_read' >> kprobe_events; echo "append=$?"
        cat kprobe_events
        echo 1 > events/kprobes/ev/enable; echo "enable=$?"
        echo > kprobe_events; echo "truncate=$?"
        echo 'p:bad no_such_function' >> kprobe_events; echo "bad=$?"
        tail -n 2 error_log
        cat trace | grep -c ': ev: (vfs_read+0x0/' | sed 's/^/hits=/'
        timeout 20 head -n 1 trace_pipe | grep -c ': ev: ' | sed 's/^/pipe=/'
        echo 0 > events/kprobes/ev/enable; echo > kprobe_events; echo "cleared=$?"
        grep -c ' [tT] kernel_clone$' ${proc}/kallsyms | sed 's/^/kallsyms=/'`,
        dir,
      );
      expect(r.stdout).toContain('append=0\np:kprobes/ev vfs_read\nenable=0\ntruncate=1\nbad=1\n');
      expect(r.stderr).toContain('kprobe_events: Device or resource busy');
      expect(r.stderr).toContain('echo: write error: Invalid argument');
      expect(r.stdout).toContain('  Command: p:bad no_such_function\n                 ^\n');
      expect(r.stdout).toMatch(/hits=[1-9]/);
      expect(r.stdout).toContain('pipe=1\n');
      expect(r.stdout).toContain('cleared=0\n');
      expect(r.stdout).toContain('kallsyms=1\n');
    } finally {
      m.child.kill('SIGTERM');
      expect(await exited(m.child)).toBe(0);
      expect(m.err()).toContain('SIGTERM, unmounting');
      expect(mounted(dir) || mounted(proc)).toBe(false);
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('unmounts on SIGINT, with a reader still blocked in trace_pipe', async () => {
    const work = mkdtempSync(join(tmpdir(), 'kprobe-mount-'));
    const dir = join(work, 'tracing');
    const m = await startMount(dir, ['--workload', 'none']);
    // A reader that blocks: nothing is enabled, and the machine idles.
    const reader = bash('cat trace_pipe; echo "reader=$?"', dir);
    await new Promise((res) => setTimeout(res, 500));
    m.child.kill('SIGINT');
    expect(await exited(m.child)).toBe(0);
    expect(mounted(dir)).toBe(false);
    const r = await reader;
    expect(r.stdout).toMatch(/reader=\d+/);
    rmSync(work, { recursive: true, force: true });
  });
});
