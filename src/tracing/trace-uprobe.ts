// Uprobe-based trace events on the emulated machine: the counterpart of
// kernel/trace/trace_uprobe.c (create/append/remove, the held path of the probed file,
// registration of a uprobe consumer with the uprobes core when the event is enabled, the
// dispatchers that record hits, uprobe_events and uprobe_profile).
//
// Parsing and printing come from the pure uprobe-event module; this file adds what needs the
// machine: the file lookup (kern_path in the guest), uprobe_register()/uprobe_unregister() and
// the hit path that evaluates fetch arguments on the task's user registers and memory.

import { dynEventRelease, dynEventsReleaseAll, TP_FLAG_TRACE } from './dyn-event.ts';
import type { PtRegs } from '../kprobes/types.ts';
import type { ArchSpec } from './arch.ts';
import type { HeldPath, TracingHost, UprobeConsumer, UprobesHost } from './host.ts';
import { MAX_ARGSTR_LEN } from './fetch-arg.ts';
import { argvSplit } from './kstr.ts';
import type { ProbeLog } from './probe-errors.ts';
import { compareArgTypes, kprobeEventFields, kprobeHeadSize, parseRemoveCommand, type RemoveCommand } from './probe-event.ts';
import { dataSize, printProbeArgs, storeTraceArgs, type FetchSource } from './probe-fetch.ts';
import type { EventRegistry, TraceEventCall } from './trace-events.ts';
import type { EventSink } from './trace-kprobe.ts';
import { readUnsigned, TRACE_ENTRY_SIZE, writeUnsigned } from './trace-output.ts';
import { parseUprobeCommand, uprobeListing, type UprobeDefinition, type UprobeParseEnv } from './uprobe-event.ts';
import { EBUSY, ECANCELED, EEXIST, EINVAL, ENOENT } from '../uapi/errno.ts';


/** One probe of an event (struct trace_uprobe). */
class TraceUprobe {
  readonly nhit: number[];
  /** Registered with the uprobes core (tu->uprobe != NULL). */
  registered = false;
  readonly consumer: UprobeConsumer = {};

  constructor(
    readonly def: UprobeDefinition,
    readonly path: HeldPath,
    nrCpus: number,
  ) {
    this.nhit = new Array<number>(nrCpus).fill(0);
  }

  get inode(): bigint {
    return this.path.inode;
  }
}

/** The event several probes share (struct trace_probe_event). */
class UprobeEvent {
  flags = 0;
  readonly probes: TraceUprobe[] = [];
  call!: TraceEventCall;

  get primary(): TraceUprobe {
    return this.probes[0]!;
  }
}

export class UprobeEvents {
  /** The uprobe entries of dyn_event_list, in creation order. */
  private readonly list: { tu: TraceUprobe; ev: UprobeEvent }[] = [];
  readonly arch: ArchSpec;
  private readonly core: UprobesHost;

  constructor(
    private readonly host: TracingHost,
    arch: ArchSpec,
    core: UprobesHost,
    private readonly registry: EventRegistry,
    private readonly sink: EventSink,
  ) {
    this.arch = arch;
    this.core = core;
  }

  // --- commands ---------------------------------------------------------------------------

  /** create_or_delete_trace_uprobe(): one uprobe_events line. */
  runUprobeEventsCommand(raw: string): number {
    if (raw[0] === '-') return this.release(raw);
    const ret = this.create(raw);
    return ret === -ECANCELED ? -EINVAL : ret;
  }

  /** trace_uprobe_create() → __trace_uprobe_create(). */
  create(raw: string): number {
    const argv = argvSplit(raw);
    if (argv.length === 0) return 0;
    let held: HeldPath | undefined;
    const env: UprobeParseEnv = {
      arch: this.arch,
      statPath: (p) => {
        const r = this.core.lookupPath(p);
        if (typeof r === 'number') return r;
        held = r;
        return r.regular ? 'regular' : 'other';
      },
    };
    const r = parseUprobeCommand(argv, env);
    if (!r.ok) {
      held?.put();
      this.sink.logErrors(r.errors);
      return r.errno;
    }
    if (!held) return -EINVAL;
    const tu = new TraceUprobe(r.def, held, this.host.nrCpus);
    const ret = this.registerTraceUprobe(tu, r.log);
    if (ret) held.put();
    this.sink.logErrors(r.log.errors);
    return ret;
  }

  /** validate_ref_ctr_offset(): the same (inode, offset) cannot have two reference counters. */
  private validateRefCtrOffset(tu: TraceUprobe): number {
    for (const { tu: o } of this.list) {
      if (o.inode === tu.inode && o.def.offset === tu.def.offset && o.def.refCtrOffset !== tu.def.refCtrOffset) {
        this.host.warn?.('Reference counter offset mismatch.');
        return -EINVAL;
      }
    }
    return 0;
  }

  /** register_trace_uprobe(). */
  private registerTraceUprobe(tu: TraceUprobe, log: ProbeLog): number {
    const v = this.validateRefCtrOffset(tu);
    if (v) return v;
    const old = this.list.find((e) => e.ev.primary.def.event === tu.def.event && e.ev.primary.def.group === tu.def.group);
    if (old) {
      if (tu.def.isReturn !== old.tu.def.isReturn) {
        log.setIndex(0);
        log.err(0, 'DIFF_PROBE_TYPE');
        return -EEXIST;
      }
      return this.appendTraceUprobe(tu, old.ev, log);
    }
    const ev = new UprobeEvent();
    ev.probes.push(tu);
    const call = this.registry.add(tu.def.group, tu.def.event, this.eventOps(ev));
    if (typeof call === 'number') {
      if (call === -EEXIST) {
        log.setIndex(0);
        log.err(0, 'EVENT_EXIST');
      } else this.host.warn?.(`Failed to register probe event(${call})`);
      return call;
    }
    ev.call = call;
    this.list.push({ tu, ev });
    return 0;
  }

  /** append_trace_uprobe(). */
  private appendTraceUprobe(tu: TraceUprobe, to: UprobeEvent, log: ProbeLog): number {
    const diff = compareArgTypes(tu.def.args, to.primary.def.args);
    if (diff) {
      log.setIndex(diff + 1);
      log.err(0, 'DIFF_ARG_TYPE');
      return -EEXIST;
    }
    const same = to.probes.some((o) => o.inode === tu.inode && o.def.offset === tu.def.offset && o.def.args.every((a, i) => a.comm === tu.def.args[i]!.comm));
    if (same) {
      log.setIndex(0);
      log.err(0, 'SAME_PROBE');
      return -EEXIST;
    }
    to.probes.push(tu);
    // trace_probe_append() onto an enabled event: the new probe is live at once.
    if (to.flags & TP_FLAG_TRACE) {
      const ret = this.enableProbe(tu, to);
      if (ret) {
        to.probes.splice(to.probes.indexOf(tu), 1);
        return ret;
      }
    }
    this.list.push({ tu, ev: to });
    return 0;
  }

  /** trace_uprobe_match_command_head() + trace_probe_match_command_args(). */
  private matches(def: UprobeDefinition, cmd: RemoveCommand): boolean {
    if (cmd.event !== '' && cmd.event !== def.event) return false;
    if (cmd.system !== undefined && cmd.system !== def.group) return false;
    if (cmd.args.length === 0) return true;
    const head = cmd.args[0]!;
    const len = def.path.length;
    if (!head.startsWith(def.path) || head[len] !== ':') return false;
    let place = `0x${def.offset.toString(16).padStart(this.arch.bits / 4, '0')}`;
    if (def.refCtrOffset) place += `(0x${def.refCtrOffset.toString(16)})`;
    if (place.slice(0, MAX_ARGSTR_LEN) !== head.slice(len + 1)) return false;
    const rest = cmd.args.slice(1);
    if (def.args.length < rest.length) return false;
    return rest.every((w, i) => w === `${def.args[i]!.name}=${def.args[i]!.comm}`);
  }

  /** unregister_trace_uprobe(). */
  private unregisterTraceUprobe(entry: { tu: TraceUprobe; ev: UprobeEvent }): number {
    const { tu, ev } = entry;
    if (ev.probes.length === 1) {
      if (ev.flags & TP_FLAG_TRACE) return -EBUSY;
      const r = this.registry.remove(ev.call);
      if (r) return -EBUSY;
    }
    this.disableProbe(tu);
    this.list.splice(this.list.indexOf(entry), 1);
    ev.probes.splice(ev.probes.indexOf(tu), 1);
    tu.path.put();
    return 0;
  }

  /** dyn_event_release() for uprobe events: `-:[GRP/]EVENT [PATH:OFFSET [ARGS]]`. */
  release(raw: string): number {
    const cmd = parseRemoveCommand(raw);
    if (typeof cmd === 'number') return cmd;
    return dynEventRelease(this.list, (e) => this.matches(e.tu.def, cmd), (e) => this.unregisterTraceUprobe(e));
  }

  /** dyn_events_release_all(&trace_uprobe_ops): -EBUSY (and nothing removed) if any is enabled. */
  releaseAll(): number {
    return dynEventsReleaseAll(this.list, (e) => this.unregisterTraceUprobe(e));
  }

  // --- files ------------------------------------------------------------------------------

  /** uprobe_events content (probes_seq_show → trace_uprobe_show). */
  listing(): string {
    return this.list.map(({ tu }) => uprobeListing(tu.def, this.arch) + '\n').join('');
  }

  /** uprobe_profile content (probes_profile_seq_show). */
  profile(): string {
    let s = '';
    for (const { tu } of this.list) {
      const nhits = tu.nhit.reduce((a, b) => a + b, 0);
      s += `  ${tu.def.path} ${tu.def.event.padEnd(44, ' ')} ${String(nhits).padStart(15, ' ')}\n`;
    }
    return s;
  }

  /** Probes defined now, for tests and diagnostics. */
  probes(): { def: UprobeDefinition; inode: bigint; registered: boolean }[] {
    return this.list.map(({ tu }) => ({ def: tu.def, inode: tu.inode, registered: tu.registered }));
  }

  // --- the event ---------------------------------------------------------------------------

  private eventOps(ev: UprobeEvent) {
    return {
      fields: () => kprobeEventFields(ev.primary.def, this.arch),
      printFmt: () => ev.primary.def.printFmt,
      print: (entry: Uint8Array) => this.printEvent(ev, entry),
      reg: (enable: boolean) => (enable ? this.enableEvent(ev) : this.disableEvent(ev)),
    };
  }

  /** trace_uprobe_enable(): uprobe_register() of this probe's consumer. */
  private enableProbe(tu: TraceUprobe, ev: UprobeEvent): number {
    if (tu.registered) return 0;
    tu.consumer.handler = (regs) => this.uprobeDispatcher(tu, ev, regs);
    if (tu.def.isReturn) tu.consumer.retHandler = (func, regs) => this.uretprobeDispatcher(tu, ev, func, regs);
    const ret = this.core.register(tu.inode, tu.def.offset, tu.def.refCtrOffset, tu.consumer);
    if (ret === 0) tu.registered = true;
    return ret;
  }

  private disableProbe(tu: TraceUprobe): void {
    if (!tu.registered) return;
    this.core.unregister(tu.inode, tu.def.offset, tu.consumer);
    tu.registered = false;
  }

  /** probe_event_enable(). */
  private enableEvent(ev: UprobeEvent): number {
    const wasEnabled = (ev.flags & TP_FLAG_TRACE) !== 0;
    ev.flags |= TP_FLAG_TRACE;
    if (wasEnabled) return 0;
    for (const tu of ev.probes) {
      const ret = this.enableProbe(tu, ev);
      if (ret) {
        for (const t of ev.probes) this.disableProbe(t);
        ev.flags &= ~TP_FLAG_TRACE;
        return ret;
      }
    }
    return 0;
  }

  /** probe_event_disable(). */
  private disableEvent(ev: UprobeEvent): number {
    ev.flags &= ~TP_FLAG_TRACE;
    for (const tu of ev.probes) this.disableProbe(tu);
    return 0;
  }

  private fetchSource(regs: PtRegs): FetchSource {
    const host = this.host;
    return {
      arch: this.arch,
      regs,
      readMemory: (a, n, u) => host.readMemory(a, n, u),
      comm: host.currentTask().comm,
      lookupSymbol: (a) => host.lookupAddress(a),
    };
  }

  /** __uprobe_trace_func(): one entry, vaddr[0] (and vaddr[1] for a return) then the arguments. */
  private record(tu: TraceUprobe, ev: UprobeEvent, regs: PtRegs, vaddr: readonly bigint[]): void {
    if (!(ev.flags & TP_FLAG_TRACE) || !this.sink.recording) return;
    const src = this.fetchSource(regs);
    const head = kprobeHeadSize(this.arch, tu.def.isReturn);
    const dsize = dataSize(tu.def.args, src);
    const w = this.arch.bits / 8;
    this.sink.commit(ev.call, head + tu.def.size + dsize, (buf) => {
      const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      vaddr.forEach((v, i) => writeUnsigned(view, TRACE_ENTRY_SIZE + i * w, w, v, this.arch.littleEndian));
      storeTraceArgs(buf, head, tu.def.size, tu.def.args, src, dsize);
    });
  }

  /** uprobe_dispatcher(): counts every hit; a return probe records only at the return. */
  private uprobeDispatcher(tu: TraceUprobe, ev: UprobeEvent, regs: PtRegs): void {
    const cpu = this.host.currentCpu();
    tu.nhit[cpu] = (tu.nhit[cpu] ?? 0) + 1;
    if (tu.def.isReturn) return;
    this.record(tu, ev, regs, [regs.pc]);
  }

  /** uretprobe_dispatcher(): vaddr[0] is the function, vaddr[1] where it returned to. */
  private uretprobeDispatcher(tu: TraceUprobe, ev: UprobeEvent, func: bigint, regs: PtRegs): void {
    this.record(tu, ev, regs, [func, regs.pc]);
  }

  /** print_uprobe_event(). */
  private printEvent(ev: UprobeEvent, entry: Uint8Array): string {
    const tp = ev.primary.def;
    const view = new DataView(entry.buffer, entry.byteOffset, entry.byteLength);
    const w = this.arch.bits / 8;
    const le = this.arch.littleEndian;
    const v0 = readUnsigned(view, TRACE_ENTRY_SIZE, w, le);
    let s: string;
    if (tp.isReturn) {
      const v1 = readUnsigned(view, TRACE_ENTRY_SIZE + w, w, le);
      s = `${tp.event}: (0x${v1.toString(16)} <- 0x${v0.toString(16)})`;
    } else {
      s = `${tp.event}: (0x${v0.toString(16)})`;
    }
    s += printProbeArgs(tp.args, entry, kprobeHeadSize(this.arch, tp.isReturn), this.arch, (a) => this.host.lookupAddress(a));
    return s + '\n';
  }
}
