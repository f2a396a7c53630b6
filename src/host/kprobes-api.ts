// The module-style kprobes API on the host target: registerKprobe / registerKretprobe (and
// unregister, enable, disable) with TypeScript handlers, over a real kernel's probe events.
// Each registration becomes a probe event in this process's group and instance that records
// every register (see pt-regs.ts) plus the fetch arguments asked for; the handlers run in this
// process, once per recorded event, with a read-only pt_regs view and the typed arguments.
// A symbolName of the form BINARY:SYMBOL (e.g. "/usr/bin/bash:readline") makes a uprobe, so the
// API works on kernels that have uprobes but no kprobes.
//
// How this differs from the emulated machine (and from Linux's in-kernel handlers): handlers run
// after the fact, in the tracer, milliseconds after the probed instruction ran; they cannot change
// registers (pt_regs is read-only, a write throws) or the control flow (a pre_handler's return
// value is ignored); there is no post_handler and no fault_handler (registration refuses them with
// -EOPNOTSUPP); a kretprobe's entry_handler and ri.data work, matched per task from an extra
// entry probe. Errors come back as negative errno values, as the kernel's API returns them; the
// reason is in `lastError`.
// Counterpart of register_kprobe()/register_kretprobe() & co. (kernel/kprobes.c,
// include/linux/kprobes.h), whose emulated form is src/kprobes/, with Frida's Interceptor
// ergonomics (onEnter/onLeave with shared per-call data) as peers.md describes.

import { readFileSync } from 'node:fs';
import { KPROBE_FLAG_DISABLED, type PtRegs } from '../kprobes/types.ts';
import type { ArchSpec } from '../tracing/arch.ts';
import { EBUSY, EINVAL, EOPNOTSUPP } from '../uapi/errno.ts';
import { ProbeWriteError } from './dynamic-events.ts';
import { HostSession, type SessionOptions } from './lifecycle.ts';
import { buildHostProbe, hostArch, identifier, type HostProbe } from './probe-line.ts';
import { ptRegsFromArgs, registerFetchArgs, userArgs } from './pt-regs.ts';
import { parseProbeBody, parseTraceLine, timestampNs, type ArgValue } from './trace-line.ts';
import { HostError } from './tracefs.ts';

/** One recorded hit, as a handler receives it. */
export interface HostProbeEvent {
  readonly comm: string;
  readonly pid: number;
  readonly cpu: number;
  /** The flags column as printed ("DBZff"). */
  readonly flags: string;
  /** Seconds, as printed ("2395.853014"). */
  readonly timestamp: string;
  readonly timestampNs: bigint;
  /** The event's name in the session's group. */
  readonly event: string;
  /** Entry probes: the probed address as printed. */
  readonly ip?: string;
  /** Return probes: where the function returned to, and the function. */
  readonly caller?: string;
  readonly func?: string;
  /** The fetch arguments asked for (fetchArgs), typed from the event's format. */
  readonly args: Record<string, ArgValue>;
  /** The trace_pipe line. */
  readonly line: string;
}

export type HostPreHandler = (p: HostKprobe, regs: PtRegs, event: HostProbeEvent) => number | void;

/** struct kprobe on the host: the kernel's fields, plus the fetch arguments to record. */
export interface HostKprobe {
  /** A kernel symbol, or BINARY:SYMBOL for user space. */
  symbolName?: string;
  offset?: number;
  /** A kernel address (kprobes); set by registration from kallsyms, or to the file offset of a uprobe. */
  addr?: number;
  preHandler?: HostPreHandler;
  /** Not available on the host: registration returns -EOPNOTSUPP. */
  postHandler?: unknown;
  /** Not available on the host: registration returns -EOPNOTSUPP. */
  faultHandler?: unknown;
  /** KPROBE_FLAG_DISABLED: registered, not enabled. */
  flags?: number;
  /** More fetch arguments (kprobe_events syntax, "name=+0(%si):string"); they arrive in event.args. */
  fetchArgs?: readonly string[];
  /** A filter on the event's fields (the kernel's filter syntax). */
  filter?: string;
}

/** struct kretprobe_instance on the host. */
export interface HostKretprobeInstance {
  readonly rp: HostKretprobe;
  /** dataSize bytes, shared by entryHandler and handler of one call. */
  readonly data: Uint8Array;
  /** Where the function returns to (0 until the return is seen). */
  retAddr: bigint;
  /** The task (pid) of the call. */
  readonly task: number;
  /** The entry event (with an entryHandler). */
  entry?: HostProbeEvent;
}

export type HostKretprobeHandler = (ri: HostKretprobeInstance, regs: PtRegs, event: HostProbeEvent) => number | void;

/** struct kretprobe on the host. */
export interface HostKretprobe {
  kp: HostKprobe;
  handler?: HostKretprobeHandler;
  entryHandler?: HostKretprobeHandler;
  dataSize?: number;
  /** Accepted for compatibility; the kernel's default is used. */
  maxactive?: number;
  /** Returns seen without a matching entry (the call began before registration). */
  nmissed?: number;
}

interface Registration {
  readonly kind: 'kprobe' | 'kretprobe';
  readonly kp?: HostKprobe;
  readonly rp?: HostKretprobe;
  /** Event names: the probe's, and a kretprobe's entry probe (with an entryHandler). */
  readonly event: string;
  readonly entryEvent?: string;
}

export interface HostKprobesOptions extends SessionOptions {
  /** Called when a handler throws (default: print it on stderr). */
  readonly onHandlerError?: (e: unknown, event: HostProbeEvent) => void;
}

/** The negative errno a failed registration returns. */
function errnoOf(e: unknown): number {
  if (e instanceof ProbeWriteError) return -e.errno;
  if (e instanceof HostError && e.errno !== undefined) return e.errno;
  return -EINVAL;
}

let kallsyms: Map<string, number> | undefined;
function kallsymsAddress(name: string): number | undefined {
  if (!kallsyms) {
    kallsyms = new Map();
    try {
      for (const line of readFileSync('/proc/kallsyms', 'utf8').split('\n')) {
        const [a, , n] = line.split(/\s+/);
        if (n && a && !kallsyms.has(n)) kallsyms.set(n, Number(BigInt(`0x${a}`) & 0xffffffffffffn));
      }
    } catch {
      /* no kallsyms: addr stays unset */
    }
  }
  const a = kallsyms.get(name);
  return a ? a : undefined;
}

/** The kprobes API of one host session. */
export class HostKprobes {
  readonly session: HostSession;
  /** Why the last failing call failed. */
  lastError = '';
  private readonly arch: ArchSpec;
  private readonly regs = new Map<HostKprobe | HostKretprobe, Registration>();
  private readonly byEvent = new Map<string, Registration>();
  /** Calls in flight per task, for kretprobes with an entryHandler. */
  private readonly calls = new Map<string, HostKretprobeInstance[]>();
  private loop: Promise<void> | undefined;
  private readonly onHandlerError: (e: unknown, ev: HostProbeEvent) => void;

  constructor(opts: HostKprobesOptions = {}) {
    const arch = hostArch();
    if (!arch) throw new HostError(`the host's architecture is not one kprobe knows the registers of`);
    this.arch = arch;
    this.session = HostSession.open(opts);
    this.onHandlerError = opts.onHandlerError ?? ((e, ev) => process.stderr.write(`kprobe: handler for ${ev.event} threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
  }

  private fail(errno: number, message: string): number {
    this.lastError = message;
    return errno;
  }

  private place(kp: HostKprobe): string | undefined {
    if (kp.symbolName) return kp.offset ? `${kp.symbolName}+${kp.offset}` : kp.symbolName;
    if (kp.addr !== undefined) return `0x${kp.addr.toString(16)}`;
    return undefined;
  }

  private create(type: 'p' | 'r', kp: HostKprobe, name: string): HostProbe {
    const place = this.place(kp)!;
    const spec = [`${type}:${name}`, place, ...registerFetchArgs(this.arch), ...(kp.fetchArgs ?? [])].join(' ');
    const probe = buildHostProbe(spec, { group: this.session.group, taken: this.session.taken });
    this.session.addProbe(probe);
    try {
      if (kp.filter) this.session.setFilter(probe.event, kp.filter);
      if (!((kp.flags ?? 0) & KPROBE_FLAG_DISABLED)) this.session.enable(probe.event, true);
    } catch (e) {
      this.session.removeProbe(probe.event);
      throw e;
    }
    if (kp.addr === undefined) kp.addr = probe.resolved ? Number(probe.resolved.fileOffset) : kallsymsAddress(kp.symbolName ?? '');
    return probe;
  }

  private checkKprobe(kp: HostKprobe): number {
    if (kp.postHandler) return this.fail(-EOPNOTSUPP, 'no post_handler on the host: the kernel has run the probed instruction long before a handler here sees the event');
    if (kp.faultHandler) return this.fail(-EOPNOTSUPP, 'no fault_handler on the host: handlers run in this process, after the fact');
    if (!this.place(kp)) return this.fail(-EINVAL, 'a kprobe needs symbolName or addr');
    return 0;
  }

  private baseName(kp: HostKprobe): string {
    const s = kp.symbolName ?? `0x${(kp.addr ?? 0).toString(16)}`;
    return identifier(s.slice(s.lastIndexOf(':') + 1));
  }

  /** register_kprobe(): 0 or a negative errno. */
  registerKprobe(kp: HostKprobe): number {
    if (this.regs.has(kp)) return this.fail(-EINVAL, 'this kprobe is registered already');
    const bad = this.checkKprobe(kp);
    if (bad) return bad;
    try {
      const probe = this.create('p', kp, this.baseName(kp));
      const reg: Registration = { kind: 'kprobe', kp, event: probe.event };
      this.regs.set(kp, reg);
      this.byEvent.set(probe.event, reg);
    } catch (e) {
      return this.fail(errnoOf(e), (e as Error).message);
    }
    this.startLoop();
    return 0;
  }

  /** register_kretprobe(): 0 or a negative errno. */
  registerKretprobe(rp: HostKretprobe): number {
    if (this.regs.has(rp)) return this.fail(-EINVAL, 'this kretprobe is registered already');
    const bad = this.checkKprobe(rp.kp);
    if (bad) return bad;
    if ((rp.dataSize ?? 0) > 4096) return this.fail(-EINVAL, 'dataSize is larger than KRETPROBE_MAX_DATA_SIZE (4096)');
    let ret: HostProbe | undefined;
    try {
      const base = this.baseName(rp.kp);
      ret = this.create('r', rp.kp, `${base}__return`);
      let entryEvent: string | undefined;
      if (rp.entryHandler || rp.dataSize) entryEvent = this.create('p', rp.kp, `${base}__entry`).event;
      const reg: Registration = { kind: 'kretprobe', rp, event: ret.event, entryEvent };
      this.regs.set(rp, reg);
      this.byEvent.set(ret.event, reg);
      if (entryEvent) this.byEvent.set(entryEvent, reg);
    } catch (e) {
      // Nothing half-registered stays: the return probe goes if its entry probe could not be made.
      if (ret && !this.regs.has(rp)) {
        try {
          this.session.removeProbe(ret.event);
        } catch {
          /* the session's close removes it */
        }
      }
      return this.fail(errnoOf(e), (e as Error).message);
    }
    this.startLoop();
    return 0;
  }

  private unregister(key: HostKprobe | HostKretprobe): void {
    const reg = this.regs.get(key);
    if (!reg) return;
    this.regs.delete(key);
    for (const ev of [reg.event, reg.entryEvent]) {
      if (!ev) continue;
      this.byEvent.delete(ev);
      try {
        this.session.removeProbe(ev);
      } catch (e) {
        this.lastError = (e as Error).message;
      }
    }
  }

  unregisterKprobe(kp: HostKprobe): void {
    this.unregister(kp);
  }

  unregisterKretprobe(rp: HostKretprobe): void {
    this.unregister(rp);
  }

  private setEnabled(key: HostKprobe | HostKretprobe, on: boolean): number {
    const reg = this.regs.get(key);
    if (!reg) return this.fail(-EINVAL, 'not registered');
    try {
      for (const ev of [reg.event, reg.entryEvent]) if (ev) this.session.enable(ev, on);
    } catch (e) {
      return this.fail(-EBUSY, (e as Error).message);
    }
    const kp = reg.kp ?? reg.rp!.kp;
    kp.flags = on ? (kp.flags ?? 0) & ~KPROBE_FLAG_DISABLED : (kp.flags ?? 0) | KPROBE_FLAG_DISABLED;
    return 0;
  }

  enableKprobe(kp: HostKprobe): number {
    return this.setEnabled(kp, true);
  }
  disableKprobe(kp: HostKprobe): number {
    return this.setEnabled(kp, false);
  }
  enableKretprobe(rp: HostKretprobe): number {
    return this.setEnabled(rp, true);
  }
  disableKretprobe(rp: HostKretprobe): number {
    return this.setEnabled(rp, false);
  }

  private startLoop(): void {
    if (this.loop) return;
    this.loop = this.session
      .stream((lines) => {
        for (const line of lines) this.dispatch(line);
      })
      .catch((e: unknown) => {
        this.lastError = `reading trace_pipe failed: ${(e as Error).message}`;
        process.stderr.write(`kprobe: ${this.lastError}\n`);
      });
  }

  private dispatch(line: string): void {
    const t = parseTraceLine(line);
    if (t.kind !== 'event') return;
    const reg = this.byEvent.get(t.rec.event);
    if (!reg) return;
    const sp = this.session.probes.get(t.rec.event);
    const body = parseProbeBody(t.rec.body, sp?.format?.args);
    if (!body) return;
    const regs = ptRegsFromArgs(this.arch, body.args);
    const ev: HostProbeEvent = {
      comm: t.rec.comm,
      pid: t.rec.pid,
      cpu: t.rec.cpu,
      flags: t.rec.flags,
      timestamp: t.rec.timestamp,
      timestampNs: timestampNs(t.rec.timestamp),
      event: t.rec.event,
      ip: body.ip,
      caller: body.caller,
      func: body.func,
      args: userArgs(body.args),
      line,
    };
    try {
      if (reg.kind === 'kprobe') {
        reg.kp!.preHandler?.(reg.kp!, regs, ev);
        return;
      }
      const rp = reg.rp!;
      const key = `${reg.event}:${ev.pid}`;
      if (t.rec.event === reg.entryEvent) {
        const ri: HostKretprobeInstance = { rp, data: new Uint8Array(rp.dataSize ?? 0), retAddr: 0n, task: ev.pid, entry: ev };
        const skip = rp.entryHandler ? rp.entryHandler(ri, regs, ev) : 0;
        const stack = this.calls.get(key) ?? [];
        // A non-zero entry handler return skips this call's return handler, as in the kernel.
        stack.push(skip ? { ...ri, data: new Uint8Array(0), retAddr: -1n } : ri);
        this.calls.set(key, stack);
        return;
      }
      let ri: HostKretprobeInstance | undefined;
      if (reg.entryEvent) {
        ri = this.calls.get(key)?.pop();
        if (!ri) {
          rp.nmissed = (rp.nmissed ?? 0) + 1;
          return;
        }
        if (ri.retAddr === -1n) return;
      } else {
        ri = { rp, data: new Uint8Array(0), retAddr: 0n, task: ev.pid };
      }
      ri.retAddr = body.caller !== undefined && /^0x[0-9a-f]+$/.test(body.caller) ? BigInt(body.caller) : 0n;
      rp.handler?.(ri, regs, ev);
    } catch (e) {
      this.onHandlerError(e, ev);
    }
  }

  /** Resolves once every event recorded so far has been handed to its handler. */
  async drain(): Promise<void> {
    if (this.loop) await this.session.drained();
  }

  /** Stop, unregister everything, remove the session's instance and probes. */
  async close(): Promise<void> {
    if (this.loop) {
      this.session.stop();
      await this.loop.catch(() => undefined);
      this.loop = undefined;
    }
    this.session.close();
    this.regs.clear();
    this.byEvent.clear();
  }
}
