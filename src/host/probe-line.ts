// The PROBE a user gives `kprobe host`, turned into the line written to kprobe_events or
// uprobe_events. Accepted forms:
//   kprobe_events lines      p[:[GRP/]EVENT] SYM[+OFFS]|ADDR [ARGS]   r[MAXACTIVE][:…] SYM [ARGS]
//   uprobe_events lines      p[:[GRP/]EVENT] PATH:OFFSET[%return][(REF)] [ARGS]
//   symbols for user space   p[:[GRP/]EVENT] BINARY:SYMBOL[+OFFS][%return] [ARGS]
//   perf-tools' short forms  p:FUNC [ARGS]   r:FUNC [ARGS]   p:BINARY:SYMBOL [ARGS]   p:BINARY:0xOFFSET
// BINARY may be a path, a program on PATH or a library name ("libc"). The probe always goes into
// the session's own group (a group the user names is replaced), under the event name given, or
// perf-tools' default (the function's name, "__return" appended for return probes), or the
// kernel's own auto name for a nameless kernel-style line. Counterpart of the definition parsing
// of perf-tools' kernel/kprobe and user/uprobe; the kernel's grammar itself is src/tracing's
// (probe-event.ts, uprobe-event.ts), used here to check a line before it is written.

import { readFileSync, statSync } from 'node:fs';
import { machine } from 'node:os';
import { archSpec, type ArchSpec } from '../tracing/arch.ts';
import { argvSplit, kstrtol, kstrtoul } from '../tracing/kstr.ts';
import { ProbeLog, type LoggedError } from '../tracing/probe-errors.ts';
import { MAX_EVENT_NAME_LEN, parseEventName, parseKprobeCommand, sanitizeEventName } from '../tracing/probe-event.ts';
import { isUprobePlace, parseUprobeCommand, uprobeAutoEventName } from '../tracing/uprobe-event.ts';
import { ECANCELED, ENOENT } from '../uapi/errno.ts';
import type { ProbeKind } from './dynamic-events.ts';
import { HostError } from './tracefs.ts';
import { findBinary, isUserBinaryName, resolveUprobeSymbol, type UprobePlace } from './uprobe-symbols.ts';

/** A probe ready to be written: what it is, its name in the session's group, and its line. */
export interface HostProbe {
  /** What the user wrote. */
  readonly spec: string;
  readonly kind: ProbeKind;
  readonly isReturn: boolean;
  readonly group: string;
  readonly event: string;
  /** The place as written to the kernel (SYM+OFFS, or PATH:0xOFFSET[%return]). */
  readonly place: string;
  readonly args: readonly string[];
  /** The full line for kprobe_events / uprobe_events. */
  readonly line: string;
  /** For a uprobe given by symbol: how it was resolved. */
  readonly resolved?: UprobePlace;
  /** A group the user named, replaced by the session's. */
  readonly userGroup?: string;
}

export interface ProbeLineOptions {
  /** The session's group. */
  readonly group: string;
  /** Event names used so far in the session; a clash gets a _2, _3… suffix. */
  readonly taken?: Set<string>;
}

/** The probe-event architecture of this machine (for checking lines), or undefined if the project does not know it. */
export function hostArch(): ArchSpec | undefined {
  switch (machine()) {
    case 'x86_64':
      return archSpec('x86_64');
    case 'aarch64':
    case 'arm64':
      return archSpec('arm64');
    case 'armv7l':
    case 'armv6l':
    case 'arm':
      return archSpec('arm');
    case 'mips':
      return archSpec('mips');
    case 'ppc':
      return archSpec('ppc32');
    default:
      return undefined;
  }
}

/** Loaded kernel modules (/proc/modules), so that MOD:SYM is not taken for BINARY:SYMBOL. */
function loadedModules(): Set<string> {
  try {
    return new Set(
      readFileSync('/proc/modules', 'utf8')
        .split('\n')
        .map((l) => l.split(' ')[0]!)
        .filter(Boolean),
    );
  } catch {
    return new Set();
  }
}

/** A word that is a fetch argument, not a place (perf-tools tells them apart the same way). */
function isArgWord(w: string): boolean {
  return w.includes('=') || /^[%$@\\+-]/.test(w);
}

/** A C identifier made from any text (an event name). */
export function identifier(s: string): string {
  let n = s.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(n)) n = `_${n}`;
  return n.slice(0, MAX_EVENT_NAME_LEN - 1);
}

function uniqueName(name: string, taken: Set<string> | undefined): string {
  if (!taken) return name;
  let n = name;
  for (let i = 2; taken.has(n); i++) n = `${name.slice(0, MAX_EVENT_NAME_LEN - 1 - String(i).length - 1)}_${i}`;
  taken.add(n);
  return n;
}

/** Split a user-space place BINARY:LOC into a file and an offset (resolving LOC when it is a symbol). */
function userPlace(binary: string, loc: string): { place: string; isReturn: boolean; resolved?: UprobePlace; path: string; offset: bigint; symbol?: string } {
  const path = findBinary(binary);
  if (/^\d/.test(loc)) {
    // PATH:OFFSET[%return][(REF)] as the kernel reads it; the kernel checks the rest.
    const m = /^([0-9a-fA-FxX]+)/.exec(loc)!;
    const off = kstrtoul(m[1]!, 0);
    if (!off.ok) throw new HostError(`bad offset '${m[1]}' in ${binary}:${loc}`);
    return { place: `${path}:${loc}`, isReturn: /%return/.test(loc), path, offset: off.value };
  }
  const m = /^([^+%()]+)(?:\+(0[xX][0-9a-fA-F]+|\d+))?(%return)?$/.exec(loc);
  if (!m) throw new HostError(`cannot read '${loc}' as SYMBOL[+OFFSET][%return] (in ${binary}:${loc})`);
  const r = resolveUprobeSymbol(path, m[1]!, m[2] ? Number(BigInt(m[2])) : 0);
  return { place: `${path}:0x${r.fileOffset.toString(16)}${m[3] ?? ''}`, isReturn: m[3] !== undefined, resolved: r, path, offset: r.fileOffset, symbol: m[1] };
}

/**
 * Turn a PROBE into a HostProbe for the session's group. HostError when it cannot be read, or a
 * user-space binary or symbol cannot be found.
 */
export function buildHostProbe(spec: string, opts: ProbeLineOptions): HostProbe {
  const argv = argvSplit(spec);
  if (!argv.length) throw new HostError('empty PROBE');
  const head = /^([pr])(\d*)(?::(.*))?$/.exec(argv[0]!);
  if (!head) throw new HostError(`PROBE must start with p: or r: (a kprobe_events or uprobe_events line), not '${argv[0]}'`);
  const type = head[1] as 'p' | 'r';
  const maxactive = head[2]!;
  const after = head[3];

  let eventSpec: string | undefined;
  let placeWord: string;
  let args: string[];
  let short = false;
  if (after !== undefined && after.includes(':')) {
    // perf-tools' p:BINARY:SYMBOL — the colon of an event spec never appears twice.
    placeWord = after;
    args = argv.slice(1);
    short = true;
  } else if (after !== undefined && (argv.length === 1 || isArgWord(argv[1]!))) {
    // perf-tools' p:FUNC [ARGS]
    if (!after) throw new HostError(`no function in '${argv[0]}'`);
    placeWord = after;
    args = argv.slice(1);
    short = true;
  } else {
    if (argv.length < 2) throw new HostError(`no place to probe in '${spec}'`);
    eventSpec = after;
    placeWord = argv[1]!;
    args = argv.slice(2);
  }

  // Kernel module or user binary?
  let kind: ProbeKind = 'kprobe';
  const colon = placeWord.lastIndexOf(':');
  if (isUprobePlace(placeWord) || (colon > 0 && placeWord.includes('/'))) kind = 'uprobe';
  else if (colon > 0) {
    const left = placeWord.slice(0, colon);
    if (!loadedModules().has(left) && isUserBinaryName(left)) kind = 'uprobe';
  }

  let userGroup: string | undefined;
  let event: string | undefined;
  if (eventSpec !== undefined) {
    const log = new ProbeLog('kprobe', [argv[0]!]);
    const r = parseEventName(eventSpec, 2, log);
    if (!r.ok) throw new HostError(`bad event name in '${argv[0]}': ${log.errors[0]?.text ?? 'invalid'}`);
    if (r.group !== undefined && r.group !== opts.group) userGroup = r.group;
    event = r.event ?? undefined;
  }

  let place = placeWord;
  let isReturn = type === 'r' || placeWord.endsWith('%return');
  let resolved: UprobePlace | undefined;
  let defaultName: string;
  if (kind === 'uprobe') {
    const u = userPlace(placeWord.slice(0, colon), placeWord.slice(colon + 1));
    place = u.place;
    isReturn = type === 'r' || u.isReturn;
    resolved = u.resolved;
    if (short) {
      const seg = u.path.slice(u.path.lastIndexOf('/') + 1).split('.')[0]!;
      defaultName = u.symbol !== undefined ? identifier(u.symbol) : identifier(`${seg}_0x${u.offset.toString(16)}`);
      if (type === 'r' || u.isReturn) defaultName = identifier(`${defaultName}__return`);
    } else {
      defaultName = uprobeAutoEventName(u.path, u.offset);
    }
  } else if (short) {
    defaultName = identifier(placeWord.replace(/%return$/, ''));
    if (isReturn) defaultName = identifier(`${defaultName}__return`);
  } else {
    // The kernel's own auto name: "p_SYM_OFFS" or "p_0xADDR".
    const sym = placeWord.replace(/%return$/, '');
    const addr = kstrtoul(sym, 0);
    if (addr.ok) defaultName = `${isReturn ? 'r' : 'p'}_0x${addr.value.toString(16)}`;
    else {
      const k = sym.search(/[+-]/);
      const off = k >= 0 ? kstrtol(sym.slice(k), 0) : { ok: true as const, value: 0n };
      defaultName = sanitizeEventName(`${isReturn ? 'r' : 'p'}_${k >= 0 ? sym.slice(0, k) : sym}_${off.ok ? off.value : 0n}`.slice(0, MAX_EVENT_NAME_LEN - 1));
    }
  }
  const name = uniqueName(event ?? defaultName, opts.taken);
  // Uprobes have no maxactive (the kernel would ignore the event name after "r5").
  const prefix = kind === 'kprobe' ? `${type}${maxactive}` : type;
  const line = [`${prefix}:${opts.group}/${name}`, place, ...args].join(' ');
  return { spec, kind, isReturn, group: opts.group, event: name, place, args, line, resolved, userGroup };
}

/** kern_path() + d_is_reg() for the uprobe parser. */
function statPath(path: string): 'regular' | 'other' | number {
  try {
    return statSync(path).isFile() ? 'regular' : 'other';
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).errno;
    return typeof errno === 'number' ? -Math.abs(errno) : -ENOENT;
  }
}

/**
 * Check a probe's line with the project's parser of the kernel's grammar: the errors the kernel
 * would write to error_log (empty when it parses). Symbols of the running kernel are not known
 * here, so kprobe places are left to the kernel.
 */
export function checkProbeLocally(probe: HostProbe, arch: ArchSpec | undefined): { errno: number; errors: LoggedError[] } | undefined {
  if (!arch) return undefined;
  const argv = argvSplit(probe.line);
  const r = probe.kind === 'kprobe' ? parseKprobeCommand(argv, { arch }) : parseUprobeCommand(argv, { arch, statPath });
  if (r.ok) return undefined;
  if (r.errno === -ECANCELED) return { errno: r.errno, errors: [] };
  return { errno: r.errno, errors: r.errors };
}
