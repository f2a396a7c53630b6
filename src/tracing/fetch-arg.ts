// Parsing one probe argument, `[NAME=]FETCHARG[:TYPE]`, into a fetch program: the counterpart of
// traceprobe_parse_probe_arg(), parse_probe_arg(), parse_probe_vars(), parse_probe_arg_type(),
// finalize_fetch_insn() and __store_entry_arg() in kernel/trace/trace_probe.c.
//
// The program is the kernel's: a load (register, stack, $retval, immediate, …), dereferences,
// one store (raw, memory, string, …), an optional bitfield modifier and an optional array loop,
// at most FETCH_INSN_MAX instructions. Errors are logged with the kernel's offsets (the caret
// position is what ftracetest checks), and functions return 0 or a negative errno as the C does.

import type { Btf, BtfParam, BtfType } from '../machine/btf.ts';
import type { ArchSpec } from './arch.ts';
import { isalpha, isdigit, kstrtol, kstrtoul, kstrtouint, simpleStrtoul } from './kstr.ts';
import type { ProbeErrorCode, ProbeLog } from './probe-errors.ts';
import { findFetchType, type FetchType } from './probe-types.ts';
import { checkPrepareBtfStringFetch, findFetchTypeFromBtfType, parseBtfArg, parseBtfBitfield } from './probe-btf.ts';
import { E2BIG, EINVAL, ENOSPC } from '../uapi/errno.ts';

export const MAX_TRACE_ARGS = 128;
export const MAX_ARGSTR_LEN = 63;
export const MAX_ARRAY_LEN = 64;
export const MAX_ARG_NAME_LEN = 32;
export const MAX_STRING_SIZE = 4096;
export const MAX_PROBE_EVENT_SIZE = 3072;
export const FETCH_INSN_MAX = 16;

/** Argument parse flags (TPARG_FL_*). */
export const TPARG_FL_RETURN = 1 << 0;
export const TPARG_FL_KERNEL = 1 << 1;
export const TPARG_FL_FENTRY = 1 << 2;
export const TPARG_FL_TEVENT = 1 << 3;
export const TPARG_FL_USER = 1 << 4;
export const TPARG_FL_FPROBE = 1 << 5;
export const TPARG_FL_TPOINT = 1 << 6;
const TPARG_FL_LOC_MASK = 0x1f;

export const tpargIsFunctionEntry = (f: number): boolean => (f & TPARG_FL_LOC_MASK) === (TPARG_FL_KERNEL | TPARG_FL_FENTRY);
export const tpargIsFunctionReturn = (f: number): boolean => (f & TPARG_FL_LOC_MASK) === (TPARG_FL_KERNEL | TPARG_FL_RETURN);

export type FetchOp =
  | 'nop'
  | 'reg'
  | 'stack'
  | 'stackp'
  | 'retval'
  | 'imm'
  | 'comm'
  | 'arg'
  | 'foffs'
  | 'data'
  | 'edata'
  | 'deref'
  | 'uderef'
  | 'st_raw'
  | 'st_mem'
  | 'st_umem'
  | 'st_string'
  | 'st_ustring'
  | 'st_symstr'
  | 'mod_bf'
  | 'lp_array'
  | 'end'
  | 'nop_symbol';

/** struct fetch_insn (the C union flattened). */
export interface FetchInsn {
  op: FetchOp;
  /** reg: register name; nop_symbol: SYM[+-OFFS]; data: the immediate string. */
  name: string;
  /** stack: N; arg: N (0-based); lp_array: count. */
  param: number;
  /** Store size. */
  size: number;
  /** deref/uderef/st_*: offset added to the address; edata: offset in the entry data. */
  offset: bigint;
  /** imm/foffs: the value. */
  imm: bigint;
  basesize: number;
  lshift: number;
  rshift: number;
}

export const newInsn = (): FetchInsn => ({ op: 'nop', name: '', param: 0, size: 0, offset: 0n, imm: 0n, basesize: 0, lshift: 0, rshift: 0 });

/** struct probe_arg. */
export interface ProbeArg {
  name: string;
  /** The argument text after NAME= (what the listing prints). */
  comm: string;
  type: FetchType;
  /** Array element count (0: not an array). */
  count: number;
  /** Offset of the field from the start of the argument area. */
  offset: number;
  /** Dynamic (string) data follows the fixed part. */
  dynamic: boolean;
  /** Format-file type for arrays ("u8[4]"). */
  fmt?: string;
  code: FetchInsn[];
}

/** A (argument number, entry-data offset) pair stored by a return probe's entry handler. */
export interface EntryArgSlot {
  argnum: number;
  offset: number;
}

/** The part of struct trace_probe the argument parser fills. */
export interface ProbeArgsBuilder {
  args: ProbeArg[];
  /** Fixed size of the argument area (tp->size). */
  size: number;
  /** tp->entry_arg: $argN values a return probe saves at function entry; undefined if none. */
  entryArg?: { slots: EntryArgSlot[]; capacity: number };
  /** Number of arguments (sizes the entry-arg table as the kernel does). */
  nrArgs: number;
}

export interface ParseContext {
  readonly arch: ArchSpec;
  flags: number;
  /** Offset of the text being parsed within the current argv word (for carets). */
  offset: number;
  readonly log: ProbeLog;
  tp: ProbeArgsBuilder;
  /** CONFIG_PROBE_EVENTS_BTF_ARGS: unnamed args may take their own text as a name, BTF names parse. */
  readonly btfArgs: boolean;
  /** The kernel's BTF (undefined: none, so BTF lookups fail). */
  readonly btf?: Btf;
  /** ctx->funcname: the probed function, whose BTF prototype names the parameters. */
  funcname?: string;
  /** ctx->proto and ctx->params once query_btf_context() found them (probe-btf.ts). */
  btfProto?: BtfType;
  btfParams?: readonly BtfParam[];
  /** ctx->last_type, last_bitoffs, last_bitsize: the BTF type of the value just parsed. */
  lastType?: BtfType;
  lastBitoffs?: number;
  lastBitsize?: number;
}

const PARAM_MAX_STACK = (arch: ArchSpec): number => arch.threadSize / (arch.bits / 8);

function logErr(ctx: ParseContext, offset: number, code: ProbeErrorCode): void {
  ctx.log.err(offset, code);
}

/** Register a $argN fetch at function entry for a return probe; returns the entry-data offset. */
export function storeEntryArg(ctx: ParseContext, argnum: number): number {
  const tp = ctx.tp;
  if (!tp.entryArg) tp.entryArg = { slots: [], capacity: tp.nrArgs };
  const earg = tp.entryArg;
  const word = ctx.arch.bits / 8;
  let offset = 0;
  for (const s of earg.slots) {
    offset = s.offset;
    if (s.argnum === argnum) return offset;
    offset += word;
  }
  if (earg.slots.length >= earg.capacity) return -ENOSPC;
  earg.slots.push({ argnum, offset });
  return offset;
}

/** traceprobe_get_entry_data_size(). */
export function entryDataSize(tp: ProbeArgsBuilder, arch: ArchSpec): number {
  const slots = tp.entryArg?.slots ?? [];
  return slots.length === 0 ? 0 : slots[slots.length - 1]!.offset + arch.bits / 8;
}

function strHasPrefix(s: string, prefix: string): number {
  return s.startsWith(prefix) ? prefix.length : 0;
}

/**
 * parse_probe_vars(): `$…` variables. codes[pc] is the slot being filled; returns [ret, pc] (a
 * BTF-typed $retval with fields adds instructions).
 */
function parseProbeVars(origArg: string, codes: FetchInsn[], pc: number, ctx: ParseContext): [number, number] {
  let err: ProbeErrorCode = 'BAD_VAR';
  const arg = origArg.slice(1);
  const code = codes[pc]!;

  if (strHasPrefix(arg, 'retval')) {
    if (!(ctx.flags & TPARG_FL_RETURN)) {
      err = 'RETVAL_ON_PROBE';
    } else if (!(ctx.flags & TPARG_FL_KERNEL) || !ctx.btfArgs) {
      // Without BTF the return value is simply the return register.
      code.op = 'retval';
      return [0, pc];
    } else {
      return parseBtfArg(origArg, codes, pc, FETCH_INSN_MAX - 1, ctx);
    }
  } else if (strHasPrefix(arg, 'stack')) {
    const len = 5;
    if (arg.length === len) {
      code.op = 'stackp';
      return [0, pc];
    }
    if (isdigit(arg[len])) {
      const r = kstrtoul(arg.slice(len), 10);
      if (r.ok) {
        if (ctx.flags & TPARG_FL_KERNEL && r.value > BigInt(PARAM_MAX_STACK(ctx.arch))) {
          err = 'BAD_STACK_NUM';
        } else {
          code.op = 'stack';
          code.param = Number(r.value);
          return [0, pc];
        }
      }
    }
  } else if (arg === 'comm' || arg === 'COMM') {
    code.op = 'comm';
    return [0, pc];
  } else if (ctx.arch.argAccess && strHasPrefix(arg, 'arg')) {
    const r = kstrtoul(arg.slice(3), 10);
    if (r.ok) {
      if (r.value === 0n || r.value > BigInt(PARAM_MAX_STACK(ctx.arch))) {
        err = 'BAD_ARG_NUM';
      } else {
        const param = Number(r.value) - 1;
        if (tpargIsFunctionEntry(ctx.flags)) {
          code.op = 'arg';
          code.param = param;
          if (ctx.flags & TPARG_FL_TPOINT) code.param++;
          return [0, pc];
        } else if (tpargIsFunctionReturn(ctx.flags)) {
          const off = storeEntryArg(ctx, param);
          if (off < 0) return [off, pc];
          code.op = 'edata';
          code.offset = BigInt(off);
          return [0, pc];
        } else {
          err = 'NOFENTRY_ARGS';
        }
      }
    }
  }
  logErr(ctx, ctx.offset, err);
  return [-EINVAL, pc];
}

/** str_to_immediate(): the value, or kstrtox()'s errno (-EINVAL, or -ERANGE on overflow). */
function strToImmediate(str: string, bits: number): bigint | number {
  if (isdigit(str[0])) {
    const r = kstrtoul(str, 0, bits);
    return r.ok ? r.value : r.errno;
  }
  if (str[0] === '-' || str[0] === '+') {
    const r = kstrtol(str[0] === '+' ? str.slice(1) : str, 0, bits);
    return r.ok ? BigInt.asUintN(bits, r.value) : r.errno;
  }
  return -EINVAL;
}

/**
 * parse_probe_arg(): the recursive fetch-argument parser. `code` is the program, `pc` the index of
 * the instruction being filled (the C's *pcode); returns [ret, pc].
 */
function parseProbeArg(argIn: string, code: FetchInsn[], pcIn: number, ctx: ParseContext): [number, number] {
  const end = FETCH_INSN_MAX - 1;
  let pc = pcIn;
  let arg = argIn;
  let deref: FetchOp = 'deref';
  let offset = 0n;
  let ret = 0;
  const c = (): FetchInsn => code[pc]!;

  switch (arg[0]) {
    case '$':
      [ret, pc] = parseProbeVars(arg, code, pc, ctx);
      break;

    case '%': {
      if (ctx.flags & (TPARG_FL_TEVENT | TPARG_FL_FPROBE)) {
        logErr(ctx, ctx.offset, 'BAD_VAR');
        break;
      }
      const name = arg.slice(1);
      if (ctx.arch.registers.includes(name)) {
        c().op = 'reg';
        c().name = ctx.arch.registerAliases[name] ?? name;
        ret = 0;
      } else {
        logErr(ctx, ctx.offset, 'BAD_REG_NAME');
        ret = -EINVAL;
      }
      break;
    }

    case '@': {
      if (isdigit(arg[1])) {
        const r = kstrtoul(arg.slice(1), 0, ctx.arch.bits);
        if (!r.ok) {
          logErr(ctx, ctx.offset, 'BAD_MEM_ADDR');
          ret = r.errno;
          break;
        }
        c().op = 'imm';
        c().imm = r.value;
      } else if (arg[1] === '+') {
        if (ctx.flags & TPARG_FL_KERNEL) {
          logErr(ctx, ctx.offset, 'FILE_ON_KPROBE');
          return [-EINVAL, pc];
        }
        const r = kstrtol(arg.slice(2), 0, ctx.arch.bits);
        if (!r.ok) {
          logErr(ctx, ctx.offset, 'BAD_FILE_OFFS');
          ret = r.errno;
          break;
        }
        c().op = 'foffs';
        c().imm = BigInt.asUintN(ctx.arch.bits, r.value);
        offset = 0n;
      } else {
        if (!(ctx.flags & TPARG_FL_KERNEL)) {
          logErr(ctx, ctx.offset, 'SYM_ON_UPROBE');
          return [-EINVAL, pc];
        }
        // The symbol is resolved when the probe is registered (traceprobe_update_arg).
        c().op = 'nop_symbol';
        c().name = arg.slice(1);
        if (++pc === end) {
          logErr(ctx, ctx.offset, 'TOO_MANY_OPS');
          return [-EINVAL, pc];
        }
        c().op = 'imm';
        c().imm = 0n;
      }
      if (++pc === end) {
        logErr(ctx, ctx.offset, 'TOO_MANY_OPS');
        return [-EINVAL, pc];
      }
      c().op = 'deref';
      c().offset = offset;
      break;
    }

    case '+':
    case '-': {
      if (arg[1] === 'u') {
        deref = 'uderef';
        arg = arg[0] + arg.slice(2);
      }
      if (arg[0] === '+') arg = arg.slice(1);
      const paren = arg.indexOf('(');
      if (paren < 0) {
        logErr(ctx, ctx.offset, 'DEREF_NEED_BRACE');
        return [-EINVAL, pc];
      }
      const r = kstrtol(arg.slice(0, paren), 0, ctx.arch.bits);
      if (!r.ok) {
        logErr(ctx, ctx.offset, 'BAD_DEREF_OFFS');
        ret = r.errno;
        break;
      }
      offset = r.value;
      ctx.offset += paren + 1 + (arg[0] !== '-' ? 1 : 0);
      arg = arg.slice(paren + 1);
      const close = arg.lastIndexOf(')');
      if (close < 0) {
        logErr(ctx, ctx.offset + arg.length, 'DEREF_OPEN_BRACE');
        return [-EINVAL, pc];
      }
      const curOffs = ctx.offset;
      let inner: number;
      [inner, pc] = parseProbeArg(arg.slice(0, close), code, pc, ctx);
      if (inner) {
        ret = inner;
        break;
      }
      ctx.offset = curOffs;
      if (c().op === 'comm' || c().op === 'data') {
        logErr(ctx, ctx.offset, 'COMM_CANT_DEREF');
        return [-EINVAL, pc];
      }
      if (++pc === end) {
        logErr(ctx, ctx.offset, 'TOO_MANY_OPS');
        return [-EINVAL, pc];
      }
      c().op = deref;
      c().offset = offset;
      // A BTF type of the inner value does not describe the dereferenced one.
      ctx.lastType = undefined;
      break;
    }

    case '\\': {
      if (arg[1] === '"') {
        const str = arg.slice(2);
        if (str.length === 0 || str[str.length - 1] !== '"') {
          logErr(ctx, ctx.offset + 2 + str.length, 'IMMSTR_NO_CLOSE');
          ret = -EINVAL;
          break;
        }
        c().op = 'data';
        c().name = str.slice(0, -1);
      } else {
        const v = strToImmediate(arg.slice(1), ctx.arch.bits);
        if (typeof v === 'number') {
          logErr(ctx, ctx.offset + 1, 'BAD_IMM');
          ret = v;
        } else {
          c().op = 'imm';
          c().imm = v;
        }
      }
      break;
    }

    default:
      if (isalpha(arg[0]) || arg[0] === '_') {
        // A BTF variable: a parameter name, with fields (probe-btf.ts).
        if (!tpargIsFunctionEntry(ctx.flags) && !tpargIsFunctionReturn(ctx.flags)) {
          logErr(ctx, ctx.offset, 'NOSUP_BTFARG');
          return [-EINVAL, pc];
        }
        [ret, pc] = parseBtfArg(arg, code, pc, end, ctx);
        break;
      }
  }
  if (!ret && c().op === 'nop') {
    logErr(ctx, ctx.offset, 'BAD_FETCH_ARG');
    ret = -EINVAL;
  }
  return [ret, pc];
}

/** __parse_bitfield_probe_arg(): adds the MOD_BF instruction; returns 0 or -EINVAL. */
function parseBitfield(bf: string, t: FetchType, code: FetchInsn[], pcIn: number): [number, number] {
  let pc = pcIn;
  if (bf[0] !== 'b') return [0, pc];
  const w = simpleStrtoul(bf, 1, 0);
  const bw = w.value;
  if (bw === 0n || bf[w.end] !== '@') return [-EINVAL, pc];
  const start = w.end + 1;
  const o = simpleStrtoul(bf, start, 0);
  if (o.end === start || bf[o.end] !== '/') return [-EINVAL, pc];
  pc++;
  if (code[pc]!.op !== 'nop') return [-EINVAL, pc];
  const bits = BigInt(t.size * 8);
  // bw + bo is unsigned long arithmetic in the kernel: it wraps.
  const span = BigInt.asUintN(64, bw + o.value);
  const insn = code[pc]!;
  insn.op = 'mod_bf';
  insn.lshift = Number(BigInt.asUintN(8, bits - span));
  insn.rshift = Number(BigInt.asUintN(8, bits - bw));
  insn.basesize = t.size;
  return [bits < span ? -EINVAL : 0, pc];
}

/**
 * parse_probe_arg_type(): split `:TYPE[N]` off the argument. Returns the type text (after ':'),
 * null when there is none, or a negative errno.
 */
function parseProbeArgType(arg: string, parg: ProbeArg, ctx: ParseContext): { body: string; type: string | null } | number {
  let body = arg;
  let t: string | null = null;
  const colon = arg.indexOf(':');
  if (colon >= 0) {
    body = arg.slice(0, colon);
    t = arg.slice(colon + 1);
    const lb = t.indexOf('[');
    if (lb >= 0) {
      const t2 = t.slice(lb + 1);
      const t2pos = colon + 1 + lb + 1; // offset of t2 within arg
      t = t.slice(0, lb);
      const rb = t2.indexOf(']');
      if (rb < 0) {
        logErr(ctx, ctx.offset + t2pos + t2.length, 'ARRAY_NO_CLOSE');
        return -EINVAL;
      } else if (rb + 1 < t2.length) {
        logErr(ctx, ctx.offset + t2pos + rb + 1, 'BAD_ARRAY_SUFFIX');
        return -EINVAL;
      }
      const r = kstrtouint(t2.slice(0, rb), 0);
      if (!r.ok || r.value === 0n) {
        logErr(ctx, ctx.offset + t2pos, 'BAD_ARRAY_NUM');
        return -EINVAL;
      }
      if (r.value > BigInt(MAX_ARRAY_LEN)) {
        logErr(ctx, ctx.offset + t2pos, 'ARRAY_TOO_BIG');
        return -EINVAL;
      }
      parg.count = Number(r.value);
    }
  }
  const offs = t !== null ? colon + 1 : 0;
  const user = (ctx.flags & TPARG_FL_USER) !== 0;
  let type: FetchType | undefined;
  if (!(ctx.flags & TPARG_FL_TEVENT) && (body === '$comm' || body === '$COMM' || body.startsWith('\\"'))) {
    // $comm and immediate strings are strings, never arrays.
    if (parg.count || (t !== null && t !== 'string')) {
      logErr(ctx, ctx.offset + offs, 'NEED_STRING_TYPE');
      return -EINVAL;
    }
    type = findFetchType(ctx.arch, 'string', user);
  } else {
    type = findFetchType(ctx.arch, t ?? undefined, user);
  }
  if (!type) {
    logErr(ctx, ctx.offset + offs, 'BAD_TYPE');
    return -EINVAL;
  }
  parg.type = type;
  return { body, type: t };
}

/** finalize_fetch_insn(): the store, bitfield and array instructions after the load. */
function finalizeFetchInsn(code: FetchInsn[], pcIn: number, parg: ProbeArg, type: string | null, typeOffset: number, ctx: ParseContext): number {
  let pc = pcIn;
  const c = (): FetchInsn => code[pc]!;
  if (parg.type.isString) {
    const op = c().op;
    if (parg.type.name === 'symstr') {
      if (op !== 'reg' && op !== 'stack' && op !== 'retval' && op !== 'arg' && op !== 'deref') {
        logErr(ctx, ctx.offset + typeOffset, 'BAD_SYMSTRING');
        return -EINVAL;
      }
    } else if (op !== 'deref' && op !== 'uderef' && op !== 'imm' && op !== 'comm' && op !== 'data') {
      logErr(ctx, ctx.offset + typeOffset, 'BAD_STRING');
      return -EINVAL;
    }
    if (parg.type.name === 'symstr' || op === 'imm' || op === 'comm' || op === 'data' || parg.count) {
      // These load the string's address itself (or, for arrays, an array of string pointers):
      // keep the load and add a separate store.
      pc++;
      if (c().op !== 'nop') {
        logErr(ctx, ctx.offset, 'TOO_MANY_OPS');
        return -EINVAL;
      }
    }
    if (parg.type.name === 'ustring' || c().op === 'uderef') c().op = 'st_ustring';
    else if (parg.type.name === 'symstr') c().op = 'st_symstr';
    else c().op = 'st_string';
    c().size = parg.type.size;
    parg.dynamic = true;
  } else if (c().op === 'deref') {
    c().op = 'st_mem';
    c().size = parg.type.size;
  } else if (c().op === 'uderef') {
    c().op = 'st_umem';
    c().size = parg.type.size;
  } else {
    pc++;
    if (c().op !== 'nop') {
      logErr(ctx, ctx.offset, 'TOO_MANY_OPS');
      return -E2BIG;
    }
    c().op = 'st_raw';
    c().size = parg.type.size;
  }
  const scode = pc;

  if (type !== null) {
    let ret: number;
    [ret, pc] = parseBitfield(type, parg.type, code, pc);
    if (ret) {
      logErr(ctx, ctx.offset + typeOffset, 'BAD_BITFIELD');
      return ret;
    }
  } else if (ctx.btfArgs && ctx.lastType) {
    // No type given: a BTF bitfield gets its own modifier.
    let ret: number;
    [ret, pc] = parseBtfBitfield(code, pc, ctx);
    if (ret) return ret;
  }

  if (parg.count) {
    const sop = code[scode]!.op;
    if (sop !== 'st_mem' && sop !== 'st_string' && sop !== 'st_ustring') {
      logErr(ctx, ctx.offset + typeOffset, 'BAD_STRING');
      return -EINVAL;
    }
    pc++;
    if (c().op !== 'nop') {
      logErr(ctx, ctx.offset, 'TOO_MANY_OPS');
      return -E2BIG;
    }
    c().op = 'lp_array';
    c().param = parg.count;
  }
  pc++;
  c().op = 'end';
  return 0;
}

/** traceprobe_parse_probe_arg_body(): length checks, type split, parse, size accounting. */
function parseProbeArgBody(argv: string, parg: ProbeArg, ctx: ParseContext): number {
  const len = argv.length;
  if (len > MAX_ARGSTR_LEN) {
    logErr(ctx, ctx.offset, 'ARG_TOO_LONG');
    return -E2BIG;
  } else if (len === 0) {
    logErr(ctx, ctx.offset, 'NO_ARG_BODY');
    return -EINVAL;
  }
  parg.comm = argv;
  const split = parseProbeArgType(argv, parg, ctx);
  if (typeof split === 'number') return split;

  const code: FetchInsn[] = Array.from({ length: FETCH_INSN_MAX }, newInsn);
  code[FETCH_INSN_MAX - 1]!.op = 'end';
  ctx.lastType = undefined;
  let [ret, pc] = parseProbeArg(split.body, code, 0, ctx);
  if (ret < 0) return ret;

  // The storing type from BTF, when there is one.
  if (ctx.btfArgs && ctx.lastType) {
    if (split.type === null) {
      // find_fetch_type() of a BTF type name always finds it.
      parg.type = findFetchTypeFromBtfType(ctx)!;
    } else if (split.type.includes('string')) {
      [ret, pc] = checkPrepareBtfStringFetch(split.type, code, pc, ctx);
      if (ret) return ret;
    }
  }

  parg.offset = ctx.tp.size;
  ctx.tp.size += parg.type.size * (parg.count || 1);
  if (ctx.tp.size > MAX_PROBE_EVENT_SIZE) {
    logErr(ctx, ctx.offset, 'EVENT_TOO_BIG');
    return -E2BIG;
  }
  if (parg.count) parg.fmt = `${parg.type.fmttype}[${parg.count}]`;

  const typeOffset = split.type !== null ? split.body.length + 1 : 0;
  ret = finalizeFetchInsn(code, pc, parg, split.type, typeOffset, ctx);
  if (ret < 0) return ret;
  let last = 0;
  while (last < FETCH_INSN_MAX && code[last]!.op !== 'end') last++;
  parg.code = code.slice(0, last + 1);
  return 0;
}

const RESERVED_FIELD_NAMES = [
  'common_type',
  'common_flags',
  'common_preempt_count',
  'common_pid',
  'common_tgid',
  '__probe_ip',
  '__probe_ret_ip',
  '__probe_func',
];

/** is_good_name(): a C identifier. */
export function isGoodName(name: string): boolean {
  if (!isalpha(name[0]) && name[0] !== '_') return false;
  for (let i = 1; i < name.length; i++) {
    const ch = name[i];
    if (!isalpha(ch) && !isdigit(ch) && ch !== '_') return false;
  }
  return true;
}

/** is_good_system_name(): a C identifier that may also contain '-'. */
export function isGoodSystemName(name: string): boolean {
  if (!isalpha(name[0]) && name[0] !== '_' && name[0] !== '-') return false;
  for (let i = 1; i < name.length; i++) {
    const ch = name[i];
    if (!isalpha(ch) && !isdigit(ch) && ch !== '_' && ch !== '-') return false;
  }
  return true;
}

function generateArgName(arg: string, idx: number, btfArgs: boolean): string {
  if (btfArgs) {
    const colon = arg.indexOf(':');
    const name = colon >= 0 ? arg.slice(0, colon) : arg;
    if (isGoodName(name)) return name;
  }
  return `arg${idx + 1}`;
}

/**
 * traceprobe_parse_probe_arg(): parse argument i (`[NAME=]FETCHARG[:TYPE]`) into tp.args[i].
 * Returns 0 or a negative errno (the error is already logged).
 */
export function parseProbeArgument(tp: ProbeArgsBuilder, i: number, arg: string, ctx: ParseContext): number {
  ctx.tp = tp;
  const parg: ProbeArg = {
    name: '',
    comm: '',
    type: findFetchType(ctx.arch, undefined)!,
    count: 0,
    offset: 0,
    dynamic: false,
    code: [],
  };
  const eq = arg.indexOf('=');
  let body: string;
  if (eq >= 0) {
    if (eq > MAX_ARG_NAME_LEN) {
      logErr(ctx, 0, 'ARG_NAME_TOO_LONG');
      return -EINVAL;
    } else if (eq === 0) {
      logErr(ctx, 0, 'NO_ARG_NAME');
      return -EINVAL;
    }
    parg.name = arg.slice(0, eq);
    body = arg.slice(eq + 1);
  } else {
    parg.name = generateArgName(arg, i, ctx.btfArgs);
    body = arg;
  }
  if (!isGoodName(parg.name)) {
    logErr(ctx, 0, 'BAD_ARG_NAME');
    return -EINVAL;
  }
  if (RESERVED_FIELD_NAMES.includes(parg.name) || tp.args.slice(0, i).some((a) => a.name === parg.name)) {
    logErr(ctx, 0, 'USED_ARG_NAME');
    return -EINVAL;
  }
  ctx.offset = eq >= 0 ? eq + 1 : 0;
  tp.args[i] = parg;
  return parseProbeArgBody(body, parg, ctx);
}

/**
 * traceprobe_update_arg(): resolve @SYM[+-OFFS] placeholders (at registration). Returns 0 or
 * -ENOENT when a symbol is unknown.
 */
export function updateProbeArg(arg: ProbeArg, lookup: (name: string) => bigint | undefined, bits: number): number {
  const code = arg.code;
  for (let i = 0; i < code.length && code[i]!.op !== 'end'; i++) {
    const insn = code[i]!;
    if (insn.op !== 'nop_symbol') continue;
    if (code[i + 1]?.op !== 'imm') return -EINVAL;
    const text = insn.name;
    let sym = text;
    let off = 0n;
    const k = text.search(/[+-]/);
    if (k >= 0) {
      const r = kstrtol(text.slice(k), 0, bits);
      if (!r.ok) return r.errno;
      off = r.value;
      sym = text.slice(0, k);
    }
    const addr = lookup(sym);
    if (addr === undefined || addr === 0n) return -2; // -ENOENT
    code[i + 1]!.imm = BigInt.asUintN(bits, addr + off);
  }
  return 0;
}
