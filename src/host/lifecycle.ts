// The safe life of a host tracing session. A session owns one probe group and one tracefs
// instance, both named after the process (kprobe_<pid>, kprobe_<pid>_<n> for further sessions
// of the same process), so that other users' tracing is never touched:
//   open:   find tracefs, read its features, sweep the leftovers of kprobe processes that no
//           longer exist, mkdir instances/kprobe_<pid>
//   probes: append each definition to kprobe_events / uprobe_events (errors with error_log's text
//           and caret), read its format, set filters, options and the pid filter of the instance,
//           enable the group in the instance only
//   stream: read the instance's trace_pipe
//   close:  disable, rmdir the instance, remove each probe this session created (retrying after
//           disabling our group everywhere if the kernel says EBUSY)
// close() is synchronous so that it runs on every way out: normal exit, SIGINT, SIGTERM, SIGHUP,
// an uncaught error (and a broken pipe, which the command turns into a normal stop). After
// SIGKILL nothing can run: the next session's sweep removes what was left.
// Counterpart of perf-tools' `trap … end` (kernel/kprobe, user/uprobe), libtracefs'
// tracefs_dynevent_destroy_all(force) and tracefs_instance_destroy(), and tracee's and bcc's
// leftover handling that peers.md describes.

import { existsSync } from 'node:fs';
import { EOPNOTSUPP } from '../uapi/errno.ts';
import { DynamicEvents, ProbeWriteError, type ProbeKind } from './dynamic-events.ts';
import { formatErrorEntry } from './error-log.ts';
import { parseEventFormat, type EventFormat } from './event-format.ts';
import { FilterError, Instance, type CpuBufferStats } from './instance.ts';
import { checkProbeLocally, hostArch, type HostProbe } from './probe-line.ts';
import { featuresFromReadme, kprobeAbsence, missingArgFeatures, readFeatures, readKernelConfig, uprobeAbsence, type HostFeatures } from './readme.ts';
import { TracePipe } from './trace-pipe.ts';
import { findTracefs, HostError, RecordingTracefs, Tracefs, TracefsError, type FindTracefsOptions } from './tracefs.ts';

/** Group and instance names this tool owns: kprobe_<pid> and kprobe_<pid>_<n>. */
export const OWN_NAME = /^kprobe_(\d+)(?:_(\d+))?$/;

export function sessionName(pid: number, n: number): string {
  return n === 0 ? `kprobe_${pid}` : `kprobe_${pid}_${n}`;
}

export interface SweepReport {
  /** GROUP/EVENT removed. */
  readonly events: string[];
  /** Instances removed. */
  readonly instances: string[];
  /** What could not be removed, and why. */
  readonly failures: string[];
}

export interface SweepOptions {
  /** Whether a process exists (default: /proc/PID exists). */
  readonly isAlive?: (pid: number) => boolean;
  /** Names never swept (default: this process's open sessions). */
  readonly keep?: ReadonlySet<string>;
  /** This process's pid (default process.pid): its names not in `keep` are leftovers of an earlier process with the same pid. */
  readonly selfPid?: number;
}

function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

/** Is this group or instance name a leftover: ours by name, and its process gone? */
function leftover(name: string, opts: SweepOptions): boolean {
  const m = OWN_NAME.exec(name);
  if (!m || opts.keep?.has(name)) return false;
  const pid = Number(m[1]);
  if (pid === (opts.selfPid ?? process.pid)) return true;
  return !(opts.isAlive ?? alive)(pid);
}

/** Write 0 to GROUP's enable file at the top level and in every instance that has it. */
function disableGroupEverywhere(tracefs: Tracefs, group: string): void {
  const files = [`events/${group}/enable`, ...Instance.list(tracefs).map((i) => `instances/${i}/events/${group}/enable`)];
  for (const f of files) {
    if (!tracefs.exists(f)) continue;
    try {
      tracefs.write(f, '0');
    } catch {
      /* the removal that follows reports what is still busy */
    }
  }
}

/** Remove GROUP/EVENT, disabling the group everywhere and retrying once if the kernel says EBUSY. */
function removeEvent(events: DynamicEvents, kind: ProbeKind | undefined, group: string, event: string): string | undefined {
  const attempt = (): TracefsError | undefined => {
    try {
      if (kind) events.remove(kind, group, event);
      else events.tracefs.write('dynamic_events', `-:${group}/${event}`, 'append');
      return undefined;
    } catch (e) {
      if (e instanceof TracefsError) return e;
      throw e;
    }
  };
  let err = attempt();
  if (err?.code === 'EBUSY') {
    disableGroupEverywhere(events.tracefs, group);
    err = attempt();
  }
  if (!err || err.code === 'ENOENT') return undefined;
  return `${group}/${event}: ${err.message}`;
}

/**
 * Remove what kprobe processes that no longer exist left behind (after SIGKILL, a power cut…):
 * their instances, then their probe events. Names outside the tool's own (kprobe_<pid>…) are never
 * looked at, and neither are those of live processes.
 */
export function sweepLeftovers(tracefs: Tracefs, features: HostFeatures, optsIn: SweepOptions = {}): SweepReport {
  // This process's open sessions are never leftovers.
  const opts: SweepOptions = { ...optsIn, keep: optsIn.keep ?? new Set([...liveSessions].map((s) => s.name)) };
  const report: SweepReport = { events: [], instances: [], failures: [] };
  for (const name of Instance.list(tracefs)) {
    if (!leftover(name, opts)) continue;
    try {
      // rmdir disables the instance's events and frees its buffer.
      Instance.existing(tracefs, name).remove();
      report.instances.push(name);
    } catch (e) {
      report.failures.push(`instance ${name}: ${(e as Error).message}${e instanceof TracefsError && e.code === 'EBUSY' ? ' (a process still has one of its files open)' : ''}`);
    }
  }
  const events = new DynamicEvents(tracefs, features);
  const stale = events.list().filter((e) => leftover(e.group, opts));
  const groups = new Set(stale.map((e) => e.group));
  for (const g of groups) disableGroupEverywhere(tracefs, g);
  const seen = new Set<string>();
  for (const e of stale) {
    const key = `${e.group}/${e.event}`;
    if (seen.has(key)) continue; // a multi-probe event is listed once per probe, removed at once
    seen.add(key);
    const fail = removeEvent(events, e.kind, e.group, e.event);
    if (fail) report.failures.push(fail);
    else report.events.push(key);
  }
  return report;
}

// --- process-wide guards -----------------------------------------------------------------------

const liveSessions = new Set<HostSession>();
let guardsInstalled = false;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function closeAll(): void {
  for (const s of [...liveSessions]) s.close();
}

function onSignal(sig: NodeJS.Signals): void {
  const handlers = [...liveSessions].map((s) => s.onSignal).filter((h): h is (s: NodeJS.Signals) => void => h !== undefined);
  if (handlers.length) {
    // The command stops streaming and closes its session itself.
    for (const h of handlers) h(sig);
    return;
  }
  closeAll();
  // Nobody else listens: end the process as the signal would have.
  if (process.listenerCount(sig) <= 1) {
    removeGuards();
    process.kill(process.pid, sig);
  }
}

function onExit(): void {
  closeAll();
}

function onUncaught(): void {
  closeAll();
}

function installGuards(): void {
  if (guardsInstalled) return;
  guardsInstalled = true;
  process.on('exit', onExit);
  process.on('uncaughtExceptionMonitor', onUncaught);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function removeGuards(): void {
  if (!guardsInstalled) return;
  guardsInstalled = false;
  process.removeListener('exit', onExit);
  process.removeListener('uncaughtExceptionMonitor', onUncaught);
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

// --- the session -------------------------------------------------------------------------------

export interface SessionOptions {
  /** Use this tracefs (default: findTracefs(find)). */
  readonly tracefs?: Tracefs;
  readonly find?: FindTracefsOptions;
  /** Record the tracefs commands instead of running them (see RecordingTracefs). */
  readonly dryRun?: boolean;
  /** Sweep leftovers of dead kprobe processes first (default true). */
  readonly sweep?: boolean;
  /** Notes for the user (tracefs mounted, leftovers removed, cleanup problems). */
  readonly log?: (message: string) => void;
}

/** A probe this session created, with its event's format. */
export interface SessionProbe {
  readonly probe: HostProbe;
  /** The event's format (undefined in a dry run). */
  readonly format?: EventFormat;
}

export class HostSession {
  readonly probes = new Map<string, SessionProbe>();
  /** Event names used in this session (for HostProbe naming). */
  readonly taken = new Set<string>();
  /** Set by a command that stops gracefully on SIGINT/SIGTERM/SIGHUP; else the guards close and re-raise. */
  onSignal?: (sig: NodeJS.Signals) => void;
  readonly sweepReport: SweepReport;
  private closed = false;
  private pipe: TracePipe | undefined;
  private pipeReady: Promise<TracePipe> | undefined;
  private stopRequested = false;
  private readonly events: DynamicEvents;
  private readonly log: (message: string) => void;

  private constructor(
    readonly tracefs: Tracefs,
    readonly features: HostFeatures,
    /** The features were read from the kernel (a dry run without access assumes them). */
    private readonly featuresKnown: boolean,
    /** The group and the instance name. */
    readonly name: string,
    readonly instance: Instance,
    sweepReport: SweepReport,
    log: (m: string) => void,
  ) {
    this.events = new DynamicEvents(tracefs, features);
    this.sweepReport = sweepReport;
    this.log = log;
  }

  get group(): string {
    return this.name;
  }

  get dryRun(): boolean {
    return this.tracefs instanceof RecordingTracefs;
  }

  /** Open a session: find tracefs, sweep leftovers, create the instance. HostError with a plain reason on failure. */
  static open(opts: SessionOptions = {}): HostSession {
    const log = opts.log ?? (() => undefined);
    let tracefs = opts.tracefs ?? findTracefs({ ...opts.find, noMount: opts.dryRun || opts.find?.noMount });
    if (opts.dryRun && !(tracefs instanceof RecordingTracefs)) {
      const rec = new RecordingTracefs(tracefs.dir, tracefs.how);
      if (tracefs.how === 'unmounted') rec.commands.push(`mount -t tracefs nodev ${tracefs.dir}`);
      tracefs = rec;
    }
    if (tracefs.how === 'mounted-now') log(`mounted tracefs on ${tracefs.dir} (left mounted, as perf-tools and ftracetest do)`);
    if (tracefs.how === 'debugfs') log(`using ${tracefs.dir} (tracefs under debugfs)`);
    let features = readFeatures(tracefs);
    const featuresKnown = features.readme !== '';
    if (opts.dryRun && !featuresKnown) {
      // Not mounted, or not readable without root: plan with the standard files.
      if (tracefs instanceof RecordingTracefs) tracefs.note(`${tracefs.dir}/README is not readable here: assuming a kernel with kprobe_events and uprobe_events`);
      features = featuresFromReadme('', { kprobeEvents: true, uprobeEvents: true, dynamicEvents: true, errorLog: true, instances: true });
    }
    if (featuresKnown) {
      if (!features.kprobeEvents && !features.uprobeEvents && !features.dynamicEvents) {
        throw new HostError(`this kernel has no dynamic probe events: ${tracefs.dir} has neither kprobe_events nor uprobe_events (CONFIG_KPROBE_EVENTS and CONFIG_UPROBE_EVENTS are not set).`);
      }
      if (!features.instances) throw new HostError(`this kernel's tracefs (${tracefs.dir}) has no instances directory; kprobe host needs a trace instance of its own so as not to disturb other tracing.`);
    }
    const keep = new Set([...liveSessions].map((s) => s.name));
    let n = 0;
    while (keep.has(sessionName(process.pid, n))) n++;
    const name = sessionName(process.pid, n);
    let report: SweepReport = { events: [], instances: [], failures: [] };
    if (opts.sweep !== false) {
      report = sweepLeftovers(tracefs, features, { keep });
      if (report.instances.length || report.events.length) {
        log(`removed leftovers of kprobe processes that no longer run: ${[...report.instances.map((i) => `instance ${i}`), ...report.events].join(', ')}`);
      }
      for (const f of report.failures) log(`could not remove a leftover: ${f}`);
    }
    let instance: Instance;
    try {
      instance = Instance.create(tracefs, name);
    } catch (e) {
      throw new HostError(`cannot create the trace instance ${tracefs.path(`instances/${name}`)}: ${(e as Error).message}`);
    }
    const session = new HostSession(tracefs, features, featuresKnown, name, instance, report, log);
    if (!session.dryRun) {
      liveSessions.add(session);
      installGuards();
    }
    return session;
  }

  /** Why a probe of this kind cannot work on this kernel, or undefined. */
  unsupported(kind: ProbeKind): string | undefined {
    const cfg = readKernelConfig();
    return kind === 'kprobe' ? kprobeAbsence(this.features, cfg) : uprobeAbsence(this.features, cfg);
  }

  /**
   * Create a probe (its group is this session's). Returns its format. HostError when the kernel
   * cannot have it, ProbeWriteError when the kernel refuses the line.
   */
  addProbe(probe: HostProbe): SessionProbe {
    if (this.closed) throw new HostError('the session is closed');
    if (probe.group !== this.group) throw new HostError(`probe ${probe.event} is for group ${probe.group}, not ${this.group}`);
    if (this.featuresKnown) {
      const why = this.unsupported(probe.kind);
      if (why) throw new HostError(why, 1, -EOPNOTSUPP);
      const missing = missingArgFeatures(probe.args, this.features, probe.kind);
      if (missing.length) throw new HostError(`this kernel's probe events do not support ${missing.join(', ')} (its tracefs README does not list them): '${probe.spec}'`, 1, -EOPNOTSUPP);
    }
    try {
      this.events.add(probe.kind, probe.line);
    } catch (e) {
      if (e instanceof ProbeWriteError && !e.logEntry) {
        const local = checkProbeLocally(probe, hostArch());
        if (local?.errors.length) {
          throw new HostError(`${e.message}\nkprobe's own parser of the same grammar says:\n${formatErrorEntry({ ...local.errors[0]!, message: local.errors[0]!.text }).trimEnd()}`);
        }
      }
      throw e;
    }
    this.taken.add(probe.event);
    let format: EventFormat | undefined;
    if (!this.dryRun) {
      const text = this.tracefs.tryRead(`events/${this.group}/${probe.event}/format`);
      if (text !== undefined) format = parseEventFormat(text);
    }
    const sp: SessionProbe = { probe, format };
    this.probes.set(probe.event, sp);
    return sp;
  }

  /** Disable and remove one probe of this session. */
  removeProbe(event: string): void {
    const sp = this.probes.get(event);
    if (!sp) return;
    try {
      this.instance.enable(this.group, event, false);
    } catch {
      /* removal reports what matters */
    }
    const fail = removeEvent(this.events, sp.probe.kind, this.group, event);
    this.probes.delete(event);
    if (fail) throw new HostError(`could not remove ${fail}`);
  }

  /** events/GROUP/EVENT/filter in the instance; HostError with the kernel's caret when it does not compile. */
  setFilter(event: string, filter: string): void {
    try {
      this.instance.setFilter(this.group, event, filter);
    } catch (e) {
      if (e instanceof FilterError) {
        throw new HostError(`the kernel rejected the filter for ${event}:\n${e.kernelText.trimEnd() || `errno ${e.errno}`}`);
      }
      throw e;
    }
  }

  /** Enable (or disable) one event, or the whole group, in the instance only. */
  enable(event: string | undefined, on = true): void {
    this.instance.enable(this.group, event, on);
  }

  /** Stack traces after each event: the kernel's (options/stacktrace) and/or the user's (userstacktrace, with file+offset frames). */
  setStacks(kernel: boolean, user: boolean): string[] {
    const missing: string[] = [];
    if (kernel && !this.instance.setOption('stacktrace', true)) missing.push('stacktrace');
    if (user) {
      if (!this.instance.setOption('userstacktrace', true)) missing.push('userstacktrace');
      this.instance.setOption('sym-userobj', true);
    }
    return missing;
  }

  /** Record only these tasks' events (set_event_pid), and their future children's with event-fork. */
  followPids(pids: readonly number[], children = true): void {
    if (!this.instance.exists() && !this.dryRun) throw new HostError('the trace instance is gone');
    if (children) this.instance.setOption('event-fork', true);
    this.instance.setEventPids(pids);
  }

  /** Stop streaming once what is buffered has been read. */
  stop(): void {
    this.stopRequested = true;
    this.pipe?.stop();
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  /**
   * Read the instance's trace_pipe until stop(): each batch of complete lines (latin1, without
   * newlines) goes to onLines as it arrives.
   */
  async stream(onLines: (lines: string[]) => void): Promise<void> {
    if (this.closed) throw new HostError('the session is closed');
    this.pipeReady = TracePipe.open(this.instance.path('trace_pipe'));
    const pipe = await this.pipeReady;
    this.pipe = pipe;
    if (this.stopRequested) pipe.stop();
    try {
      for await (const batch of pipe.batches()) onLines(batch);
    } finally {
      this.pipe = undefined;
      this.pipeReady = undefined;
      await pipe.close();
    }
  }

  /** Resolves once every event recorded before the call has gone to the stream's callback. */
  async drained(): Promise<void> {
    const pipe = this.pipe ?? (this.pipeReady ? await this.pipeReady : undefined);
    if (pipe) await pipe.drained();
  }

  /** Ring-buffer statistics of the instance, and the events lost in total (overrun + dropped). */
  lostEvents(): { lost: number; perCpu: CpuBufferStats[] } {
    const perCpu = this.instance.exists() ? this.instance.stats() : [];
    return { lost: perCpu.reduce((a, s) => a + s.overrun + s.dropped, 0), perCpu };
  }

  /**
   * Disable, remove the instance, remove every probe of the session. Synchronous and idempotent;
   * returns what could not be undone (also logged).
   */
  close(): string[] {
    if (this.closed) return [];
    this.closed = true;
    liveSessions.delete(this);
    if (!liveSessions.size) removeGuards();
    this.pipe?.closeSync();
    this.pipe = undefined;
    const problems: string[] = [];
    if (this.probes.size) {
      try {
        this.instance.enable(this.group, undefined, false);
      } catch {
        /* the instance may be gone already; removal below reports what matters */
      }
    }
    try {
      this.instance.remove();
    } catch (e) {
      if (!(e instanceof TracefsError && e.code === 'ENOENT')) problems.push(`instance ${this.name}: ${(e as Error).message}`);
    }
    for (const [event, sp] of this.probes) {
      const fail = removeEvent(this.events, sp.probe.kind, this.group, event);
      if (fail) problems.push(fail);
    }
    this.probes.clear();
    for (const p of problems) this.log(`could not clean up ${p}`);
    return problems;
  }

  /** The tracefs commands a dry run recorded. */
  get plan(): string[] {
    return this.tracefs instanceof RecordingTracefs ? this.tracefs.commands : [];
  }
}
