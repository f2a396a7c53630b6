// An independent model of what Linux 6.12 does with a write to kprobe_events, for the parser fuzz
// test. Written from the C (kernel/trace/trace.c trace_parse_run_command, trace_kprobe.c
// __trace_kprobe_create / register_trace_kprobe / append_trace_kprobe / trace_kprobe_match,
// trace_probe.c traceprobe_* and parse_probe_*, trace_dynevent.c dyn_event_release, lib/kstrtox.c,
// lib/argv_split.c, lib/ctype.c), not from src/tracing: it imports nothing of the parser. Given the
// bytes of a write it predicts the return value, the error_log entries (error, caret, command)
// and the resulting list of probes, for an arm64 kernel without BTF arguments
// (CONFIG_PROBE_EVENTS_BTF_ARGS off) whose kallsyms and kprobe registration are those of the
// test host (ModelMachine).

export const EINVAL = 22;
export const ENOENT = 2;
export const E2BIG = 7;
export const EEXIST = 17;
export const ERANGE = 34;
export const ENOMEM = 12;
export const EOPNOTSUPP = 95;
export const EILSEQ = 84;

const WRITE_BUFSIZE = 4096;
const MAX_EVENT_NAME_LEN = 64;
const KRETPROBE_MAXACTIVE_MAX = 4096;
const MAX_TRACE_ARGS = 128;
const MAX_ARGSTR_LEN = 63;
const MAX_ARG_NAME_LEN = 32;
const MAX_ARRAY_LEN = 64;
const MAX_PROBE_EVENT_SIZE = 3072;
const MAX_DENTRY_ARGS_LEN = 256;
const FETCH_INSN_MAX = 16;
/** arm64: THREAD_SIZE 16 KiB / sizeof(long). */
const PARAM_MAX_STACK = 16384 / 8;
/** offsetof(struct dentry, d_name.name), offsetof(struct file, f_path.dentry). */
const DENTRY_NAME_OFFS = 0x28;
const FILE_DENTRY_OFFS = 0x48;
/** arm64 regoffset_table (arch/arm64/kernel/ptrace.c). */
const ARM64_REGS = new Set([...Array.from({ length: 31 }, (_, i) => `x${i}`), 'lr', 'sp', 'pc', 'pstate']);
const RESERVED_FIELD_NAMES = ['common_type', 'common_flags', 'common_preempt_count', 'common_pid', 'common_tgid', '__probe_ip', '__probe_ret_ip', '__probe_func'];

// --- lib/ctype.c (latin1) ------------------------------------------------------------------

const code = (s: string, i: number): number => (i < s.length ? s.charCodeAt(i) : 0);
const isspaceC = (c: number): boolean => (c >= 9 && c <= 13) || c === 32 || c === 160;
const isdigitC = (c: number): boolean => c >= 48 && c <= 57;
const isalphaC = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 192 && c <= 255 && c !== 215 && c !== 247);
const isxdigitC = (c: number): boolean => isdigitC(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

// --- lib/kstrtox.c ---------------------------------------------------------------------------

type KR = { ok: true; v: bigint } | { ok: false; err: number };
const U64 = (1n << 64n) - 1n;

function fixupRadix(s: string, base: number): { s: string; base: number } {
  if (base === 0) {
    if (s[0] === '0') base = (code(s, 1) | 0x20) === 0x78 && isxdigitC(code(s, 2)) ? 16 : 8;
    else base = 10;
  }
  if (base === 16 && s[0] === '0' && (code(s, 1) | 0x20) === 0x78) s = s.slice(2);
  return { s, base };
}

/** _parse_integer_limit(): digits consumed, value (mod 2^64), overflow flag. */
function parseInteger(s: string, base: number): { n: number; v: bigint; overflow: boolean } {
  let v = 0n;
  let n = 0;
  let overflow = false;
  const b = BigInt(base);
  for (; n < s.length; n++) {
    const c = s.charCodeAt(n);
    const lc = c | 0x20;
    let val: number;
    if (c >= 48 && c <= 57) val = c - 48;
    else if (lc >= 97 && lc <= 102) val = lc - 97 + 10;
    else break;
    if (val >= base) break;
    const next = v * b + BigInt(val);
    if (next > U64) overflow = true;
    v = next & U64;
  }
  return { n, v, overflow };
}

function _kstrtoull(str: string, base: number): KR {
  const f = fixupRadix(str, base);
  const r = parseInteger(f.s, f.base);
  if (r.overflow) return { ok: false, err: -ERANGE };
  if (r.n === 0) return { ok: false, err: -EINVAL };
  let rest = f.s.slice(r.n);
  if (rest[0] === '\n') rest = rest.slice(1);
  if (rest.length) return { ok: false, err: -EINVAL };
  return { ok: true, v: r.v };
}

export function kstrtoull(s: string, base: number): KR {
  return _kstrtoull(s[0] === '+' ? s.slice(1) : s, base);
}

export function kstrtoll(s: string, base: number): KR {
  if (s[0] === '-') {
    const r = _kstrtoull(s.slice(1), base);
    if (!r.ok) return r;
    const neg = (-r.v) & U64;
    if (neg !== 0n && neg < 1n << 63n) return { ok: false, err: -ERANGE };
    return { ok: true, v: -r.v };
  }
  const r = kstrtoull(s, base);
  if (!r.ok) return r;
  if (r.v >= 1n << 63n) return { ok: false, err: -ERANGE };
  return r;
}

function kstrtouint(s: string, base: number): KR {
  const r = kstrtoull(s, base);
  if (r.ok && r.v > 0xffffffffn) return { ok: false, err: -ERANGE };
  return r;
}

/** simple_strtoul(): value and the index where parsing stopped. */
function simpleStrtoul(s: string, from: number): { v: bigint; end: number } {
  const rest = s.slice(from);
  const f = fixupRadix(rest, 0);
  const r = parseInteger(f.s, f.base);
  return { v: r.v, end: from + (rest.length - f.s.length) + r.n };
}

// --- lib/argv_split.c, lib/glob.c, small string helpers -------------------------------------

export function argvSplit(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && isspaceC(s.charCodeAt(i))) i++;
    if (i >= s.length) break;
    const start = i;
    while (i < s.length && !isspaceC(s.charCodeAt(i))) i++;
    out.push(s.slice(start, i));
  }
  return out;
}

/** strpbrk(s, "+-"). */
const plusMinus = (s: string): number => {
  for (let i = 0; i < s.length; i++) if (s[i] === '+' || s[i] === '-') return i;
  return -1;
};

function isGoodName(name: string, hashOk: boolean): boolean {
  const ok0 = (c: number) => isalphaC(c) || c === 95 || (hashOk && c === 45);
  if (!ok0(code(name, 0))) return false;
  for (let i = 1; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!ok0(c) && !isdigitC(c)) return false;
  }
  return true;
}

// --- fetch types (probe_fetch_types[], find_fetch_type) -----------------------------------------

interface MType {
  readonly name: string;
  readonly size: number;
  readonly isString: boolean;
}
const TYPES: MType[] = [
  ['string', 4, true],
  ['ustring', 4, true],
  ['symstr', 4, true],
  ['u8', 1],
  ['u16', 2],
  ['u32', 4],
  ['u64', 8],
  ['s8', 1],
  ['s16', 2],
  ['s32', 4],
  ['s64', 8],
  ['x8', 1],
  ['x16', 2],
  ['x32', 4],
  ['x64', 8],
  ['char', 1],
  ['symbol', 8],
].map(([name, size, isString]) => ({ name: name as string, size: size as number, isString: isString === true }));

function findFetchType(t: string | null): MType | undefined {
  const name = t ?? 'x64';
  if (name[0] === 'b') {
    const slash = name.indexOf('/');
    if (slash < 0) return undefined;
    const r = kstrtoull(name.slice(slash + 1), 0);
    if (!r.ok) return undefined;
    const c = r.v === 8n ? 'u8' : r.v === 16n ? 'u16' : r.v === 32n ? 'u32' : r.v === 64n ? 'u64' : undefined;
    return c ? findFetchType(c) : undefined;
  }
  return TYPES.find((x) => x.name === name);
}

// --- the machine the model runs against ----------------------------------------------------------

/** kallsyms and register_k*probe() as the test host implements them. */
export interface ModelMachine {
  lookupName(name: string): bigint | undefined;
  countSymbols(name: string, module?: string): number;
  isModuleLoaded(module: string): boolean;
  lookupAddress(addr: bigint): { offset: bigint } | undefined;
  /** The kprobe's address as register_kprobe() resolves it, for an address probe. */
  addressOf(addr: bigint): bigint;
  /** The kernel's hashed %p ("0x…"). */
  hashPointer(addr: bigint): string;
  /** max(10, 2 * num_possible_cpus()). */
  readonly defaultMaxactive: number;
  /** Required instruction alignment (arm64: 4). */
  readonly insnAlign: bigint;
}

// --- the model ------------------------------------------------------------------------------------

export interface ModelArg {
  name: string;
  comm: string;
  type: MType;
  count: number;
  /** @SYM[+-OFFS] texts resolved at registration. */
  syms: string[];
}

export interface ModelProbe {
  group: string;
  event: string;
  isReturn: boolean;
  maxactive: number;
  symbol?: string;
  offset: bigint;
  addr?: bigint;
  args: ModelArg[];
  registered: boolean;
}

export interface ModelLogEntry {
  code: string;
  pos: number;
  command: string;
}

/** What one write did: the return value and the error_log entries it added. */
export interface ModelResult {
  ret: number;
  log: ModelLogEntry[];
  /** Why the last command ended as it did: an error code, a no-log reason, or "accepted"/"removed"/"empty". */
  reason: string;
  /** How far the last command got: "write", "dispatch", "head", "args", "register", "release", "done". */
  stage: string;
}

class Abort {
  constructor(
    readonly ret: number,
    readonly reason: string,
    readonly stage: string,
  ) {}
}

/** trace_probe_log: argv (by reference: %pd expansion rewrites it) and the word index. */
class Log {
  index = 0;
  constructor(
    readonly argv: string[],
    readonly out: ModelLogEntry[],
  ) {}
  err(offset: number, code: string): void {
    let len = 0;
    let pos = 0;
    for (let i = 0; i < this.argv.length; i++) {
      if (i === this.index) pos = len;
      len += this.argv[i]!.length + 1;
    }
    if (this.index >= this.argv.length) {
      pos = len;
      offset = 0;
    }
    this.out.push({ code, pos: (pos + offset) & 0xffff, command: this.argv.join(' ') });
  }
}

interface ParseCtx {
  flags: { ret: boolean; entry: boolean; funcReturn: boolean };
  offset: number;
  log: Log;
}

type Op =
  | 'nop' | 'end' | 'reg' | 'stack' | 'stackp' | 'retval' | 'comm' | 'arg' | 'edata' | 'imm' | 'data' | 'nop_symbol' | 'deref' | 'uderef'
  | 'st_raw' | 'st_mem' | 'st_umem' | 'st_string' | 'st_ustring' | 'st_symstr' | 'mod_bf' | 'lp_array';

export class KprobeModel {
  probes: ModelProbe[] = [];
  /** How far the command being run got (dispatch, head, args, register), for the statistics. */
  private stage = 'dispatch';

  constructor(private readonly m: ModelMachine) {}

  clone(): ModelProbe[] {
    return this.probes.map((p) => ({ ...p, args: p.args.map((a) => ({ ...a, syms: [...a.syms] })) }));
  }

  /** trace_parse_run_command() over the bytes (a latin1 string) of one write. */
  write(bytes: string): ModelResult {
    const log: ModelLogEntry[] = [];
    const count = bytes.length;
    let done = 0;
    let reason = 'empty';
    let stage = 'write';
    while (done < count) {
      let size = count - done;
      if (size >= WRITE_BUFSIZE) size = WRITE_BUFSIZE - 1;
      const kbuf = bytes.slice(done, done + size);
      let buf = 0;
      do {
        const nul = kbuf.indexOf('\0', buf);
        const cend = nul >= 0 ? nul : kbuf.length;
        let nl = kbuf.indexOf('\n', buf);
        if (nl >= cend) nl = -1;
        let line: string;
        if (nl >= 0) {
          line = kbuf.slice(buf, nl);
          size = nl - buf + 1;
        } else {
          line = kbuf.slice(buf, cend);
          size = line.length;
          if (done + size < count) {
            if (buf !== 0) break;
            return { ret: -EINVAL, log, reason: nul >= 0 ? 'NUL byte (line cut short)' : 'line too long', stage: 'write' };
          }
        }
        done += size;
        const hash = line.indexOf('#');
        if (hash >= 0) line = line.slice(0, hash);
        const r = this.command(line, log);
        reason = r.reason;
        stage = r.stage;
        if (r.ret) return { ret: r.ret, log, reason, stage };
        buf += size;
      } while (done < count);
    }
    return { ret: done, log, reason, stage };
  }

  /** create_or_delete_trace_kprobe(). */
  private command(raw: string, out: ModelLogEntry[]): { ret: number; reason: string; stage: string } {
    if (raw[0] === '-') return this.release(raw);
    const argv = argvSplit(raw);
    if (argv.length === 0) return { ret: 0, reason: 'empty', stage: 'dispatch' };
    this.stage = 'dispatch';
    try {
      this.create(argv, out);
      return { ret: 0, reason: 'accepted', stage: 'done' };
    } catch (e) {
      if (!(e instanceof Abort)) throw e;
      return { ret: e.ret, reason: e.reason, stage: e.stage };
    }
  }

  /** dyn_event_release() with trace_kprobe_match(). */
  private release(raw: string): { ret: number; reason: string; stage: string } {
    const argv = argvSplit(raw);
    const a0 = argv[0]!;
    if (a0[1] !== ':') return { ret: -EINVAL, reason: "'-' without ':'", stage: 'release' };
    let event = a0.slice(2);
    let system: string | undefined;
    const slash = event.indexOf('/');
    if (slash >= 0) {
      system = event.slice(0, slash);
      event = event.slice(slash + 1);
    }
    if (system === undefined && event === '') return { ret: -EINVAL, reason: "'-:' without an event", stage: 'release' };
    let ret = -ENOENT;
    for (const p of [...this.probes]) {
      if (event !== '' && p.event !== event) continue;
      if (system !== undefined && p.group !== system) continue;
      if (argv.length > 1) {
        // trace_kprobe_match_command_head(): the place is printed into a 64-byte buffer.
        if (this.place(p).slice(0, MAX_ARGSTR_LEN) !== argv[1]) continue;
        const rest = argv.slice(2);
        if (p.args.length < rest.length) continue;
        if (!rest.every((w, i) => w === `${p.args[i]!.name}=${p.args[i]!.comm}`)) continue;
      }
      this.probes.splice(this.probes.indexOf(p), 1);
      ret = 0;
    }
    return { ret, reason: ret ? 'no such event (ENOENT)' : 'removed', stage: 'release' };
  }

  private abort(ret: number, reason: string): never {
    throw new Abort(ret, reason, this.stage);
  }

  /** trace_probe_create() → __trace_kprobe_create() → register_trace_kprobe(). */
  private create(argv: string[], out: ModelLogEntry[]): void {
    const a0 = argv[0]!;
    let isReturn: boolean;
    if (a0[0] === 'r') isReturn = true;
    else if (a0[0] === 'p') isReturn = false;
    else this.abort(-EINVAL, 'not a kprobe command (ECANCELED)');
    if (argv.length < 2) this.abort(-EINVAL, 'no probe point (ECANCELED)');
    this.stage = 'head';
    const log = new Log(argv, out);
    const fail = (offset: number, c: string, ret = -EINVAL): never => {
      log.err(offset, c);
      this.abort(ret, c);
    };

    const colon = a0.indexOf(':', 1);
    let maxactive = 0;
    if (isdigitC(code(a0, 1))) {
      if (!isReturn) fail(1, 'BAD_MAXACT_TYPE');
      const len = colon >= 0 ? colon - 1 : a0.length - 1;
      if (len > MAX_EVENT_NAME_LEN - 1) fail(1, 'BAD_MAXACT');
      const r = kstrtouint(a0.slice(1, 1 + len), 0);
      if (!r.ok || r.v === 0n) fail(1, 'BAD_MAXACT');
      if (r.ok && r.v > BigInt(KRETPROBE_MAXACTIVE_MAX)) fail(1, 'MAXACT_TOO_BIG');
      maxactive = Number((r as { v: bigint }).v);
    }

    let symbol: string | undefined;
    let offset = 0n;
    let addr: bigint | undefined;
    let flags = { ret: false, entry: false, funcReturn: false };
    const a = kstrtoull(argv[1]!, 0);
    if (a.ok) {
      addr = a.v;
    } else {
      log.index = 1;
      const place = argv[1]!;
      if (place.includes('/') && place.includes(':')) this.abort(-EINVAL, 'uprobe-like place (ECANCELED)');
      let sym = place;
      const pct = sym.indexOf('%');
      if (pct >= 0) {
        if (sym.slice(pct) === '%return') {
          sym = sym.slice(0, pct);
          isReturn = true;
        } else fail(pct, 'BAD_ADDR_SUFFIX');
      }
      const k = plusMinus(sym);
      if (k >= 0) {
        const r = kstrtoll(sym.slice(k), 0);
        if (!r.ok) fail(0, 'BAD_PROBE_ADDR');
        offset = (r as { v: bigint }).v;
        sym = sym.slice(0, k);
      }
      if (offset < 0n || offset > 0xffffffffn) fail(0, 'BAD_PROBE_ADDR');
      const c = sym.indexOf(':');
      let n = 1;
      if (c >= 0) {
        if (this.m.isModuleLoaded(sym.slice(0, c))) n = this.m.countSymbols(sym.slice(c + 1), sym.slice(0, c));
      } else n = this.m.countSymbols(sym);
      if (n > 1) fail(0, 'NON_UNIQ_SYMBOL');
      if (n === 0) fail(0, 'BAD_PROBE_ADDR');
      // kprobe_on_func_entry(NULL, sym, offset)
      let fe: number;
      const base = this.m.lookupName(sym);
      if (base === undefined) fe = -ENOENT;
      else {
        const at = this.m.lookupAddress(base + offset);
        fe = !at ? -ENOENT : at.offset === 0n ? 0 : -EINVAL;
      }
      flags = { ret: isReturn, entry: fe === 0 && !isReturn, funcReturn: isReturn };
      if (fe === -EINVAL && isReturn) fail(0, 'BAD_RETPROBE');
      symbol = sym;
    }

    log.index = 0;
    let group = 'kprobes';
    let event: string | null = null;
    if (colon >= 0) {
      let ev = a0.slice(colon + 1);
      let offs = colon + 1;
      let slash = ev.indexOf('/');
      if (slash < 0) slash = ev.indexOf('.');
      if (slash >= 0) {
        if (slash === 0) fail(offs, 'NO_GROUP_NAME');
        if (slash + 1 > MAX_EVENT_NAME_LEN) fail(offs, 'GROUP_TOO_LONG');
        group = ev.slice(0, slash);
        if (!isGoodName(group, true)) fail(offs, 'BAD_GROUP_NAME');
        ev = ev.slice(slash + 1);
        offs += slash + 1;
      }
      if (ev.length === 0) {
        if (slash < 0) fail(offs, 'NO_EVENT_NAME');
      } else {
        if (ev.length >= MAX_EVENT_NAME_LEN) fail(offs, 'EVENT_TOO_LONG');
        if (!isGoodName(ev, false)) fail(offs, 'BAD_EVENT_NAME');
        event = ev;
      }
    }
    if (event === null) {
      const raw = symbol !== undefined ? `${isReturn ? 'r' : 'p'}_${symbol}_${offset}` : `${isReturn ? 'r' : 'p'}_${this.m.hashPointer(addr!)}`;
      const b = raw.slice(0, MAX_EVENT_NAME_LEN - 1);
      event = b[0] + b.slice(1).replace(/[:.*]/g, '_');
    }

    // traceprobe_expand_meta_args() without BTF.
    let argsIdx = -1;
    let found = false;
    for (let i = 2; i < argv.length; i++) {
      const w = argv[i]!;
      if (!w.startsWith('$arg')) continue;
      log.index = i;
      if (!flags.entry && !flags.funcReturn) fail(0, 'NOFENTRY_ARGS');
      if (isdigitC(code(w, 4))) {
        found = true;
        continue;
      }
      if (w[4] !== '*') fail(0, 'BAD_VAR');
      if (argsIdx >= 0) fail(0, 'DOUBLE_ARGS');
      found = true;
      argsIdx = i;
    }
    if (found && argsIdx >= 0) fail(0, 'NOSUP_BTFARG', -EOPNOTSUPP);
    const nargs = argv.length - 2;
    if (nargs > MAX_TRACE_ARGS) this.abort(-E2BIG, 'more than 128 arguments');

    // traceprobe_expand_dentry_args(): rewrites argv (and so the logged command) in place.
    let used = 0;
    for (let i = 2; i < argv.length; i++) {
      const w = argv[i]!;
      if (!/:%p[dD]$/.test(w)) continue;
      const eq = w.indexOf('=');
      const stem = w.slice(0, w.length - 4);
      const prefix = eq >= 0 ? `${stem.slice(0, eq)}=` : '';
      const body = eq >= 0 ? stem.slice(eq + 1) : stem;
      const dn = DENTRY_NAME_OFFS.toString(16);
      const s =
        w[w.length - 1] === 'd'
          ? `${prefix}+0x0(+0x${dn}(${body})):string`
          : `${prefix}+0x0(+0x${dn}(+0x${FILE_DENTRY_OFFS.toString(16)}(${body}))):string`;
      if (s.length >= MAX_DENTRY_ARGS_LEN - used) this.abort(-ENOMEM, '%pd/%pD expansion overflows its 256-byte buffer (ENOMEM)');
      argv[i] = s;
      used += s.length + 1;
    }

    this.stage = 'args';
    const args: ModelArg[] = [];
    let size = 0;
    for (let i = 0; i < nargs; i++) {
      log.index = i + 2;
      const ctx: ParseCtx = { flags, offset: 0, log };
      const r = this.parseArg(args, i, argv[i + 2]!, ctx, size);
      if (typeof r === 'object') this.abort(r.ret, r.reason);
      size = r;
    }

    this.stage = 'register';
    const tk: ModelProbe = { group, event, isReturn, maxactive, symbol, offset, addr, args, registered: false };
    let ret = this.registerTraceKprobe(tk, log);
    if (ret) {
      log.index = 1;
      if (ret === -EILSEQ) log.err(0, 'BAD_INSN_BNDRY');
      else if (ret === -ENOENT) log.err(0, 'BAD_PROBE_ADDR');
      else if (ret !== -ENOMEM && ret !== -EEXIST) log.err(0, 'FAIL_REG_PROBE');
      const last = out[out.length - 1];
      this.abort(ret, last && last.command === argv.join(' ') ? last.code : `errno ${ret}`);
    }
  }

  private registerTraceKprobe(tk: ModelProbe, log: Log): number {
    const old = this.probes.find((p) => p.event === tk.event && p.group === tk.group);
    if (old) {
      if (old.isReturn !== tk.isReturn) {
        log.index = 0;
        log.err(0, 'DIFF_PROBE_TYPE');
        return -EEXIST;
      }
      // trace_probe_compare_arg_type(new, old)
      const a = tk.args;
      const b = old.args;
      let diff = 0;
      if (a.length < b.length) diff = a.length + 1;
      else if (a.length > b.length) diff = b.length + 1;
      else {
        for (let i = 0; i < a.length; i++) {
          if (a[i]!.type !== b[i]!.type || a[i]!.count !== b[i]!.count || a[i]!.name !== b[i]!.name) {
            diff = i + 1;
            break;
          }
        }
      }
      if (diff) {
        log.index = diff + 1;
        log.err(0, 'DIFF_ARG_TYPE');
        return -EEXIST;
      }
      const siblings = this.probes.filter((p) => p.event === tk.event && p.group === tk.group);
      const same = siblings.some(
        (o) =>
          (o.symbol ?? 'unknown') === (tk.symbol ?? 'unknown') &&
          (o.symbol !== undefined ? o.offset : 0n) === (tk.symbol !== undefined ? tk.offset : 0n) &&
          o.args.every((x, i) => x.comm === tk.args[i]!.comm),
      );
      if (same) {
        log.index = 0;
        log.err(0, 'SAME_PROBE');
        return -EEXIST;
      }
    }
    let ret = this.registerProbe(tk);
    if (ret === -ENOENT && !this.moduleExists(tk)) ret = 0;
    else if (ret === 0) tk.registered = true;
    if (ret) return ret;
    if (tk.isReturn && tk.registered && tk.maxactive <= 0) tk.maxactive = this.m.defaultMaxactive;
    this.probes.push(tk);
    return 0;
  }

  private moduleExists(tk: ModelProbe): boolean {
    if (tk.symbol === undefined) return false;
    const c = tk.symbol.indexOf(':');
    if (c < 0) return true;
    return this.m.isModuleLoaded(tk.symbol.slice(0, c));
  }

  /** __register_trace_kprobe(): traceprobe_update_arg() on each argument, then register_k*probe(). */
  private registerProbe(tk: ModelProbe): number {
    for (const a of tk.args) {
      for (const text of a.syms) {
        const k = plusMinus(text);
        let sym = text;
        if (k >= 0) {
          const r = kstrtoll(text.slice(k), 0);
          if (!r.ok) return r.err;
          sym = text.slice(0, k);
        }
        const v = this.m.lookupName(sym);
        if (v === undefined || v === 0n) return -ENOENT;
      }
    }
    let addr: bigint;
    if (tk.symbol !== undefined) {
      const base = this.m.lookupName(tk.symbol);
      if (base === undefined) return -ENOENT;
      addr = base + tk.offset;
    } else addr = this.m.addressOf(tk.addr!);
    const at = this.m.lookupAddress(addr);
    if (!at) return -ENOENT;
    if (addr % this.m.insnAlign) return -EINVAL;
    if (tk.isReturn && at.offset !== 0n) return -EINVAL;
    return 0;
  }

  /** traceprobe_parse_probe_arg(): the new fixed size, or the failure. */
  private parseArg(args: ModelArg[], i: number, arg: string, ctx: ParseCtx, size: number): number | { ret: number; reason: string } {
    const fail = (offset: number, c: string, ret = -EINVAL) => {
      ctx.log.err(offset, c);
      return { ret, reason: c };
    };
    const eq = arg.indexOf('=');
    let name: string;
    let body: string;
    if (eq >= 0) {
      if (eq > MAX_ARG_NAME_LEN) return fail(0, 'ARG_NAME_TOO_LONG');
      if (eq === 0) return fail(0, 'NO_ARG_NAME');
      name = arg.slice(0, eq);
      body = arg.slice(eq + 1);
    } else {
      name = `arg${i + 1}`;
      body = arg;
    }
    if (!isGoodName(name, false)) return fail(0, 'BAD_ARG_NAME');
    if (RESERVED_FIELD_NAMES.includes(name) || args.some((x) => x.name === name)) return fail(0, 'USED_ARG_NAME');
    ctx.offset = eq >= 0 ? eq + 1 : 0;

    // traceprobe_parse_probe_arg_body()
    if (body.length > MAX_ARGSTR_LEN) return fail(ctx.offset, 'ARG_TOO_LONG', -E2BIG);
    if (body.length === 0) return fail(ctx.offset, 'NO_ARG_BODY');

    // parse_probe_arg_type()
    let fetch = body;
    let t: string | null = null;
    let count = 0;
    const colon = body.indexOf(':');
    if (colon >= 0) {
      fetch = body.slice(0, colon);
      t = body.slice(colon + 1);
      const lb = t.indexOf('[');
      if (lb >= 0) {
        const t2 = t.slice(lb + 1);
        const t2pos = colon + 1 + lb + 1;
        t = t.slice(0, lb);
        const rb = t2.indexOf(']');
        if (rb < 0) return fail(ctx.offset + t2pos + t2.length, 'ARRAY_NO_CLOSE');
        if (rb + 1 < t2.length) return fail(ctx.offset + t2pos + rb + 1, 'BAD_ARRAY_SUFFIX');
        const r = kstrtouint(t2.slice(0, rb), 0);
        if (!r.ok || r.v === 0n) return fail(ctx.offset + t2pos, 'BAD_ARRAY_NUM');
        if (r.v > BigInt(MAX_ARRAY_LEN)) return fail(ctx.offset + t2pos, 'ARRAY_TOO_BIG');
        count = Number(r.v);
      }
    }
    const offs = colon >= 0 ? colon + 1 : 0;
    let type: MType | undefined;
    if (fetch === '$comm' || fetch === '$COMM' || fetch.startsWith('\\"')) {
      if (count || (t !== null && t !== 'string')) return fail(ctx.offset + offs, 'NEED_STRING_TYPE');
      type = findFetchType('string');
    } else type = findFetchType(t);
    if (!type) return fail(ctx.offset + offs, 'BAD_TYPE');

    const prog: Op[] = Array.from({ length: FETCH_INSN_MAX }, () => 'nop' as Op);
    prog[FETCH_INSN_MAX - 1] = 'end';
    const syms: string[] = [];
    const pr = this.parseProbeArg(fetch, prog, 0, ctx, syms);
    if (pr.ret < 0) return { ret: pr.ret, reason: pr.reason ?? `errno ${pr.ret}` };
    let pc = pr.pc;

    size += type.size * (count || 1);
    if (size > MAX_PROBE_EVENT_SIZE) return fail(ctx.offset, 'EVENT_TOO_BIG', -E2BIG);

    // finalize_fetch_insn()
    const typeOffset = t !== null ? colon + 1 : 0;
    if (type.isString) {
      const op = prog[pc]!;
      if (type.name === 'symstr') {
        if (!['reg', 'stack', 'retval', 'arg', 'deref'].includes(op)) return fail(ctx.offset + typeOffset, 'BAD_SYMSTRING');
      } else if (!['deref', 'uderef', 'imm', 'comm', 'data'].includes(op)) return fail(ctx.offset + typeOffset, 'BAD_STRING');
      if (type.name === 'symstr' || op === 'imm' || op === 'comm' || op === 'data' || count) {
        pc++;
        if (prog[pc] !== 'nop') return fail(ctx.offset, 'TOO_MANY_OPS');
      }
      prog[pc] = type.name === 'ustring' || prog[pc] === 'uderef' ? 'st_ustring' : type.name === 'symstr' ? 'st_symstr' : 'st_string';
    } else if (prog[pc] === 'deref') {
      prog[pc] = 'st_mem';
    } else if (prog[pc] === 'uderef') {
      prog[pc] = 'st_umem';
    } else {
      pc++;
      if (prog[pc] !== 'nop') return fail(ctx.offset, 'TOO_MANY_OPS', -E2BIG);
      prog[pc] = 'st_raw';
    }
    const scode = pc;
    if (t !== null && t[0] === 'b') {
      // __parse_bitfield_probe_arg()
      const w = simpleStrtoul(t, 1);
      let bad = w.v === 0n || t[w.end] !== '@';
      if (!bad) {
        const o = simpleStrtoul(t, w.end + 1);
        if (o.end === w.end + 1 || t[o.end] !== '/') bad = true;
        else {
          pc++;
          if (prog[pc] !== 'nop') bad = true;
          else {
            prog[pc] = 'mod_bf';
            // BYTES_TO_BITS(size) < bw + bo, in unsigned long arithmetic.
            if (BigInt(type.size * 8) < ((w.v + o.v) & U64)) bad = true;
          }
        }
      }
      if (bad) return fail(ctx.offset + typeOffset, 'BAD_BITFIELD');
    }
    if (count) {
      const sop = prog[scode];
      if (sop !== 'st_mem' && sop !== 'st_string' && sop !== 'st_ustring') return fail(ctx.offset + typeOffset, 'BAD_STRING');
      pc++;
      if (prog[pc] !== 'nop') return fail(ctx.offset, 'TOO_MANY_OPS', -E2BIG);
      prog[pc] = 'lp_array';
    }
    args.push({ name, comm: body, type, count, syms });
    return size;
  }

  /**
   * parse_probe_arg(): fills prog from pc (the C's *pcode); returns the error (already logged) or
   * the slot *pcode points at afterwards, and how to name the store the finalizer will put there.
   */
  private parseProbeArg(
    arg: string,
    prog: Op[],
    pcIn: number,
    ctx: ParseCtx,
    syms: string[],
  ): { ret: number; pc: number; reason?: string } {
    const END = FETCH_INSN_MAX - 1;
    let pc = pcIn;
    let ret = 0;
    let reason: string | undefined;
    const log = (offset: number, c: string) => {
      ctx.log.err(offset, c);
      reason = c;
    };
    const res = () => ({ ret, pc, reason });

    switch (arg[0]) {
      case '$': {
        const a = arg.slice(1);
        let err = 'BAD_VAR';
        if (a.startsWith('retval')) {
          if (!ctx.flags.ret) err = 'RETVAL_ON_PROBE';
          else {
            prog[pc] = 'retval';
            break;
          }
        } else if (a.startsWith('stack')) {
          if (a.length === 5) {
            prog[pc] = 'stackp';
            break;
          }
          if (isdigitC(code(a, 5))) {
            const r = kstrtoull(a.slice(5), 10);
            if (r.ok) {
              if (r.v > BigInt(PARAM_MAX_STACK)) err = 'BAD_STACK_NUM';
              else {
                prog[pc] = 'stack';
                break;
              }
            }
          }
        } else if (a === 'comm' || a === 'COMM') {
          prog[pc] = 'comm';
          break;
        } else if (a.startsWith('arg')) {
          const r = kstrtoull(a.slice(3), 10);
          if (r.ok) {
            if (r.v === 0n || r.v > BigInt(PARAM_MAX_STACK)) err = 'BAD_ARG_NUM';
            else if (ctx.flags.entry) {
              prog[pc] = 'arg';
              break;
            } else if (ctx.flags.funcReturn) {
              prog[pc] = 'edata';
              break;
            } else err = 'NOFENTRY_ARGS';
          }
        }
        log(ctx.offset, err);
        ret = -EINVAL;
        break;
      }
      case '%':
        if (ARM64_REGS.has(arg.slice(1))) prog[pc] = 'reg';
        else {
          log(ctx.offset, 'BAD_REG_NAME');
          ret = -EINVAL;
        }
        break;
      case '@': {
        if (isdigitC(code(arg, 1))) {
          const r = kstrtoull(arg.slice(1), 0);
          if (!r.ok) {
            log(ctx.offset, 'BAD_MEM_ADDR');
            ret = r.err;
            break;
          }
          prog[pc] = 'imm';
        } else if (arg[1] === '+') {
          log(ctx.offset, 'FILE_ON_KPROBE');
          ret = -EINVAL;
          return res();
        } else {
          prog[pc] = 'nop_symbol';
          syms.push(arg.slice(1));
          if (++pc === END) {
            log(ctx.offset, 'TOO_MANY_OPS');
            ret = -EINVAL;
            return res();
          }
          prog[pc] = 'imm';
        }
        if (++pc === END) {
          log(ctx.offset, 'TOO_MANY_OPS');
          ret = -EINVAL;
          return res();
        }
        prog[pc] = 'deref';
        break;
      }
      case '+':
      case '-': {
        let a = arg;
        let deref: Op = 'deref';
        if (a[1] === 'u') {
          deref = 'uderef';
          a = a[0] + a.slice(2);
        }
        if (a[0] === '+') a = a.slice(1);
        const open = a.indexOf('(');
        if (open < 0) {
          log(ctx.offset, 'DEREF_NEED_BRACE');
          ret = -EINVAL;
          return res();
        }
        const num = a.slice(0, open);
        const r = kstrtoll(num, 0);
        if (!r.ok) {
          log(ctx.offset, 'BAD_DEREF_OFFS');
          ret = r.err;
          break;
        }
        ctx.offset += open + 1 + (num[0] !== '-' ? 1 : 0);
        const rest = a.slice(open + 1);
        const close = rest.lastIndexOf(')');
        if (close < 0) {
          log(ctx.offset + rest.length, 'DEREF_OPEN_BRACE');
          ret = -EINVAL;
          return res();
        }
        const cur = ctx.offset;
        const inner = this.parseProbeArg(rest.slice(0, close), prog, pc, ctx, syms);
        pc = inner.pc;
        if (inner.ret) {
          ret = inner.ret;
          reason = inner.reason;
          break;
        }
        ctx.offset = cur;
        if (prog[pc] === 'comm' || prog[pc] === 'data') {
          log(ctx.offset, 'COMM_CANT_DEREF');
          ret = -EINVAL;
          return res();
        }
        if (++pc === END) {
          log(ctx.offset, 'TOO_MANY_OPS');
          ret = -EINVAL;
          return res();
        }
        prog[pc] = deref;
        break;
      }
      case '\\': {
        if (arg[1] === '"') {
          const s = arg.slice(2);
          if (!s.length || s[s.length - 1] !== '"') {
            log(ctx.offset + 2 + s.length, 'IMMSTR_NO_CLOSE');
            ret = -EINVAL;
            break;
          }
          prog[pc] = 'data';
        } else {
          const s = arg.slice(1);
          let r: KR;
          if (isdigitC(code(s, 0))) r = kstrtoull(s, 0);
          else if (s[0] === '-') r = kstrtoll(s, 0);
          else if (s[0] === '+') r = kstrtoll(s.slice(1), 0);
          else r = { ok: false, err: -EINVAL };
          if (!r.ok) {
            log(ctx.offset + 1, 'BAD_IMM');
            ret = r.err;
          } else prog[pc] = 'imm';
        }
        break;
      }
      default:
        if (isalphaC(code(arg, 0)) || arg[0] === '_') {
          // parse_btf_arg() without CONFIG_PROBE_EVENTS_BTF_ARGS.
          log(ctx.offset, 'NOSUP_BTFARG');
          ret = !ctx.flags.entry && !ctx.flags.funcReturn ? -EINVAL : -EOPNOTSUPP;
          return res();
        }
    }
    if (!ret && prog[pc] === 'nop') {
      log(ctx.offset, 'BAD_FETCH_ARG');
      ret = -EINVAL;
    }
    return res();
  }

  /** The place as trace_kprobe_show() prints it. */
  place(p: ModelProbe): string {
    if (p.symbol === undefined) return this.m.hashPointer(p.addr!);
    return p.offset ? `${p.symbol}+${p.offset}` : p.symbol;
  }

  /** kprobe_events (and dynamic_events) as the kernel lists these probes. */
  listing(): string {
    let s = '';
    for (const p of this.probes) {
      s += p.isReturn ? 'r' : 'p';
      if (p.isReturn && p.maxactive) s += String(p.maxactive);
      s += `:${p.group}/${p.event} ${this.place(p)}`;
      for (const a of p.args) s += ` ${a.name}=${a.comm}`;
      s += '\n';
    }
    return s;
  }

  /** kprobe_profile: "  %-44s %15lu %15lu\n" with no hits and no misses. */
  profile(): string {
    return this.probes.map((p) => `  ${p.event.padEnd(44, ' ')} ${'0'.padStart(15, ' ')} ${'0'.padStart(15, ' ')}\n`).join('');
  }

  registeredCount(): number {
    return this.probes.filter((p) => p.registered).length;
  }
}
