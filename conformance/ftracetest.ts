// The kernel's own ftrace selftests for kprobes (tools/testing/selftests/ftrace, test.d/kprobe/*.tc,
// run by its ftracetest runner) against the emulated machine, through `kprobe mount`. The tests
// are taken at run time from Debian's linux-source-6.12 package (/usr/src/linux-source-6.12.tar.xz,
// never committed) into a temporary directory. The machine's tracefs and /proc are mounted with
// FUSE by a `kprobe mount` child process; ftracetest runs in a mount namespace of its own
// (`unshare -m`) where they are bind-mounted on the fixed paths the tests read:
// /sys/kernel/tracing, /proc/kallsyms, /proc/version, /proc/sys/kernel/sched_rt_runtime_us (which
// ftracetest writes: the host's own sysctl is never touched). Nothing outside the namespace
// changes. The tests' triggers (`( echo forked )`) fork on the host; what they observe in the
// machine is its background workload (src/shell/workload.ts), which forks, opens, reads and writes
// all the time. Result per .tc: PASS, FAIL, UNSUPPORTED, UNRESOLVED (ftracetest's words), with the
// reason for each one that does not pass. Usage (root, fuse3 + libfuse2 + linux-source-6.12):
//   npx tsx conformance/ftracetest.ts [--report conformance/ftracetest-kprobe.md] [NAME.tc…]
// No Linux counterpart: the harness around tools/testing/selftests/ftrace/ftracetest.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const LINUX_SOURCE_TARBALL = '/usr/src/linux-source-6.12.tar.xz';
const FTRACE_DIR = 'linux-source-6.12/tools/testing/selftests/ftrace';

export type TcResult = 'PASS' | 'FAIL' | 'UNSUPPORTED' | 'UNRESOLVED' | 'UNTESTED' | 'XFAIL' | 'UNDEFINED';

export interface TcOutcome {
  file: string;
  description: string;
  result: TcResult;
  /** For a result other than PASS: what the test's log says went wrong (its last commands and messages). */
  logTail: string;
}

/**
 * The .tc files that need what the emulated machine is not meant to have: a loadable kernel module
 * (modprobe of the trace-printk sample) or the function tracer. Every other kprobe test must pass.
 */
export const OUT_OF_SCOPE: Record<string, string> = {
  'kprobe_module.tc': 'needs a loadable kernel module (modprobe trace-printk, the sample in samples/ftrace)',
  'kprobe_ftrace.tc': 'needs the function tracer (requires: function:tracer, stack_trace_filter)',
};

/**
 * The other .tc files that do not pass, with the result they have and why. The CI test asserts
 * exactly these results, so that each one that starts passing is noticed and taken off this list;
 * every .tc in neither list must PASS.
 */
export const NOT_PASSING: Record<string, { result: TcResult; reason: string }> = {
  'kprobe_opt_types.tc': {
    result: 'UNSUPPORTED',
    reason: 'the test runs only on x86_64, arm and ppc (optprobes, /proc/sys/debug/kprobes-optimization); on aarch64 it exits UNSUPPORTED, as on a real arm64 kernel',
  },
};

export interface FtracetestOptions {
  /** .tc file names to run (default: all of test.d/kprobe). */
  only?: string[];
  /** Print progress (ftracetest's own lines) as it runs. */
  log?: (line: string) => void;
  /** The background workload of the machine (default: busy). */
  workload?: string;
}

function run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(cmd, args, { cwd: opts.cwd, timeout: opts.timeoutMs ?? 0, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      res({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Extracts tools/testing/selftests/ftrace from the linux-source tarball into `dest`. */
export async function extractFtraceSelftests(dest: string, tarball = LINUX_SOURCE_TARBALL): Promise<string> {
  const r = await run('tar', ['-xJf', tarball, '-C', dest, '--wildcards', `${FTRACE_DIR}/*`]);
  if (r.code !== 0) throw new Error(`tar failed: ${r.stderr}`);
  return join(dest, FTRACE_DIR);
}

/** Starts `kprobe mount TRACEFS --proc PROC` and resolves once the mounts are up. */
async function startMount(tracefsDir: string, procDir: string, workload: string): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kprobe.js'), 'mount', '--workload', workload, '--proc', procDir, tracefsDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((res, rej) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('kprobe mount:')) {
        child.stdout!.off('data', onData);
        res();
      }
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => rej(new Error(`kprobe mount exited (${code}) before mounting: ${err}`)));
  });
  child.stdout!.resume();
  return { child, stderr: () => err };
}

async function stopMount(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** The script run in the private mount namespace: bind mounts, then ftracetest. */
function namespaceScript(tracefsDir: string, procDir: string, ftraceDir: string, logDir: string, shimDir: string, tcs: string[]): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return `set -e
# This namespace only (unshare -m makes every mount private): the machine's tracefs and /proc files
# on the paths the tests read. The host's own /sys and /proc are not changed.
mount --bind ${q(tracefsDir)} /sys/kernel/tracing
for f in kallsyms version sys/kernel/sched_rt_runtime_us; do
  mount --bind ${q(procDir)}/$f /proc/$f
done
# The tests choose registers by \`uname -m\`: the machine's (its kernel.arch sysctl), not the host's.
machine=$(cat ${q(procDir)}/sys/kernel/arch)
real_uname=$(command -v uname)
mkdir -p ${q(shimDir)}
printf '#!/bin/sh\nif [ "$*" = "-m" ]; then echo %s; else exec %s "$@"; fi\n' "$machine" "$real_uname" > ${q(shimDir)}/uname
chmod +x ${q(shimDir)}/uname
# Only one tracefs left in this namespace's /proc/mounts: the one on /sys/kernel/tracing.
umount -l ${q(tracefsDir)}
umount -l ${q(procDir)}
cd ${q(ftraceDir)}
set +e
PATH=${q(shimDir)}:$PATH ./ftracetest -k -l ${q(logDir)} ${tcs.map((t) => q(`test.d/kprobe/${t}`)).join(' ')}
`;
}

const RESULT_RE = /^\[(\d+)\](.*?)\s*\[(PASS|FAIL|UNSUPPORTED|UNRESOLVED|UNTESTED|XFAIL|UNDEFINED)\]\s*$/;

/** The last informative lines of a test's log: the command that failed, or the test's own message. */
function logTail(log: string): string {
  const lines = log
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l && !/^\+\+? (exit_|kill -s|eval_result)/.test(l));
  return lines.slice(-6).join('\n');
}

/** Runs the kprobe selftests; needs root, /dev/fuse, fusermount, unshare and the linux-source tarball. */
export async function runFtracetest(opts: FtracetestOptions = {}): Promise<TcOutcome[]> {
  const log = opts.log ?? (() => undefined);
  const work = mkdtempSync(join(tmpdir(), 'kprobe-ftracetest-'));
  const tracefsDir = join(work, 'tracing');
  const procDir = join(work, 'proc');
  const logDir = join(work, 'logs');
  let mount: { child: ChildProcess; stderr: () => string } | null = null;
  try {
    log(`extracting ftrace selftests from ${LINUX_SOURCE_TARBALL}`);
    const ftraceDir = await extractFtraceSelftests(work);
    const all = readdirSync(join(ftraceDir, 'test.d', 'kprobe')).filter((f) => f.endsWith('.tc')).sort();
    const tcs = opts.only?.length ? all.filter((t) => opts.only!.includes(t)) : all;
    const descriptions = new Map(
      tcs.map((t) => {
        const text = readFileSync(join(ftraceDir, 'test.d', 'kprobe', t), 'utf8');
        return [t, /^#[ \t]*description:\s*(.*)$/m.exec(text)?.[1]?.trim() ?? ''];
      }),
    );
    mount = await startMount(tracefsDir, procDir, opts.workload ?? 'busy');
    log(`machine mounted on ${tracefsDir} and ${procDir}`);
    const script = join(work, 'ns.sh');
    writeFileSync(script, namespaceScript(tracefsDir, procDir, ftraceDir, logDir, join(work, 'bin'), tcs));
    const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      const s = d.toString();
      out += s;
      for (const l of s.split('\n')) if (l.trim()) log(l);
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number>((res) => child.on('exit', (c) => res(c ?? 1)));
    const results = out.split('\n').map((l) => RESULT_RE.exec(l)).filter((m): m is RegExpExecArray => m !== null);
    if (results.length !== tcs.length) {
      throw new Error(`ftracetest reported ${results.length} of ${tcs.length} tests (exit ${code})\n${out}\n${err}\nkprobe mount: ${mount.stderr()}`);
    }
    const logs = existsSync(logDir) ? readdirSync(logDir, { recursive: true }).map(String) : [];
    return results.map((m) => {
      const n = Number(m[1]);
      const file = tcs[n - 1]!;
      const logName = logs.find((l) => l.split('/').pop()!.startsWith(`${n}-${file}-log.`));
      const text = logName ? readFileSync(join(logDir, logName), 'utf8') : '';
      return { file, description: descriptions.get(file) ?? m[2]!.trim(), result: m[3] as TcResult, logTail: m[3] === 'PASS' ? '' : logTail(text) };
    });
  } finally {
    if (mount) await stopMount(mount.child);
    rmSync(work, { recursive: true, force: true });
  }
}

/** The report: one row per .tc, and for each that does not pass, why. */
export function formatReport(outcomes: TcOutcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o.result, (counts.get(o.result) ?? 0) + 1);
  const summary = [...counts.entries()].map(([r, n]) => `${n} ${r}`).join(', ');
  let s = `# ftracetest: test.d/kprobe on the emulated machine

Generated by \`npx tsx conformance/ftracetest.ts --report conformance/ftracetest-kprobe.md\` (as root,
with fuse3, libfuse2 and linux-source-6.12 installed); \`test/cli/ftracetest.test.ts\` runs the same
suite in CI. The tests are Linux 6.12's own (tools/testing/selftests/ftrace from Debian's
linux-source-6.12), run unchanged by its \`ftracetest\` in a private mount namespace where the arm64
machine's tracefs, mounted with \`kprobe mount\` (FUSE), is bind-mounted on /sys/kernel/tracing, and
its /proc/kallsyms, /proc/version and /proc/sys/kernel/sched_rt_runtime_us on the host's paths.
Every host file operation is a system call of the machine's file-server task; the machine's
background workload (\`busy\`) is what the tests' fork and open triggers observe. ftracetest runs
the tests with dash, whose builtin \`echo\` reports any failed write as \`echo: I/O error\`: the
write itself failed with the kernel's errno (EINVAL for a rejected probe line).

Result: ${summary} of ${outcomes.length}.

| .tc | description | result | reason (for each that does not pass) |
|---|---|---|---|
`;
  const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
  for (const o of outcomes) {
    let reason = '';
    if (o.result !== 'PASS') {
      const known = OUT_OF_SCOPE[o.file] ?? NOT_PASSING[o.file]?.reason;
      reason = known ?? '';
      if (o.logTail) reason += `${reason ? '<br>' : ''}log: \`${o.logTail.split('\n').slice(-3).join(' ⏎ ')}\``;
    }
    s += `| ${o.file} | ${cell(o.description)} | ${o.result} | ${cell(reason)} |\n`;
  }
  return s;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('conformance/ftracetest.ts')) {
  const args = process.argv.slice(2);
  const ri = args.indexOf('--report');
  const report = ri >= 0 ? args.splice(ri, 2)[1] : undefined;
  const outcomes = await runFtracetest({ only: args, log: (l) => console.log(l) });
  const text = formatReport(outcomes);
  if (report) writeFileSync(report, text);
  else console.log(text);
  process.exit(outcomes.every((o) => o.result === 'PASS' || OUT_OF_SCOPE[o.file] || NOT_PASSING[o.file]?.result === o.result) ? 0 : 1);
}
