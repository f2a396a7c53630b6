// Probe arguments by BTF: parameter names as fetch arguments (`p vfs_read file count`), struct
// fields through pointers (`file->f_path.dentry`), `$arg*` and unnamed `$argN` expanded to the
// parameter names, `$retval` typed by the return type, and the fetch types BTF types map to.
// Counterpart of the CONFIG_PROBE_EVENTS_BTF_ARGS part of kernel/trace/trace_probe.c
// (query_btf_context, split_next_field, parse_btf_field, parse_btf_arg,
// fetch_type_from_btf_type, parse_btf_bitfield, check_prepare_btf_string_fetch,
// argv_has_var_arg, sprint_nth_btf_arg, traceprobe_expand_meta_args) and of
// kernel/trace/trace_btf.c (btf_find_func_proto, btf_get_func_param, btf_find_struct_member).
//
// The kernel's BTF comes from the host (TracingHost.btf); without the option
// (ParseContext.btfArgs false) every entry point answers as a kernel built without
// CONFIG_PROBE_EVENTS_BTF_ARGS does.

import {
  BTF_INT_SIGNED,
  BTF_KIND_ARRAY,
  BTF_KIND_ENUM,
  BTF_KIND_ENUM64,
  BTF_KIND_FUNC,
  BTF_KIND_INT,
  BTF_KIND_PTR,
  btfIntBits,
  btfIntEncoding,
  btfIntOffset,
  btfKflag,
  btfKind,
  btfMemberBitfieldSize,
  btfMemberBitOffset,
  btfMemberBitOffsetOf,
  btfTypeIsFunc,
  btfTypeIsFuncProto,
  btfTypeIsStruct,
  type Btf,
  type BtfMember,
  type BtfParam,
  type BtfType,
} from '../machine/btf.ts';
import {
  storeEntryArg,
  TPARG_FL_RETURN,
  TPARG_FL_TPOINT,
  TPARG_FL_USER,
  tpargIsFunctionEntry,
  tpargIsFunctionReturn,
  type FetchInsn,
  type ParseContext,
} from './fetch-arg.ts';
import { isdigit, simpleStrtoul } from './kstr.ts';
import type { ProbeLog } from './probe-errors.ts';
import { findFetchType, type FetchType } from './probe-types.ts';
import { E2BIG, EINVAL, ENOENT, EOPNOTSUPP } from '../uapi/errno.ts';

/** MAX_BTF_ARGS_LEN: the buffer $arg* and $argN expand into. */
export const MAX_BTF_ARGS_LEN = 128;

/** BTF_ANON_STACK_MAX of trace_btf.c. */
const BTF_ANON_STACK_MAX = 16;

// --- trace_btf.c ------------------------------------------------------------------------------

/** btf_find_func_proto(): the FUNC_PROTO of the function called name, if BTF knows it. */
export function btfFindFuncProto(btf: Btf | undefined, name: string): BtfType | undefined {
  if (!btf) return undefined;
  const id = btf.findByNameKind(name, BTF_KIND_FUNC);
  if (id < 0) return undefined;
  const fn = btf.typeById(id);
  if (!fn || !btfTypeIsFunc(fn)) return undefined;
  const proto = btf.typeById(fn.sizeOrType);
  if (!proto || !btfTypeIsFuncProto(proto)) return undefined;
  return proto;
}

/** btf_get_func_param(): the parameters of a FUNC_PROTO (none for func(void)). */
export function btfGetFuncParam(proto: BtfType): readonly BtfParam[] {
  return proto.params ?? [];
}

type MemberLookup = { err: number } | { member: BtfMember; anonOffset: number; memberType: BtfType } | undefined;

/**
 * btf_find_struct_member(): a member of a struct/union by name, looking into anonymous
 * structs/unions (their bit offset comes back as anonOffset, and memberType is the struct or
 * union that really holds the member). { err: -EINVAL } when type is no struct or union.
 */
export function btfFindStructMember(btf: Btf, typeIn: BtfType, memberName: string): MemberLookup {
  if (!btfTypeIsStruct(typeIn)) return { err: -EINVAL };
  const anonStack: { tid: number; offset: number }[] = [];
  let type: BtfType | undefined = typeIn;
  let curOffset = 0;
  for (;;) {
    for (const member of type.members ?? []) {
      if (!member.nameOff) {
        // Anonymous union/struct: pushed for later.
        const { type: mtype, id: tid } = btf.skipModifiers(member.type);
        if (mtype && btfTypeIsStruct(mtype) && anonStack.length < BTF_ANON_STACK_MAX) {
          anonStack.push({ tid, offset: (curOffset + btfMemberBitOffsetOf(type, member)) >>> 0 });
        }
      } else {
        const name = btf.nameByOffset(member.nameOff);
        if (name !== undefined && name === memberName) return { member, anonOffset: curOffset, memberType: type };
      }
    }
    const top = anonStack.pop();
    if (!top) return undefined;
    curOffset = top.offset;
    type = btf.typeById(top.tid);
    if (!type) return undefined;
  }
}

// --- trace_probe.c ----------------------------------------------------------------------------

/** btf_type_int(): the INT encoding word (read from whatever type is given, as the C does). */
const btfTypeInt = (t: BtfType): number => t.word0;

/**
 * btf_type_is_char_ptr(). Like the kernel it resolves type->type whatever the kind: for an
 * integer that word is its size, which is then taken as a type ID.
 */
function btfTypeIsCharPtr(btf: Btf, type: BtfType): boolean {
  const real = btf.skipModifiers(type.sizeOrType).type;
  if (!real) return false;
  if (btfKind(real) !== BTF_KIND_INT) return false;
  const intdata = btfTypeInt(real);
  return !(btfIntEncoding(intdata) & BTF_INT_SIGNED) && btfIntBits(intdata) === 8;
}

/** btf_type_is_char_array(): an array whose element type's INT word says unsigned 8 bits. */
function btfTypeIsCharArray(btf: Btf, type: BtfType): boolean {
  if (btfKind(type) !== BTF_KIND_ARRAY || !type.array) return false;
  const real = btf.skipModifiers(type.array.type).type;
  if (!real) return false;
  const intdata = btfTypeInt(real);
  return !(btfIntEncoding(intdata) & BTF_INT_SIGNED) && btfIntBits(intdata) === 8;
}

/**
 * check_prepare_btf_string_fetch(): a :string (or :ustring) of a BTF-typed value. char[] is fetched
 * as is, char * gets a dereference; other types are refused (BAD_TYPE4STR).
 */
export function checkPrepareBtfStringFetch(typename: string, code: FetchInsn[], pcIn: number, ctx: ParseContext): [number, number] {
  const btf = ctx.btf;
  if (!ctx.btfArgs || !btf || !ctx.lastType) return [0, pcIn];
  if (btfTypeIsCharArray(btf, ctx.lastType)) return [0, pcIn];
  if (btfTypeIsCharPtr(btf, ctx.lastType)) {
    const pc = pcIn + 1;
    const insn = code[pc]!;
    if (insn.op === 'end') {
      ctx.log.err(ctx.offset, 'TOO_MANY_OPS');
      return [-E2BIG, pcIn];
    }
    insn.op = typename[0] === 'u' ? 'uderef' : 'deref';
    insn.offset = 0n;
    return [0, pc];
  }
  ctx.log.err(ctx.offset, 'BAD_TYPE4STR');
  return [-EINVAL, pcIn];
}

/** fetch_type_from_btf_type(): the fetch type name for a BTF type (undefined: the default). */
function fetchTypeFromBtfType(type: BtfType, ctx: ParseContext): string | undefined {
  switch (btfKind(type)) {
    case BTF_KIND_ENUM:
      // enum is "int", so "s32".
      return 's32';
    case BTF_KIND_ENUM64:
      return 's64';
    case BTF_KIND_PTR:
      return ctx.arch.bits === 64 ? 'x64' : 'x32';
    case BTF_KIND_INT: {
      const intdata = btfTypeInt(type);
      const bits = btfIntBits(intdata);
      if (btfIntEncoding(intdata) & BTF_INT_SIGNED) {
        switch (bits) {
          case 8:
            return 's8';
          case 16:
            return 's16';
          case 32:
            return 's32';
          case 64:
            return 's64';
        }
      } else {
        switch (bits) {
          case 8:
            return 'u8';
          case 16:
            return 'u16';
          case 32:
            return 'u32';
          case 64:
            return 'u64';
        }
        // A bitfield: its size is encoded in the type.
        ctx.lastBitsize = bits;
        ctx.lastBitoffs = (ctx.lastBitoffs ?? 0) + btfIntOffset(intdata);
        return 'u64';
      }
    }
  }
  return undefined;
}

/** find_fetch_type_from_btf_type(): the argument's type when the user gave none. */
export function findFetchTypeFromBtfType(ctx: ParseContext): FetchType | undefined {
  let typestr: string | undefined;
  if (ctx.btf && ctx.lastType) typestr = fetchTypeFromBtfType(ctx.lastType, ctx);
  return findFetchType(ctx.arch, typestr, (ctx.flags & TPARG_FL_USER) !== 0);
}

/** query_btf_context(): find the probed function's prototype and parameters (once per command). */
export function queryBtfContext(ctx: ParseContext): number {
  if (!ctx.btfArgs) return -EOPNOTSUPP;
  if (ctx.btfProto) return 0;
  if (ctx.funcname === undefined) return -EINVAL;
  const proto = btfFindFuncProto(ctx.btf, ctx.funcname);
  if (!proto) return -ENOENT;
  ctx.btfProto = proto;
  let params = btfGetFuncParam(proto);
  // Hide the first 'data' argument of a tracepoint.
  if (params.length > 0 && ctx.flags & TPARG_FL_TPOINT) params = params.slice(1);
  ctx.btfParams = params;
  return 0;
}

/** traceprobe_finish_parse() → clear_btf_context(). */
export function clearBtfContext(ctx: ParseContext): void {
  ctx.btfProto = undefined;
  ctx.btfParams = undefined;
}

interface SplitField {
  /** 1: the separator was '->'; 0: '.' or none; negative: an error (logged). */
  ret: number;
  /** The name before the separator. */
  name: string;
  /** The rest after the separator, or undefined when there is none. */
  next?: string;
  /** Offset of `next` within the text that was split. */
  nextPos: number;
}

/** split_next_field(): cut `a->b` or `a.b` at the first '.' or '-'. */
function splitNextField(varname: string, ctx: ParseContext): SplitField {
  const k = varname.search(/[.-]/);
  if (k < 0) return { ret: 0, name: varname, nextPos: 0 };
  if (varname[k] === '-' && varname[k + 1] === '>') return { ret: 1, name: varname.slice(0, k), next: varname.slice(k + 2), nextPos: k + 2 };
  if (varname[k] === '.') return { ret: 0, name: varname.slice(0, k), next: varname.slice(k + 1), nextPos: k + 1 };
  ctx.log.err(ctx.offset + k, 'BAD_HYPHEN');
  return { ret: -EINVAL, name: varname, nextPos: 0 };
}

/**
 * parse_btf_field(): the fields after a pointer-typed value, `->` dereferencing (one DEREF
 * instruction per arrow) and `.` adding the member's offset. `type` must be a pointer to a struct
 * or union. Returns [ret, pc].
 */
function parseBtfField(fieldnameIn: string, typeIn: BtfType, code: FetchInsn[], pcIn: number, end: number, ctx: ParseContext): [number, number] {
  const btf = ctx.btf!;
  let pc = pcIn;
  let fieldname: string | undefined = fieldnameIn;
  let type: BtfType | undefined = typeIn;
  do {
    if (btfKind(type) !== BTF_KIND_PTR) {
      ctx.log.err(ctx.offset, 'NO_PTR_STRCT');
      return [-EINVAL, pc];
    }
    // The struct pointed to.
    type = btf.skipModifiers(type.sizeOrType).type;
    if (!type) {
      ctx.log.err(ctx.offset, 'BAD_BTF_TID');
      return [-EINVAL, pc];
    }
    let bitoffs = 0;
    let isPtr: number;
    do {
      const split: SplitField = splitNextField(fieldname!, ctx);
      if (split.ret < 0) return [split.ret, pc];
      isPtr = split.ret;
      const found: MemberLookup = btfFindStructMember(btf, type!, split.name);
      if (found && 'err' in found) {
        ctx.log.err(ctx.offset, 'BAD_BTF_TID');
        return [found.err, pc];
      }
      if (!found) {
        ctx.log.err(ctx.offset, 'NO_BTF_FIELD');
        return [-ENOENT, pc];
      }
      // The offset of an anonymous struct/union holding the member, then the member's own.
      bitoffs = (bitoffs + found.anonOffset) >>> 0;
      if (btfKflag(found.memberType)) {
        bitoffs = (bitoffs + btfMemberBitOffset(found.member.offset)) >>> 0;
        ctx.lastBitsize = btfMemberBitfieldSize(found.member.offset);
      } else {
        bitoffs = (bitoffs + found.member.offset) >>> 0;
        ctx.lastBitsize = 0;
      }
      type = btf.skipModifiers(found.member.type).type;
      if (!type) {
        ctx.log.err(ctx.offset, 'BAD_BTF_TID');
        return [-EINVAL, pc];
      }
      // The kernel adds `next - fieldname` even when there is no next field (a pointer
      // difference with NULL); the caret of a later error then lands nowhere useful. Here the
      // offset stays at the last field.
      if (split.next !== undefined) ctx.offset += split.nextPos;
      fieldname = split.next;
    } while (!isPtr && fieldname !== undefined);

    if (++pc === end) {
      ctx.log.err(ctx.offset, 'TOO_MANY_OPS');
      return [-EINVAL, pc];
    }
    code[pc]!.op = 'deref';
    code[pc]!.offset = BigInt(Math.floor(bitoffs / 8));
    ctx.lastBitoffs = bitoffs % 8;
    ctx.lastType = type;
  } while (fieldname !== undefined);
  return [0, pc];
}

/**
 * parse_btf_arg(): a parameter name (or `$retval`), with optional fields, as a fetch argument.
 * `varname` is the argument text (ctx.offset points at it); code[pc] is the slot to fill.
 * Returns [ret, pc].
 */
export function parseBtfArg(varnameIn: string, code: FetchInsn[], pcIn: number, end: number, ctx: ParseContext): [number, number] {
  const pc = pcIn;
  if (!ctx.btfArgs) {
    // Built without CONFIG_PROBE_EVENTS_BTF_ARGS.
    ctx.log.err(ctx.offset, 'NOSUP_BTFARG');
    return [-EOPNOTSUPP, pc];
  }
  if (ctx.funcname === undefined) return [-EINVAL, pc];

  const split = splitNextField(varnameIn, ctx);
  if (split.ret < 0) return [split.ret, pc];
  const isPtr = split.ret;
  const varname = split.name;
  const field = split.next;
  if (!isPtr && field !== undefined) {
    // A dot-connected field on an argument is not supported.
    ctx.log.err(ctx.offset + split.nextPos, 'NOSUP_DAT_ARG');
    return [-EOPNOTSUPP, pc];
  }

  let tid: number | undefined;
  if (ctx.flags & TPARG_FL_RETURN && varname === '$retval') {
    code[pc]!.op = 'retval';
    // Whether the function's return type is not void.
    if (queryBtfContext(ctx) === 0) {
      if (ctx.btfProto!.sizeOrType === 0) {
        ctx.log.err(ctx.offset, 'NO_RETVAL');
        return [-ENOENT, pc];
      }
      tid = ctx.btfProto!.sizeOrType;
    } else {
      if (field !== undefined) {
        ctx.log.err(ctx.offset + split.nextPos, 'NO_BTF_ENTRY');
        return [-ENOENT, pc];
      }
      return [0, pc];
    }
  } else {
    if (!ctx.btfProto) {
      const ret = queryBtfContext(ctx);
      if (ret < 0 || (ctx.btfParams ?? []).length === 0) {
        ctx.log.err(ctx.offset, 'NO_BTF_ENTRY');
        return [-ENOENT, pc];
      }
    }
    const params = ctx.btfParams ?? [];
    for (let i = 0; i < params.length; i++) {
      const name = ctx.btf!.nameByOffset(params[i]!.nameOff);
      if (name === undefined || name !== varname) continue;
      if (tpargIsFunctionEntry(ctx.flags)) {
        code[pc]!.op = 'arg';
        code[pc]!.param = ctx.flags & TPARG_FL_TPOINT ? i + 1 : i;
      } else if (tpargIsFunctionReturn(ctx.flags)) {
        code[pc]!.op = 'edata';
        const off = storeEntryArg(ctx, i);
        // An internal error.
        if (off < 0) return [off, pc];
        code[pc]!.offset = BigInt(off);
      }
      tid = params[i]!.type;
      break;
    }
    if (tid === undefined) {
      ctx.log.err(ctx.offset, 'NO_BTFARG');
      return [-ENOENT, pc];
    }
  }

  const type = ctx.btf!.skipModifiers(tid).type;
  if (!type) {
    ctx.log.err(ctx.offset, 'BAD_BTF_TID');
    return [-EINVAL, pc];
  }
  ctx.lastType = type;
  ctx.lastBitoffs = 0;
  ctx.lastBitsize = 0;
  if (field !== undefined) {
    ctx.offset += split.nextPos;
    return parseBtfField(field, type, code, pc, end, ctx);
  }
  return [0, pc];
}

/**
 * parse_btf_bitfield(): without a :TYPE, a bitfield (or a member not on a byte boundary) gets a
 * MOD_BF on a 64-bit load. Returns [ret, pc].
 */
export function parseBtfBitfield(code: FetchInsn[], pcIn: number, ctx: ParseContext): [number, number] {
  if (!ctx.btfArgs) {
    ctx.log.err(ctx.offset, 'NOSUP_BTFARG');
    return [-EOPNOTSUPP, pcIn];
  }
  const bitsize = ctx.lastBitsize ?? 0;
  const bitoffs = ctx.lastBitoffs ?? 0;
  if (bitsize % 8 === 0 && bitoffs === 0) return [0, pcIn];
  const pc = pcIn + 1;
  const insn = code[pc]!;
  if (insn.op !== 'nop') {
    ctx.log.err(ctx.offset, 'TOO_MANY_OPS');
    return [-EINVAL, pcIn];
  }
  insn.op = 'mod_bf';
  insn.lshift = (64 - (bitsize + bitoffs)) & 0xff;
  insn.rshift = (64 - bitsize) & 0xff;
  insn.basesize = 64 / 8;
  return [0, pc];
}

/**
 * argv_has_var_arg(): 1 if some argument starts with "$arg", 0 if none, or a negative errno
 * (NOFENTRY_ARGS, BAD_VAR, DOUBLE_ARGS). argsIdx.value gets the index of `$arg*`.
 */
function argvHasVarArg(args: readonly string[], argsIdx: { value: number }, ctx: ParseContext, log: ProbeLog): number {
  let found = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('$arg')) continue;
    log.setIndex(i + 2);
    if (!tpargIsFunctionEntry(ctx.flags) && !tpargIsFunctionReturn(ctx.flags)) {
      log.err(0, 'NOFENTRY_ARGS');
      return -EINVAL;
    }
    if (isdigit(a[4])) {
      found = 1;
      continue;
    }
    if (a[4] !== '*') {
      log.err(0, 'BAD_VAR');
      return -EINVAL;
    }
    if (argsIdx.value >= 0 && argsIdx.value < args.length) {
      log.err(0, 'DOUBLE_ARGS');
      return -EINVAL;
    }
    found = 1;
    argsIdx.value = i;
  }
  return found;
}

/**
 * sprint_nth_btf_arg(): parameter idx's name followed by `type`, into what is left of the
 * MAX_BTF_ARGS_LEN buffer. Returns the text, or a negative errno (logged).
 */
function sprintNthBtfArg(idx: number, type: string, bufsize: number, ctx: ParseContext, log: ProbeLog): string | number {
  const params = ctx.btfParams ?? [];
  // The kernel compares a signed index: a negative one (an $argN that wrapped) reads outside the
  // parameter array; here it is simply not found.
  if (idx >= params.length || idx < 0) {
    log.err(0, 'NO_BTFARG');
    return -ENOENT;
  }
  const name = ctx.btf!.nameByOffset(params[idx]!.nameOff);
  if (name === undefined) {
    log.err(0, 'NO_BTF_ENTRY');
    return -ENOENT;
  }
  const s = name + type;
  if (s.length >= bufsize) {
    log.err(0, 'ARGS_2LONG');
    return -E2BIG;
  }
  return s;
}

/**
 * traceprobe_expand_meta_args(): `$arg*` becomes every parameter's name and an unnamed `$argN`
 * (with its :TYPE) the Nth one's. Returns the new argument list, null when nothing is expanded
 * (the arguments are used as they are), or a negative errno (logged).
 */
export function expandMetaArgs(args: readonly string[], ctx: ParseContext, log: ProbeLog): string[] | null | number {
  const argsIdx = { value: -1 };
  let ret = argvHasVarArg(args, argsIdx, ctx, log);
  if (ret < 0) return ret;
  if (!ret) return null;

  ret = queryBtfContext(ctx);
  const nrParams = (ctx.btfParams ?? []).length;
  if (ret < 0 || nrParams === 0) {
    if (argsIdx.value !== -1) {
      // $arg* requires BTF info.
      log.err(0, 'NOSUP_BTFARG');
      return -EOPNOTSUPP;
    }
    return null;
  }

  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < args.length; i++) {
    log.setIndex(i + 2);
    const a = args[i]!;
    if (i === argsIdx.value) {
      for (let n = 0; n < nrParams; n++) {
        const s = sprintNthBtfArg(n, '', MAX_BTF_ARGS_LEN - used, ctx, log);
        if (typeof s === 'number') return s;
        out.push(s);
        used += s.length + 1;
      }
      continue;
    }
    if (a.startsWith('$arg')) {
      const r = simpleStrtoul(a, 4, 10);
      const type = a.slice(r.end);
      if (!(type[0] === ':' || type.length === 0)) {
        log.err(0, 'BAD_VAR');
        return -ENOENT;
      }
      // simple_strtoul() into an int.
      const n = Number(BigInt.asIntN(32, r.value));
      // $argN starts from $arg1: $arg0 is invalid.
      if (n === 0) {
        log.err(0, 'BAD_ARG_NUM');
        return -EINVAL;
      }
      const s = sprintNthBtfArg(n - 1, type, MAX_BTF_ARGS_LEN - used, ctx, log);
      if (typeof s === 'number') return s;
      out.push(s);
      used += s.length + 1;
    } else {
      out.push(a);
    }
  }
  return out;
}
