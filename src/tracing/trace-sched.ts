// The scheduler's trace events, the `sched` group: sched_switch, sched_waking, sched_wakeup,
// sched_wakeup_new, sched_process_fork, sched_process_exec, sched_process_exit,
// sched_process_wait, sched_process_free. Counterpart of include/trace/events/sched.h
// (TRACE_EVENT / DECLARE_EVENT_CLASS: the entry's fields, TP_fast_assign, TP_printk and the print
// fmt the format file shows) and of __trace_sched_switch_state() there.
//
// The kernel's tracepoints reach the events through TracingHost.tracepoints: a probe is
// registered while an event is enabled and is called with the tracepoint's arguments (the
// TP_PROTO, with each task given as the values the event copies out of it).

import type { ArchSpec } from './arch.ts';
import type { EventField } from './probe-event.ts';
import { readUnsigned, TRACE_ENTRY_SIZE, writeUnsigned } from './trace-output.ts';

/** What the sched events read from a task_struct. */
export interface SchedTask {
  readonly pid: number;
  /** task->comm (at most 15 bytes are used). */
  readonly comm: string;
  /** task->prio (120 for a SCHED_NORMAL task of nice 0). */
  readonly prio: number;
  /** task_cpu(). */
  readonly cpu: number;
}

/** Linux's task states as the sched_switch event reports them (include/linux/sched.h). */
export const TASK_RUNNING = 0x0000;
export const TASK_INTERRUPTIBLE = 0x0001;
export const TASK_UNINTERRUPTIBLE = 0x0002;
export const EXIT_DEAD = 0x0010;
export const EXIT_ZOMBIE = 0x0020;
export const TASK_DEAD = 0x0080;
export const TASK_NOLOAD = 0x0400;
export const TASK_NEW = 0x0800;
export const TASK_RTLOCK_WAIT = 0x1000;
export const TASK_FROZEN = 0x8000;
const TASK_IDLE = TASK_UNINTERRUPTIBLE | TASK_NOLOAD;
const TASK_REPORT = 0x7f;
const TASK_REPORT_IDLE = TASK_REPORT + 1;
const TASK_REPORT_MAX = TASK_REPORT_IDLE << 1;

/** The arguments of each tracepoint (TP_PROTO). */
export type SchedTracepointArgs =
  | { readonly tp: 'sched_switch'; readonly preempt: boolean; readonly prev: SchedTask; readonly prevState: number; readonly prevExitState: number; readonly next: SchedTask }
  | { readonly tp: 'sched_waking' | 'sched_wakeup' | 'sched_wakeup_new'; readonly p: SchedTask }
  | { readonly tp: 'sched_process_exit' | 'sched_process_free'; readonly p: SchedTask }
  | { readonly tp: 'sched_process_wait'; readonly pid: number; readonly current: SchedTask }
  | { readonly tp: 'sched_process_fork'; readonly parent: SchedTask; readonly child: SchedTask }
  | { readonly tp: 'sched_process_exec'; readonly p: SchedTask; readonly oldPid: number; readonly filename: string };

export type SchedTracepoint = SchedTracepointArgs['tp'];

type Kind = 'comm' | 'pid_t' | 'int' | 'long' | 'string';
type Value = number | string;

interface FieldSpec {
  readonly name: string;
  readonly kind: Kind;
}

interface EventSpec {
  readonly name: SchedTracepoint;
  readonly fields: readonly FieldSpec[];
  readonly printFmt: string;
  /** TP_fast_assign: the field values from the tracepoint's arguments. */
  assign(a: SchedTracepointArgs): Record<string, Value>;
  /** TP_printk. */
  print(v: Record<string, Value>): string;
}

const TASK_COMM_LEN = 16;

const comm = (name: string): FieldSpec => ({ name, kind: 'comm' });
const pid = (name: string): FieldSpec => ({ name, kind: 'pid_t' });
const int = (name: string): FieldSpec => ({ name, kind: 'int' });

/** __trace_sched_switch_state(): the prev_state sched_switch records. */
export function traceSchedSwitchState(preempt: boolean, prevState: number, exitState: number): number {
  if (preempt) return TASK_REPORT_MAX;
  // __task_state_index().
  let state = (prevState | exitState) & TASK_REPORT;
  if ((prevState & TASK_IDLE) === TASK_IDLE) state = TASK_REPORT_IDLE;
  if (prevState & TASK_RTLOCK_WAIT || prevState & TASK_FROZEN) state = TASK_UNINTERRUPTIBLE;
  const index = state === 0 ? 0 : 32 - Math.clz32(state);
  return index ? 1 << (index - 1) : 0;
}

const STATE_FLAGS: readonly [number, string][] = [
  [0x01, 'S'],
  [0x02, 'D'],
  [0x04, 'T'],
  [0x08, 't'],
  [0x10, 'X'],
  [0x20, 'Z'],
  [0x40, 'P'],
  [0x80, 'I'],
];

/** trace_print_flags_seq(): the names of the set flags joined by delim, then any rest in hex. */
function printFlags(flagsIn: number, delim: string, table: readonly [number, string][]): string {
  let flags = flagsIn;
  let s = '';
  for (const [mask, name] of table) {
    if ((flags & mask) !== mask) continue;
    if (s) s += delim;
    s += name;
    flags &= ~mask;
  }
  if (flags) {
    if (s) s += delim;
    s += '0x' + (flags >>> 0).toString(16);
  }
  return s;
}

const num = (v: Value): number => v as number;
const str = (v: Value): string => v as string;
const pad3 = (n: number): string => (n < 0 ? '-' + String(-n).padStart(2, '0') : String(n).padStart(3, '0'));

const TASK_STATE_MASK = '((((0x00000000 | 0x00000001 | 0x00000002 | 0x00000004 | 0x00000008 | 0x00000010 | 0x00000020 | 0x00000040) + 1) << 1) - 1)';
const TASK_REPORT_MAX_EXPR = '(((0x00000000 | 0x00000001 | 0x00000002 | 0x00000004 | 0x00000008 | 0x00000010 | 0x00000020 | 0x00000040) + 1) << 1)';

const wakeupTemplate = (name: 'sched_waking' | 'sched_wakeup' | 'sched_wakeup_new'): EventSpec => ({
  name,
  fields: [comm('comm'), pid('pid'), int('prio'), int('target_cpu')],
  printFmt: '"comm=%s pid=%d prio=%d target_cpu=%03d", REC->comm, REC->pid, REC->prio, REC->target_cpu',
  assign: (a) => {
    const p = (a as { p: SchedTask }).p;
    return { comm: p.comm, pid: p.pid, prio: p.prio, target_cpu: p.cpu };
  },
  print: (v) => `comm=${str(v.comm)} pid=${num(v.pid)} prio=${num(v.prio)} target_cpu=${pad3(num(v.target_cpu))}`,
});

const processTemplate = (name: 'sched_process_exit' | 'sched_process_free'): EventSpec => ({
  name,
  fields: [comm('comm'), pid('pid'), int('prio')],
  printFmt: '"comm=%s pid=%d prio=%d", REC->comm, REC->pid, REC->prio',
  assign: (a) => {
    const p = (a as { p: SchedTask }).p;
    return { comm: p.comm, pid: p.pid, prio: p.prio };
  },
  print: (v) => `comm=${str(v.comm)} pid=${num(v.pid)} prio=${num(v.prio)}`,
});

/** The events, in the order the kernel defines them. */
const EVENTS: readonly EventSpec[] = [
  wakeupTemplate('sched_waking'),
  wakeupTemplate('sched_wakeup'),
  wakeupTemplate('sched_wakeup_new'),
  {
    name: 'sched_switch',
    fields: [comm('prev_comm'), pid('prev_pid'), int('prev_prio'), { name: 'prev_state', kind: 'long' }, comm('next_comm'), pid('next_pid'), int('next_prio')],
    printFmt:
      '"prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s%s ==> next_comm=%s next_pid=%d next_prio=%d", REC->prev_comm, REC->prev_pid, REC->prev_prio, ' +
      `(REC->prev_state & ${TASK_STATE_MASK}) ? __print_flags(REC->prev_state & ${TASK_STATE_MASK}, "|", { 0x00000001, "S" }, { 0x00000002, "D" }, { 0x00000004, "T" }, { 0x00000008, "t" }, { 0x00000010, "X" }, { 0x00000020, "Z" }, { 0x00000040, "P" }, { 0x00000080, "I" }) : "R", ` +
      `REC->prev_state & ${TASK_REPORT_MAX_EXPR} ? "+" : "", REC->next_comm, REC->next_pid, REC->next_prio`,
    assign: (a) => {
      const s = a as Extract<SchedTracepointArgs, { tp: 'sched_switch' }>;
      return {
        prev_comm: s.prev.comm,
        prev_pid: s.prev.pid,
        prev_prio: s.prev.prio,
        prev_state: traceSchedSwitchState(s.preempt, s.prevState, s.prevExitState),
        next_comm: s.next.comm,
        next_pid: s.next.pid,
        next_prio: s.next.prio,
      };
    },
    print: (v) => {
      const state = num(v.prev_state);
      const mask = TASK_REPORT_MAX - 1;
      const st = state & mask ? printFlags(state & mask, '|', STATE_FLAGS) : 'R';
      return (
        `prev_comm=${str(v.prev_comm)} prev_pid=${num(v.prev_pid)} prev_prio=${num(v.prev_prio)} prev_state=${st}${state & TASK_REPORT_MAX ? '+' : ''}` +
        ` ==> next_comm=${str(v.next_comm)} next_pid=${num(v.next_pid)} next_prio=${num(v.next_prio)}`
      );
    },
  },
  processTemplate('sched_process_free'),
  processTemplate('sched_process_exit'),
  {
    name: 'sched_process_wait',
    fields: [comm('comm'), pid('pid'), int('prio')],
    printFmt: '"comm=%s pid=%d prio=%d", REC->comm, REC->pid, REC->prio',
    assign: (a) => {
      const w = a as Extract<SchedTracepointArgs, { tp: 'sched_process_wait' }>;
      return { comm: w.current.comm, pid: w.pid, prio: w.current.prio };
    },
    print: (v) => `comm=${str(v.comm)} pid=${num(v.pid)} prio=${num(v.prio)}`,
  },
  {
    name: 'sched_process_fork',
    fields: [comm('parent_comm'), pid('parent_pid'), comm('child_comm'), pid('child_pid')],
    printFmt: '"comm=%s pid=%d child_comm=%s child_pid=%d", REC->parent_comm, REC->parent_pid, REC->child_comm, REC->child_pid',
    assign: (a) => {
      const f = a as Extract<SchedTracepointArgs, { tp: 'sched_process_fork' }>;
      return { parent_comm: f.parent.comm, parent_pid: f.parent.pid, child_comm: f.child.comm, child_pid: f.child.pid };
    },
    print: (v) => `comm=${str(v.parent_comm)} pid=${num(v.parent_pid)} child_comm=${str(v.child_comm)} child_pid=${num(v.child_pid)}`,
  },
  {
    name: 'sched_process_exec',
    fields: [{ name: 'filename', kind: 'string' }, pid('pid'), pid('old_pid')],
    printFmt: '"filename=%s pid=%d old_pid=%d", __get_str(filename), REC->pid, REC->old_pid',
    assign: (a) => {
      const e = a as Extract<SchedTracepointArgs, { tp: 'sched_process_exec' }>;
      return { filename: e.filename, pid: e.p.pid, old_pid: e.oldPid };
    },
    print: (v) => `filename=${str(v.filename)} pid=${num(v.pid)} old_pid=${num(v.old_pid)}`,
  },
];

/** The names of the sched events this module defines. */
export const SCHED_EVENTS: readonly SchedTracepoint[] = EVENTS.map((e) => e.name);

interface LaidField extends FieldSpec {
  readonly offset: number;
  readonly size: number;
}

/** One sched event for an architecture: its fields laid out as the C struct is, entry building and printing. */
export class SchedEvent {
  private readonly laid: LaidField[] = [];
  /** Size of the fixed part of the entry (dynamic strings follow it). */
  private readonly fixedSize: number;

  constructor(
    private readonly spec: EventSpec,
    private readonly arch: ArchSpec,
  ) {
    let off = TRACE_ENTRY_SIZE;
    for (const f of spec.fields) {
      const size = this.sizeOf(f.kind);
      const align = f.kind === 'comm' ? 1 : size;
      off = Math.ceil(off / align) * align;
      this.laid.push({ ...f, offset: off, size });
      off += size;
    }
    this.fixedSize = off;
  }

  get name(): SchedTracepoint {
    return this.spec.name;
  }

  private sizeOf(kind: Kind): number {
    switch (kind) {
      case 'comm':
        return TASK_COMM_LEN;
      case 'long':
        return this.arch.bits / 8;
      default:
        return 4;
    }
  }

  /** is_signed_type(char): arm64's char is unsigned, x86's signed. */
  private get charSigned(): boolean {
    return this.arch.name === 'x86_64';
  }

  /** The format file's fields (after the common ones). */
  fields(): EventField[] {
    return this.laid.map((f) => {
      switch (f.kind) {
        case 'comm':
          return { type: `char[${TASK_COMM_LEN}]`, name: f.name, offset: f.offset, size: f.size, isSigned: this.charSigned, len: TASK_COMM_LEN };
        case 'string':
          return { type: '__data_loc char[]', name: f.name, offset: f.offset, size: f.size, isSigned: this.charSigned };
        case 'pid_t':
          return { type: 'pid_t', name: f.name, offset: f.offset, size: f.size, isSigned: true };
        case 'int':
          return { type: 'int', name: f.name, offset: f.offset, size: f.size, isSigned: true };
        case 'long':
          return { type: 'long', name: f.name, offset: f.offset, size: f.size, isSigned: true };
      }
    });
  }

  printFmt(): string {
    return this.spec.printFmt;
  }

  /** The entry of a hit: its size, and how to fill it after the common header. */
  entry(args: SchedTracepointArgs): { size: number; fill(buf: Uint8Array): void } {
    const values = this.spec.assign(args);
    const le = this.arch.littleEndian;
    const strings = new Map<string, Uint8Array>();
    let size = this.fixedSize;
    for (const f of this.laid) {
      if (f.kind !== 'string') continue;
      const bytes = Buffer.from(str(values[f.name]!) + '\0', 'latin1');
      strings.set(f.name, bytes);
      size += bytes.length;
    }
    return {
      size,
      fill: (buf) => {
        const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
        let dyn = this.fixedSize;
        for (const f of this.laid) {
          const v = values[f.name]!;
          switch (f.kind) {
            case 'comm': {
              // memcpy(__entry->comm, p->comm, TASK_COMM_LEN): the name and NUL padding.
              const bytes = Buffer.from(str(v).slice(0, TASK_COMM_LEN - 1), 'latin1');
              buf.set(bytes, f.offset);
              break;
            }
            case 'string': {
              // __data_loc: length << 16 | offset of the bytes after the fixed part.
              const bytes = strings.get(f.name)!;
              buf.set(bytes, dyn);
              writeUnsigned(view, f.offset, 4, BigInt((bytes.length << 16) | dyn), le);
              dyn += bytes.length;
              break;
            }
            default:
              writeUnsigned(view, f.offset, f.size, BigInt(num(v)), le);
          }
        }
      },
    };
  }

  /** The event's part of a trace line: "name: …\n". */
  print(entry: Uint8Array): string {
    const view = new DataView(entry.buffer, entry.byteOffset, entry.byteLength);
    const le = this.arch.littleEndian;
    const values: Record<string, Value> = {};
    for (const f of this.laid) {
      switch (f.kind) {
        case 'comm':
          values[f.name] = cString(entry.subarray(f.offset, f.offset + f.size));
          break;
        case 'string': {
          const loc = Number(readUnsigned(view, f.offset, 4, le));
          const off = loc & 0xffff;
          values[f.name] = cString(entry.subarray(off, off + (loc >>> 16)));
          break;
        }
        default:
          values[f.name] = Number(BigInt.asIntN(f.size * 8, readUnsigned(view, f.offset, f.size, le)));
      }
    }
    return `${this.spec.name}: ${this.spec.print(values)}\n`;
  }
}

function cString(b: Uint8Array): string {
  const nul = b.indexOf(0);
  return Buffer.from(nul >= 0 ? b.subarray(0, nul) : b).toString('latin1');
}

/** The sched events an architecture's kernel has, among those its tracepoints name. */
export function schedEvents(arch: ArchSpec, tracepoints: readonly string[]): SchedEvent[] {
  return EVENTS.filter((e) => tracepoints.includes(e.name)).map((e) => new SchedEvent(e, arch));
}
