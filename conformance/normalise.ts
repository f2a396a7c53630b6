// The normaliser: what is rewritten in both kernels' records before they are compared, so that
// only differences that come from the kernel build or the run go away. Each rule replaces a value
// by a named placeholder; everything else must match byte for byte.
//
//   timestamps          error_log "[    3.865750]", trace "     3.701363:"            -> <TS>
//   symbol sizes        "(vfs_read+0x8/0x1a4)"                                        -> "(vfs_read+0x8/<SIZE>)"
//   call sites          kretprobe "(__arm64_sys_openat+0x70/0xbc <- do_sys_openat2)"  -> "(__arm64_sys_openat+<OFF>/<SIZE> <- do_sys_openat2)"
//                       and, for the wrappers in CALL_SITES, the caller too       -> "(<CALLER:do_sys_openat2>+<OFF>/<SIZE> <- do_sys_openat2)"
//   addresses written   {addr:SYM} placeholders resolved per kernel, put back in error_log commands
//                       (the caret is re-placed by its index in the command, not by its column)
//   hashed pointers     %p output such as "0x000000003c2d1a0f" (listing, auto event names)  -> 0x<HASHED>
//   kernel addresses    "0xffff800080455048" as a traced value                        -> <KADDR>
//   event IDs           "ID: 1382"                                                    -> ID: <ID>
//   struct layout       the %pd/%pD rewrite "+0x0(+0x28(+0x48(%x0)))" (STRUCT_OFFSETS)   -> "+0x0(+<dentry.d_name.name>(+<file.f_path.dentry>(%x0)))"
//   trace context       "kpconf-93 [000]" / "<...>-1 [000]": the comm column is not the
//                       task's but the saved_cmdlines cache's (recorded at context switches),
//                       and pids differ                                               -> "<COMM>-<PID>" / "<COMM>-<CHILD>"
// Trace lines of other tasks (kernel threads, the shell) are not the case's and are left out.

import type { Case } from './corpus.ts';

export interface SideContext {
  side: 'real' | 'emulated';
  /** {addr:SYM} resolutions of this kernel. */
  symbols: Record<string, string>;
  /** The pid of the process that ran the plan. */
  pid: number;
  /** Children it forked during this case's triggers. */
  children: number[];
}

/** The placeholders a case writes and what they became on one kernel. */
export function placeholderValues(c: Case, symbols: Record<string, string>): [string, string][] {
  const out: [string, string][] = [];
  for (const s of c.steps) {
    if (s.kind !== 'write') continue;
    for (const m of s.data.matchAll(/\{addr:([^}+]*)(?:\+([^}]*))?\}/g)) {
      const base = BigInt(symbols[m[1]!] ?? '0');
      const off = m[2] === undefined ? 0n : BigInt(Number.parseInt(m[2], m[2].startsWith('0x') ? 16 : 10) || 0);
      const value = `0x${BigInt.asUintN(64, base + off).toString(16)}`;
      if (!out.some(([p]) => p === m[0])) out.push([m[0], value]);
    }
  }
  // Longest values first, so that a value that contains another is replaced whole.
  return out.sort((a, b) => b[1].length - a[1].length);
}

const HASHED = /(?<![0-9a-fA-Fx])0x00000000[0-9a-f]{8}(?![0-9a-f])/g;

/**
 * Call sites that differ only because the two kernels are built differently: the function that
 * calls a probed function (shown first in a kretprobe line) is the syscall wrapper of each build.
 * Debian's kernel inlines do_sys_open into __arm64_sys_openat and names its wrappers __arm64_sys_*
 * (__x64_sys_* on x86_64), __do_sys_clone for clone; the guest kernel keeps do_sys_open and names
 * its wrappers sys_*. Each pair is rewritten to <CALLER:FUNC> on its own side only; any other
 * caller name is kept and compared.
 */
export const CALL_SITES: { func: string; real: string[]; emulated: string[] }[] = [
  { func: 'do_sys_openat2', real: ['__arm64_sys_openat', '__x64_sys_openat'], emulated: ['do_sys_open'] },
  { func: 'ksys_read', real: ['__arm64_sys_read', '__x64_sys_read'], emulated: ['sys_read'] },
  { func: 'ksys_write', real: ['__arm64_sys_write', '__x64_sys_write'], emulated: ['sys_write'] },
  { func: 'kernel_clone', real: ['__do_sys_clone'], emulated: ['sys_clone'] },
];

/** Rules every text goes through: hashed pointers. */
function common(s: string): string {
  return s.replace(HASHED, '0x<HASHED>');
}

/** Replace placeholder values by their placeholders, mapping one index of the string through. */
function unsubstitute(s: string, pairs: [string, string][], index = -1): { text: string; index: number } {
  let text = s;
  let idx = index;
  for (const [placeholder, value] of pairs) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(value, from);
      if (at < 0) break;
      text = text.slice(0, at) + placeholder + text.slice(at + value.length);
      if (idx >= at + value.length) idx += placeholder.length - value.length;
      else if (idx > at) idx = at;
      from = at + placeholder.length;
    }
  }
  return { text, index: idx };
}

/**
 * Struct offsets that %pd and %pD are rewritten with (`+0x0(+0x28(+0x48(%x0))):string`): each
 * kernel's own layout of struct dentry and struct file (Debian's from BTF, the guest kernel's from
 * its headers). Rewritten to <dentry.d_name.name> and <file.f_path.dentry> on their own side only.
 */
export const STRUCT_OFFSETS: Record<'real' | 'emulated', { dname: number; fpath: number }> = {
  real: { dname: 0x28, fpath: 0x48 },
  emulated: { dname: 0x18, fpath: 0x8 },
};

/** The %pd/%pD rewrites of one side's listing, with the offsets named. */
function structOffsets(s: string, side: 'real' | 'emulated'): string {
  const o = STRUCT_OFFSETS[side];
  return s.replace(/\+0x0\(\+0x([0-9a-f]+)\((?:\+0x([0-9a-f]+)\()?/g, (all, d: string, f: string | undefined) => {
    if (parseInt(d, 16) !== o.dname || (f !== undefined && parseInt(f, 16) !== o.fpath)) return all;
    return `+0x0(+<dentry.d_name.name>(${f === undefined ? '' : '+<file.f_path.dentry>('}`;
  });
}

const CMD_PREFIX = '  Command: ';

/**
 * error_log: each entry "[ts] loc: error: text\n  Command: cmd\n<spaces>^\n" is rewritten with <TS>,
 * placeholders in the command, and the caret re-drawn at its index in the normalised command.
 */
export function normaliseErrorLog(text: string, pairs: [string, string][]): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^\[\s*\d+\.\d+\] (.*)$/.exec(lines[i]!);
    const cmd = lines[i + 1];
    const caret = lines[i + 2];
    if (head && cmd?.startsWith(CMD_PREFIX) && caret !== undefined && /^ *\^$/.test(caret)) {
      const pos = caret.length - 1 - CMD_PREFIX.length;
      const u = unsubstitute(cmd.slice(CMD_PREFIX.length), pairs, pos);
      out.push(`[<TS>] ${head[1]}`, CMD_PREFIX + u.text, ' '.repeat(CMD_PREFIX.length + Math.max(u.index, 0)) + '^');
      i += 2;
    } else {
      out.push(unsubstitute(lines[i]!.replace(/^\[\s*\d+\.\d+\]/, '[<TS>]'), pairs).text);
    }
  }
  return common(out.join('\n'));
}

export function normaliseListing(text: string, pairs: [string, string][], side?: 'real' | 'emulated'): string {
  const t = common(unsubstitute(text, pairs).text);
  return side ? structOffsets(t, side) : t;
}

export function normaliseFormat(text: string): string {
  return common(text.replace(/^ID: \d+$/m, 'ID: <ID>'));
}

const TRACE_LINE = /^\s*(.*)-(\d+)\s+\[(\d{3})\] (\S+)\s+\d+\.\d+: (.*)$/;

/** The case's trace lines (its own tasks only), normalised; header lines are left out. */
export function normaliseTrace(text: string, ctx: SideContext, pairs: [string, string][]): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = TRACE_LINE.exec(line);
    if (!m) {
      out.push(`?? ${line}`);
      continue;
    }
    const pid = Number(m[2]);
    const who = pid === ctx.pid ? '<PID>' : ctx.children.includes(pid) ? `<CHILD${ctx.children.indexOf(pid) + 1}>` : null;
    if (!who) continue;
    let msg = m[5]!;
    // kretprobe: "(CALLER+0xOFF/0xSIZE <- FUNC)": the call site is a property of the build.
    msg = msg.replace(/^(\S+: \()([\w.]+)\+0x[0-9a-f]+\/0x[0-9a-f]+( <- )([\w.]+)\)/, (_, pre: string, caller: string, arrow: string, func: string) => {
      const known = CALL_SITES.find((c) => c.func === func && c[ctx.side].includes(caller));
      return `${pre}${known ? `<CALLER:${func}>` : caller}+<OFF>/<SIZE>${arrow}${func})`;
    });
    msg = msg.replace(/\b([\w.]+)\+0x([0-9a-f]+)\/0x[0-9a-f]+\b/g, '$1+0x$2/<SIZE>');
    msg = unsubstitute(msg, pairs).text;
    msg = msg.replace(/\b0xffff[0-9a-f]{12}\b/g, '<KADDR>');
    out.push(`<COMM>-${who} [${m[3]}] ${m[4]} <TS>: ${common(msg)}`);
  }
  return out;
}
