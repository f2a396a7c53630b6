// An event's `format` file (events/GROUP/EVENT/format): its fields (type, offset, size,
// signedness) and print fmt, and from them the type of each probe argument as trace_pipe prints
// it: signed or unsigned decimal, hex, char, string, symbol, or an array of one of these.
// Counterpart of libtraceevent's event parsing (tep_parse_format(), event_read_fields(),
// event_read_print() in src/event-parse.c) over what the kernel writes: f_show()
// (kernel/trace/trace_events.c), traceprobe_define_arg_fields() and __set_print_fmt()
// (kernel/trace/trace_probe.c), whose output src/tracing/probe-event.ts reproduces.

import type { TypeKind } from '../tracing/probe-types.ts';

export interface FormatField {
  /** "unsigned long", "s32", "__data_loc char[]", "u8" (for "u8 arr[]"). */
  readonly type: string;
  readonly name: string;
  /** The field is an array ("u8 arr[]"). */
  readonly isArray: boolean;
  readonly offset: number;
  readonly size: number;
  readonly isSigned: boolean;
}

/** How one probe argument is printed, hence parsed back. */
export interface ArgSpec {
  readonly name: string;
  /** The element's kind: 'u' and 's' decimal, 'x' hex, 'char', 'string', 'symbol'. */
  readonly kind: TypeKind;
  /** Elements of an array argument ({a,b,c}); 0 for a scalar. */
  readonly count: number;
  /** Size in bytes of one element (strings: their 4-byte __data_loc). */
  readonly size: number;
  readonly isSigned: boolean;
}

export interface EventFormat {
  readonly name: string;
  readonly id: number;
  /** All fields, the common ones included. */
  readonly fields: FormatField[];
  /** The print fmt line after "print fmt: ". */
  readonly printFmt: string;
  /** A return probe (fields __probe_func and __probe_ret_ip). */
  readonly isReturn: boolean;
  /** The probe's arguments, in order. */
  readonly args: ArgSpec[];
}

const FIELD = /^\tfield:(.*?)\s*\b(\w+)(\[\d*\])?;\toffset:(\d+);\tsize:(\d+);\tsigned:(\d+);/;
const HEAD_FIELDS = new Set(['common_type', 'common_flags', 'common_preempt_count', 'common_pid', '__probe_ip', '__probe_func', '__probe_ret_ip']);

/** The kind of a printf conversion as __set_print_fmt() writes it. */
function convKind(conv: string): TypeKind | undefined {
  switch (conv) {
    case '%d':
    case '%Ld':
    case '%ld':
    case '%lld':
      return 's';
    case '%u':
    case '%Lu':
    case '%lu':
    case '%llu':
      return 'u';
    case '0x%x':
    case '0x%Lx':
    case '0x%lx':
    case '0x%llx':
    case '%x':
    case '%lx':
      return 'x';
    case "'%c'":
      return 'char';
    case '\\"%s\\"':
    case '%s':
      return 'string';
    case '%pS':
    case '%ps':
      return 'symbol';
    default:
      return undefined;
  }
}

/** The format string of a print fmt line (between its first pair of unescaped quotes). */
function formatString(printFmt: string): string {
  if (!printFmt.startsWith('"')) return '';
  for (let i = 1; i < printFmt.length; i++) {
    if (printFmt[i] === '\\') {
      i++;
      continue;
    }
    if (printFmt[i] === '"') return printFmt.slice(1, i);
  }
  return printFmt.slice(1);
}

/** Parse a format file. */
export function parseEventFormat(text: string): EventFormat {
  const lines = text.split('\n');
  let name = '';
  let id = 0;
  let printFmt = '';
  const fields: FormatField[] = [];
  for (const line of lines) {
    if (line.startsWith('name: ')) name = line.slice(6).trim();
    else if (line.startsWith('ID: ')) id = Number(line.slice(4));
    else if (line.startsWith('print fmt: ')) printFmt = line.slice('print fmt: '.length);
    else {
      const m = FIELD.exec(line);
      if (m) fields.push({ type: m[1]!, name: m[2]!, isArray: m[3] !== undefined, offset: Number(m[4]), size: Number(m[5]), isSigned: m[6] === '1' });
    }
  }
  const isReturn = fields.some((f) => f.name === '__probe_ret_ip');
  const fmt = formatString(printFmt);
  const argFields = fields.filter((f) => !HEAD_FIELDS.has(f.name));
  const args: ArgSpec[] = [];
  for (let i = 0; i < argFields.length; i++) {
    const f = argFields[i]!;
    // This argument's conversion: from " NAME=" up to the next argument's " NAME=" (or the end).
    const start = fmt.indexOf(` ${f.name}=`);
    const next = argFields[i + 1];
    let end = next ? fmt.indexOf(` ${next.name}=`, start + 1) : fmt.length;
    if (end < 0) end = fmt.length;
    const conv = start >= 0 ? fmt.slice(start + f.name.length + 2, end) : '';
    const isString = f.type.startsWith('__data_loc') || f.type.startsWith('__rel_loc');
    let count = 0;
    let elem = conv;
    if (conv.startsWith('{') && conv.endsWith('}')) {
      const parts = conv.slice(1, -1).split(',');
      count = parts.length;
      elem = parts[0]!;
    } else if (f.isArray) {
      count = Math.max(1, f.size / Math.max(1, sizeFromType(f.type)));
    }
    const kind: TypeKind = convKind(elem) ?? (isString ? 'string' : f.isSigned ? 's' : 'u');
    const size = count ? f.size / count : f.size;
    args.push({ name: f.name, kind, count, size, isSigned: f.isSigned });
  }
  return { name, id, fields, printFmt, isReturn, args };
}

function sizeFromType(type: string): number {
  const m = /^[us](8|16|32|64)$/.exec(type);
  return m ? Number(m[1]) / 8 : 1;
}
