// The emulated machine's tracing instance and its tracefs tree: the counterpart of the global
// trace_array of kernel/trace/trace.c (ring buffers, tracing_on, buffer_size_kb, options,
// saved cmdlines, error_log, trace and trace_pipe, trace_marker) together with the events/
// directory of trace_events.c, kprobe_events/kprobe_profile of trace_kprobe.c and
// dynamic_events of trace_dynevent.c.
//
// Construct it with a TracingHost; mount `root` at /sys/kernel/tracing (and as debugfs's
// `tracing`). Probe hits come in through the kprobes the kprobe events register; the clock, the
// task, the CPU and the flags of each hit come from the host, so identical runs give
// byte-identical traces.

import type { PtRegs } from '../kprobes/types.ts';
import { archSpec, type ArchSpec } from './arch.ts';
import type { FilterParseEnv } from './event-filter.ts';
import type { TracepointProbe, TracingHost, TraceContext } from './host.ts';
import { kstrtoul, toBytes } from './kstr.ts';
import type { LoggedError } from './probe-errors.ts';
import { readmeText } from './readme.ts';
import { TraceBuffer, BUF_PAGE_SIZE, type CpuRingBuffer, type RbEvent } from './ring-buffer.ts';
import { DEFAULT_SYS_FILTER_MESSAGE, EventRegistry, type TraceEventCall } from './trace-events.ts';
import { KprobeEvents, type EventSink } from './trace-kprobe.ts';
import { schedEvents } from './trace-sched.ts';
import { UprobeEvents } from './trace-uprobe.ts';
import {
  funcHelpHeader,
  funcHelpHeaderIrq,
  ns2usecs,
  printContext,
  readEntryHeader,
  readUnsigned,
  seqPrintIpSym,
  TRACE_ENTRY_SIZE,
  TRACE_FLAG_BH_OFF,
  TRACE_FLAG_HARDIRQ,
  TRACE_FLAG_IRQS_OFF,
  TRACE_FLAG_NEED_RESCHED,
  TRACE_FLAG_NMI,
  TRACE_FLAG_PREEMPT_RESCHED,
  TRACE_FLAG_SOFTIRQ,
  TRACE_STACK,
  writeEntryHeader,
  writeUnsigned,
  type TraceEntryHeader,
} from './trace-output.ts';
import {
  dynDir,
  isReadOpen,
  isWriteOpen,
  MODE_DIR,
  MODE_READ,
  MODE_WRITE,
  MODE_WRITE_ONLY,
  O_APPEND,
  O_CREAT,
  O_NONBLOCK,
  O_TRUNC,
  O_WRONLY,
  eventfsDir,
  resolvePath,
  seqFile,
  type ReadResult,
  type TraceFsDir,
  type TraceFsFile,
  type TraceFsNode,
  type TraceFsOpenFile,
} from './tracefs.ts';
import { EAGAIN, EBADF, ECANCELED, EINTR, EINVAL, EISDIR, ENODEV, ENOENT } from '../uapi/errno.ts';

/** TRACE_BUF_SIZE_DEFAULT: the expanded per-CPU buffer size. */
export const TRACE_BUF_SIZE_DEFAULT = 1441792;
const TRACING_LOG_ERRS_MAX = 8;
const CMD_PREFIX = '  Command: ';
const WRITE_BUFSIZE = 4096;
const PID_MAX_DEFAULT = 0x8000;
const SAVED_CMDLINES_DEFAULT = 128;
const TRACE_PRINT = 5;
const TRACE_BUF_SIZE = 1024;
/** TRACE_SEQ_BUFFER_SIZE: what one trace_pipe read formats at most. */
const TRACE_SEQ_BUFFER_SIZE = 8192 - 24;

/** trace_options, in the kernel's order, with their defaults (a Debian arm64 6.12 config). */
const TRACE_OPTIONS: [string, boolean][] = [
  ['print-parent', true],
  ['sym-offset', false],
  ['sym-addr', false],
  ['verbose', false],
  ['raw', false],
  ['hex', false],
  ['bin', false],
  ['block', false],
  ['fields', false],
  ['trace_printk', true],
  ['annotate', true],
  ['userstacktrace', false],
  ['sym-userobj', false],
  ['printk-msg-only', false],
  ['context-info', true],
  ['latency-format', false],
  ['record-cmd', true],
  ['record-tgid', false],
  ['overwrite', true],
  ['disable_on_free', false],
  ['irq-info', true],
  ['markers', true],
  ['event-fork', false],
  ['trace_printk_dest', true],
  ['pause-on-trace', false],
  ['hash-ptr', true],
  ['function-trace', true],
  ['function-fork', false],
  ['display-graph', false],
  ['stacktrace', false],
];

const TRACE_CLOCKS = ['local', 'global', 'counter', 'uptime', 'perf', 'mono', 'mono_raw', 'boot', 'tai'];

interface ErrorLogEntry extends LoggedError {
  readonly ts: bigint;
}

export interface TracingOptions {
  /** Start with the buffers expanded to TRACE_BUF_SIZE_DEFAULT (as after the first use). */
  expanded?: boolean;
}

interface PipeState {
  pending: string;
  readAny: boolean;
}

export class Tracing implements EventSink {
  readonly arch: ArchSpec;
  readonly buffer: TraceBuffer;
  readonly registry: EventRegistry;
  readonly kprobes: KprobeEvents;
  /** uprobe events (CONFIG_UPROBE_EVENTS): present when the host has a uprobes core. */
  readonly uprobes?: UprobeEvents;
  readonly root: TraceFsDir;
  private readonly errorLog: ErrorLogEntry[] = [];
  private readonly options = new Map<string, boolean>(TRACE_OPTIONS);
  private expanded: boolean;
  /** Per-CPU buffer size in bytes (what buffer_size_kb reports: pages × 4080). */
  private readonly cmdlines = new Map<number, string>();
  private cmdlinesSize = SAVED_CMDLINES_DEFAULT;
  private readonly waiters = new Set<() => void>();
  private cpumask: Set<number>;
  private clock = 'local';
  /** tr->stop_count: readers of `trace` with pause-on-trace set stop recording while open. */
  private stopCount = 0;

  constructor(
    readonly host: TracingHost,
    opts: TracingOptions = {},
  ) {
    this.arch = archSpec(host.arch);
    this.expanded = opts.expanded ?? false;
    this.buffer = new TraceBuffer(host.nrCpus, this.expanded ? TRACE_BUF_SIZE_DEFAULT : 1);
    this.cpumask = new Set(Array.from({ length: host.nrCpus }, (_, i) => i));
    this.registry = new EventRegistry(host.firstEventId, (call) => this.filterEnv(call), {
      created: (system, event) => host.eventDirCreated?.(system, event),
      removed: (system, event) => host.eventDirRemoved?.(system, event),
    });
    this.addStaticEvents();
    this.kprobes = new KprobeEvents(host, this.arch, this.registry, this);
    if (host.uprobes) this.uprobes = new UprobeEvents(host, this.arch, host.uprobes, this.registry, this);
    this.root = this.buildTree();
  }

  /**
   * The kernel's static events (event_trace_enable() at boot): the sched group's, for the
   * tracepoints the kernel has. Enabling one attaches a probe that records its hits.
   */
  private addStaticEvents(): void {
    const tps = this.host.tracepoints;
    if (!tps) return;
    for (const ev of schedEvents(this.arch, tps.names)) {
      let call: TraceEventCall | undefined;
      const probe: TracepointProbe = (args, regs) => {
        if (!call || args.tp !== ev.name || !this.recording) return;
        const e = ev.entry(args);
        this.commit(call, e.size, (buf) => e.fill(buf), regs);
      };
      const added = this.registry.add('sched', ev.name, {
        fields: () => ev.fields(),
        printFmt: () => ev.printFmt(),
        print: (entry) => ev.print(entry),
        reg: (enable) => {
          if (enable) return tps.register(ev.name, probe);
          tps.unregister(ev.name, probe);
          return 0;
        },
      });
      if (typeof added !== 'number') call = added;
    }
  }

  // --- EventSink ----------------------------------------------------------------------------

  get recording(): boolean {
    return this.buffer.recordOn && this.stopCount === 0;
  }

  get symAddr(): boolean {
    return this.options.get('sym-addr')!;
  }

  private traceFlags(ctx: TraceContext): { flags: number; preempt: number } {
    let flags = 0;
    if (ctx.irqsOff) flags |= TRACE_FLAG_IRQS_OFF;
    if (ctx.bhOff) flags |= TRACE_FLAG_BH_OFF;
    if (ctx.needResched) flags |= TRACE_FLAG_NEED_RESCHED;
    if (ctx.preemptResched) flags |= TRACE_FLAG_PREEMPT_RESCHED;
    if (ctx.hardirq) flags |= TRACE_FLAG_HARDIRQ;
    if (ctx.softirq) flags |= TRACE_FLAG_SOFTIRQ;
    if (ctx.nmi) flags |= TRACE_FLAG_NMI;
    const pc = Math.min(ctx.preemptCount ?? 0, 0xf);
    const md = Math.min(ctx.migrateDisable ?? 0, 0xf);
    return { flags, preempt: pc | (md << 4) };
  }

  commit(call: TraceEventCall, size: number, fill: (buf: Uint8Array, hdr: TraceEntryHeader) => void, regs?: PtRegs): void {
    if (!this.recording) return;
    const cpu = this.host.currentCpu();
    if (!this.cpumask.has(cpu)) return;
    const ts = this.host.clockNs();
    const task = this.host.currentTask();
    const { flags, preempt } = this.traceFlags(this.host.traceContext());
    const hdr: TraceEntryHeader = { type: call.id, flags, preemptCount: preempt, pid: task.pid };
    const buf = new Uint8Array(size);
    const view = new DataView(buf.buffer);
    writeEntryHeader(view, hdr, this.arch.littleEndian);
    fill(buf, hdr);
    if (call.filter) {
      const keep = call.filter.match({
        view,
        littleEndian: this.arch.littleEndian,
        comm: task.comm,
        cpu,
        readString: (a, user) => this.readString(a, user),
      });
      if (!keep) return;
    }
    if (!this.buffer.write(cpu, ts, buf)) return;
    this.recordCmdline(task.pid, task.comm);
    if (this.options.get('stacktrace') && this.host.stackTrace && regs) this.recordStack(cpu, ts, hdr, this.host.stackTrace(regs));
    this.wake();
  }

  logErrors(errors: readonly LoggedError[]): void {
    for (const e of errors) {
      if (this.errorLog.length >= TRACING_LOG_ERRS_MAX) this.errorLog.shift();
      this.errorLog.push({ ...e, ts: this.host.clockNs() });
    }
  }

  private readString(addr: bigint, user: boolean): string | undefined {
    let s = '';
    for (let i = 0; i < 1024; i++) {
      const b = this.host.readMemory(addr + BigInt(i), 1, user);
      if (!b) return undefined;
      if (b[0] === 0) return s;
      s += String.fromCharCode(b[0]!);
    }
    return s.slice(0, 1023);
  }

  /** __ftrace_trace_stack(): a TRACE_STACK entry after the event. */
  private recordStack(cpu: number, ts: bigint, hdr: TraceEntryHeader, callers: readonly bigint[]): void {
    const w = this.arch.bits / 8;
    const n = Math.min(callers.length, 8192 / w);
    const buf = new Uint8Array(TRACE_ENTRY_SIZE + 8 + n * w);
    const view = new DataView(buf.buffer);
    writeEntryHeader(view, { ...hdr, type: TRACE_STACK }, this.arch.littleEndian);
    view.setInt32(TRACE_ENTRY_SIZE, n, this.arch.littleEndian);
    for (let i = 0; i < n; i++) writeUnsigned(view, TRACE_ENTRY_SIZE + 8 + i * w, w, callers[i]!, this.arch.littleEndian);
    this.buffer.write(cpu, ts, buf);
  }

  private recordCmdline(pid: number, comm: string): void {
    if (!this.options.get('record-cmd') || pid === 0 || pid > PID_MAX_DEFAULT) return;
    if (this.cmdlines.has(pid)) this.cmdlines.delete(pid);
    else if (this.cmdlines.size >= this.cmdlinesSize) this.cmdlines.delete(this.cmdlines.keys().next().value!);
    this.cmdlines.set(pid, comm.slice(0, 15));
  }

  /** trace_find_cmdline(). */
  private findCmdline(pid: number): string {
    if (pid === 0) return '<idle>';
    if (pid > PID_MAX_DEFAULT) return '<...>';
    return this.cmdlines.get(pid) ?? '<...>';
  }

  private wake(): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }

  private filterEnv(_call: TraceEventCall): FilterParseEnv {
    return {
      fields: _call.filterFields(),
      nrCpus: this.host.nrCpus,
      bits: this.arch.bits,
      lookupName: (n) => this.host.lookupName(n),
      lookupAddress: (a) => this.host.lookupAddress(a),
    };
  }

  // --- buffers ------------------------------------------------------------------------------

  /** tracing_update_buffers(): expand the boot-time minimal buffers on first use. */
  private updateBuffers(): void {
    if (this.expanded) return;
    this.expanded = true;
    this.buffer.resize(TRACE_BUF_SIZE_DEFAULT);
  }

  /** tracing_reset_all_online_cpus() after removing an event that was ever enabled. */
  private resetIfEventsRemoved(): void {
    if (!this.registry.clearTrace) return;
    this.registry.clearTrace = false;
    this.buffer.resetAll();
  }

  // --- output -------------------------------------------------------------------------------

  /** print_trace_line(): one entry (with its lost-events line) as text. */
  private formatEntry(cpu: number, ev: RbEvent, lost: number): string {
    let s = '';
    if (lost) s += `CPU:${cpu} [LOST ${lost} EVENTS]\n`;
    const view = new DataView(ev.data.buffer, ev.data.byteOffset, ev.data.byteLength);
    const h = readEntryHeader(view, this.arch.littleEndian);
    if (this.options.get('context-info')) s += printContext(this.findCmdline(h.pid), h, cpu, ev.ts, this.options.get('irq-info')!);
    const lookup = (a: bigint) => this.host.lookupAddress(a);
    const tramp = (a: bigint) => this.host.isKretprobeTrampoline(a);
    const w = this.arch.bits / 8;
    if (h.type === TRACE_STACK) {
      s += '<stack trace>\n';
      const n = view.getInt32(TRACE_ENTRY_SIZE, this.arch.littleEndian);
      for (let i = 0; i < n; i++) {
        const ip = readUnsigned(view, TRACE_ENTRY_SIZE + 8 + i * w, w, this.arch.littleEndian);
        if (ip === BigInt.asUintN(this.arch.bits, -1n)) break;
        s += ` => ${seqPrintIpSym(lookup, tramp, ip, this.options.get('sym-offset')!)}\n`;
      }
      return s;
    }
    if (h.type === TRACE_PRINT) {
      let text = '';
      for (let i = TRACE_ENTRY_SIZE + w; i < ev.data.length && ev.data[i] !== 0; i++) text += String.fromCharCode(ev.data[i]!);
      return s + `tracing_mark_write: ${text}`;
    }
    const call = this.registry.byId(h.type);
    if (!call) return s + `Unknown type ${h.type}\n`;
    return s + call.ops.print(ev.data);
  }

  /** The header of the `trace` file. */
  private traceHeader(): string {
    let s = '# tracer: nop\n#\n';
    if (!this.options.get('context-info')) return s;
    const { entries, total } = this.buffer.totals();
    s += this.options.get('irq-info') ? funcHelpHeaderIrq(entries, total, this.host.nrCpus) : funcHelpHeader(entries, total, this.host.nrCpus);
    return s;
  }

  /** The `trace` file (all CPUs, or one for per_cpu/cpuN/trace). */
  traceText(cpu?: number): string {
    let s = this.traceHeader();
    const streams = this.buffer.cpus
      .filter((b) => cpu === undefined || b.cpu === cpu)
      .map((b) => ({ cpu: b.cpu, events: b.snapshot(), i: 0 }));
    for (;;) {
      let best: (typeof streams)[number] | undefined;
      for (const st of streams) {
        const e = st.events[st.i];
        if (!e) continue;
        if (!best || e.ts < best.events[best.i]!.ts) best = st;
      }
      if (!best) break;
      s += this.formatEntry(best.cpu, best.events[best.i++]!, 0);
    }
    return s;
  }

  /** The next entry a consuming reader gets: the oldest over the CPUs. */
  private nextPipeBuffer(cpu?: number): CpuRingBuffer | undefined {
    let best: CpuRingBuffer | undefined;
    let bestTs = 0n;
    for (const b of this.buffer.cpus) {
      if (cpu !== undefined && b.cpu !== cpu) continue;
      const e = b.peek();
      if (!e) continue;
      if (!best || e.ts < bestTs) {
        best = b;
        bestTs = e.ts;
      }
    }
    return best;
  }

  private pipeEmpty(cpu?: number): boolean {
    return this.buffer.cpus.every((b) => (cpu !== undefined && b.cpu !== cpu) || b.entries === 0);
  }

  /** tracing_read_pipe(). */
  private pipeRead(st: PipeState, count: number, flags: number, cpu: number | undefined, signal?: AbortSignal): ReadResult | Promise<ReadResult> {
    if (st.pending.length) return this.takePending(st, count);
    while (this.pipeEmpty(cpu)) {
      if (flags & O_NONBLOCK) return -EAGAIN;
      // After something was read, disabling tracing ends the stream (EOF).
      if (!this.buffer.recordOn && st.readAny) return new Uint8Array(0);
      if (signal?.aborted) return -EINTR;
      return new Promise<ReadResult>((resolve) => {
        const onAbort = () => {
          this.waiters.delete(waiter);
          resolve(-EINTR);
        };
        const waiter = () => {
          signal?.removeEventListener('abort', onAbort);
          const r = this.pipeRead(st, count, flags, cpu, signal);
          if (r instanceof Promise) r.then(resolve);
          else resolve(r);
        };
        this.waiters.add(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    const cnt = Math.min(count, TRACE_SEQ_BUFFER_SIZE - 1);
    for (;;) {
      const b = this.nextPipeBuffer(cpu);
      if (!b) break;
      const ev = b.consume()!;
      st.pending += this.formatEntry(b.cpu, ev, ev.lost);
      if (st.pending.length >= cnt) break;
    }
    st.readAny = true;
    return this.takePending(st, count);
  }

  private takePending(st: PipeState, count: number): Uint8Array {
    const out = st.pending.slice(0, count);
    st.pending = st.pending.slice(count);
    return toBytes(out);
  }

  private errorLogText(): string {
    let s = '';
    for (const e of this.errorLog) {
      const us = e.ts / 1000n;
      const sec = us / 1000000n;
      const rem = us % 1000000n;
      s += `[${String(sec).padStart(5, ' ')}.${String(rem).padStart(6, '0')}] ${e.location}: error: ${e.text}`;
      s += `\n${CMD_PREFIX}${e.command}\n`;
      s += ' '.repeat(CMD_PREFIX.length + e.pos) + '^\n';
    }
    return s;
  }

  // --- commands -----------------------------------------------------------------------------

  /**
   * trace_parse_run_command(): run each line (comments cut at '#'); the first failure aborts the
   * write with its error. Returns the bytes consumed or a negative errno.
   */
  private runCommands(text: string, run: (line: string) => number): number {
    let done = 0;
    while (done < text.length) {
      let size = text.length - done;
      if (size >= WRITE_BUFSIZE) size = WRITE_BUFSIZE - 1;
      const chunk = text.slice(done, done + size);
      let p = 0;
      do {
        // The kernel works on C strings: strchr() and strlen() stop at a NUL byte, so a line
        // with a NUL is cut short there and the write fails as an over-long line would.
        const nul = chunk.indexOf('\0', p);
        const end = nul >= 0 ? nul : chunk.length;
        let nl = chunk.indexOf('\n', p);
        if (nl >= end) nl = -1;
        let line: string;
        if (nl >= 0) {
          line = chunk.slice(p, nl);
          size = nl - p + 1;
        } else {
          line = chunk.slice(p, end);
          size = line.length;
          if (done + size < text.length) {
            if (p !== 0) break;
            return -EINVAL;
          }
        }
        done += size;
        const hash = line.indexOf('#');
        if (hash >= 0) line = line.slice(0, hash);
        const ret = run(line);
        if (ret) return ret;
        p += size;
      } while (done < text.length && p < chunk.length);
    }
    return done;
  }

  private kprobeEventsWrite(text: string, dynamic: boolean): number {
    const r = this.runCommands(text, (line) => {
      const ret = dynamic ? this.dynamicEventsCommand(line) : this.kprobes.runKprobeEventsCommand(line);
      this.resetIfEventsRemoved();
      return ret;
    });
    return r;
  }

  /**
   * create_dyn_event(): each dynamic event type tries the line in turn, -ECANCELED passing it
   * on; a removal (dyn_event_release) goes to every type's events.
   */
  private dynamicEventsCommand(line: string): number {
    const uprobes = this.uprobes;
    if (!uprobes) return this.kprobes.runDynamicEventsCommand(line);
    if (line[0] === '-' || line[0] === '!') {
      const k = this.kprobes.release(line);
      if (k !== 0 && k !== -ENOENT) return k;
      const u = uprobes.release(line);
      return u === -ENOENT ? k : u;
    }
    const trimmed = line.replace(/^\s+/, '');
    if (trimmed === '') return 0;
    let ret = this.kprobes.create(line);
    if (ret === -ECANCELED) ret = uprobes.create(line);
    return ret === -ECANCELED ? -EINVAL : ret;
  }

  private afterRemoval(ret: number): number {
    this.resetIfEventsRemoved();
    return ret;
  }

  private releaseAll(release: () => number): number {
    const r = release();
    this.resetIfEventsRemoved();
    return r;
  }

  private releaseAllKprobes(): number {
    const r = this.kprobes.releaseAll();
    this.resetIfEventsRemoved();
    return r;
  }

  /** trace_set_options(). */
  private setOption(text: string): number {
    let name = text.trim();
    let on = true;
    if (name.startsWith('no')) {
      on = false;
      name = name.slice(2);
    }
    if (!this.options.has(name)) return -EINVAL;
    this.options.set(name, on);
    if (name === 'overwrite') this.buffer.overwrite = on;
    return 0;
  }

  private optionsText(): string {
    return [...this.options].map(([n, v]) => (v ? n : `no${n}`) + '\n').join('');
  }

  private bufferSizeText(cpu?: number): string {
    const sizes = this.buffer.cpus.filter((b) => cpu === undefined || b.cpu === cpu).map((b) => b.size);
    if (cpu !== undefined) return `${sizes[0]! >> 10}\n`;
    if (!sizes.every((s) => s === sizes[0])) return 'X\n';
    if (!this.expanded) return `${sizes[0]! >> 10} (expanded: ${TRACE_BUF_SIZE_DEFAULT >> 10})\n`;
    return `${sizes[0]! >> 10}\n`;
  }

  private bufferSizeWrite(text: string, cpu?: number): number {
    const r = kstrtoul(text, 10);
    if (!r.ok) return r.errno;
    if (r.value === 0n) return -EINVAL;
    this.expanded = true;
    this.buffer.resize(Number(r.value) << 10, cpu);
    return text.length;
  }

  private enableState(calls: readonly TraceEventCall[]): string {
    let set = 0;
    for (const c of calls) {
      set |= 1 << (c.enabled ? 1 : 0);
      if (set === 3) break;
    }
    return ['?', '0', '1', 'X'][set]! + '\n';
  }

  private parseBool01(text: string): number | bigint {
    const r = kstrtoul(text, 10);
    if (!r.ok) return r.errno;
    return r.value;
  }

  // --- the tree -----------------------------------------------------------------------------

  private buildTree(): TraceFsDir {
    const files: [string, TraceFsNode][] = [
      ['README', seqFile({ show: () => readmeText(this.arch, { btfArgs: this.host.btf !== undefined }) })],
      ['available_events', seqFile({ show: () => this.registry.list().map((c) => `${c.system}:${c.name}\n`).join('') })],
      ['available_filter_functions', seqFile({ show: () => this.host.listFunctions().map((f) => `${f}\n`).join('') })],
      ['available_tracers', seqFile({ show: () => 'nop\n' })],
      ['buffer_size_kb', seqFile({ show: () => this.bufferSizeText(), write: (t) => this.bufferSizeWrite(t) })],
      ['buffer_total_size_kb', seqFile({ show: () => this.totalSizeText() })],
      ['current_tracer', seqFile({ show: () => 'nop\n', write: (t) => this.setTracer(t) })],
      ['dynamic_events', this.probeEventsFile(true)],
      ['error_log', seqFile({
        mode: MODE_WRITE,
        open: (flags) => {
          if (isWriteOpen(flags) && flags & O_TRUNC) this.errorLog.length = 0;
          return 0;
        },
        show: () => this.errorLogText(),
        write: (t) => t.length,
      })],
      ['events', this.eventsDir()],
      ['kprobe_events', this.probeEventsFile(false)],
      ['kprobe_profile', seqFile({ show: () => this.kprobes.profile() })],
      ['options', this.optionsDir()],
      ['per_cpu', dynDir(() => this.buffer.cpus.map((b) => [`cpu${b.cpu}`, this.perCpuDir(b.cpu)]))],
      ['saved_cmdlines', seqFile({ show: () => [...this.cmdlines].map(([p, c]) => `${p} ${c}\n`).join('') })],
      ['saved_cmdlines_size', seqFile({ show: () => `${this.cmdlinesSize}\n`, write: (t) => this.setCmdlinesSize(t) })],
      ['set_event', this.setEventFile()],
      ['timestamp_mode', seqFile({ show: () => '[delta] absolute\n' })],
      ['trace', this.traceFile()],
      ['trace_clock', seqFile({ show: () => this.clockText(), write: (t) => this.setClock(t) })],
      ['trace_marker', seqFile({ mode: MODE_WRITE_ONLY, write: (t) => this.markerWrite(t) })],
      ['trace_options', seqFile({ show: () => this.optionsText(), write: (t) => (this.setOption(t) || t.length) })],
      ['trace_pipe', this.tracePipeFile()],
      ['tracing_cpumask', seqFile({ show: () => this.cpumaskText(), write: (t) => this.setCpumask(t) })],
      ['tracing_on', seqFile({ show: () => (this.buffer.recordOn ? '1\n' : '0\n'), write: (t) => this.setTracingOn(t) })],
     ];
    const uprobes = this.uprobes;
    if (uprobes) {
      files.push(
        ['uprobe_events', seqFile({
          open: (flags) => (isWriteOpen(flags) && flags & O_TRUNC ? this.releaseAll(() => uprobes.releaseAll()) : 0),
          show: () => uprobes.listing(),
          write: (t) => this.runCommands(t, (line) => this.afterRemoval(uprobes.runUprobeEventsCommand(line))),
        })],
        ['uprobe_profile', seqFile({ show: () => uprobes.profile() })],
      );
      files.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    }
    return dynDir(() => files);
  }

  private totalSizeText(): string {
    let size = 0;
    let exp = 0;
    for (const b of this.buffer.cpus) {
      size += b.size >> 10;
      if (!this.expanded) exp += TRACE_BUF_SIZE_DEFAULT >> 10;
    }
    return this.expanded ? `${size}\n` : `${size} (expanded: ${exp})\n`;
  }

  private setTracer(t: string): number {
    const name = t.replace(/\s+$/, '');
    if (name !== 'nop') return -EINVAL;
    this.updateBuffers();
    return t.length;
  }

  private clockText(): string {
    const names = this.arch.x86 ? [...TRACE_CLOCKS, 'x86-tsc'] : TRACE_CLOCKS;
    return names.map((n) => (n === this.clock ? `[${n}]` : n)).join(' ') + '\n';
  }

  private setClock(t: string): number {
    const name = t.trim();
    const names = this.arch.x86 ? [...TRACE_CLOCKS, 'x86-tsc'] : TRACE_CLOCKS;
    if (!names.includes(name)) return -EINVAL;
    this.clock = name;
    this.buffer.resetAll();
    return t.length;
  }

  private setCmdlinesSize(t: string): number {
    const r = kstrtoul(t, 10);
    if (!r.ok) return r.errno;
    if (r.value === 0n || r.value > BigInt(PID_MAX_DEFAULT)) return -EINVAL;
    this.cmdlinesSize = Number(r.value);
    this.cmdlines.clear();
    return t.length;
  }

  private cpumaskText(): string {
    let v = 0n;
    for (const c of this.cpumask) v |= 1n << BigInt(c);
    const digits = Math.max(1, Math.ceil(this.host.nrCpus / 4));
    return v.toString(16).padStart(digits, '0') + '\n';
  }

  private setCpumask(t: string): number {
    const s = t.trim().replace(/,/g, '');
    if (!/^[0-9a-fA-F]+$/.test(s)) return -EINVAL;
    const v = BigInt('0x' + s);
    this.cpumask = new Set(Array.from({ length: this.host.nrCpus }, (_, i) => i).filter((i) => (v >> BigInt(i)) & 1n));
    return t.length;
  }

  private setTracingOn(t: string): number {
    const v = this.parseBool01(t);
    if (typeof v === 'number') return v;
    this.buffer.recordOn = v !== 0n;
    this.wake();
    return t.length;
  }

  /** tracing_mark_write(). */
  private markerWrite(t: string): number {
    if (!this.options.get('markers')) return -EINVAL;
    let text = t.length > TRACE_BUF_SIZE ? t.slice(0, TRACE_BUF_SIZE) : t;
    const cnt = text.length;
    if (!this.recording) return -EBADF;
    if (!text.endsWith('\n')) text += '\n';
    const cpu = this.host.currentCpu();
    const task = this.host.currentTask();
    const w = this.arch.bits / 8;
    const buf = new Uint8Array(TRACE_ENTRY_SIZE + w + text.length + 1);
    writeEntryHeader(new DataView(buf.buffer), { type: TRACE_PRINT, flags: 0, preemptCount: 0, pid: task.pid }, this.arch.littleEndian);
    buf.set(toBytes(text), TRACE_ENTRY_SIZE + w);
    if (!this.buffer.write(cpu, this.host.clockNs(), buf)) return -EBADF;
    this.recordCmdline(task.pid, task.comm);
    this.wake();
    return cnt;
  }

  private probeEventsFile(dynamic: boolean): TraceFsFile {
    const uprobes = dynamic ? this.uprobes : undefined;
    return seqFile({
      open: (flags) => {
        if (!isWriteOpen(flags) || !(flags & O_TRUNC)) return 0;
        const r = this.releaseAllKprobes();
        return r || !uprobes ? r : this.releaseAll(() => uprobes.releaseAll());
      },
      show: () => this.kprobes.listing() + (uprobes ? uprobes.listing() : ''),
      write: (t) => this.kprobeEventsWrite(t, dynamic),
    });
  }

  private setEventFile(): TraceFsFile {
    return seqFile({
      open: (flags) => {
        if (isWriteOpen(flags) && flags & O_TRUNC) this.registry.setClrEvents(undefined, undefined, undefined, false);
        return 0;
      },
      show: () =>
        this.registry
          .list()
          .filter((c) => c.enabled)
          .map((c) => `${c.system}:${c.name}\n`)
          .join(''),
      write: (t) => {
        if (!t.length) return 0;
        this.updateBuffers();
        for (const tok of t.split(/[\t\n\v\f\r ]+/).filter((x) => x.length)) {
          const set = tok[0] !== '!';
          const r = this.registry.setClrEventSpec(set ? tok : tok.slice(1), set);
          if (r) return r;
        }
        return t.length;
      },
    });
  }

  private traceFile(cpu?: number): TraceFsFile {
    return {
      kind: 'file',
      mode: MODE_WRITE,
      open: (flags) => {
        if (isWriteOpen(flags) && flags & O_TRUNC) {
          if (cpu === undefined) this.buffer.resetAll();
          else this.buffer.cpus[cpu]?.reset();
        }
        let content: Uint8Array | undefined;
        // __tracing_open(): with pause-on-trace, reading stops recording until release.
        const paused = isReadOpen(flags) && this.options.get('pause-on-trace')!;
        if (paused) this.stopCount++;
        let released = false;
        return {
          read: (pos, count) => {
            if (!isReadOpen(flags)) return -EBADF;
            content ??= toBytes(this.traceText(cpu));
            return content.subarray(pos, pos + count);
          },
          write: (_pos, data) => data.length,
          release: () => {
            if (paused && !released) this.stopCount--;
            released = true;
          },
        };
      },
    };
  }

  private tracePipeFile(cpu?: number): TraceFsFile {
    return {
      kind: 'file',
      mode: MODE_READ,
      open: (flags) => {
        const st: PipeState = { pending: '', readAny: false };
        const f: TraceFsOpenFile = {
          read: (_pos, count, signal) => this.pipeRead(st, count, flags, cpu, signal),
          write: () => -EINVAL,
        };
        return f;
      },
    };
  }

  private perCpuDir(cpu: number): TraceFsDir {
    const entries: [string, TraceFsNode][] = [
      ['buffer_size_kb', seqFile({ show: () => this.bufferSizeText(cpu), write: (t) => this.bufferSizeWrite(t, cpu) })],
      ['stats', seqFile({ show: () => this.statsText(cpu) })],
      ['trace', this.traceFile(cpu)],
      ['trace_pipe', this.tracePipeFile(cpu)],
    ];
    return dynDir(() => entries);
  }

  private statsText(cpu: number): string {
    const b = this.buffer.cpus[cpu]!;
    const t = (ns: bigint) => {
      const us = ns2usecs(ns);
      return `${String(us / 1000000n).padStart(5, ' ')}.${String(us % 1000000n).padStart(6, '0')}`;
    };
    return (
      `entries: ${b.entries}\n` +
      `overrun: ${b.overrun}\n` +
      `commit overrun: 0\n` +
      `bytes: ${b.bytes}\n` +
      `oldest event ts: ${t(b.oldestTs)}\n` +
      `now ts: ${t(this.host.clockNs())}\n` +
      `dropped events: ${b.dropped}\n` +
      `read events: ${b.readEvents}\n`
    );
  }

  private optionsDir(): TraceFsDir {
    const entries: [string, TraceFsNode][] = [...this.options.keys()].map((name) => [
      name,
      seqFile({
        show: () => (this.options.get(name) ? '1\n' : '0\n'),
        write: (t) => {
          const v = this.parseBool01(t);
          if (typeof v === 'number') return v;
          if (v !== 0n && v !== 1n) return -EINVAL;
          this.setOption(v ? name : `no${name}`);
          return t.length;
        },
      }),
    ]);
    return dynDir(() => entries);
  }

  private eventsDir(): TraceFsDir {
    const enable = seqFile({
      show: () => this.enableState(this.registry.list()),
      write: (t) => {
        const v = this.parseBool01(t);
        if (typeof v === 'number') return v;
        this.updateBuffers();
        if (v !== 0n && v !== 1n) return -EINVAL;
        const r = this.registry.setClrEvents(undefined, undefined, undefined, v === 1n);
        return r && r !== -EINVAL ? r : t.length;
      },
    });
    const headerPage = seqFile({
      show: () =>
        '\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n' +
        `\tfield: local_t commit;\toffset:8;\tsize:${this.arch.bits / 8};\tsigned:1;\n` +
        '\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n' +
        `\tfield: char data;\toffset:16;\tsize:${BUF_PAGE_SIZE};\tsigned:${this.arch.name === 'x86_64' ? 1 : 0};\n`,
    });
    const headerEvent = seqFile({
      show: () =>
        '# compressed entry header\n\ttype_len    :    5 bits\n\ttime_delta  :   27 bits\n\tarray       :   32 bits\n\n' +
        '\tpadding     : type == 29\n\ttime_extend : type == 30\n\ttime_stamp : type == 31\n\tdata max type_len  == 28\n',
    });
    const systemDirs = new Map<string, TraceFsDir>();
    const files: [string, TraceFsNode][] = [
      ['enable', enable],
      ['header_event', headerEvent],
      ['header_page', headerPage],
    ];
    return eventfsDir(
      () => files,
      () => {
        const out: [string, TraceFsDir][] = [];
        for (const name of this.registry.systems.keys()) {
          let d = systemDirs.get(name);
          if (!d) {
            d = this.systemDir(name);
            systemDirs.set(name, d);
          }
          out.push([name, d]);
        }
        for (const k of [...systemDirs.keys()]) if (!this.registry.systems.has(k)) systemDirs.delete(k);
        return out;
      },
    );
  }

  private systemDir(system: string): TraceFsDir {
    const enable = seqFile({
      open: () => (this.registry.systems.has(system) ? 0 : -ENODEV),
      show: () => this.enableState(this.registry.inSystem(system)),
      write: (t) => {
        const v = this.parseBool01(t);
        if (typeof v === 'number') return v;
        this.updateBuffers();
        if (v !== 0n && v !== 1n) return -EINVAL;
        const r = this.registry.setClrEvents(undefined, system, undefined, v === 1n);
        return r || t.length;
      },
    });
    const filter = seqFile({
      open: () => (this.registry.systems.has(system) ? 0 : -ENODEV),
      show: () => {
        const sys = this.registry.systems.get(system);
        return (sys?.filterString ?? DEFAULT_SYS_FILTER_MESSAGE) + '\n';
      },
      write: (t) => {
        if (t.length >= 4096) return -EINVAL;
        const r = this.registry.applySystemFilter(system, t);
        if (r.logged) this.logErrors(r.logged);
        return r.err || t.length;
      },
    });
    const eventDirs = new Map<TraceEventCall, TraceFsDir>();
    const files: [string, TraceFsNode][] = [
      ['enable', enable],
      ['filter', filter],
    ];
    return eventfsDir(
      () => files,
      () => {
        const out: [string, TraceFsDir][] = [];
        const calls = this.registry.inSystem(system);
        for (const c of calls) {
          let d = eventDirs.get(c);
          if (!d) {
            d = this.eventDir(c);
            eventDirs.set(c, d);
          }
          out.push([c.name, d]);
        }
        for (const k of [...eventDirs.keys()]) if (!calls.includes(k)) eventDirs.delete(k);
        return out;
      },
    );
  }

  private eventDir(call: TraceEventCall): TraceFsDir {
    const gone = () => (call.freed ? -ENODEV : 0);
    const entries: [string, TraceFsNode][] = [
      ['enable', seqFile({
        open: gone,
        show: () => (call.enabled ? '1\n' : '0\n'),
        write: (t) => {
          const v = this.parseBool01(t);
          if (typeof v === 'number') return v;
          if (v !== 0n && v !== 1n) return -EINVAL;
          if (call.freed) return -ENODEV;
          this.updateBuffers();
          const r = this.registry.setEnabled(call, v === 1n);
          return r || t.length;
        },
      })],
      ['filter', seqFile({
        open: gone,
        show: () => (call.filter ? `${call.filter.filterString}\n` : 'none\n'),
        write: (t) => {
          if (t.length >= 4096) return -EINVAL;
          const r = this.registry.applyFilter(call, t);
          if (r.logged) this.logErrors([r.logged]);
          return r.err || t.length;
        },
      })],
      ['format', seqFile({ open: gone, show: () => call.format() })],
      ['id', seqFile({ open: gone, show: () => `${call.id}\n` })],
      ['trigger', seqFile({
        open: gone,
        show: () =>
          '# Available triggers:\n# traceon traceoff snapshot stacktrace enable_event disable_event enable_hist disable_hist hist\n',
        write: (t) => (t.trim().length === 0 ? t.length : -EINVAL),
      })],
    ];
    return dynDir(() => entries, MODE_DIR);
  }

  /** A module finished loading: register the kprobe events waiting for it. */
  moduleComing(module: string): void {
    this.kprobes.moduleComing(module);
  }

  // --- conveniences (tests, the CLI, kernel boot scripts) ------------------------------------

  /** Read a whole file like `cat` (open read-only, read to EOF, release). */
  async readFile(path: string, flags = 0): Promise<string | number> {
    const node = resolvePath(this.root, path);
    if (!node) return -ENOENT;
    if (node.kind !== 'file') return -EISDIR;
    const f = node.open(flags);
    if (typeof f === 'number') return f;
    let s = '';
    let pos = 0;
    for (;;) {
      const r = await f.read(pos, 4096);
      if (typeof r === 'number') {
        f.release?.();
        return r;
      }
      if (r.length === 0) break;
      s += Buffer.from(r).toString('latin1');
      pos += r.length;
    }
    f.release?.();
    return s;
  }

  /** Synchronous read of a file that never blocks (everything but trace_pipe). */
  read(path: string): string {
    const node = resolvePath(this.root, path);
    if (!node || node.kind !== 'file') throw new Error(`tracefs: no file ${path}`);
    const f = node.open(0);
    if (typeof f === 'number') throw new Error(`tracefs: open ${path}: ${f}`);
    let s = '';
    let pos = 0;
    for (;;) {
      const r = f.read(pos, 65536);
      if (r instanceof Promise) throw new Error(`tracefs: ${path} would block`);
      if (typeof r === 'number') throw new Error(`tracefs: read ${path}: ${r}`);
      if (r.length === 0) break;
      s += Buffer.from(r).toString('latin1');
      pos += r.length;
    }
    f.release?.();
    return s;
  }

  /**
   * Write like a shell redirection: `>` (truncate=true) or `>>`. Returns 0, or the negative errno
   * of the open or of the write.
   */
  write(path: string, text: string, truncate = false): number {
    const node = resolvePath(this.root, path);
    if (!node) return -ENOENT;
    if (node.kind !== 'file') return -EISDIR;
    const f = node.open(O_WRONLY | O_CREAT | (truncate ? O_TRUNC : O_APPEND));
    if (typeof f === 'number') return f;
    const data = toBytes(text);
    let ret = 0;
    if (data.length) {
      const n = f.write(0, data);
      if (n < 0) ret = n;
    }
    f.release?.();
    return ret;
  }
}
