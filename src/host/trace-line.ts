// One line of trace_pipe text, parsed back into what the kernel formatted: the context (comm,
// pid, optional tgid, CPU, the flags column, the timestamp), the event name, and for probe
// events the probe location (`(ADDR)` or `(RETURN_SITE <- FUNC)`) and each argument typed from
// the event's format file. Also the lines that are not events: `CPU:N [LOST M EVENTS]`, stack
// trace headers and their ` => ` frames. And the way back: formatting a parsed record with the
// project's trace-output code gives the kernel's line again, byte for byte.
// Counterpart, in reverse, of print_trace_line() / trace_print_context() / trace_print_lat_fmt()
// (kernel/trace/trace_output.c, trace.c), print_kprobe_event()/print_kretprobe_event()
// (trace_kprobe.c), print_uprobe_event() (trace_uprobe.c), trace_probe_print_args()
// (trace_probe.c) and trace_stack_print()/trace_user_stack_print() (trace_output.c).
//
// Strings are printed by the kernel without escaping, so a string argument may contain `"` or
// ` name=`; the parser takes the first split after which the rest of the line still parses.
// Lines are latin1 strings (one character per byte) so that text output stays byte-exact;
// string values and comms are decoded as UTF-8 when typed.

import type { TypeKind } from '../tracing/probe-types.ts';
import {
  commPid,
  latFmt,
  printTime,
  TRACE_FLAG_BH_OFF,
  TRACE_FLAG_HARDIRQ,
  TRACE_FLAG_IRQS_NOSUPPORT,
  TRACE_FLAG_IRQS_OFF,
  TRACE_FLAG_NEED_RESCHED,
  TRACE_FLAG_NMI,
  TRACE_FLAG_PREEMPT_RESCHED,
  TRACE_FLAG_SOFTIRQ,
} from '../tracing/trace-output.ts';
import type { ArgSpec } from './event-format.ts';

/** The context the kernel prints before every event. */
export interface TraceContext {
  readonly comm: string;
  readonly pid: number;
  /** With options/record-tgid: the thread group id, 0 when the kernel did not know it ("(-------)"); undefined without the column. */
  readonly tgid?: number;
  readonly cpu: number;
  /** The flags column ("DBZff", "d.h1."), '' when options/irq-info is off. */
  readonly flags: string;
  /** The timestamp as printed ("2395.853014", or a counter clock's integer). */
  readonly timestamp: string;
}

export interface TraceRecord extends TraceContext {
  readonly event: string;
  /** Everything after "EVENT: ". */
  readonly body: string;
}

export type TraceLine =
  | { readonly kind: 'event'; readonly rec: TraceRecord }
  /** "<stack trace>" or "<user stack trace>": frames follow on their own lines. */
  | { readonly kind: 'stack'; readonly rec: TraceRecord; readonly user: boolean }
  | { readonly kind: 'frame'; readonly frame: string }
  /** "CPU:N [LOST M EVENTS]" (count undefined for "[LOST EVENTS]"). */
  | { readonly kind: 'lost'; readonly cpu: number; readonly count?: number }
  | { readonly kind: 'other'; readonly text: string };

/** A typed argument value: integers as bigint, strings (null for "(fault)"), chars and symbols as strings, arrays. */
export type ArgValue = bigint | string | null | ArgValue[];

/** The probe part of a kprobe/uprobe event line. */
export interface ProbeBody {
  /** Entry probes: the probed address as printed ("0x555c07426159", "do_sys_openat2+0x0/0x170"). */
  readonly ip?: string;
  /** Return probes: where the function returned to. */
  readonly caller?: string;
  /** Return probes: the probed function. */
  readonly func?: string;
  readonly args: Record<string, ArgValue>;
  /** The arguments were typed from the event's format (false: raw text from a fallback split). */
  readonly typed: boolean;
}

const CONTEXT = /^\s*(.*?)-(\d+)\s+(?:\(\s*(\d+|-+)\)\s+)?\[(\d+)\]\s+(?:(\S{4,5})\s+)?(\d+(?:\.\d+)?):\s(.*)$/s;
const LOST = /^CPU:(\d+) \[LOST (?:(\d+) )?EVENTS\]$/;

/** Bytes (latin1 characters) to text: UTF-8 when it is valid UTF-8 above ASCII. */
export function decodeBytes(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x80-\xff]/.test(s)) return s;
  return Buffer.from(s, 'latin1').toString('utf8');
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** The line's parts in the usual layout, found by scanning (no tgid column); undefined: use the regex. */
function scanContext(line: string): { comm: string; pid: number; cpu: number; flags: string; timestamp: string; rest: string } | undefined {
  const rb = line.indexOf('] ');
  if (rb < 0) return undefined;
  const lb = line.lastIndexOf(' [', rb);
  if (lb < 2 || rb - lb < 3) return undefined;
  for (let i = lb + 2; i < rb; i++) if (!isDigit(line.charCodeAt(i))) return undefined;
  // comm-pid: the pid's digits end where the padding before " [" starts.
  let e = lb;
  while (e > 0 && line.charCodeAt(e - 1) === 32) e--;
  let b = e;
  while (b > 0 && isDigit(line.charCodeAt(b - 1))) b--;
  if (b === e || b < 1 || line.charCodeAt(b - 1) !== 45 /* - */) return undefined;
  const colon = line.indexOf(': ', rb + 2);
  if (colon < 0) return undefined;
  const tsStart = line.lastIndexOf(' ', colon - 1) + 1;
  if (tsStart <= rb + 1) return undefined;
  const timestamp = line.slice(tsStart, colon);
  for (let i = 0; i < timestamp.length; i++) {
    const c = timestamp.charCodeAt(i);
    if (!isDigit(c) && c !== 46 /* . */) return undefined;
  }
  let c0 = 0;
  while (line.charCodeAt(c0) === 32) c0++;
  return {
    comm: line.slice(c0, b - 1),
    pid: Number(line.slice(b, e)),
    cpu: Number(line.slice(lb + 2, rb)),
    flags: line.slice(rb + 2, tsStart).trimEnd(),
    timestamp,
    rest: line.slice(colon + 2),
  };
}

/** Classify and parse one line (without its newline). */
export function parseTraceLine(line: string): TraceLine {
  if (line.startsWith(' => ')) return { kind: 'frame', frame: line.slice(4) };
  if (line.startsWith('CPU:')) {
    const l = LOST.exec(line);
    if (l) return { kind: 'lost', cpu: Number(l[1]), count: l[2] === undefined ? undefined : Number(l[2]) };
  }
  let comm: string, pid: number, tgid: number | undefined, cpu: number, flags: string, timestamp: string, rest: string;
  const f = scanContext(line);
  if (f) {
    ({ comm, pid, cpu, flags, timestamp, rest } = f);
  } else {
    const m = CONTEXT.exec(line);
    if (!m) return { kind: 'other', text: line };
    comm = m[1]!;
    pid = Number(m[2]);
    tgid = m[3] === undefined ? undefined : m[3][0] === '-' ? 0 : Number(m[3]);
    cpu = Number(m[4]);
    flags = m[5] ?? '';
    timestamp = m[6]!;
    rest = m[7]!;
  }
  if (rest === '<stack trace>' || rest === '<user stack trace>') {
    return { kind: 'stack', rec: { comm, pid, tgid, cpu, flags, timestamp, event: rest, body: '' }, user: rest === '<user stack trace>' };
  }
  const colon = rest.indexOf(': ');
  if (colon < 0) {
    if (rest.endsWith(':')) return { kind: 'event', rec: { comm, pid, tgid, cpu, flags, timestamp, event: rest.slice(0, -1), body: '' } };
    return { kind: 'other', text: line };
  }
  return { kind: 'event', rec: { comm, pid, tgid, cpu, flags, timestamp, event: rest.slice(0, colon), body: rest.slice(colon + 2) } };
}

/** Decimal digits from `from` to the end (at least one). */
function allDigits(text: string, from: number): boolean {
  if (text.length <= from) return false;
  for (let i = from; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

function isHexText(text: string): boolean {
  if (text.length < 3 || text.charCodeAt(0) !== 48 || text.charCodeAt(1) !== 120) return false;
  for (let i = 2; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c) && !(c >= 97 && c <= 102)) return false;
  }
  return true;
}

/** A decimal text as bigint (through a double when it is small enough to be exact: faster). */
function decimal(text: string): bigint {
  return text.length < 16 ? BigInt(Number(text)) : BigInt(text);
}

function scalar(kind: TypeKind, text: string): ArgValue | undefined {
  switch (kind) {
    case 'u':
      return allDigits(text, 0) ? decimal(text) : undefined;
    case 's':
      return allDigits(text, text.charCodeAt(0) === 45 ? 1 : 0) ? decimal(text) : undefined;
    case 'x':
      return isHexText(text) ? (text.length < 15 ? BigInt(parseInt(text.slice(2), 16)) : BigInt(text)) : undefined;
    case 'char':
      return text.length === 3 && text[0] === "'" && text[2] === "'" ? text[1]! : undefined;
    case 'string':
      if (text === '(fault)') return null;
      return text.length >= 2 && text[0] === '"' && text[text.length - 1] === '"' ? decodeBytes(text.slice(1, -1)) : undefined;
    case 'symbol':
      return text.length ? text : undefined;
  }
}

/** The elements of an array value "{a,b,c}" (strings may hold commas: "…", splits are tried in order). */
function arrayValue(spec: ArgSpec, text: string): ArgValue[] | undefined {
  if (text.length < 2 || text[0] !== '{' || text[text.length - 1] !== '}') return undefined;
  const inner = text.slice(1, -1);
  if (spec.kind !== 'string' && spec.kind !== 'symbol') {
    const parts = inner.split(',');
    if (parts.length !== spec.count) return undefined;
    const out: ArgValue[] = [];
    for (const p of parts) {
      const v = scalar(spec.kind, p);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  const out: ArgValue[] = [];
  const walk = (pos: number, left: number): boolean => {
    if (left === 0) return pos === inner.length;
    const last = left === 1;
    let from = pos;
    for (;;) {
      const end = last ? inner.length : inner.indexOf(',', from);
      if (end < 0) return false;
      const v = scalar(spec.kind, inner.slice(pos, end));
      if (v !== undefined) {
        out.push(v);
        if (walk(last ? end : end + 1, left - 1)) return true;
        out.pop();
      }
      if (last) return false;
      from = end + 1;
    }
  };
  return walk(0, spec.count) ? out : undefined;
}

function valueOf(spec: ArgSpec, text: string): ArgValue | undefined {
  return spec.count ? arrayValue(spec, text) : scalar(spec.kind, text);
}

/** The " name=" keys of a spec list, computed once per list. */
const keyCache = new WeakMap<readonly ArgSpec[], string[]>();
function keysOf(specs: readonly ArgSpec[]): string[] {
  let k = keyCache.get(specs);
  if (!k) {
    k = specs.map((a) => ` ${a.name}=`);
    keyCache.set(specs, k);
  }
  return k;
}

/** One pass, taking the first place each value can end: right unless a string holds " next=". */
function parseTypedArgsGreedy(s: string, specs: readonly ArgSpec[], keys: readonly string[]): Record<string, ArgValue> | undefined {
  const out: Record<string, ArgValue> = {};
  let pos = 0;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!;
    const key = keys[i]!;
    if (!s.startsWith(key, pos)) return undefined;
    const v0 = pos + key.length;
    let end: number;
    if (!spec.count && (spec.kind === 'u' || spec.kind === 's' || spec.kind === 'x')) {
      end = s.indexOf(' ', v0);
      if (end < 0) end = s.length;
    } else if (!spec.count && spec.kind === 'char') {
      end = v0 + 3;
    } else if (i + 1 < specs.length) {
      end = s.indexOf(keys[i + 1]!, v0);
      if (end < 0) return undefined;
    } else {
      end = s.length;
    }
    const v = valueOf(spec, s.slice(v0, end));
    if (v === undefined) return undefined;
    out[spec.name] = v;
    pos = end;
  }
  return pos === s.length ? out : undefined;
}

/** Parse " a=1 b=\"x\" …" against the specs; undefined when the text does not fit them. */
function parseTypedArgs(s: string, specs: readonly ArgSpec[]): Record<string, ArgValue> | undefined {
  const keys = keysOf(specs);
  const fast = parseTypedArgsGreedy(s, specs, keys);
  if (fast) return fast;
  const out: Record<string, ArgValue> = {};
  const step = (pos: number, i: number): boolean => {
    if (i === specs.length) return pos === s.length;
    const spec = specs[i]!;
    const key = keys[i]!;
    if (!s.startsWith(key, pos)) return false;
    const v0 = pos + key.length;
    const nextKey = keys[i + 1];
    // Fixed-shape values end at a known place.
    if (!spec.count && (spec.kind === 'u' || spec.kind === 's' || spec.kind === 'x')) {
      let end = s.indexOf(' ', v0);
      if (end < 0) end = s.length;
      const v = scalar(spec.kind, s.slice(v0, end));
      if (v === undefined) return false;
      out[spec.name] = v;
      return step(end, i + 1);
    }
    if (!spec.count && spec.kind === 'char') {
      const v = scalar('char', s.slice(v0, v0 + 3));
      if (v === undefined) return false;
      out[spec.name] = v;
      return step(v0 + 3, i + 1);
    }
    // Strings, symbols and arrays may contain spaces: try each place the next argument could start.
    if (nextKey === undefined) {
      const v = valueOf(spec, s.slice(v0));
      if (v === undefined) return false;
      out[spec.name] = v;
      return true;
    }
    let from = v0;
    for (;;) {
      const end = s.indexOf(nextKey, from);
      if (end < 0) return false;
      const v = valueOf(spec, s.slice(v0, end));
      if (v !== undefined) {
        out[spec.name] = v;
        if (step(end, i + 1)) return true;
      }
      from = end + 1;
    }
  };
  return step(0, 0) ? out : undefined;
}

/** The fallback: split " name=value" pairs at every " word=" (values stay text). */
function parseRawArgs(s: string): Record<string, ArgValue> {
  const out: Record<string, ArgValue> = {};
  const re = / ([A-Za-z_]\w*)=/g;
  const marks: { name: string; start: number; vstart: number }[] = [];
  for (let m = re.exec(s); m; m = re.exec(s)) marks.push({ name: m[1]!, start: m.index, vstart: m.index + m[0].length });
  for (let i = 0; i < marks.length; i++) out[marks[i]!.name] = decodeBytes(s.slice(marks[i]!.vstart, i + 1 < marks.length ? marks[i + 1]!.start : s.length));
  return out;
}

/**
 * The probe part of a kprobe/uprobe event: "(IP)" or "(RET <- FUNC)", then the arguments, typed
 * by `specs` when given and when the text fits them. Undefined when the body is not a probe's.
 */
export function parseProbeBody(body: string, specs?: readonly ArgSpec[]): ProbeBody | undefined {
  if (body[0] !== '(') return undefined;
  const close = body.indexOf(')');
  if (close < 0) return undefined;
  const inner = body.slice(1, close);
  const rest = body.slice(close + 1);
  const arrow = inner.indexOf(' <- ');
  let args = specs ? parseTypedArgs(rest, specs) : undefined;
  const typed = args !== undefined;
  args ??= parseRawArgs(rest);
  // (Object literals, not spreads: this is the hot path of every streamed event.)
  if (arrow >= 0) return { caller: inner.slice(0, arrow), func: inner.slice(arrow + 4), args, typed };
  return { ip: inner, args, typed };
}

// --- back to text ----------------------------------------------------------------------------

/** The flags column's five characters as trace_entry flags and preempt count (trace_print_lat_fmt() inverted). */
export function decodeLatFmt(flags: string): { flags: number; preemptCount: number } | undefined {
  if (flags.length !== 5) return undefined;
  let f = 0;
  switch (flags[0]) {
    case 'D':
      f |= TRACE_FLAG_IRQS_OFF | TRACE_FLAG_BH_OFF;
      break;
    case 'd':
      f |= TRACE_FLAG_IRQS_OFF;
      break;
    case 'b':
      f |= TRACE_FLAG_BH_OFF;
      break;
    case 'X':
      f |= TRACE_FLAG_IRQS_NOSUPPORT;
      break;
    case '.':
      break;
    default:
      return undefined;
  }
  switch (flags[1]) {
    case 'N':
      f |= TRACE_FLAG_NEED_RESCHED | TRACE_FLAG_PREEMPT_RESCHED;
      break;
    case 'n':
      f |= TRACE_FLAG_NEED_RESCHED;
      break;
    case 'p':
      f |= TRACE_FLAG_PREEMPT_RESCHED;
      break;
    case '.':
      break;
    default:
      return undefined;
  }
  switch (flags[2]) {
    case 'Z':
      f |= TRACE_FLAG_NMI | TRACE_FLAG_HARDIRQ;
      break;
    case 'z':
      f |= TRACE_FLAG_NMI;
      break;
    case 'H':
      f |= TRACE_FLAG_HARDIRQ | TRACE_FLAG_SOFTIRQ;
      break;
    case 'h':
      f |= TRACE_FLAG_HARDIRQ;
      break;
    case 's':
      f |= TRACE_FLAG_SOFTIRQ;
      break;
    case '.':
      break;
    default:
      return undefined;
  }
  const nib = (c: string): number | undefined => (c === '.' ? 0 : /^[1-9a-f]$/.test(c) ? parseInt(c, 16) : undefined);
  const pc = nib(flags[3]!);
  const md = nib(flags[4]!);
  if (pc === undefined || md === undefined) return undefined;
  return { flags: f, preemptCount: pc | (md << 4) };
}

/** A printed timestamp ("2395.853014") as nanoseconds. */
export function timestampNs(ts: string): bigint {
  const dot = ts.indexOf('.');
  if (dot < 0) return BigInt(ts);
  return BigInt(ts.slice(0, dot)) * 1_000_000_000n + BigInt(ts.slice(dot + 1).padEnd(9, '0').slice(0, 9));
}

/** trace_print_context() for a parsed context: "            comm-pid     [cpu] flags  sec.usec: ". */
export function formatContext(c: TraceContext): string {
  let s = commPid(c.comm, c.pid);
  if (c.tgid !== undefined) s += c.tgid === 0 ? '(-------) ' : `(${String(c.tgid).padStart(7, ' ')}) `;
  s += `[${String(c.cpu).padStart(3, '0')}] `;
  const lat = decodeLatFmt(c.flags);
  if (lat) s += latFmt(lat.flags, lat.preemptCount);
  else if (c.flags) s += c.flags;
  s += c.timestamp.includes('.') ? printTime(timestampNs(c.timestamp)) : ` ${c.timestamp.padStart(12, ' ')}`;
  return s + ': ';
}

function formatScalar(kind: TypeKind, v: ArgValue): string {
  if (v === null) return '(fault)';
  if (typeof v === 'bigint') return kind === 'x' ? `0x${v.toString(16)}` : v.toString();
  if (typeof v === 'string') {
    if (kind === 'char') return `'${v}'`;
    if (kind === 'string') return `"${Buffer.from(v, 'utf8').toString('latin1')}"`;
    return v;
  }
  return String(v);
}

/** trace_probe_print_args(): " name=value" for each argument. */
export function formatArgs(args: Readonly<Record<string, ArgValue>>, specs: readonly ArgSpec[]): string {
  let s = '';
  for (const spec of specs) {
    const v = args[spec.name];
    s += ` ${spec.name}=`;
    if (spec.count && Array.isArray(v)) s += `{${v.map((e) => formatScalar(spec.kind, e)).join(',')}}`;
    else s += formatScalar(spec.kind, v ?? null);
  }
  return s;
}

/** A probe event's line, as the kernel prints it (without the newline). */
export function formatProbeLine(ctx: TraceContext, event: string, probe: ProbeBody, specs: readonly ArgSpec[]): string {
  const where = probe.ip !== undefined ? `(${probe.ip})` : `(${probe.caller} <- ${probe.func})`;
  return `${formatContext(ctx)}${event}: ${where}${formatArgs(probe.args, specs)}`;
}

// --- JSON ------------------------------------------------------------------------------------

/**
 * An argument value for JSON: decimal kinds as numbers (as strings past 2^53), hex kinds as
 * "0x…" strings as printed, strings (null for a fault), chars and symbols as strings, arrays.
 */
export function jsonValue(kind: TypeKind, v: ArgValue): unknown {
  if (Array.isArray(v)) return v.map((e) => jsonValue(kind, e));
  if (typeof v === 'bigint') {
    if (kind === 'x') return `0x${v.toString(16)}`;
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v.toString();
  }
  return v;
}

/** The arguments as a JSON-ready object (untyped values pass through as text). */
export function jsonArgs(args: Readonly<Record<string, ArgValue>>, specs: readonly ArgSpec[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const kinds = new Map((specs ?? []).map((s) => [s.name, s.kind]));
  for (const [k, v] of Object.entries(args)) {
    const kind = kinds.get(k);
    out[k] = kind ? jsonValue(kind, v) : v;
  }
  return out;
}

/**
 * One event as `kprobe host --json` prints it: comm, pid, cpu, flags, timestamp (seconds), event,
 * ip (entry probes) or caller and func (return probes), and args typed by `specs`.
 */
export function jsonEvent(rec: TraceRecord, body: ProbeBody | undefined, specs: readonly ArgSpec[] | undefined): Record<string, unknown> {
  const obj: Record<string, unknown> = {
    comm: decodeBytes(rec.comm),
    pid: rec.pid,
    cpu: rec.cpu,
    flags: rec.flags,
    timestamp: Number(rec.timestamp),
    event: rec.event,
  };
  if (body?.ip !== undefined) obj.ip = body.ip;
  if (body?.caller !== undefined) {
    obj.caller = body.caller;
    obj.func = body.func;
  }
  obj.args = body ? jsonArgs(body.args, body.typed ? specs : undefined) : { text: decodeBytes(rec.body) };
  return obj;
}
