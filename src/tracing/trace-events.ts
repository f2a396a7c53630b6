// Trace events and their per-instance state: the counterpart of struct trace_event_call /
// trace_event_file and the parts of kernel/trace/trace_events.c that manage them (event IDs,
// systems, enable/disable with the WAS_ENABLED bookkeeping, filters, the format file), plus
// register_trace_event()'s ID allocation (trace_output.c).

import { compileEventFilter, EventFilter, filterAssignType, subsystemFilterError, type FilterField, type FilterParseEnv } from './event-filter.ts';
import type { LoggedError } from './probe-errors.ts';
import type { EventField } from './probe-event.ts';
import { TRACE_LAST_TYPE } from './trace-output.ts';
import { EEXIST, EINVAL, ENODEV } from '../uapi/errno.ts';

/** What an event type provides (the class and the output functions). */
export interface TraceEventOps {
  /** The event's own fields (after the common ones), in format-file order. */
  fields(): EventField[];
  printFmt(): string;
  /** The part of a trace line after the context: "name: …\n". */
  print(entry: Uint8Array): string;
  /** TRACE_REG_REGISTER / TRACE_REG_UNREGISTER for the trace instance: 0 or a negative errno. */
  reg(enable: boolean): number;
}

export class TraceEventCall {
  /** EVENT_FILE_FL_ENABLED. */
  enabled = false;
  /** EVENT_FILE_FL_WAS_ENABLED: removing the event then clears the trace buffer. */
  wasEnabled = false;
  /** EVENT_FILE_FL_FREED: the event was removed; open files of it answer -ENODEV. */
  freed = false;
  filter?: EventFilter;

  constructor(
    readonly id: number,
    readonly system: string,
    readonly name: string,
    readonly ops: TraceEventOps,
  ) {}

  /** The fields a filter may name. */
  filterFields(): FilterField[] {
    return this.ops.fields().map((f) => ({ ...f, filterType: filterAssignType(f.type) }));
  }

  /** f_show(): the format file. */
  format(): string {
    let s = `name: ${this.name}\nID: ${this.id}\nformat:\n`;
    const common: EventField[] = [
      { type: 'unsigned short', name: 'common_type', offset: 0, size: 2, isSigned: false },
      { type: 'unsigned char', name: 'common_flags', offset: 2, size: 1, isSigned: false },
      { type: 'unsigned char', name: 'common_preempt_count', offset: 3, size: 1, isSigned: false },
      { type: 'int', name: 'common_pid', offset: 4, size: 4, isSigned: true },
    ];
    for (const f of common) s += fieldLine(f);
    s += '\n';
    for (const f of this.ops.fields()) s += fieldLine(f);
    s += `\nprint fmt: ${this.ops.printFmt()}\n`;
    return s;
  }
}

function fieldLine(f: EventField): string {
  let bracket = f.type.indexOf('[');
  if (f.type.startsWith('__data_loc')) bracket = -1;
  const tail = `\toffset:${f.offset};\tsize:${f.size};\tsigned:${f.isSigned ? 1 : 0};\n`;
  if (bracket < 0) return `\tfield:${f.type} ${f.name};${tail}`;
  // A static array shows its length ("char comm[16]"); probe arrays are declared with length 0,
  // so the format shows "TYPE name[]".
  if (f.len) return `\tfield:${f.type.slice(0, bracket)} ${f.name}${f.type.slice(bracket)};${tail}`;
  return `\tfield:${f.type.slice(0, bracket)} ${f.name}[];${tail}`;
}

export interface EventSystem {
  readonly name: string;
  /** A subsystem filter's text ("" shows the default message). */
  filterString?: string;
}

export const DEFAULT_SYS_FILTER_MESSAGE =
  '### global filter ###\n' +
  '# Use this to set filters for multiple events.\n' +
  '# Only events with the given fields will be affected.\n' +
  '# If no events are modified, an error message will be displayed here';

/** Who keeps the events/ directories: told as they are created and removed (the eventfs calls of trace_events.c). */
export interface EventDirHooks {
  created(system: string, event?: string): void;
  removed(system: string, event?: string): void;
}

export class EventRegistry {
  private readonly calls: TraceEventCall[] = [];
  private readonly byIdMap = new Map<number, TraceEventCall>();
  readonly systems = new Map<string, EventSystem>();
  /** tr->clear_trace: set when an event that was ever enabled goes away. */
  clearTrace = false;

  constructor(
    private readonly firstId: number = TRACE_LAST_TYPE,
    private readonly filterEnv: (call: TraceEventCall) => FilterParseEnv,
    private readonly dirs?: EventDirHooks,
  ) {}

  /** ida_alloc_range(__TRACE_LAST_TYPE, …): the lowest free ID. */
  private allocId(): number {
    let id = this.firstId;
    while (this.byIdMap.has(id)) id++;
    return id;
  }

  list(): readonly TraceEventCall[] {
    return this.calls;
  }

  find(system: string, name: string): TraceEventCall | undefined {
    return this.calls.find((c) => c.system === system && c.name === name);
  }

  byId(id: number): TraceEventCall | undefined {
    return this.byIdMap.get(id);
  }

  inSystem(system: string): TraceEventCall[] {
    return this.calls.filter((c) => c.system === system);
  }

  /**
   * trace_probe_register_event_call(): -EEXIST if the name is taken. The event's directory (and its
   * system's, for the system's first event) is made then: __trace_add_new_event → event_create_dir.
   */
  add(system: string, name: string, ops: TraceEventOps): TraceEventCall | number {
    if (this.find(system, name)) return -EEXIST;
    const call = new TraceEventCall(this.allocId(), system, name, ops);
    this.calls.push(call);
    this.byIdMap.set(call.id, call);
    const newSystem = !this.systems.has(system);
    if (newSystem) this.systems.set(system, { name: system });
    if (newSystem) this.dirs?.created(system);
    this.dirs?.created(system, name);
    return call;
  }

  /** trace_remove_event_call(): -EBUSY while enabled. */
  remove(call: TraceEventCall): number {
    if (call.enabled) return -16;
    if (call.wasEnabled) this.clearTrace = true;
    call.freed = true;
    const i = this.calls.indexOf(call);
    if (i >= 0) this.calls.splice(i, 1);
    this.byIdMap.delete(call.id);
    this.dirs?.removed(call.system, call.name);
    if (!this.calls.some((c) => c.system === call.system)) {
      this.systems.delete(call.system);
      this.dirs?.removed(call.system);
    }
    return 0;
  }

  /** ftrace_event_enable_disable(). */
  setEnabled(call: TraceEventCall, enable: boolean): number {
    if (call.freed) return -ENODEV;
    if (enable === call.enabled) return 0;
    const ret = call.ops.reg(enable);
    if (enable) {
      if (ret) return ret;
      call.enabled = true;
      call.wasEnabled = true;
    } else {
      call.enabled = false;
    }
    return 0;
  }

  /**
   * __ftrace_set_clr_event(): enable/disable every event matching `match` (an event or system
   * name), `sub` (system) and `event`; -EINVAL if none matched, else the first error.
   */
  setClrEvents(match: string | undefined, sub: string | undefined, event: string | undefined, enable: boolean): number {
    let ret = -EINVAL;
    let eret = 0;
    for (const c of [...this.calls]) {
      if (match !== undefined && match !== c.name && match !== c.system) continue;
      if (sub !== undefined && sub !== c.system) continue;
      if (event !== undefined && event !== c.name) continue;
      const r = this.setEnabled(c, enable);
      if (r && !eret) eret = r;
      ret = eret;
    }
    return ret;
  }

  /** ftrace_set_clr_event(): "<system>:<event>", "*:<event>", "<system>:", or a bare name. */
  setClrEventSpec(spec: string, enable: boolean): number {
    const colon = spec.indexOf(':');
    if (colon < 0) return this.setClrEvents(spec, undefined, undefined, enable);
    let sub: string | undefined = spec.slice(0, colon);
    let event: string | undefined = spec.slice(colon + 1);
    if (sub === '' || sub === '*') sub = undefined;
    if (event === '' || event === '*') event = undefined;
    return this.setClrEvents(undefined, sub, event, enable);
  }

  /** apply_event_filter(): "0" clears; anything else compiles (errors are kept to be shown). */
  applyFilter(call: TraceEventCall, text: string): { err: number; logged?: LoggedError } {
    if (call.freed) return { err: -ENODEV };
    const stripped = strstripEnd(text);
    if (stripTrim(stripped) === '0') {
      call.filter = undefined;
      return { err: 0 };
    }
    const r = compileEventFilter(stripped, this.filterEnv(call));
    call.filter = r.filter;
    return { err: r.err, logged: r.logged };
  }

  /** apply_subsystem_event_filter(). */
  applySystemFilter(system: string, text: string): { err: number; logged?: LoggedError[] } {
    const sys = this.systems.get(system);
    const events = this.inSystem(system);
    if (!sys || events.length === 0) return { err: -ENODEV };
    const stripped = strstripEnd(text);
    if (stripTrim(stripped) === '0') {
      for (const c of events) c.filter = undefined;
      sys.filterString = undefined;
      return { err: 0 };
    }
    const logged: LoggedError[] = [];
    let anyOk = false;
    for (const c of events) {
      const r = compileEventFilter(stripped, this.filterEnv(c));
      if (r.err) {
        // process_system_preds(): the event keeps a disabled filter describing the failure.
        const e = subsystemFilterError(stripped);
        logged.push(e.logged);
        c.filter = new EventFilter(undefined, e.text);
      } else {
        anyOk = true;
        c.filter = r.filter;
      }
    }
    if (!anyOk) {
      const e = subsystemFilterError(stripped);
      sys.filterString = e.text;
      logged.push(e.logged);
      return { err: -EINVAL, logged };
    }
    sys.filterString = undefined;
    return { err: 0, logged };
  }
}

/** strstrip()'s effect on the caller's buffer: trailing white space removed. */
function strstripEnd(s: string): string {
  return s.replace(/[\t\n\v\f\r \xa0]+$/, '');
}

function stripTrim(s: string): string {
  return s.replace(/^[\t\n\v\f\r \xa0]+/, '');
}
