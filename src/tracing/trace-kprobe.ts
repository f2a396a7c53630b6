// Kprobe-based trace events on the emulated machine: the counterpart of
// kernel/trace/trace_kprobe.c (create/append/remove, registration through the kprobes core,
// the dispatchers that record hits, enable/disable, kprobe_events and kprobe_profile) and of the
// dyn_event list of kernel/trace/trace_dynevent.c.
//
// Parsing and printing come from the pure probe-event module; this file adds what needs the
// machine: kallsyms answers, register_kprobe()/register_kretprobe(), and the hit path that
// evaluates fetch arguments on pt_regs and guest memory and commits an entry to the ring buffer.

import { dynEventRelease, dynEventsReleaseAll, TP_FLAG_TRACE } from './dyn-event.ts';
import { KPROBE_FLAG_DISABLED, kprobeGone, type Kprobe, type Kretprobe, type KretprobeInstance, type PtRegs } from '../kprobes/types.ts';
import { canonicalAddress, machineAddress, type ArchSpec } from './arch.ts';
import { updateProbeArg } from './fetch-arg.ts';
import type { TracingHost } from './host.ts';
import { ProbeLog, type LoggedError } from './probe-errors.ts';
import {
  compareArgTypes,
  kprobeEventFields,
  kprobeHeadSize,
  kprobeListing,
  kprobeMatches,
  parseKprobeCommand,
  parseRemoveCommand,
  type KprobeDefinition,
  type KprobeParseEnv,
} from './probe-event.ts';
import { dataSize, printProbeArgs, storeEntryData, storeTraceArgs, type FetchSource } from './probe-fetch.ts';
import { argvSplit } from './kstr.ts';
import type { EventRegistry, TraceEventCall } from './trace-events.ts';
import { readUnsigned, seqPrintIpSym, TRACE_ENTRY_SIZE, writeUnsigned, type TraceEntryHeader } from './trace-output.ts';
import { EADDRNOTAVAIL, EBUSY, ECANCELED, EEXIST, EILSEQ, EINVAL, ENOENT, ENOMEM } from '../uapi/errno.ts';

/** Where committed events go (the trace array). */
export interface EventSink {
  /** Whether a commit would be recorded at all (tracing_on). */
  readonly recording: boolean;
  /**
   * trace_event_buffer_reserve()+commit(): build the entry for this header, filter, store. regs
   * (where the event was hit) give the stacktrace option's stack; without them none is recorded.
   */
  commit(call: TraceEventCall, size: number, fill: (buf: Uint8Array, hdr: TraceEntryHeader) => void, regs?: PtRegs): void;
  /** sym-addr output option. */
  readonly symAddr: boolean;
  /** error_log. */
  logErrors(errors: readonly LoggedError[]): void;
}


/** One registered-or-deferred probe of an event (struct trace_kprobe). */
class TraceKprobe {
  registered = false;
  readonly nhit: number[];
  readonly rp: Kretprobe;

  constructor(
    readonly def: KprobeDefinition,
    nrCpus: number,
  ) {
    this.nhit = new Array<number>(nrCpus).fill(0);
    const kp: Kprobe = {};
    if (def.symbol !== undefined) {
      kp.symbolName = def.symbol;
      kp.offset = def.offset;
    }
    this.rp = { kp, maxactive: def.maxactive };
  }

  get isReturn(): boolean {
    return this.def.isReturn;
  }

  get kp(): Kprobe {
    return this.rp.kp;
  }

  nhitTotal(): number {
    return this.nhit.reduce((a, b) => a + b, 0);
  }

  nmissed(): number {
    return this.isReturn ? (this.rp.kp.nmissed ?? 0) + (this.rp.nmissed ?? 0) : (this.rp.kp.nmissed ?? 0);
  }
}

/** The event several probes share (struct trace_probe_event). */
class KprobeEvent {
  flags = 0;
  readonly probes: TraceKprobe[] = [];
  call!: TraceEventCall;

  get primary(): TraceKprobe {
    return this.probes[0]!;
  }
}

export class KprobeEvents {
  /** dyn_event_list (kprobe events only exist on this machine). */
  private readonly list: { tk: TraceKprobe; ev: KprobeEvent }[] = [];
  private readonly events = new Map<TraceEventCall, KprobeEvent>();
  readonly arch: ArchSpec;
  readonly env: KprobeParseEnv;

  constructor(
    private readonly host: TracingHost,
    arch: ArchSpec,
    private readonly registry: EventRegistry,
    private readonly sink: EventSink,
  ) {
    this.arch = arch;
    this.env = {
      arch,
      symbols: {
        countSymbols: (name, module) => host.countSymbols(name, module),
        isModuleLoaded: (m) => host.isModuleLoaded(m),
        onFuncEntry: (sym, off) => this.onFuncEntry(sym, off),
      },
      dentryOffsets: host.dentryOffsets,
      hashPointer: host.hashPointer?.bind(host),
      btf: host.btf,
    };
  }

  /**
   * kprobe_on_func_entry(NULL, sym, offset): the address must resolve, re-based onto the symbol
   * containing it, and sit at that symbol's start (arch_adjust_kprobe_addr()'s default).
   */
  private onFuncEntry(sym: string, offset: number): number {
    const base = this.host.lookupName(sym);
    if (base === undefined) return -ENOENT;
    const at = this.host.lookupAddress(base + BigInt(offset));
    if (!at) return -ENOENT;
    return at.offset === 0n ? 0 : -EINVAL;
  }

  // --- commands ---------------------------------------------------------------------------

  /** create_or_delete_trace_kprobe(): one kprobe_events line. */
  runKprobeEventsCommand(raw: string): number {
    if (raw[0] === '-') return this.release(raw);
    const ret = this.create(raw);
    return ret === -ECANCELED ? -EINVAL : ret;
  }

  /** create_dyn_event(): one dynamic_events line. */
  runDynamicEventsCommand(raw: string): number {
    if (raw[0] === '-' || raw[0] === '!') return this.release(raw);
    const ret = this.create(raw);
    return ret === -ECANCELED ? -EINVAL : ret;
  }

  /** trace_kprobe_create() → __trace_kprobe_create(). */
  create(raw: string): number {
    const argv = argvSplit(raw);
    if (argv.length === 0) return 0;
    const r = parseKprobeCommand(argv, this.env);
    if (!r.ok) {
      this.sink.logErrors(r.errors);
      return r.errno;
    }
    const log = r.log;
    const tk = new TraceKprobe(r.def, this.host.nrCpus);
    const ret = this.registerTraceKprobe(tk, log);
    if (ret) {
      log.setIndex(1);
      if (ret === -EILSEQ) log.err(0, 'BAD_INSN_BNDRY');
      else if (ret === -ENOENT) log.err(0, 'BAD_PROBE_ADDR');
      else if (ret !== -ENOMEM && ret !== -EEXIST) log.err(0, 'FAIL_REG_PROBE');
    }
    this.sink.logErrors(log.errors);
    return ret;
  }

  /** register_trace_kprobe(): a new event, or another probe appended to an existing one. */
  private registerTraceKprobe(tk: TraceKprobe, log: ProbeLog): number {
    const old = this.list.find((e) => e.ev.primary.def.event === tk.def.event && e.ev.primary.def.group === tk.def.group);
    if (old) {
      if (tk.isReturn !== old.tk.isReturn) {
        log.setIndex(0);
        log.err(0, 'DIFF_PROBE_TYPE');
        return -EEXIST;
      }
      return this.appendTraceKprobe(tk, old.ev, log);
    }
    const ev = new KprobeEvent();
    ev.probes.push(tk);
    const call = this.registry.add(tk.def.group, tk.def.event, this.eventOps(ev));
    if (typeof call === 'number') {
      if (call === -EEXIST) {
        log.setIndex(0);
        log.err(0, 'EVENT_EXIST');
      } else this.warn(`Failed to register probe event(${call})`);
      return call;
    }
    ev.call = call;
    let ret = this.registerProbe(tk, ev);
    if (ret === -ENOENT && !this.moduleExists(tk)) {
      this.warn('This probe might be able to register after target module is loaded. Continue.');
      ret = 0;
    }
    if (ret < 0) {
      this.registry.remove(call);
      return ret;
    }
    this.events.set(call, ev);
    this.list.push({ tk, ev });
    return 0;
  }

  /** append_trace_kprobe(). */
  private appendTraceKprobe(tk: TraceKprobe, to: KprobeEvent, log: ProbeLog): number {
    const diff = compareArgTypes(tk.def.args, to.primary.def.args);
    if (diff) {
      log.setIndex(diff + 1);
      log.err(0, 'DIFF_ARG_TYPE');
      return -EEXIST;
    }
    const same = to.probes.some(
      (o) =>
        (o.def.symbol ?? 'unknown') === (tk.def.symbol ?? 'unknown') &&
        o.def.offset === tk.def.offset &&
        o.def.args.every((a, i) => a.comm === tk.def.args[i]!.comm),
    );
    if (same) {
      log.setIndex(0);
      log.err(0, 'SAME_PROBE');
      return -EEXIST;
    }
    to.probes.push(tk);
    let ret = this.registerProbe(tk, to);
    if (ret === -ENOENT && !this.moduleExists(tk)) {
      this.warn('This probe might be able to register after target module is loaded. Continue.');
      ret = 0;
    }
    if (ret) {
      to.probes.splice(to.probes.indexOf(tk), 1);
      return ret;
    }
    this.list.push({ tk, ev: to });
    return 0;
  }

  private warn(text: string): void {
    this.host.warn?.(`trace_kprobe: ${text}`);
  }

  /**
   * trace_kprobe_module_callback(MODULE_STATE_COMING): the kernel calls this when a module has
   * loaded, so probes on MOD:SYM that were deferred (or left gone) are registered again.
   */
  moduleComing(module: string): void {
    for (const { tk, ev } of this.list) {
      const sym = tk.def.symbol;
      if (sym === undefined || !sym.startsWith(`${module}:`)) continue;
      this.unregisterProbe(tk);
      const n = this.host.countSymbols(sym.slice(module.length + 1), module);
      let ret = n > 1 ? -EADDRNOTAVAIL : n === 0 ? -ENOENT : 0;
      // register_module_trace_kprobe(): an enabled event's probe registers armed.
      if (!ret) ret = this.registerProbe(tk, ev);
      if (ret) this.warn(`Failed to re-register probe ${tk.def.event} on ${module}: ${ret}`);
    }
  }

  /** trace_kprobe_module_exist(): core symbols always "exist"; MOD:SYM needs the module. */
  private moduleExists(tk: TraceKprobe): boolean {
    const sym = tk.def.symbol;
    if (sym === undefined) return false;
    const c = sym.indexOf(':');
    if (c < 0) return true;
    return this.host.isModuleLoaded(sym.slice(0, c));
  }

  /** __register_trace_kprobe(). */
  private registerProbe(tk: TraceKprobe, ev: KprobeEvent): number {
    if (tk.registered) return -EINVAL;
    for (const a of tk.def.args) {
      const r = updateProbeArg(a, (n) => this.host.lookupName(n), this.arch.bits);
      if (r) return r;
    }
    const kp = tk.kp;
    const enabled = (ev.flags & TP_FLAG_TRACE) !== 0;
    kp.flags = enabled ? (kp.flags ?? 0) & ~KPROBE_FLAG_DISABLED : (kp.flags ?? 0) | KPROBE_FLAG_DISABLED;
    if (tk.def.symbol === undefined) kp.addr = machineAddress(this.arch, tk.def.addr!);
    let ret: number;
    if (tk.isReturn) {
      const rp = tk.rp;
      rp.handler = (ri, regs) => {
        this.kretprobeDispatcher(tk, ev, ri, regs);
        return 0;
      };
      if (tk.def.entryArg) {
        const slots = tk.def.entryArg.slots;
        rp.entryHandler = (ri, regs) => {
          storeEntryData(slots, regs, ri.data, this.arch);
          return 0;
        };
        rp.dataSize = tk.def.entryArg.dataSize;
      }
      ret = this.host.registerKretprobe(rp);
      if (ret === 0 && !(rp.maxactive && rp.maxactive > 0)) {
        // register_kretprobe() fills in the default instance count, which the listing shows.
        rp.maxactive = Math.max(10, 2 * this.host.nrCpus);
      }
    } else {
      kp.preHandler = (_p, regs) => {
        this.kprobeDispatcher(tk, ev, regs);
        return 0;
      };
      ret = this.host.registerKprobe(kp);
    }
    if (ret === 0) tk.registered = true;
    return ret;
  }

  /** __unregister_trace_kprobe(). */
  private unregisterProbe(tk: TraceKprobe): void {
    if (!tk.registered) return;
    if (tk.isReturn) this.host.unregisterKretprobe(tk.rp);
    else this.host.unregisterKprobe(tk.kp);
    tk.registered = false;
    // Cleanup for reuse, as the kernel does: a symbol probe resolves its address again.
    if (tk.kp.symbolName !== undefined) tk.kp.addr = undefined;
  }

  /** unregister_trace_kprobe(). */
  private unregisterTraceKprobe(entry: { tk: TraceKprobe; ev: KprobeEvent }): number {
    const { tk, ev } = entry;
    if (ev.probes.length === 1) {
      if (ev.flags & TP_FLAG_TRACE) return -EBUSY;
      const r = this.registry.remove(ev.call);
      if (r) return -EBUSY;
      this.events.delete(ev.call);
    }
    this.unregisterProbe(tk);
    this.list.splice(this.list.indexOf(entry), 1);
    ev.probes.splice(ev.probes.indexOf(tk), 1);
    return 0;
  }

  /** dyn_event_release(): `-:[GRP/]EVENT [PLACE [ARGS]]`. */
  release(raw: string): number {
    const cmd = parseRemoveCommand(raw);
    if (typeof cmd === 'number') return cmd;
    return dynEventRelease(this.list, (e) => kprobeMatches(e.tk.def, cmd, this.env), (e) => this.unregisterTraceKprobe(e));
  }

  /** dyn_events_release_all(): -EBUSY (and nothing removed) if any event is enabled. */
  releaseAll(): number {
    return dynEventsReleaseAll(this.list, (e) => this.unregisterTraceKprobe(e));
  }

  // --- files ------------------------------------------------------------------------------

  /** kprobe_events / dynamic_events content. */
  listing(): string {
    let s = '';
    for (const { tk } of this.list) s += kprobeListing(tk.def, this.env, tk.isReturn ? (tk.rp.maxactive ?? 0) : 0) + '\n';
    return s;
  }

  /** kprobe_profile content. */
  profile(): string {
    let s = '';
    for (const { tk } of this.list) {
      s += `  ${tk.def.event.padEnd(44, ' ')} ${String(tk.nhitTotal()).padStart(15, ' ')} ${String(tk.nmissed()).padStart(15, ' ')}\n`;
    }
    return s;
  }

  /** Probes registered now, for tests and diagnostics. */
  probes(): { def: KprobeDefinition; registered: boolean; kp: Kprobe; rp: Kretprobe }[] {
    return this.list.map(({ tk }) => ({ def: tk.def, registered: tk.registered, kp: tk.kp, rp: tk.rp }));
  }

  // --- the event ---------------------------------------------------------------------------

  private eventOps(ev: KprobeEvent) {
    return {
      fields: () => kprobeEventFields(ev.primary.def, this.arch),
      printFmt: () => ev.primary.def.printFmt,
      print: (entry: Uint8Array) => this.printEvent(ev, entry),
      reg: (enable: boolean) => (enable ? this.enableEvent(ev) : this.disableEvent(ev)),
    };
  }

  /** enable_trace_kprobe(). */
  private enableEvent(ev: KprobeEvent): number {
    const wasEnabled = (ev.flags & TP_FLAG_TRACE) !== 0;
    ev.flags |= TP_FLAG_TRACE;
    if (wasEnabled) return 0;
    let ret = 0;
    let enabled = false;
    for (const tk of ev.probes) {
      if (kprobeGone(tk.kp)) continue;
      if (tk.registered) ret = this.host.enableKprobe(tk.kp);
      if (ret) break;
      enabled = true;
    }
    if (ret) {
      if (enabled) this.disableProbes(ev);
      ev.flags &= ~TP_FLAG_TRACE;
    }
    return ret;
  }

  /** disable_trace_kprobe(). */
  private disableEvent(ev: KprobeEvent): number {
    ev.flags &= ~TP_FLAG_TRACE;
    this.disableProbes(ev);
    return 0;
  }

  private disableProbes(ev: KprobeEvent): void {
    for (const tk of ev.probes) if (tk.registered) this.host.disableKprobe(tk.kp);
  }

  private fetchSource(regs: PtRegs, edata?: Uint8Array): FetchSource {
    const host = this.host;
    return {
      arch: this.arch,
      regs,
      readMemory: (a, n, u) => host.readMemory(a, n, u),
      comm: host.currentTask().comm,
      lookupSymbol: (a) => host.lookupAddress(a),
      edata,
    };
  }

  /** kprobe_dispatcher(). */
  private kprobeDispatcher(tk: TraceKprobe, ev: KprobeEvent, regs: PtRegs): void {
    tk.nhit[this.host.currentCpu()] = (tk.nhit[this.host.currentCpu()] ?? 0) + 1;
    if (!(ev.flags & TP_FLAG_TRACE) || !this.sink.recording) return;
    const src = this.fetchSource(regs);
    const head = kprobeHeadSize(this.arch, false);
    const dsize = dataSize(tk.def.args, src);
    const ip = canonicalAddress(this.arch, tk.kp.addr ?? 0);
    this.sink.commit(ev.call, head + tk.def.size + dsize, (buf) => {
      const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      writeUnsigned(view, TRACE_ENTRY_SIZE, this.arch.bits / 8, ip, this.arch.littleEndian);
      storeTraceArgs(buf, head, tk.def.size, tk.def.args, src, dsize);
    }, regs);
  }

  /** kretprobe_dispatcher(). */
  private kretprobeDispatcher(tk: TraceKprobe, ev: KprobeEvent, ri: KretprobeInstance, regs: PtRegs): void {
    tk.nhit[this.host.currentCpu()] = (tk.nhit[this.host.currentCpu()] ?? 0) + 1;
    if (!(ev.flags & TP_FLAG_TRACE) || !this.sink.recording) return;
    const src = this.fetchSource(regs, ri.data);
    const head = kprobeHeadSize(this.arch, true);
    const dsize = dataSize(tk.def.args, src);
    const w = this.arch.bits / 8;
    const func = canonicalAddress(this.arch, tk.kp.addr ?? 0);
    const retIp = canonicalAddress(this.arch, ri.retAddr);
    this.sink.commit(ev.call, head + tk.def.size + dsize, (buf) => {
      const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      writeUnsigned(view, TRACE_ENTRY_SIZE, w, func, this.arch.littleEndian);
      writeUnsigned(view, TRACE_ENTRY_SIZE + w, w, retIp, this.arch.littleEndian);
      storeTraceArgs(buf, head, tk.def.size, tk.def.args, src, dsize);
    }, regs);
  }

  /** print_kprobe_event() / print_kretprobe_event(). */
  private printEvent(ev: KprobeEvent, entry: Uint8Array): string {
    const tp = ev.primary.def;
    const view = new DataView(entry.buffer, entry.byteOffset, entry.byteLength);
    const w = this.arch.bits / 8;
    const le = this.arch.littleEndian;
    const lookup = (a: bigint) => this.host.lookupAddress(a);
    const tramp = (a: bigint) => this.host.isKretprobeTrampoline(a);
    const sym = (ip: bigint, off: boolean) => {
      let s = seqPrintIpSym(lookup, tramp, ip, off);
      if (this.sink.symAddr && ip !== 0n) s += ` <${ip.toString(16).padStart(w * 2, '0')}>`;
      return s;
    };
    let s = `${tp.event}: (`;
    if (!tp.isReturn) {
      s += sym(readUnsigned(view, TRACE_ENTRY_SIZE, w, le), true);
    } else {
      const func = readUnsigned(view, TRACE_ENTRY_SIZE, w, le);
      const retIp = readUnsigned(view, TRACE_ENTRY_SIZE + w, w, le);
      s += sym(retIp, true) + ' <- ' + sym(func, false);
    }
    s += ')';
    s += printProbeArgs(tp.args, entry, kprobeHeadSize(this.arch, tp.isReturn), this.arch, lookup);
    return s + '\n';
  }
}

