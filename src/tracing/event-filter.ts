// Event filters (`events/GRP/EVENT/filter`): the counterpart of kernel/trace/trace_events_filter.c.
//
// The expression is compiled as the kernel compiles it: calc_stack() counts predicates and
// parentheses, predicate_parse() turns `a && !(b || c)` into a branch program in three passes,
// parse_pred() parses `FIELD OP VALUE` against the event's fields (numbers, quoted strings and
// globs, CPUS{list}, .function, .ustring), and filter_match_preds() runs the program on a
// record. Errors keep the kernel's codes and positions, which the filter file and error_log show.

import { globMatch, isalnum, isdigit, isspace, kstrtoll, kstrtoul, kstrtoull } from './kstr.ts';
import type { LoggedError } from './probe-errors.ts';
import type { SymbolAtAddress } from './host.ts';
import { EINVAL, ENOMEM } from '../uapi/errno.ts';

export const FILTER_ERRORS = [
  'No error',
  'Invalid operator',
  "Too many '('",
  "Too few '('",
  'Missing matching quote',
  "Missing '{'",
  "Missing '}'",
  'Operand too long',
  'Expecting string field',
  'Expecting numeric field',
  'Illegal operation for field type',
  'Field not found',
  'Illegal integer value',
  "Couldn't find or set field in one of a subsystem's events",
  'Too many terms in predicate expression',
  'Meaningless filter expression',
  'Invalid cpulist',
  "Only 'ip' field is supported for function trace",
  'Invalid value (did you forget quotes)?',
  'Function not found',
  'Error',
  'No filter found',
] as const;

const FILT_ERR_INVALID_OP = 1;
const FILT_ERR_TOO_MANY_OPEN = 2;
const FILT_ERR_TOO_MANY_CLOSE = 3;
const FILT_ERR_MISSING_QUOTE = 4;
const FILT_ERR_MISSING_BRACE_OPEN = 5;
const FILT_ERR_MISSING_BRACE_CLOSE = 6;
const FILT_ERR_OPERAND_TOO_LONG = 7;
const FILT_ERR_EXPECT_STRING = 8;
const FILT_ERR_EXPECT_DIGIT = 9;
const FILT_ERR_ILLEGAL_FIELD_OP = 10;
const FILT_ERR_FIELD_NOT_FOUND = 11;
const FILT_ERR_ILLEGAL_INTVAL = 12;
export const FILT_ERR_BAD_SUBSYS_FILTER = 13;
const FILT_ERR_TOO_MANY_PREDS = 14;
const FILT_ERR_INVALID_FILTER = 15;
const FILT_ERR_INVALID_CPULIST = 16;
const FILT_ERR_INVALID_VALUE = 18;
const FILT_ERR_NO_FUNCTION = 19;
const FILT_ERR_ERRNO = 20;
const FILT_ERR_NO_FILTER = 21;

const MAX_FILTER_STR_VAL = 256;
/** nr_cpumask_bits bounds CPU lists (CONFIG_NR_CPUS of a distribution kernel). */
const NR_CPUMASK_BITS = 4096;

export type FilterType = 'other' | 'static_string' | 'dyn_string' | 'rdyn_string' | 'ptr_string' | 'cpumask' | 'comm' | 'cpu' | 'stacktrace';

export interface FilterField {
  readonly name: string;
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  readonly isSigned: boolean;
  readonly filterType: FilterType;
}

/** filter_assign_type(). */
export function filterAssignType(type: string): FilterType {
  if (type.includes('__data_loc')) {
    if (type.includes('char')) return 'dyn_string';
    if (type.includes('cpumask_t')) return 'cpumask';
  }
  if (type.includes('__rel_loc') && type.includes('char')) return 'rdyn_string';
  if (type.includes('[') && type.includes('char')) return 'static_string';
  if (type === 'char *' || type === 'const char *') return 'ptr_string';
  return 'other';
}

/** ftrace_generic_fields and ftrace_common_fields. */
const GENERIC_FIELDS: FilterField[] = [
  { name: 'CPU', type: 'int', offset: 0, size: 0, isSigned: true, filterType: 'cpu' },
  { name: 'cpu', type: 'int', offset: 0, size: 0, isSigned: true, filterType: 'cpu' },
  { name: 'common_cpu', type: 'int', offset: 0, size: 0, isSigned: true, filterType: 'cpu' },
  { name: 'COMM', type: 'char *', offset: 0, size: 0, isSigned: false, filterType: 'comm' },
  { name: 'comm', type: 'char *', offset: 0, size: 0, isSigned: false, filterType: 'comm' },
  { name: 'stacktrace', type: 'char *', offset: 0, size: 0, isSigned: false, filterType: 'stacktrace' },
  { name: 'STACKTRACE', type: 'char *', offset: 0, size: 0, isSigned: false, filterType: 'stacktrace' },
];
const COMMON_FIELDS: FilterField[] = [
  { name: 'common_type', type: 'unsigned short', offset: 0, size: 2, isSigned: false, filterType: 'other' },
  { name: 'common_flags', type: 'unsigned char', offset: 2, size: 1, isSigned: false, filterType: 'other' },
  { name: 'common_preempt_count', type: 'unsigned char', offset: 3, size: 1, isSigned: false, filterType: 'other' },
  { name: 'common_pid', type: 'int', offset: 4, size: 4, isSigned: true, filterType: 'other' },
];

/** trace_find_event_field(): the event's own fields, then the generic ones, then the common ones. */
export function findFilterField(fields: readonly FilterField[], name: string): FilterField | undefined {
  return fields.find((f) => f.name === name) ?? GENERIC_FIELDS.find((f) => f.name === name) ?? COMMON_FIELDS.find((f) => f.name === name);
}

const OPS = ['~', '!=', '==', '<=', '<', '>=', '>', '&'] as const;
const OP_GLOB = 0;
const OP_NE = 1;
const OP_EQ = 2;
const OP_LE = 3;
const OP_LT = 4;
const OP_GE = 5;
const OP_GT = 6;
const OP_BAND = 7;

type MatchType = 'full' | 'front' | 'middle' | 'end' | 'glob';

interface Regex {
  pattern: string;
  len: number;
  type: MatchType;
  fieldLen: number;
}

type PredFn = 'nop' | 'num_eq' | 'num_cmp' | 'cpumask_scalar' | 'comm' | 'string' | 'strloc' | 'strrelloc' | 'pchar' | 'pchar_user' | 'cpu' | 'cpu_cpumask' | 'cpumask' | 'cpumask_cpu' | 'function';

interface Pred {
  fn: PredFn;
  field: FilterField;
  offset: number;
  op: number;
  not: boolean;
  val: bigint;
  val2: bigint;
  regex?: Regex;
  mask?: Set<number>;
}

interface ProgEntry {
  target: number;
  whenToBranch: boolean;
  pred?: Pred;
}

/** What parsing needs beyond the fields. */
export interface FilterParseEnv {
  readonly fields: readonly FilterField[];
  readonly nrCpus: number;
  readonly bits: number;
  lookupName(name: string): bigint | undefined;
  lookupAddress(addr: bigint): SymbolAtAddress | undefined;
}

/** A record the program runs on. */
export interface FilterRecord {
  readonly view: DataView;
  readonly littleEndian: boolean;
  readonly comm: string;
  readonly cpu: number;
  /** For char * fields: read a NUL-terminated string (user or kernel); undefined on fault. */
  readString?(addr: bigint, user: boolean): string | undefined;
}

export class EventFilter {
  constructor(
    /** The program, or undefined for a filter that failed to compile. */
    private readonly prog: ProgEntry[] | undefined,
    /** What reading the filter file shows (the expression, or the expression with the error). */
    readonly filterString: string,
  ) {}

  /** filter_match_preds(): 1 to keep the event. */
  match(rec: FilterRecord): boolean {
    const prog = this.prog;
    if (!prog) return true;
    let i = 0;
    for (; prog[i]!.pred; i++) {
      const m = runPred(prog[i]!.pred!, rec);
      if (m === prog[i]!.whenToBranch) i = prog[i]!.target;
    }
    return prog[i]!.target !== 0;
  }
}

interface ParseError {
  lasterr: number;
  pos: number;
}

function regexParse(buff: string): { type: MatchType; search: string; not: boolean } {
  let type: MatchType = 'full';
  let not = false;
  let b = buff;
  if (b[0] === '!') {
    not = true;
    b = b.slice(1);
  }
  let search = b;
  if (isdigit(b[0])) return { type: 'full', search, not };
  for (let i = 0; i < b.length; i++) {
    if (b[i] === '*') {
      if (!i) type = 'end';
      else if (i === b.length - 1) {
        type = type === 'end' ? 'middle' : 'front';
        b = b.slice(0, i);
        search = b;
        break;
      } else return { type: 'glob', search: b, not };
    } else if ('[?\\'.includes(b[i]!)) return { type: 'glob', search: b, not };
  }
  if (b[0] === '*') search = b.slice(1);
  return { type, search, not };
}

/** The C string of a buffer region: up to the first NUL, or len bytes (0: unbounded). */
function cstr(s: string, len: number): string {
  const lim = len ? s.slice(0, len) : s;
  const nul = lim.indexOf('\0');
  return nul >= 0 ? lim.slice(0, nul) : lim;
}

function regexMatch(r: Regex, str: string, len: number): boolean {
  switch (r.type) {
    case 'full': {
      if (!len) return cstr(str, 0) === r.pattern;
      if (len < r.len) return false;
      // strncmp(str, pattern, len): equal over len bytes, stopping at a NUL in both.
      return cstr(str, len) === cstr(r.pattern, len);
    }
    case 'front':
      if (len && len < r.len) return false;
      return cstr(str, 0).slice(0, r.len) === r.pattern;
    case 'middle':
      return cstr(str, len).includes(r.pattern);
    case 'end': {
      const n = len - 1;
      return n >= r.len && str.slice(n - r.len, n) === r.pattern;
    }
    case 'glob':
      return globMatch(r.pattern, str, len);
  }
}

function fieldBytes(rec: FilterRecord, off: number, len: number): string {
  const v = rec.view;
  let s = '';
  for (let i = 0; i < len && off + i < v.byteLength; i++) s += String.fromCharCode(v.getUint8(off + i));
  return s;
}

function readField(rec: FilterRecord, off: number, size: number): bigint {
  const v = rec.view;
  const le = rec.littleEndian;
  switch (size) {
    case 1:
      return BigInt(v.getUint8(off));
    case 2:
      return BigInt(v.getUint16(off, le));
    case 4:
      return BigInt(v.getUint32(off, le));
    case 8:
      return v.getBigUint64(off, le);
    default:
      return 0n;
  }
}

function runPred(p: Pred, rec: FilterRecord): boolean {
  const size = p.field.size;
  switch (p.fn) {
    case 'num_eq': {
      const a = readField(rec, p.offset, size);
      return (a === BigInt.asUintN(size * 8, p.val)) !== p.not;
    }
    case 'num_cmp': {
      const bits = size * 8;
      const raw = readField(rec, p.offset, size);
      const a = p.field.isSigned ? BigInt.asIntN(bits, raw) : raw;
      const b = p.field.isSigned ? BigInt.asIntN(bits, p.val) : BigInt.asUintN(bits, p.val);
      switch (p.op) {
        case OP_LT:
          return a < b;
        case OP_LE:
          return a <= b;
        case OP_GT:
          return a > b;
        case OP_GE:
          return a >= b;
        case OP_BAND:
          return (BigInt.asUintN(bits, a) & BigInt.asUintN(bits, b)) !== 0n;
        default:
          return false;
      }
    }
    case 'cpumask_scalar': {
      const cpu = Number(readField(rec, p.offset, size));
      if (cpu >= 4096) return false;
      return scalarCpumask(p.op, cpu, p.mask!);
    }
    case 'string':
      return regexMatch(p.regex!, fieldBytes(rec, p.offset, p.regex!.fieldLen), p.regex!.fieldLen) !== p.not;
    case 'strloc': {
      const item = Number(readField(rec, p.offset, 4));
      const loc = item & 0xffff;
      const len = item >>> 16;
      return regexMatch(p.regex!, fieldBytes(rec, loc, len), len) !== p.not;
    }
    case 'strrelloc': {
      const item = Number(readField(rec, p.offset, 4));
      const loc = (item & 0xffff) + p.offset + 4;
      const len = item >>> 16;
      return regexMatch(p.regex!, fieldBytes(rec, loc, len), len) !== p.not;
    }
    case 'pchar':
    case 'pchar_user': {
      const addr = readField(rec, p.offset, size);
      const s = rec.readString?.(addr, p.fn === 'pchar_user');
      if (s === undefined) return false;
      return regexMatch(p.regex!, s + '\0', s.length + 1) !== p.not;
    }
    case 'comm':
      return regexMatch(p.regex!, rec.comm + '\0', 16) !== p.not;
    case 'cpu': {
      const cpu = BigInt(rec.cpu);
      const cmp = BigInt.asIntN(32, p.val);
      switch (p.op) {
        case OP_EQ:
          return cpu === cmp;
        case OP_NE:
          return cpu !== cmp;
        case OP_LT:
          return cpu < cmp;
        case OP_LE:
          return cpu <= cmp;
        case OP_GT:
          return cpu > cmp;
        case OP_GE:
          return cpu >= cmp;
        default:
          return false;
      }
    }
    case 'cpu_cpumask':
      return scalarCpumask(p.op, rec.cpu, p.mask!);
    case 'cpumask':
    case 'cpumask_cpu':
      // Events with cpumask fields do not exist among probe events.
      return false;
    case 'function': {
      const a = readField(rec, p.offset, size);
      const inside = a >= p.val && a < p.val2;
      return p.op === OP_EQ ? inside : !inside;
    }
    default:
      return false;
  }
}

/** do_filter_scalar_cpumask(): a mask of weight >= 2 never equals one CPU. */
function scalarCpumask(op: number, cpu: number, mask: Set<number>): boolean {
  switch (op) {
    case OP_EQ:
      return false;
    case OP_NE:
      return true;
    case OP_BAND:
      return mask.has(cpu);
    default:
      return false;
  }
}

/** cpulist_parse(): "0-3,5,8-15:2". */
function cpulistParse(s: string): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of s.split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+)\/(\d+))?)?$/.exec(part);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    if (b < a || b >= NR_CPUMASK_BITS) return undefined;
    const used = m[3] !== undefined ? Number(m[3]) : 1;
    const group = m[4] !== undefined ? Number(m[4]) : 1;
    if (used === 0 || used > group) return undefined;
    for (let c = a; c <= b; c++) if ((c - a) % group < used) out.add(c);
  }
  return out;
}

function selectComparisonFn(op: number, size: number): PredFn {
  if (size !== 1 && size !== 2 && size !== 4 && size !== 8) return 'nop';
  return op === OP_EQ || op === OP_NE ? 'num_eq' : 'num_cmp';
}

const isStringField = (f: FilterField): boolean =>
  f.filterType === 'dyn_string' || f.filterType === 'rdyn_string' || f.filterType === 'static_string' || f.filterType === 'ptr_string' || f.filterType === 'comm';

/** parse_pred(): returns the characters consumed, or a negative value. */
function parsePred(str: string, start: number, env: FilterParseEnv, pos: number, pe: ParseError, out: { pred?: Pred }): number {
  const at = (k: number): string => str[start + k] ?? '\0';
  let i = 0;
  while (isspace(at(i))) i++;
  let s = i;
  while (isalnum(at(i)) || at(i) === '_') i++;
  let len = i - s;
  if (!len) return -1;
  const field = findFilterField(env.fields, str.slice(start + s, start + i));
  if (!field) {
    pe.lasterr = FILT_ERR_FIELD_NOT_FOUND;
    pe.pos = pos + i;
    return -EINVAL;
  }
  const err = (code: number, p: number): number => {
    pe.lasterr = code;
    pe.pos = pos + p;
    return -EINVAL;
  };
  const rest = (): string => str.slice(start + i);
  let ustring = false;
  let fn = false;
  if (rest().startsWith('.ustring')) {
    ustring = true;
    i += 8;
  }
  if (rest().startsWith('.function')) {
    fn = true;
    i += 9;
  }
  while (isspace(at(i))) i++;
  let op = 0;
  for (; op < OPS.length; op++) if (rest().startsWith(OPS[op]!)) break;
  if (op === OPS.length) return err(FILT_ERR_INVALID_OP, i);
  i += OPS[op]!.length;
  while (isspace(at(i))) i++;
  s = i;
  const pred: Pred = { fn: 'nop', field, offset: field.offset, op, not: false, val: 0n, val2: 0n };

  if (fn) {
    if (field.size !== env.bits / 8) return err(FILT_ERR_ILLEGAL_FIELD_OP, i);
    if (op !== OP_NE && op !== OP_EQ) return err(FILT_ERR_INVALID_OP, i);
    let ip: bigint;
    if (isdigit(at(i))) {
      while (isalnum(at(i))) i++;
      len = i - s;
      if (len >= 24) return err(FILT_ERR_OPERAND_TOO_LONG, i);
      const r = kstrtoul(str.slice(start + s, start + i), 0, env.bits);
      if (!r.ok) return err(FILT_ERR_INVALID_VALUE, i);
      ip = r.value;
    } else {
      s = i;
      while (at(i) !== '\0' && !isspace(at(i))) i++;
      const a = env.lookupName(str.slice(start + s, start + i));
      if (a === undefined || a === 0n) return err(FILT_ERR_NO_FUNCTION, i);
      ip = a;
    }
    const sym = env.lookupAddress(ip);
    if (!sym) return err(FILT_ERR_NO_FUNCTION, i);
    pred.fn = 'function';
    pred.val = ip - sym.offset;
    pred.val2 = pred.val + sym.size;
  } else if (rest().startsWith('CPUS')) {
    if (field.filterType !== 'cpumask' && field.filterType !== 'cpu' && field.filterType !== 'other') return err(FILT_ERR_ILLEGAL_FIELD_OP, i);
    if (op !== OP_EQ && op !== OP_NE && op !== OP_BAND) return err(FILT_ERR_ILLEGAL_FIELD_OP, i);
    i += 4;
    if (at(i++) !== '{') return err(FILT_ERR_MISSING_BRACE_OPEN, i);
    const maskstart = i;
    while (at(i) !== '\0' && at(i) !== '}') i++;
    if (at(i) !== '}') return err(FILT_ERR_MISSING_BRACE_CLOSE, i);
    if (maskstart === i) return err(FILT_ERR_INVALID_CPULIST, i);
    const mask = cpulistParse(str.slice(start + maskstart, start + i));
    if (!mask) return err(FILT_ERR_INVALID_CPULIST, i);
    i++;
    const single = mask.size === 1;
    if (single) pred.val = BigInt([...mask][0]!);
    else pred.mask = mask;
    if (field.filterType === 'cpumask') {
      pred.fn = single ? 'cpumask_cpu' : 'cpumask';
    } else if (field.filterType === 'cpu') {
      if (single) {
        if (pred.op === OP_BAND) pred.op = OP_EQ;
        pred.fn = 'cpu';
      } else pred.fn = 'cpu_cpumask';
    } else if (single) {
      if (pred.op === OP_BAND) pred.op = OP_EQ;
      pred.fn = selectComparisonFn(pred.op, field.size);
      if (pred.op === OP_NE) pred.not = true;
    } else {
      pred.fn = field.size === 1 || field.size === 2 || field.size === 4 || field.size === 8 ? 'cpumask_scalar' : 'nop';
    }
  } else if (at(i) === "'" || at(i) === '"') {
    const q = at(i);
    switch (op) {
      case OP_NE:
        pred.not = true;
        break;
      case OP_GLOB:
      case OP_EQ:
        break;
      default:
        return err(FILT_ERR_ILLEGAL_FIELD_OP, i);
    }
    if (!isStringField(field)) return err(FILT_ERR_EXPECT_DIGIT, i);
    for (i++; at(i) !== '\0'; i++) if (at(i) === q) break;
    if (at(i) === '\0') return err(FILT_ERR_MISSING_QUOTE, i);
    s++;
    len = i - s;
    if (len >= MAX_FILTER_STR_VAL) return err(FILT_ERR_OPERAND_TOO_LONG, i);
    let pattern = str.slice(start + s, start + i);
    let type: MatchType = 'full';
    if (op === OP_GLOB) {
      const r = regexParse(pattern);
      type = r.type;
      pattern = r.search;
      pred.not = r.not;
    }
    pred.regex = { pattern, len: pattern.length, type, fieldLen: 0 };
    if (field.filterType === 'comm') pred.fn = 'comm';
    else if (field.filterType === 'static_string') {
      pred.fn = 'string';
      pred.regex.fieldLen = field.size;
    } else if (field.filterType === 'dyn_string') pred.fn = 'strloc';
    else if (field.filterType === 'rdyn_string') pred.fn = 'strrelloc';
    else pred.fn = ustring ? 'pchar_user' : 'pchar';
    i++;
  } else if (isdigit(at(i)) || at(i) === '-') {
    if (isStringField(field)) return err(FILT_ERR_EXPECT_STRING, i);
    if (op === OP_GLOB) return err(FILT_ERR_ILLEGAL_FIELD_OP, i);
    if (at(i) === '-') i++;
    while (isalnum(at(i))) i++;
    len = i - s;
    if (len >= 24) return err(FILT_ERR_OPERAND_TOO_LONG, i);
    const num = str.slice(start + s, start + i);
    const r = field.isSigned ? kstrtoll(num, 0) : kstrtoull(num, 0);
    if (!r.ok) return err(FILT_ERR_ILLEGAL_INTVAL, s);
    pred.val = BigInt.asUintN(64, r.value);
    if (field.filterType === 'cpu') pred.fn = 'cpu';
    else {
      pred.fn = selectComparisonFn(pred.op, field.size);
      if (pred.op === OP_NE) pred.not = true;
    }
  } else {
    return err(FILT_ERR_INVALID_VALUE, i);
  }
  out.pred = pred;
  return i;
}

/** calc_stack(): returns 0 and the counts, or -1/-2/-3 (too many ')' / '(' / missing quote) and where. */
function calcStack(str: string): { ret: number; parens: number; preds: number; err: number } {
  let isPred = false;
  let nrPreds = 0;
  let open = 1;
  let lastQuote = 0;
  let maxOpen = 1;
  let quote = '';
  let i: number;
  for (i = 0; i < str.length && str[i] !== '\0'; i++) {
    const ch = str[i]!;
    if (isspace(ch)) continue;
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    switch (ch) {
      case "'":
      case '"':
        quote = ch;
        lastQuote = i;
        break;
      case '|':
      case '&':
        if (str[i + 1] !== ch) break;
        isPred = false;
        continue;
      case '(':
        isPred = false;
        open++;
        if (open > maxOpen) maxOpen = open;
        continue;
      case ')':
        isPred = false;
        if (open === 1) return { ret: -1, parens: 0, preds: 0, err: i };
        open--;
        continue;
    }
    if (!isPred) {
      nrPreds++;
      isPred = true;
    }
  }
  if (quote) return { ret: -3, parens: 0, preds: 0, err: lastQuote };
  if (open !== 1) {
    let level = open;
    quote = '';
    for (i--; i; i--) {
      const ch = str[i]!;
      if (quote) {
        if (ch === quote) quote = '';
        continue;
      }
      switch (ch) {
        case '(':
          if (level === open) return { ret: -2, parens: 0, preds: 0, err: i };
          level--;
          break;
        case ')':
          level++;
          break;
        case "'":
        case '"':
          quote = ch;
          break;
      }
    }
    return { ret: -2, parens: 0, preds: 0, err: 0 };
  }
  return { ret: 0, parens: maxOpen, preds: nrPreds, err: 0 };
}

const INVERT = 1;
const PROCESS_AND = 2;
const PROCESS_OR = 4;

/** predicate_parse(): the three-pass compiler. Returns the program or a negative errno. */
function predicateParse(str: string, nrParens: number, nrPreds: number, env: FilterParseEnv, pe: ParseError): ProgEntry[] | number {
  const prog: ProgEntry[] = Array.from({ length: nrPreds + 2 }, () => ({ target: 0, whenToBranch: false }));
  const inverts: boolean[] = [];
  const opStack: number[] = [0];
  let top = 0;
  let invert = false;
  let N = 0;
  let ptr = 0;
  const at = (k: number): string => str[k] ?? '\0';
  let ret = -ENOMEM;
  let viaInner = false;

  const updatePreds = (n: number, inv: boolean): void => {
    const t = prog[n]!.target;
    const s = prog[t]!.target;
    prog[t]!.whenToBranch = inv;
    prog[t]!.target = n;
    prog[n]!.target = s;
  };

  outer: while (at(ptr) !== '\0') {
    let next = ptr++;
    if (isspace(at(next))) continue;
    const ch = at(next);
    if (ch === '(') {
      if (top >= nrParens - 1) return -EINVAL;
      opStack[++top] = invert ? INVERT : 0;
      continue;
    }
    if (ch === '!' && at(next + 1) !== '=' && at(next + 1) !== '~') {
      invert = !invert;
      continue;
    }
    if (N >= nrPreds) {
      pe.lasterr = FILT_ERR_TOO_MANY_PREDS;
      pe.pos = next;
      return ret;
    }
    inverts[N] = invert;
    prog[N]!.target = N - 1;
    const out: { pred?: Pred } = {};
    const len = parsePred(str, next, env, ptr, pe, out);
    if (len < 0) return len;
    prog[N]!.pred = out.pred;
    ptr = next + len;
    N++;
    ret = -1;
    for (;;) {
      next = ptr++;
      const c = at(next);
      if (isspace(c)) continue;
      switch (c) {
        case ')':
        case '\0':
          break;
        case '&':
        case '|':
          if (at(next + 1) === c) {
            ptr++;
            break;
          }
        // falls through
        default:
          pe.lasterr = FILT_ERR_TOO_MANY_PREDS;
          pe.pos = next;
          return ret;
      }
      invert = (opStack[top]! & INVERT) !== 0;
      if (opStack[top]! & PROCESS_AND) {
        updatePreds(N - 1, invert);
        opStack[top]! &= ~PROCESS_AND;
      }
      if (c === '&') {
        opStack[top]! |= PROCESS_AND;
        break;
      }
      if (opStack[top]! & PROCESS_OR) {
        updatePreds(N - 1, !invert);
        opStack[top]! &= ~PROCESS_OR;
      }
      if (c === '|') {
        opStack[top]! |= PROCESS_OR;
        break;
      }
      if (c === '\0') {
        viaInner = true;
        break outer;
      }
      if (top === 0) {
        pe.lasterr = FILT_ERR_TOO_MANY_CLOSE;
        pe.pos = ptr;
        return -1;
      }
      top--;
    }
    continue;
  }
  // Only the inner loop can complete a non-empty expression (a trailing && or || cannot).
  if (!viaInner && N) {
    pe.lasterr = FILT_ERR_INVALID_FILTER;
    pe.pos = ptr;
    return -EINVAL;
  }
  if (top !== 0) {
    pe.lasterr = FILT_ERR_TOO_MANY_OPEN;
    pe.pos = ptr;
    return ret;
  }
  if (!N) {
    pe.lasterr = FILT_ERR_NO_FILTER;
    pe.pos = ptr;
    return -EINVAL;
  }
  prog[N]!.pred = undefined;
  prog[N]!.target = 1;
  prog[N + 1]!.pred = undefined;
  prog[N + 1]!.target = 0;
  prog[N - 1]!.target = N;
  prog[N - 1]!.whenToBranch = false;
  for (let i = N - 1; i--; ) {
    const target = prog[i]!.target;
    if (prog[i]!.whenToBranch === prog[target]!.whenToBranch) prog[i]!.target = prog[target]!.target;
  }
  for (let i = 0; i < N; i++) {
    prog[i]!.whenToBranch = inverts[i] !== prog[i]!.whenToBranch;
    if (prog[i]!.target <= i) return -EINVAL;
  }
  return prog;
}

export interface FilterCompileResult {
  /** 0 or a negative errno (what the write returns). */
  readonly err: number;
  /** The filter to install (always, even on error: the kernel swaps it in to show the error). */
  readonly filter: EventFilter;
  /** The error_log entry, if any. */
  readonly logged?: LoggedError;
}

function appendFilterErr(filterString: string, pe: ParseError): { text: string; logged: LoggedError } {
  let pos = pe.pos;
  const len = filterString.length;
  if (pos > len) pos = len;
  if (pos) pos++;
  let text = filterString;
  let logged: LoggedError;
  if (pe.lasterr > 0) {
    text += '\n' + '^'.padStart(pos, ' ');
    text += `\nparse_error: ${FILTER_ERRORS[pe.lasterr]}\n`;
    logged = { location: 'event filter parse error', code: String(pe.lasterr), text: FILTER_ERRORS[pe.lasterr]!, command: filterString, pos: pe.pos & 0xffff };
  } else {
    text += `\nError: (${pe.lasterr})\n`;
    logged = { location: 'event filter parse error', code: 'ERRNO', text: FILTER_ERRORS[FILT_ERR_ERRNO], command: filterString, pos: 0 };
  }
  return { text, logged };
}

/**
 * create_filter() for one event: compile a filter string (already stripped of trailing white
 * space, as apply_event_filter() leaves it).
 */
export function compileEventFilter(filterString: string, env: FilterParseEnv): FilterCompileResult {
  const pe: ParseError = { lasterr: 0, pos: 0 };
  let err: number;
  let prog: ProgEntry[] | undefined;
  const cs = calcStack(filterString);
  if (cs.ret < 0) {
    pe.lasterr = cs.ret === -3 ? FILT_ERR_MISSING_QUOTE : cs.ret === -2 ? FILT_ERR_TOO_MANY_OPEN : FILT_ERR_TOO_MANY_CLOSE;
    pe.pos = cs.err;
    err = cs.ret;
  } else if (!cs.preds) {
    err = -EINVAL;
  } else {
    const r = predicateParse(filterString, cs.parens, cs.preds, env, pe);
    if (typeof r === 'number') err = r;
    else {
      err = 0;
      prog = r;
    }
  }
  if (err) {
    const { text, logged } = appendFilterErr(filterString, pe);
    return { err, filter: new EventFilter(undefined, text), logged };
  }
  return { err: 0, filter: new EventFilter(prog, filterString) };
}

/** Parse a subsystem filter against each event; see apply_subsystem_event_filter(). */
export function subsystemFilterError(filterString: string): { text: string; logged: LoggedError } {
  return appendFilterErr(filterString, { lasterr: FILT_ERR_BAD_SUBSYS_FILTER, pos: 0 });
}
