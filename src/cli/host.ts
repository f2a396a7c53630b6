// `kprobe host`: the probe-event language on the running kernel, in the manner of perf-tools'
// kprobe and uprobe: create the probe (in a group and a trace instance of this process's own),
// stream its events from the instance's trace_pipe as the kernel prints them (or as JSON, one
// object per line), and remove everything on the way out. `-l BINARY` lists the functions a
// uprobe can name, `--dry-run` prints the tracefs writes instead of doing them, `--sweep` removes
// what killed kprobe processes left behind. No Linux counterpart; perf-tools' kernel/kprobe and
// user/uprobe are the models.

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { compileEventFilter, filterAssignType } from '../tracing/event-filter.ts';
import { argvSplit } from '../tracing/kstr.ts';
import { kprobeEventFields, parseKprobeCommand } from '../tracing/probe-event.ts';
import { parseUprobeCommand } from '../tracing/uprobe-event.ts';
import { formatErrorEntry } from '../host/error-log.ts';
import { HostSession, sweepLeftovers, type SessionProbe } from '../host/lifecycle.ts';
import { buildHostProbe, checkProbeLocally, hostArch, type HostProbe } from '../host/probe-line.ts';
import { readFeatures } from '../host/readme.ts';
import { decodeBytes, jsonEvent, parseProbeBody, parseTraceLine } from '../host/trace-line.ts';
import { findTracefs, HostError, privilegeMessage, TracefsError } from '../host/tracefs.ts';
import { CommResolver, UNKNOWN_COMM } from '../host/comm.ts';
import { findBinary, listFunctions, UserSymbolizer } from '../host/uprobe-symbols.ts';
import type { CliIo } from './main.ts';

export const HOST_USAGE = `Usage: kprobe host [-d SECONDS] [-n COUNT] [-p PID | -c COMMAND] [-s] [-H] [--json] [-e PROBE]... PROBE [FILTER]
       kprobe host -l BINARY
       kprobe host --dry-run [options] PROBE [FILTER]
       kprobe host --sweep
`;

export const HOST_HELP = `kprobe host: trace the running kernel with kprobe_events and uprobe_events, as perf-tools'
kprobe and uprobe do. Needs root.

${HOST_USAGE}
PROBE is a kprobe_events or uprobe_events line:
  'p:do_sys_openat2 filename=+0(%si):string'        a kprobe (named after the function)
  'r:do_sys_openat2 ret=$retval:s64'                 its return probe (named do_sys_openat2__return)
  'p:myopen do_sys_openat2 dfd=%di:s32'              a kprobe named myopen
  'p:/usr/bin/bash:readline'                         a uprobe on a function of a binary
  'r:bash:readline +0($retval):string'               BINARY may be a program on PATH or a library (libc)
  'p:mine /tmp/prog:0x1149 a=%di:s32'                a uprobe at a file offset, as uprobe_events takes it
FILTER is an event filter on the first PROBE's fields, e.g. 'a > 10 && s ~ "hel*"'.

Options:
  -d SECONDS    stop after SECONDS
  -n COUNT      stop after COUNT events
  -p PID        only events of process PID (its threads, and children it creates from now on)
  -c COMMAND    run COMMAND (with sh -c) once the probes are enabled, trace only it and its
                children, and stop when it exits
  -s            print a stack trace after each event (kernel stacks for kprobes, user stacks for uprobes)
  -H            print the trace file's column headers first
  -e PROBE      one more probe (repeatable); FILTER applies to the first PROBE only
  --json        one JSON object per event: comm, pid, cpu, flags, timestamp, event, ip or
                caller/func, args (typed from the event's format file), stack; a comm the
                kernel printed as <...> is named from /proc or its saved_cmdlines
  -v            print the events' format files and exit
  -l BINARY     list the functions of BINARY that a uprobe can name
  --dry-run     print what would be written to tracefs, and where, and exit
  --sweep       remove the probes and instances of kprobe processes that no longer run
  -h, --help    this help

Probes live in the group kprobe_<pid> and the trace instance instances/kprobe_<pid>; other
tracing is never touched. They are removed on exit, Ctrl-C, SIGTERM, SIGHUP, a closed pipe and
errors; after kill -9 the next 'kprobe host' removes them. When tracefs is not mounted it is
mounted on /sys/kernel/tracing and left mounted.
`;

interface HostArgs {
  probes: string[];
  filter?: string;
  duration?: number;
  count?: number;
  pid?: number;
  command?: string;
  stacks: boolean;
  headers: boolean;
  json: boolean;
  view: boolean;
  list?: string;
  dryRun: boolean;
  sweep: boolean;
}

type Parsed = { kind: 'help' } | { kind: 'error'; message: string } | { kind: 'run'; args: HostArgs };

/** Parse `kprobe host` arguments (after "host"). */
export function parseHostArgs(argv: string[]): Parsed {
  const a: HostArgs = { probes: [], stacks: false, headers: false, json: false, view: false, dryRun: false, sweep: false };
  const positional: string[] = [];
  const extra: string[] = [];
  const valued = new Set(['-d', '-n', '-p', '-c', '-e', '-l']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    if (arg === '--json') {
      a.json = true;
      continue;
    }
    if (arg === '--dry-run') {
      a.dryRun = true;
      continue;
    }
    if (arg === '--sweep') {
      a.sweep = true;
      continue;
    }
    if (arg.startsWith('--')) return { kind: 'error', message: `unknown option '${arg}'` };
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    // Short options, bundled flags (-sH) and attached values (-d5).
    for (let j = 1; j < arg.length; j++) {
      const opt = `-${arg[j]}`;
      if (valued.has(opt)) {
        let v = arg.slice(j + 1);
        if (!v) {
          if (i + 1 >= argv.length) return { kind: 'error', message: `option '${opt}' needs a value` };
          v = argv[++i]!;
        }
        const num = (int: boolean): number | undefined => {
          const n = Number(v);
          return v !== '' && Number.isFinite(n) && n >= 0 && (!int || Number.isInteger(n)) ? n : undefined;
        };
        switch (opt) {
          case '-d':
            a.duration = num(false);
            if (a.duration === undefined) return { kind: 'error', message: `-d needs a number of seconds, not '${v}'` };
            break;
          case '-n':
            a.count = num(true);
            if (!a.count) return { kind: 'error', message: `-n needs a positive count, not '${v}'` };
            break;
          case '-p':
            a.pid = num(true);
            if (!a.pid) return { kind: 'error', message: `-p needs a process id, not '${v}'` };
            break;
          case '-c':
            a.command = v;
            break;
          case '-e':
            extra.push(v);
            break;
          case '-l':
            a.list = v;
            break;
        }
        break;
      }
      switch (opt) {
        case '-s':
          a.stacks = true;
          break;
        case '-H':
          a.headers = true;
          break;
        case '-v':
          a.view = true;
          break;
        case '-j':
          a.json = true;
          break;
        default:
          return { kind: 'error', message: `unknown option '${opt}'` };
      }
    }
  }
  if (a.list !== undefined) {
    if (positional.length || extra.length) return { kind: 'error', message: '-l takes a binary only' };
    return { kind: 'run', args: a };
  }
  if (a.sweep) {
    if (positional.length || extra.length) return { kind: 'error', message: '--sweep takes no probe' };
    return { kind: 'run', args: a };
  }
  if (!positional.length) return { kind: 'error', message: 'missing PROBE' };
  if (positional.length > 2) return { kind: 'error', message: `unexpected argument '${positional[2]}' (quote the PROBE: it is one argument)` };
  if (a.pid !== undefined && a.command !== undefined) return { kind: 'error', message: 'use either -p or -c' };
  if (a.view && (a.duration !== undefined || a.count !== undefined)) return { kind: 'error', message: 'use either -v or -d/-n' };
  a.probes = [positional[0]!, ...extra];
  a.filter = positional[1];
  return { kind: 'run', args: a };
}

/** Write to stdout unless the reader has gone (EPIPE). */
class Output {
  broken = false;
  constructor(private readonly stream: NodeJS.WriteStream) {}
  write(text: string): void {
    if (!this.broken) this.stream.write(Buffer.from(text, 'latin1'));
  }
  writeUtf8(text: string): void {
    if (!this.broken) this.stream.write(text);
  }
}

function tasksOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`)
      .map(Number)
      .filter((n) => n > 0);
  } catch {
    throw new HostError(`no process ${pid}`);
  }
}

function isStopped(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] === 'T';
  } catch {
    return false;
  }
}

/** Start COMMAND stopped (it stops itself before running anything), so its pid can be filtered first. */
async function spawnStopped(command: string): Promise<ChildProcess> {
  const child = spawn('/bin/sh', ['-c', `kill -STOP $$\n${command}`], { stdio: 'inherit' });
  const pid = child.pid;
  if (pid === undefined) throw new HostError(`cannot run '${command}'`);
  let exited = false;
  child.once('exit', () => (exited = true));
  for (let i = 0; i < 500 && !isStopped(pid); i++) {
    if (exited) throw new HostError(`'${command}' exited before tracing began`);
    await new Promise((r) => setTimeout(r, 10));
  }
  if (!isStopped(pid)) throw new HostError(`'${command}' did not start`);
  return child;
}

/** Check a probe and the filter with the project's parsers of the kernel's grammar (dry run). */
function localDiagnostics(probe: HostProbe, filter: string | undefined): string[] {
  const arch = hostArch();
  const out: string[] = [];
  const local = checkProbeLocally(probe, arch);
  if (local) {
    if (local.errors.length) for (const e of local.errors) out.push(formatErrorEntry({ ...e, message: e.text }));
    else out.push(`'${probe.line}' is not a ${probe.kind} line the kernel would accept\n`);
    return out;
  }
  if (filter === undefined || !arch) return out;
  const argv = argvSplit(probe.line);
  const r = probe.kind === 'kprobe' ? parseKprobeCommand(argv, { arch }) : parseUprobeCommand(argv, { arch });
  if (!r.ok) return out;
  const fields = kprobeEventFields(r.def, arch).map((f) => ({ ...f, filterType: filterAssignType(f.type) }));
  const c = compileEventFilter(filter, { fields, nrCpus: cpus().length, bits: arch.bits, lookupName: () => undefined, lookupAddress: () => undefined });
  if (c.err) out.push(`the filter would be rejected:\n${c.filter.filterString}`);
  return out;
}

function describe(p: HostProbe): string {
  const what = p.kind === 'uprobe' ? (p.isReturn ? 'uretprobe' : 'uprobe') : p.isReturn ? 'kretprobe' : 'kprobe';
  const where = p.resolved ? ` (${p.resolved.symbol}${p.resolved.symbolOffset ? `+${p.resolved.symbolOffset}` : ''} at file offset 0x${p.resolved.fileOffset.toString(16)} of ${p.resolved.path}, from ${p.resolved.table})` : '';
  return `${what} ${p.event}${where}: ${p.line}`;
}

/** Runs `kprobe host ARGS`; resolves to the exit status. */
export async function hostMain(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseHostArgs(argv);
  if (parsed.kind === 'help') {
    io.stdout.write(HOST_HELP);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.stderr.write(`kprobe host: ${parsed.message}\n${HOST_USAGE}`);
    return 2;
  }
  const a = parsed.args;
  const note = (m: string): void => void io.stderr.write(`kprobe host: ${m}\n`);
  let session: HostSession | undefined;
  try {
    if (a.list !== undefined) {
      for (const name of listFunctions(findBinary(a.list))) io.stdout.write(`${name}\n`);
      return 0;
    }
    if (a.sweep) {
      const tracefs = findTracefs();
      const r = sweepLeftovers(tracefs, readFeatures(tracefs));
      for (const i of r.instances) io.stdout.write(`removed instance ${i}\n`);
      for (const e of r.events) io.stdout.write(`removed event ${e}\n`);
      for (const f of r.failures) note(`could not remove ${f}`);
      if (!r.instances.length && !r.events.length && !r.failures.length) io.stdout.write('nothing to remove\n');
      return r.failures.length ? 1 : 0;
    }
    session = HostSession.open({ dryRun: a.dryRun, log: note });
    return await trace(session, a, io, note);
  } catch (e) {
    session?.close();
    if (e instanceof HostError) {
      io.stderr.write(`kprobe host: ${e.message}\n`);
      return e.exitCode;
    }
    const priv = privilegeMessage(e);
    if (priv) {
      io.stderr.write(`kprobe host: ${priv}\n`);
      return 1;
    }
    if (e instanceof TracefsError) {
      io.stderr.write(`kprobe host: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

async function trace(session: HostSession, a: HostArgs, io: CliIo, note: (m: string) => void): Promise<number> {
  const probes: SessionProbe[] = [];
  const diagnostics: string[] = [];
  for (const spec of a.probes) {
    const hp = buildHostProbe(spec, { group: session.group, taken: session.taken });
    if (hp.userGroup) note(`probe ${hp.event} goes into this process's group ${session.group}, not ${hp.userGroup}`);
    if (a.dryRun) diagnostics.push(...localDiagnostics(hp, spec === a.probes[0] ? a.filter : undefined));
    probes.push(session.addProbe(hp));
  }
  const first = probes[0]!.probe;
  if (a.filter !== undefined) session.setFilter(first.event, a.filter);

  if (a.view) {
    for (const p of probes) io.stdout.write(session.tracefs.tryRead(`events/${session.group}/${p.probe.event}/format`) ?? '');
    session.close();
    return 0;
  }

  const kernelStacks = a.stacks && probes.some((p) => p.probe.kind === 'kprobe');
  const userStacks = a.stacks && probes.some((p) => p.probe.kind === 'uprobe');
  if (a.stacks) {
    const missing = session.setStacks(kernelStacks, userStacks);
    if (missing.length) note(`this kernel has no options/${missing.join(', options/')}: no stack traces`);
  }
  if (a.pid !== undefined) session.followPids(tasksOf(a.pid));
  let child: ChildProcess | undefined;
  if (a.command !== undefined && !a.dryRun) {
    child = await spawnStopped(a.command);
    session.followPids([child.pid!]);
  } else if (a.command !== undefined) {
    session.followPids([0]);
  }
  session.enable(undefined, true);

  if (a.dryRun) {
    const plan = [...session.plan];
    if (a.command !== undefined) plan.push(`# (0 stands for the pid of: sh -c ${JSON.stringify(a.command)}, started stopped and continued once enabled)`);
    plan.push(`cat ${session.instance.path('trace_pipe')}`);
    plan.push('# on exit (end, Ctrl-C, SIGTERM, SIGHUP, closed pipe, error):');
    const before = session.plan.length;
    session.close();
    plan.push(...session.plan.slice(before));
    io.stdout.write(plan.map((l) => l + '\n').join(''));
    for (const d of diagnostics) io.stderr.write(`kprobe host: checked with kprobe's parser:\n${d}`);
    return diagnostics.length ? 1 : 0;
  }

  const out = new Output(io.stdout);
  const formats = new Map(probes.map((p) => [p.probe.event, p.format]));
  let events = 0;
  let lostSeen = 0;
  let done = false;
  let signal: NodeJS.Signals | undefined;
  const stop = (): void => session.stop();
  const onStdoutError = (e: NodeJS.ErrnoException): void => {
    if (e.code === 'EPIPE') {
      out.broken = true;
      stop();
    }
  };
  io.stdout.on('error', onStdoutError);
  session.onSignal = (sig) => {
    if (signal) {
      // A second signal: stop at once.
      session.close();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    }
    signal = sig;
    stop();
  };

  if (a.headers && !a.json) out.write(session.instance.header());
  const when = `${a.command !== undefined ? ` while '${a.command}' runs` : ''}${a.duration !== undefined ? ` for ${a.duration} s` : ''}`;
  if (probes.length === 1) note(`tracing ${describe(first)}${when}. Ctrl-C to end.`);
  else note(`tracing ${probes.length} probes${when}. Ctrl-C to end.\n${probes.map((p) => `  ${describe(p.probe)}\n`).join('')}`.trimEnd());

  let timer: NodeJS.Timeout | undefined;
  if (a.duration !== undefined) timer = setTimeout(stop, a.duration * 1000);
  if (child) {
    child.once('exit', stop);
    process.kill(child.pid!, 'SIGCONT');
  }

  // JSON: a task the kernel printed as "<...>" is named from /proc or saved_cmdlines.
  const comms = new CommResolver((rel) => session.tracefs.tryRead(rel));
  // JSON: an event waits for the stack lines that follow it.
  let pending: Record<string, unknown> | undefined;
  let pendingStack: Record<string, string>[] | undefined;
  let pendingProbeAddr: bigint | undefined;
  let pendingSymbolizer: UserSymbolizer | undefined;
  let flushTimer: NodeJS.Timeout | undefined;
  // User stack frames are named from the uprobe's own binary.
  const symbolizers = new Map<string, UserSymbolizer>();
  if (a.json && userStacks) {
    for (const p of probes) {
      const m = p.probe.kind === 'uprobe' ? /^(.*):(0x[0-9a-f]+|\d+)/i.exec(p.probe.place) : null;
      if (!m) continue;
      try {
        symbolizers.set(p.probe.event, new UserSymbolizer(m[1]!, BigInt(m[2]!)));
      } catch {
        /* not an ELF we can read: frames stay as printed */
      }
    }
  }
  const flush = (): void => {
    if (!pending) return;
    if (pendingStack) pending.stack = pendingStack;
    out.writeUtf8(JSON.stringify(pending) + '\n');
    pending = undefined;
    pendingStack = undefined;
  };
  // Whether the current event (and the stack lines after it) is printed: not once -n is reached.
  let printing = false;
  const onLine = (line: string): void => {
    const t = parseTraceLine(line);
    switch (t.kind) {
      case 'event': {
        printing = !done;
        if (!printing) return;
        events++;
        if (a.count !== undefined && events >= a.count) {
          done = true;
          stop();
        }
        if (!a.json) {
          out.write(line + '\n');
          return;
        }
        flush();
        const fmt = formats.get(t.rec.event);
        const body = parseProbeBody(t.rec.body, fmt?.args);
        pending = jsonEvent(t.rec, body, fmt?.args);
        if (pending.comm === UNKNOWN_COMM) pending.comm = comms.resolve(t.rec.pid) ?? UNKNOWN_COMM;
        const probeAddr = body?.ip ?? body?.func;
        pendingProbeAddr = probeAddr && /^0x[0-9a-f]+$/.test(probeAddr) ? BigInt(probeAddr) : undefined;
        pendingSymbolizer = symbolizers.get(t.rec.event);
        if (!a.stacks) flush();
        return;
      }
      case 'stack':
        if (!printing) return;
        if (a.json) pendingStack = [];
        else out.write(line + '\n');
        return;
      case 'frame': {
        if (!printing) return;
        if (!a.json) {
          out.write(line + '\n');
          return;
        }
        if (!pendingStack) return;
        const frame = decodeBytes(t.frame.trim());
        const sym = pendingSymbolizer?.symbolize(frame, pendingProbeAddr);
        pendingStack.push(sym ? { frame, symbol: sym } : { frame });
        return;
      }
      case 'lost':
        lostSeen += t.count ?? 0;
        if (a.json) {
          flush();
          out.writeUtf8(JSON.stringify({ lost: t.count ?? null, cpu: t.cpu }) + '\n');
        } else out.write(line + '\n');
        return;
      default:
        if (!a.json) out.write(line + '\n');
    }
  };

  try {
    await session.stream((lines) => {
      if (flushTimer) clearTimeout(flushTimer);
      for (const l of lines) onLine(l);
      if (a.json && pending) flushTimer = setTimeout(flush, 100);
    });
    if (flushTimer) clearTimeout(flushTimer);
    flush();
  } finally {
    if (timer) clearTimeout(timer);
    io.stdout.removeListener('error', onStdoutError);
    // A write that fails after this point must not crash the process either.
    io.stdout.on('error', () => undefined);
  }
  const { lost } = session.lostEvents();
  const problems = session.close();
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const total = Math.max(lost, lostSeen);
  note(`${events} event${events === 1 ? '' : 's'}, ${total} lost${total ? ' (the ring buffer overran: the reader fell behind; try -d or a filter)' : ''}`);
  if (problems.length) return 1;
  if (signal === 'SIGTERM') return 128 + 15;
  if (signal === 'SIGHUP') return 128 + 1;
  return 0;
}
