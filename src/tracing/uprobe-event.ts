// The uprobe-event language as a pure module: parse a `p:`/`r:` line of uprobe_events
// (`p[:[GRP/]EVENT] PATH:OFFSET[%return][(REF_CTR_OFFSET)] [FETCHARGS]`) into a typed
// UprobeDefinition, print it as uprobe_events lists it, and name it as the kernel does when no
// event name is given. Counterpart of __trace_uprobe_create() and trace_uprobe_show()
// (kernel/trace/trace_uprobe.c); the arguments go through the same traceprobe_parse_probe_arg()
// as kprobe events (fetch-arg.ts), with TPARG_FL_USER.
//
// No file-system access: whether PATH names a regular file is asked through the optional
// UprobeParseEnv.statPath, so the emulated machine, the host target and tests can all answer it.

import type { ArchSpec } from './arch.ts';
import { MAX_TRACE_ARGS, parseProbeArgument, TPARG_FL_RETURN, TPARG_FL_USER, type ParseContext, type ProbeArg, type ProbeArgsBuilder } from './fetch-arg.ts';
import { isdigit, kstrtoul } from './kstr.ts';
import { ProbeLog, type LoggedError } from './probe-errors.ts';
import { buildPrintFmt, MAX_EVENT_NAME_LEN, parseEventName } from './probe-event.ts';
import { E2BIG, ECANCELED, EINVAL } from '../uapi/errno.ts';

export const UPROBE_EVENT_SYSTEM = 'uprobes';

export interface UprobeParseEnv {
  readonly arch: ArchSpec;
  /**
   * kern_path() + d_is_reg() of the probed file: 'regular', 'other' (exists, not a regular file)
   * or a negative errno (-ENOENT…). Leave it out to skip the check (the kernel will make it).
   */
  readonly statPath?: (path: string) => 'regular' | 'other' | number;
}

/** A parsed uprobe event definition: struct trace_uprobe minus the runtime parts. */
export interface UprobeDefinition {
  readonly group: string;
  readonly event: string;
  readonly isReturn: boolean;
  /** The file as written (the kernel keeps the text it was given, relative or not). */
  readonly path: string;
  /** Offset of the probed instruction in the file. */
  readonly offset: bigint;
  /** Offset of the SDT semaphore (reference counter), 0 for none. */
  readonly refCtrOffset: bigint;
  readonly args: ProbeArg[];
  /** Size of the fixed argument area. */
  readonly size: number;
  readonly printFmt: string;
}

export type UprobeParseResult =
  | { readonly ok: true; readonly def: UprobeDefinition; readonly log: ProbeLog }
  | { readonly ok: false; readonly errno: number; readonly errors: LoggedError[]; readonly log?: ProbeLog };

/**
 * Is this place a uprobe's? The kernel's test: a `/` somewhere, and a digit right after the last
 * `:`. Anything else makes __trace_uprobe_create() return -ECANCELED (not a uprobe command).
 */
export function isUprobePlace(place: string): boolean {
  if (!place.includes('/')) return false;
  const colon = place.lastIndexOf(':');
  return colon >= 0 && isdigit(place[colon + 1]);
}

/** The event name the kernel makes up: "p_<basename up to . - or _>_0x<offset>" (always 'p', even for return probes). */
export function uprobeAutoEventName(path: string, offset: bigint): string {
  let tail = path.slice(path.lastIndexOf('/') + 1);
  const cut = tail.search(/[.\-_]/);
  if (cut >= 0) tail = tail.slice(0, cut);
  return `p_${tail}_0x${offset.toString(16)}`.slice(0, MAX_EVENT_NAME_LEN - 1);
}

/**
 * __trace_uprobe_create() up to registration. argv is the command split on white space.
 * ECANCELED means "not a uprobe command" (uprobe_events turns it into EINVAL).
 */
export function parseUprobeCommand(argv: string[], env: UprobeParseEnv): UprobeParseResult {
  const fail = (errno: number, log?: ProbeLog): UprobeParseResult => ({ ok: false, errno, errors: log ? log.errors : [], log });
  if (argv.length === 0) return fail(-ECANCELED);
  const a0 = argv[0]!;
  let isReturn = false;
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
  if (argv.length - 2 > MAX_TRACE_ARGS) return fail(-E2BIG);

  // Only "p:…"/"r:…" carries an event spec: "r5:…" (no maxactive for uprobes) is auto-named.
  const eventSpec = a0[1] === ':' ? a0.slice(2) : null;
  const place = argv[1]!;
  if (!place.includes('/')) return fail(-ECANCELED);
  const colon = place.lastIndexOf(':');
  if (colon < 0 || !isdigit(place[colon + 1])) return fail(-ECANCELED);

  const log = new ProbeLog('trace_uprobe', argv);
  log.setIndex(1);
  const path = place.slice(0, colon);
  let arg = place.slice(colon + 1);
  const argPos = colon + 1; // offsets below are from the start of argv[1], as `x - filename` in C
  if (env.statPath) {
    const st = env.statPath(path);
    if (typeof st === 'number') {
      log.err(0, 'FILE_NOT_FOUND');
      return fail(st, log);
    }
    if (st !== 'regular') {
      log.err(0, 'NO_REGULAR_FILE');
      return fail(-EINVAL, log);
    }
  }

  // The reference counter offset: "(OFFSET)", last thing in the word.
  let refCtrOffset = 0n;
  const lp = arg.indexOf('(');
  if (lp >= 0) {
    const rp = arg.indexOf(')', lp);
    if (rp < 0) {
      log.err(argPos + arg.length, 'REFCNT_OPEN_BRACE');
      return fail(-EINVAL, log);
    } else if (rp + 1 < arg.length) {
      log.err(argPos + rp + 1, 'BAD_REFCNT_SUFFIX');
      return fail(-EINVAL, log);
    }
    const r = kstrtoul(arg.slice(lp + 1, rp), 0, env.arch.bits);
    if (!r.ok) {
      log.err(argPos + lp + 1, 'BAD_REFCNT');
      return fail(r.errno, log);
    }
    refCtrOffset = r.value;
    arg = arg.slice(0, lp);
  }

  const pct = arg.indexOf('%');
  if (pct >= 0) {
    if (arg.slice(pct) === '%return') {
      arg = arg.slice(0, pct);
      isReturn = true;
    } else {
      log.err(argPos + pct, 'BAD_ADDR_SUFFIX');
      return fail(-EINVAL, log);
    }
  }

  const off = kstrtoul(arg, 0, env.arch.bits);
  if (!off.ok) {
    log.err(argPos, 'BAD_UPROBE_OFFS');
    return fail(off.errno, log);
  }

  log.setIndex(0);
  let group = UPROBE_EVENT_SYSTEM;
  let event: string | null = null;
  if (eventSpec !== null) {
    const r = parseEventName(eventSpec, 2, log);
    if (!r.ok) return fail(-EINVAL, log);
    if (r.group !== undefined) group = r.group;
    event = r.event;
  }
  if (event === null) event = uprobeAutoEventName(path, off.value);

  const args = argv.slice(2);
  const tp: ProbeArgsBuilder = { args: [], size: 0, nrArgs: args.length };
  const ctx: ParseContext = { arch: env.arch, flags: (isReturn ? TPARG_FL_RETURN : 0) | TPARG_FL_USER, offset: 0, log, tp, btfArgs: false };
  for (let i = 0; i < args.length; i++) {
    log.setIndex(i + 2);
    const ret = parseProbeArgument(tp, i, args[i]!, ctx);
    if (ret) return fail(ret, log);
  }

  const def: UprobeDefinition = {
    group,
    event,
    isReturn,
    path,
    offset: off.value,
    refCtrOffset,
    args: tp.args,
    size: tp.size,
    printFmt: buildPrintFmt(tp.args, isReturn),
  };
  return { ok: true, def, log };
}

/**
 * trace_uprobe_show(): one uprobe_events line (without the newline). The offset is printed with
 * as many hex digits as a pointer has ("0x%0*lx"), the reference counter as "(0x%lx)".
 */
export function uprobeListing(def: UprobeDefinition, arch: ArchSpec): string {
  let s = `${def.isReturn ? 'r' : 'p'}:${def.group}/${def.event} ${def.path}:0x${def.offset.toString(16).padStart(arch.bits / 4, '0')}`;
  if (def.refCtrOffset) s += `(0x${def.refCtrOffset.toString(16)})`;
  for (const a of def.args) s += ` ${a.name}=${a.comm}`;
  return s;
}
