// The kprobe-event language as a pure module: parse a `p:`/`r:` line into a typed
// KprobeDefinition (validated as far as the kernel validates before registering), print it as
// kprobe_events lists it, derive its event fields, print fmt and auto name, and parse/match the
// `-:` removal form. Counterpart of __trace_kprobe_create(), trace_kprobe_show(),
// trace_kprobe_match() (kernel/trace/trace_kprobe.c), traceprobe_parse_event_name(),
// traceprobe_expand_dentry_args(), __set_print_fmt() and traceprobe_define_arg_fields()
// (trace_probe.c), and dyn_event_release()'s parsing (trace_dynevent.c); $arg* expansion and
// the BTF names are probe-btf.ts's.
//
// No machine access: symbol questions go through the optional KprobeParseEnv.symbols and types
// through the optional KprobeParseEnv.btf, so the host target can use this module against a real
// kernel (and let the kernel do what it cannot).

import type { ArchSpec } from './arch.ts';
import {
  entryDataSize,
  isGoodName,
  isGoodSystemName,
  MAX_ARGSTR_LEN,
  MAX_TRACE_ARGS,
  parseProbeArgument,
  TPARG_FL_FENTRY,
  TPARG_FL_KERNEL,
  TPARG_FL_RETURN,
  type ParseContext,
  type ProbeArg,
  type ProbeArgsBuilder,
  type EntryArgSlot,
} from './fetch-arg.ts';
import { argvSplit, globMatch, isdigit, kstrtol, kstrtoul, kstrtouint } from './kstr.ts';
import { clearBtfContext, expandMetaArgs } from './probe-btf.ts';
import type { Btf } from '../machine/btf.ts';
import { ProbeLog, type LoggedError } from './probe-errors.ts';
import { E2BIG, EADDRNOTAVAIL, ECANCELED, EINVAL, ENOENT, ENOMEM } from '../uapi/errno.ts';

export const KPROBE_EVENT_SYSTEM = 'kprobes';
export const KRETPROBE_MAXACTIVE_MAX = 4096;
export const MAX_EVENT_NAME_LEN = 64;

/** Kernel symbol questions the parser asks before registration (all optional for the host target). */
export interface ProbeSymbolQueries {
  /** number_of_same_symbols(): matches of name in module (or in the core and all modules). */
  countSymbols(name: string, module?: string): number;
  isModuleLoaded(module: string): boolean;
  /** kprobe_on_func_entry(NULL, symbol, offset): 0, -EINVAL (not a function entry) or -ENOENT. */
  onFuncEntry(symbol: string, offset: number): number;
}

export interface KprobeParseEnv {
  readonly arch: ArchSpec;
  readonly symbols?: ProbeSymbolQueries;
  /**
   * CONFIG_PROBE_EVENTS_BTF_ARGS (default: on when `btf` is given). On without `btf`, BTF names
   * are looked up and not found, as in a kernel whose BTF did not load.
   */
  readonly btfArgs?: boolean;
  /** The kernel's BTF: parameter names, fields and types of probed functions. */
  readonly btf?: Btf;
  /** offsetof(struct dentry, d_name.name) and offsetof(struct file, f_path.dentry) for %pd/%pD. */
  readonly dentryOffsets?: { readonly dentryName: number; readonly fileDentry: number };
  /** The kernel's hashed %p of an address ("0x" + digits), for address probes' names and listing. */
  readonly hashPointer?: (addr: bigint) => string;
}

/** A parsed kprobe event definition: struct trace_kprobe minus the runtime parts. */
export interface KprobeDefinition {
  readonly group: string;
  readonly event: string;
  readonly isReturn: boolean;
  /** Requested maxactive (0: the kernel's default, decided at registration). */
  readonly maxactive: number;
  /** The probed symbol as written (MOD:SYM kept), or undefined for an address probe. */
  readonly symbol?: string;
  /** Offset from the symbol (unsigned int). */
  readonly offset: number;
  /** The probed address of an address probe. */
  readonly addr?: bigint;
  readonly args: ProbeArg[];
  /** Size of the fixed argument area. */
  readonly size: number;
  /** $argN saved at function entry by a return probe. */
  readonly entryArg?: { readonly slots: EntryArgSlot[]; readonly dataSize: number };
  /** The location is a function entry (TPARG_FL_FENTRY). */
  readonly fentry: boolean;
  readonly printFmt: string;
}

export type KprobeParseResult =
  | { readonly ok: true; readonly def: KprobeDefinition; readonly log: ProbeLog }
  | { readonly ok: false; readonly errno: number; readonly errors: LoggedError[]; readonly log?: ProbeLog };

const DEFAULT_DENTRY_OFFSETS = { dentryName: 0x28, fileDentry: 0x48 };

/** traceprobe_parse_event_name(): `[GROUP/]EVENT` or `GROUP.EVENT`; event null = auto-name. */
export function parseEventName(
  spec: string,
  offsetIn: number,
  log: ProbeLog,
): { ok: true; group?: string; event: string | null } | { ok: false } {
  let event = spec;
  let offset = offsetIn;
  let group: string | undefined;
  let slash = event.indexOf('/');
  if (slash < 0) slash = event.indexOf('.');
  if (slash >= 0) {
    if (slash === 0) {
      log.err(offset, 'NO_GROUP_NAME');
      return { ok: false };
    }
    if (slash + 1 > MAX_EVENT_NAME_LEN) {
      log.err(offset, 'GROUP_TOO_LONG');
      return { ok: false };
    }
    group = event.slice(0, slash);
    if (!isGoodSystemName(group)) {
      log.err(offset, 'BAD_GROUP_NAME');
      return { ok: false };
    }
    event = event.slice(slash + 1);
    offset += slash + 1;
  }
  if (event.length === 0) {
    if (slash >= 0) return { ok: true, group, event: null };
    log.err(offset, 'NO_EVENT_NAME');
    return { ok: false };
  } else if (event.length >= MAX_EVENT_NAME_LEN) {
    log.err(offset, 'EVENT_TOO_LONG');
    return { ok: false };
  }
  if (!isGoodName(event)) {
    log.err(offset, 'BAD_EVENT_NAME');
    return { ok: false };
  }
  return { ok: true, group, event };
}

/** sanitize_event_name(): ':', '.' and '*' after the first character become '_'. */
export function sanitizeEventName(name: string): string {
  return name[0] + name.slice(1).replace(/[:.*]/g, '_');
}

/**
 * The kernel's default %p (ptr_to_id()): a hash of the address, 32 bits, printed zero-padded to a
 * pointer's width; NULL and error pointers (IS_ERR_OR_NULL: the last 4095 values) print as they are.
 */
export function defaultHashPointer(arch: ArchSpec): (addr: bigint) => string {
  return (addr) => {
    const v = BigInt.asUintN(arch.bits, addr);
    const id = v === 0n || v >= (1n << BigInt(arch.bits)) - 4095n ? v : siphash24(v) & 0xffffffffn;
    return '0x' + id.toString(16).padStart(arch.bits / 4, '0');
  };
}

// SipHash-2-4 of one 64-bit word with a fixed key (the kernel keys it randomly at boot; a fixed
// key keeps the emulated machine deterministic).
const M64 = (1n << 64n) - 1n;
const rotl = (x: bigint, b: bigint): bigint => ((x << b) | (x >> (64n - b))) & M64;
function siphash24(m: bigint): bigint {
  const k0 = 0x0706050403020100n;
  const k1 = 0x0f0e0d0c0b0a0908n;
  let v0 = 0x736f6d6570736575n ^ k0;
  let v1 = 0x646f72616e646f6dn ^ k1;
  let v2 = 0x6c7967656e657261n ^ k0;
  let v3 = 0x7465646279746573n ^ k1;
  const round = (): void => {
    v0 = (v0 + v1) & M64;
    v1 = rotl(v1, 13n) ^ v0;
    v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & M64;
    v3 = rotl(v3, 16n) ^ v2;
    v0 = (v0 + v3) & M64;
    v3 = rotl(v3, 21n) ^ v0;
    v2 = (v2 + v1) & M64;
    v1 = rotl(v1, 17n) ^ v2;
    v2 = rotl(v2, 32n);
  };
  const word = BigInt.asUintN(64, m);
  v3 ^= word;
  round();
  round();
  v0 ^= word;
  const b = 8n << 56n;
  v3 ^= b;
  round();
  round();
  v0 ^= b;
  v2 ^= 0xffn;
  round();
  round();
  round();
  round();
  return (v0 ^ v1 ^ v2 ^ v3) & M64;
}

/** MAX_DENTRY_ARGS_LEN: the buffer traceprobe_expand_dentry_args() writes the expansions into. */
const MAX_DENTRY_ARGS_LEN = 256;

/**
 * traceprobe_expand_dentry_args(): rewrite `X:%pd` / `X:%pD` into string fetches, in place.
 * The expansions (each with its NUL) share one 256-byte buffer: -ENOMEM when they do not fit.
 */
function expandDentryArgs(args: string[], offs: { dentryName: number; fileDentry: number }): number {
  let used = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!globMatch('*:%p[dD]', a)) continue;
    const eq = a.indexOf('=');
    const stem = a.slice(0, a.length - 4);
    const name = eq >= 0 ? stem.slice(0, eq) : '';
    const body = eq >= 0 ? stem.slice(eq + 1) : stem;
    const prefix = eq >= 0 ? `${name}=` : '';
    const dn = offs.dentryName.toString(16);
    const expanded =
      a[a.length - 1] === 'd'
        ? `${prefix}+0x0(+0x${dn}(${body})):string`
        : `${prefix}+0x0(+0x${dn}(+0x${offs.fileDentry.toString(16)}(${body}))):string`;
    if (expanded.length >= MAX_DENTRY_ARGS_LEN - used) return -ENOMEM;
    args[i] = expanded;
    used += expanded.length + 1;
  }
  return 0;
}

/** __set_print_fmt(). */
export function buildPrintFmt(args: readonly ProbeArg[], isReturn: boolean): string {
  let s = '"' + (isReturn ? '(%lx <- %lx)' : '(%lx)');
  for (const a of args) {
    s += ` ${a.name}=`;
    if (a.count) s += '{' + Array.from({ length: a.count }, () => a.type.fmt).join(',') + '}';
    else s += a.type.fmt;
  }
  s += '"' + (isReturn ? ', REC->__probe_func, REC->__probe_ret_ip' : ', REC->__probe_ip');
  for (const a of args) {
    if (a.count) {
      for (let j = 0; j < a.count; j++) s += a.type.isString ? `, __get_str(${a.name}[${j}])` : `, REC->${a.name}[${j}]`;
    } else {
      s += a.type.isString ? `, __get_str(${a.name})` : `, REC->${a.name}`;
    }
  }
  return s;
}

/**
 * __trace_kprobe_create() up to registration. argv is the command split on white space.
 * ECANCELED means "not a kprobe command" (kprobe_events turns it into EINVAL).
 */
export function parseKprobeCommand(argv: string[], env: KprobeParseEnv): KprobeParseResult {
  const arch = env.arch;
  let isReturn = false;
  const fail = (errno: number, log?: ProbeLog): KprobeParseResult => ({ ok: false, errno, errors: log ? log.errors : [], log });

  if (argv.length === 0) return fail(-ECANCELED);
  const a0 = argv[0]!;
  switch (a0[0]) {
    case 'r':
      isReturn = true;
      break;
    case 'p':
      break;
    default:
      return fail(-ECANCELED);
  }
  if (argv.length < 2) return fail(-ECANCELED);

  const log = new ProbeLog('trace_kprobe', argv);
  const parseError = (): KprobeParseResult => fail(-EINVAL, log);

  const colon = a0.indexOf(':', 1);
  const eventSpec = colon >= 0 ? a0.slice(colon + 1) : null;
  let maxactive = 0;
  if (isdigit(a0[1])) {
    if (!isReturn) {
      log.err(1, 'BAD_MAXACT_TYPE');
      return parseError();
    }
    const len = colon >= 0 ? colon - 1 : a0.length - 1;
    if (len > MAX_EVENT_NAME_LEN - 1) {
      log.err(1, 'BAD_MAXACT');
      return parseError();
    }
    const r = kstrtouint(a0.slice(1, 1 + len), 0);
    if (!r.ok || r.value === 0n) {
      log.err(1, 'BAD_MAXACT');
      return parseError();
    }
    if (r.value > BigInt(KRETPROBE_MAXACTIVE_MAX)) {
      log.err(1, 'MAXACT_TOO_BIG');
      return parseError();
    }
    maxactive = Number(r.value);
  }

  let flags = TPARG_FL_KERNEL;
  let symbol: string | undefined;
  let offset = 0n;
  let addr: bigint | undefined;
  const place = argv[1]!;
  const asAddr = kstrtoul(place, 0, arch.bits);
  if (asAddr.ok) {
    addr = asAddr.value;
  } else {
    log.setIndex(1);
    if (place.includes('/') && place.includes(':')) return fail(-ECANCELED, log);
    symbol = place;
    const pct = symbol.indexOf('%');
    if (pct >= 0) {
      if (symbol.slice(pct) === '%return') {
        symbol = symbol.slice(0, pct);
        isReturn = true;
      } else {
        log.err(pct, 'BAD_ADDR_SUFFIX');
        return parseError();
      }
    }
    // traceprobe_split_symbol_offset(): the first '+' or '-' starts a kstrtol() offset.
    const k = symbol.search(/[+-]/);
    if (k >= 0) {
      const r = kstrtol(symbol.slice(k), 0, arch.bits);
      if (!r.ok) {
        log.err(0, 'BAD_PROBE_ADDR');
        return parseError();
      }
      offset = r.value;
      symbol = symbol.slice(0, k);
    }
    if (offset < 0n || offset > 0xffffffffn) {
      log.err(0, 'BAD_PROBE_ADDR');
      return parseError();
    }
    if (env.symbols) {
      // validate_probe_symbol(): MOD:SYM of an unloaded module is deferred.
      const sq = env.symbols;
      const c = symbol.indexOf(':');
      let ret = 0;
      if (c >= 0) {
        const mod = symbol.slice(0, c);
        if (sq.isModuleLoaded(mod)) ret = countToErrno(sq.countSymbols(symbol.slice(c + 1), mod));
      } else {
        ret = countToErrno(sq.countSymbols(symbol));
      }
      if (ret) {
        log.err(0, ret === -EADDRNOTAVAIL ? 'NON_UNIQ_SYMBOL' : 'BAD_PROBE_ADDR');
        return parseError();
      }
    }
    if (isReturn) flags |= TPARG_FL_RETURN;
    const fe = env.symbols ? env.symbols.onFuncEntry(symbol, Number(offset)) : Number(offset) === 0 ? 0 : -EINVAL;
    if (fe === 0 && !isReturn) flags |= TPARG_FL_FENTRY;
    if (fe === -EINVAL && isReturn) {
      log.err(0, 'BAD_RETPROBE');
      return parseError();
    }
  }

  log.setIndex(0);
  let group = KPROBE_EVENT_SYSTEM;
  let event: string | null = null;
  if (eventSpec !== null) {
    const r = parseEventName(eventSpec, colon + 1, log);
    if (!r.ok) return parseError();
    if (r.group !== undefined) group = r.group;
    event = r.event;
  }
  if (event === null) {
    const hash = env.hashPointer ?? defaultHashPointer(arch);
    const raw = symbol !== undefined ? `${isReturn ? 'r' : 'p'}_${symbol}_${offset}` : `${isReturn ? 'r' : 'p'}_${hash(addr!)}`;
    event = sanitizeEventName(raw.slice(0, MAX_EVENT_NAME_LEN - 1));
  }

  const tp: ProbeArgsBuilder = { args: [], size: 0, nrArgs: 0 };
  const ctx: ParseContext = {
    arch,
    flags,
    offset: 0,
    log,
    tp,
    btfArgs: env.btfArgs ?? env.btf !== undefined,
    btf: env.btf,
    funcname: symbol,
  };
  const ret = parseKprobeArgs(argv, ctx, env);
  // traceprobe_finish_parse().
  clearBtfContext(ctx);
  if (ret) return fail(ret, log);

  const def: KprobeDefinition = {
    group,
    event,
    isReturn,
    maxactive,
    symbol,
    offset: Number(offset),
    addr,
    args: tp.args,
    size: tp.size,
    entryArg: isReturn && tp.entryArg ? { slots: tp.entryArg.slots, dataSize: entryDataSize(tp, arch) } : undefined,
    fentry: (flags & TPARG_FL_FENTRY) !== 0,
    printFmt: buildPrintFmt(tp.args, isReturn),
  };
  return { ok: true, def, log };
}

/**
 * The arguments of __trace_kprobe_create(): $arg* and unnamed $argN expand into a new list (the
 * log keeps the command as written); without that expansion the words are the log's own, and
 * %pd/%pD expansion rewrites them in place, as the kernel rewrites its argv. Then each argument
 * is parsed into ctx.tp. Returns 0 or a negative errno.
 */
function parseKprobeArgs(argv: string[], ctx: ParseContext, env: KprobeParseEnv): number {
  const log = ctx.log;
  const words = argv.slice(2);
  const expanded = expandMetaArgs(words, ctx, log);
  if (typeof expanded === 'number') return expanded;
  const args = expanded ?? words;
  if (args.length > MAX_TRACE_ARGS) return -E2BIG;
  let ret = expandDentryArgs(args, env.dentryOffsets ?? DEFAULT_DENTRY_OFFSETS);
  if (!expanded) for (let i = 0; i < args.length; i++) argv[i + 2] = args[i]!;
  if (ret) return ret;

  const tp = ctx.tp;
  tp.nrArgs = args.length;
  for (let i = 0; i < args.length; i++) {
    log.setIndex(i + 2);
    ctx.offset = 0;
    ret = parseProbeArgument(tp, i, args[i]!, ctx);
    if (ret) return ret;
  }
  return 0;
}

function countToErrno(count: number): number {
  if (count > 1) return -EADDRNOTAVAIL;
  if (count === 0) return -ENOENT;
  return 0;
}

/** The place as the listing prints it: `0x%p`, `SYM+OFFS` (decimal) or `SYM`. */
export function kprobePlace(def: KprobeDefinition, env: Pick<KprobeParseEnv, 'arch' | 'hashPointer'>): string {
  if (def.symbol === undefined) return (env.hashPointer ?? defaultHashPointer(env.arch))(def.addr!);
  if (def.offset) return `${def.symbol}+${def.offset >>> 0}`;
  return def.symbol;
}

/**
 * trace_kprobe_show(): one kprobe_events line (without the newline). `maxactive` is the value the
 * kretprobe holds after registration (register_kretprobe fills in the default).
 */
export function kprobeListing(def: KprobeDefinition, env: Pick<KprobeParseEnv, 'arch' | 'hashPointer'>, maxactive = def.maxactive): string {
  let s = def.isReturn ? 'r' : 'p';
  if (def.isReturn && maxactive) s += String(maxactive);
  s += `:${def.group}/${def.event} ${kprobePlace(def, env)}`;
  for (const a of def.args) s += ` ${a.name}=${a.comm}`;
  return s;
}

/** A field of an event's format (struct ftrace_event_field). */
export interface EventField {
  readonly type: string;
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly isSigned: boolean;
  /** Element count of a static array field (`char comm[16]`); probe arrays have none (`u8 a[]`). */
  readonly len?: number;
}

/** Size of the kprobe / kretprobe entry head (struct trace_entry + ip, or + func + ret_ip). */
export function kprobeHeadSize(arch: ArchSpec, isReturn: boolean): number {
  const w = arch.bits / 8;
  return 8 + w * (isReturn ? 2 : 1);
}

/** kprobe_event_define_fields() / kretprobe_event_define_fields() + traceprobe_define_arg_fields(). */
export function kprobeEventFields(def: Pick<KprobeDefinition, 'isReturn' | 'args'>, arch: ArchSpec): EventField[] {
  const w = arch.bits / 8;
  const fields: EventField[] = [];
  if (def.isReturn) {
    fields.push({ type: 'unsigned long', name: '__probe_func', offset: 8, size: w, isSigned: false });
    fields.push({ type: 'unsigned long', name: '__probe_ret_ip', offset: 8 + w, size: w, isSigned: false });
  } else {
    fields.push({ type: 'unsigned long', name: '__probe_ip', offset: 8, size: w, isSigned: false });
  }
  const head = kprobeHeadSize(arch, def.isReturn);
  for (const a of def.args) {
    fields.push({
      type: a.fmt ?? a.type.fmttype,
      name: a.name,
      offset: head + a.offset,
      size: a.type.size * (a.count || 1),
      isSigned: a.type.isSigned,
    });
  }
  return fields;
}

/**
 * trace_probe_compare_arg_type(): 0 if both argument lists have the same names, types and counts,
 * else the 1-based index of the first difference.
 */
export function compareArgTypes(a: readonly ProbeArg[], b: readonly ProbeArg[]): number {
  if (a.length < b.length) return a.length + 1;
  if (a.length > b.length) return b.length + 1;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.type !== b[i]!.type || a[i]!.count !== b[i]!.count || a[i]!.name !== b[i]!.name) return i + 1;
  }
  return 0;
}

/** A parsed removal command: `-:[GRP/]EVENT [PLACE [NAME=ARG ...]]` (or `!…` on dynamic_events). */
export interface RemoveCommand {
  /** undefined: any group. */
  readonly system?: string;
  /** '' matches any event (only with a group). */
  readonly event: string;
  /** Words after the event spec. */
  readonly args: readonly string[];
}

/** dyn_event_release()'s parsing. Returns a negative errno for a malformed command. */
export function parseRemoveCommand(raw: string): RemoveCommand | number {
  const argv = argvSplit(raw);
  if (argv.length === 0) return -EINVAL;
  const a0 = argv[0]!;
  let event: string;
  if (a0[0] === '-') {
    if (a0[1] !== ':') return -EINVAL;
    event = a0.slice(2);
  } else {
    const c = a0.indexOf(':');
    if (c < 0) return -EINVAL;
    event = a0.slice(c + 1);
  }
  let system: string | undefined;
  const slash = event.indexOf('/');
  if (slash >= 0) {
    system = event.slice(0, slash);
    event = event.slice(slash + 1);
  }
  if (system === undefined && event === '') return -EINVAL;
  return { system, event, args: argv.slice(1) };
}

/** trace_kprobe_match(): does a removal command select this probe? */
export function kprobeMatches(def: KprobeDefinition, cmd: RemoveCommand, env: Pick<KprobeParseEnv, 'arch' | 'hashPointer'>): boolean {
  if (cmd.event !== '' && cmd.event !== def.event) return false;
  if (cmd.system !== undefined && cmd.system !== def.group) return false;
  if (cmd.args.length === 0) return true;
  // trace_kprobe_match_command_head() prints the place into a MAX_ARGSTR_LEN + 1 byte buffer, so
  // a longer place (a MOD:SYM of a module not loaded yet) is compared cut to 63 characters.
  if (kprobePlace(def, env).slice(0, MAX_ARGSTR_LEN) !== cmd.args[0]) return false;
  const rest = cmd.args.slice(1);
  if (def.args.length < rest.length) return false;
  return rest.every((w, i) => w === `${def.args[i]!.name}=${def.args[i]!.comm}`);
}

/** Convenience: split a command line and parse it. */
export function parseKprobeLine(line: string, env: KprobeParseEnv): KprobeParseResult {
  return parseKprobeCommand(argvSplit(line), env);
}
