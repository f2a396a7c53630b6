// Line generators for the kprobe_events parser fuzz test: a small seeded PRNG, (a) random
// printable and byte strings, (b) mutations of a corpus of valid and near-valid lines, and
// (c) grammar-aware random lines built from the kprobe_events syntax, so that most lines get past
// the first character and into the place, event-name and fetch-argument parsers. Lines are
// latin1 strings whose characters are the bytes written.

/** splitmix32: tiny, seedable, good enough to spread choices. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  u32(): number {
    this.s = (this.s + 0x9e3779b9) >>> 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }
  /** 0 <= n < max. */
  int(max: number): number {
    return max <= 1 ? 0 : this.u32() % max;
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.u32() / 0x100000000 < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
}

export type LineKind = 'random-printable' | 'random-bytes' | 'mutated' | 'grammar' | 'long';

// --- pools ------------------------------------------------------------------------------------

const GOOD_SYMBOLS = [
  'vfs_read', 'vfs_write', 'kernel_clone', 'do_exit', 'kfree', 'getname', 'do_sys_openat2', '__arm64_sys_openat',
  'tracefs_create_dir', 'inet_csk_accept', 'mymod:myfunc', 'ext4:ext4_file_open',
];
const ODD_SYMBOLS = [
  'name_show', 'jiffies', 'linux_proc_banner', '__kretprobe_trampoline', 'no_such_function', 'a/b:c', 'vfs_reaD', '_', 'x',
  'mymod:', ':vfs_read', 'vfs.read', 'vfs*read', 'mod:' + 'm'.repeat(70),
];
const GOOD_OFFSETS = ['', '', '', '+0', '+4', '+8', '+0x10', '+64'];
const ODD_OFFSETS = [
  '+2', '+1', '+0x190', '+400', '+1000', '-8', '+4294967295', '+4294967296', '+0x', '+08', '+010', '+99999999999999999999',
  '+-4', '-+4', '+0x7fffffffffffffff', '-0', '+', '-',
];
const symbol = (r: Rng): string => (r.chance(0.8) ? r.pick(GOOD_SYMBOLS) : r.pick(ODD_SYMBOLS));
const symOffset = (r: Rng): string => (r.chance(0.8) ? r.pick(GOOD_OFFSETS) : r.pick(ODD_OFFSETS));
const ADDRESSES = [
  '0xffff800008010000', '0xffff800008010190', '0xffff800008010192', '0xffff80000801024c', '0xffff800008010250',
  '0xffff800009000000', '0x10', '0', '18446744073709551615', '18446744073709551616', '+5', '0x8000080100000', '0xffff800008000800',
  '0X1F', '0x', '07', '08',
];
const GROUPS = ['', 'kprobes', 'grp1', 'grp2', 'g-1', '-', '_g', '1bad', 'a b', 'x'.repeat(63), 'x'.repeat(64), 'é', 'g.h', 'G'];
const EVENTS = [
  '', 'base_p', 'base_r', 'ev1', 'ev2', 'p_kfree_0', 'r_kernel_clone_0', 'myprobe', 'e', '_e', '1e', 'bad.name', 'bad-name',
  'x'.repeat(63), 'x'.repeat(64), 'é', 'ev1x', 'p_vfs_read_0',
];
const REGS = [
  ...Array.from({ length: 31 }, (_, i) => `x${i}`), 'lr', 'sp', 'pc', 'pstate',
  'x31', 'x-1', 'di', 'ax', 'X0', '', 'x0x', 'r0', 'fp', 'x00',
];
const TYPES = [
  'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'x8', 'x16', 'x32', 'x64', 'char', 'string', 'ustring', 'symstr',
  'symbol', '%pd', '%pD', 'b4@4/32', 'b1@0/8', 'b0@0/8', 'b64@0/64', 'b65@0/64', 'b4@60/64', 'b4/32', 'b4@4', 'b4@4/7',
  'bx@1/8', 'b4@/32', 'b18446744073709551615@1/8', 'u8[4]', 'u8[64]', 'u8[65]', 'u8[0]', 'string[2]', 'u8[4]x', 'u8[4', 'u8[]',
  'u32[0x10]', '', 'foo', 'S32', 'u8[4][2]', 'b4@4/32[2]', 'symstr[2]', 'ustring[3]', 'x64[1]', 'bogus/8', 'u8:u8',
];
const NAMES = [
  'a', 'b', 'x', 'arg1', 'arg2', 'arg3', 'ret', 'comm', 'common_pid', '__probe_ip', '__probe_func', 'common_type', '1a', 'a.b',
  'a-b', '', 'é', '_', 'n'.repeat(32), 'n'.repeat(33), 'A_1',
];
const IMMS = ['\\1', '\\-5', '\\+5', '\\0x10', '\\99999999999999999999', '\\x', '\\-+1', '\\', '\\0', '\\-0x8000000000000001', '\\"hello"', '\\"', '\\"a b', '\\"unterminated', '\\""', '\\"a"b'];
const VARS = [
  '$stack', '$stack0', '$stack1', '$stack2048', '$stack2049', '$stack10000', '$stackx', '$stack0x1', '$retval', '$retvalx', '$comm',
  '$COMM', '$Comm', '$arg1', '$arg8', '$arg0', '$arg2048', '$arg2049', '$arg*', '$arg', '$argx', '$args', '$none', '$', '$arg1x',
];
const DEREF_OFFS = ['0', '8', '-8', '0x10', '99999999999999999999', 'x', '', '-+8', '+8', '1234567', '-0'];
const SPECIALS = [...' \t:/.+-()[]%$@\\"=#,*&!?<>{}|~^`\''];

// --- a corpus of valid (and a few near-valid) lines --------------------------------------------

export const CORPUS = [
  'p:myprobe vfs_read',
  'p:kprobes/myopen do_sys_openat2 dfd=%x0:s32 filename=+0(%x1):string ufn=+0(%x1):ustring',
  'r:myopen_ret do_sys_openat2 ret=$retval:s32',
  'p:myopen_args do_sys_openat2 a1=$arg1 a2=$arg2:x64 comm=$comm',
  'r10:grp2/ev kernel_clone $retval $arg1',
  'p vfs_read+4 %x0 %x1:u32 $stack $stack0 +8($stack):x32',
  'p:test.ev vfs_write $comm \\"hello" \\123 \\-5:s16',
  'p 0xffff800008010000',
  'r 0xffff800008010190 %x0',
  'p:g-1/e_2 kfree @jiffies:u64 @linux_proc_banner:string @jiffies+8:x8',
  'p:arr do_exit +0(%x0):u8[4] +0(%x1):string[2] %x2:b4@4/32',
  'p vfs_read%return $retval',
  'p:sym kfree %x0:symbol %x1:symstr',
  'p:dent do_sys_openat2 %x1:%pd f=%x2:%pD',
  'p:modev mymod:myfunc+8 %x0',
  'p:deep getname +0(+8(+16(-8(+u0(%x0))))):u16',
  'r4096:grp2/maxed do_exit',
  'p:kprobes/base_p vfs_read a=%x0 b=+8(%x1):u32',
  'p:kprobes/base_p vfs_read+8 a=%x0 b=+8(%x1):u32',
  'r:kprobes/base_r kernel_clone ret=$retval',
  'p:grp1/ev1 do_exit',
  'p kfree',
  'p kfree %x0',
  'p:grp1/ev2 vfs_write x=%x0',
  'p:grp1/ev2 do_exit+4 x=%x2',
  'p:grp1/ev2 vfs_read+4 x=%x1',
  'p:grp1/ev2 vfs_read x=%x1:u32',
  '-:myprobe',
  '-:kprobes/base_p',
  '-:grp1/',
  '-:grp1/ev2 vfs_read+4 x=%x1',
  '-:p_kfree_0',
  '-:kprobes/base_p vfs_read a=%x0',
  'p:bitev vfs_write a=%x0:b1@0/8 b=+0(%x1):b4@4/64 c=+0(%x1):x8[64]',
  'p:imm vfs_read a=\\0x10:u8 s=\\"x":string',
  'p:e1 kfree %x0 %x1 %x2 %x3 %x4 %x5 %x6 %x7 %x8 %x9 %x10 %x11 %x12 %x13 %x14 %x15',
  'p vfs_read +0(@0xffff800009000000):string',
  'p:ustr do_sys_openat2 +u0(%x1):ustring -u8(%x2):u64',
  'r:rarg do_sys_openat2 a=$arg2:x32 b=$arg2 c=+0($arg2):string',
];

// --- (a) random strings -------------------------------------------------------------------------

export function randomPrintable(r: Rng): string {
  const n = r.chance(0.1) ? r.range(100, 300) : r.range(0, 60);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += r.chance(0.3) ? r.pick(SPECIALS) : String.fromCharCode(r.range(0x20, 0x7e));
  }
  return s;
}

export function randomBytes(r: Rng): string {
  const n = r.range(0, 80);
  let s = '';
  // Often start like a command, so that byte noise reaches the parser too.
  if (r.chance(0.5)) s = r.pick(['p', 'r', 'p:', 'r:', '-:', 'p ', 'r1', 'p:a/b ', 'p vfs_read ']);
  for (let i = 0; i < n; i++) s += String.fromCharCode(r.chance(0.1) ? r.pick([0, 9, 10, 11, 12, 13, 32, 0xa0, 0xff, 0x80]) : r.range(0, 255));
  return s;
}

// --- (b) mutations --------------------------------------------------------------------------------

function words(s: string): string[] {
  return s.split(' ');
}

function interestingChar(r: Rng): string {
  if (r.chance(0.5)) return r.pick(SPECIALS);
  if (r.chance(0.3)) return String.fromCharCode(r.pick([0, 9, 10, 0xa0, 0xe9, 0xff, 0x7f, 1]));
  return String.fromCharCode(r.range(0x21, 0x7e));
}

function replaceToken(r: Rng, s: string, re: RegExp, pool: readonly string[]): string {
  const matches = [...s.matchAll(re)];
  if (!matches.length) return s;
  const m = r.pick(matches);
  return s.slice(0, m.index!) + r.pick(pool) + s.slice(m.index! + m[0].length);
}

export function mutate(r: Rng, line: string): string {
  let s = line;
  const n = r.chance(0.6) ? 1 : r.range(2, 4);
  for (let k = 0; k < n; k++) {
    const w = words(s);
    switch (r.int(16)) {
      case 0: {
        const i = r.int(s.length + 1);
        s = s.slice(0, i) + interestingChar(r) + s.slice(i);
        break;
      }
      case 1: {
        const i = r.int(s.length);
        s = s.slice(0, i) + s.slice(i + r.range(1, 3));
        break;
      }
      case 2: {
        const i = r.int(s.length);
        s = s.slice(0, i) + interestingChar(r) + s.slice(i + 1);
        break;
      }
      case 3: {
        if (w.length >= 2) {
          const i = r.int(w.length);
          const j = r.int(w.length);
          [w[i], w[j]] = [w[j]!, w[i]!];
          s = w.join(' ');
        }
        break;
      }
      case 4: {
        if (w.length >= 3) {
          const i = r.range(2, w.length - 1);
          w.splice(r.range(2, w.length), 0, w[i]!);
          s = w.join(' ');
        } else s += ' %x0';
        break;
      }
      case 5:
        s = s.slice(0, r.int(s.length + 1));
        break;
      case 6:
        s = replaceToken(r, s, /(?<=:)[a-z0-9@/%\[\]]+$|(?<=:)[a-zA-Z0-9@/%\[\]]+(?= )/g, TYPES);
        break;
      case 7:
        s = replaceToken(r, s, /(?<=%)[a-z0-9]+/g, REGS);
        break;
      case 8:
        s = replaceToken(r, s, /[+-]?(0x)?[0-9]+/g, ['0', '-1', '4294967295', '4294967296', '0x10', '99999999999999999999', '077', '08', '+', '-+1', '2048', '2049', '64', '65', '4096', '4097']);
        break;
      case 9: {
        // group / event
        if (w[0] && w[0][0] !== '-') {
          const c = w[0].indexOf(':');
          const head = c >= 0 ? w[0].slice(0, c) : w[0];
          const spec = r.chance(0.5) ? `${r.pick(GROUPS)}/${r.pick(EVENTS)}` : r.chance(0.5) ? r.pick(EVENTS) : `${r.pick(GROUPS)}/`;
          w[0] = `${head}:${spec}`;
          s = w.join(' ');
        }
        break;
      }
      case 10:
        if (w.length >= 2) {
          w[1] = r.chance(0.7) ? symbol(r) + symOffset(r) + (r.chance(0.1) ? '%return' : '') : r.pick(ADDRESSES);
          s = w.join(' ');
        }
        break;
      case 11:
        w[0] = r.pick(['p', 'r', 'r1', 'r0', 'p1', 'r4097', 'r4096', 'R', 'q', '-', '-:', 'rx', 'r0x10', 'r1a']) + (w[0]?.includes(':') ? w[0].slice(w[0].indexOf(':')) : '');
        s = w.join(' ');
        break;
      case 12:
        s += ' ' + grammarArg(r, 3);
        break;
      case 13: {
        const other = words(r.pick(CORPUS));
        s = [...w.slice(0, r.range(1, w.length)), ...other.slice(r.int(other.length))].join(' ');
        break;
      }
      case 14:
        s = s.replace(/ /g, () => r.pick([' ', '  ', '\t', ' ', '\xa0', '\x0b', ' ']));
        break;
      default:
        if (r.chance(0.5)) s += r.pick([' #comment', '#', ' # p:x vfs_read', '\n', '\n\n', '\np:second vfs_read', '\n-:second']);
        else s = r.pick([' ', '\t', '', '#']) + s;
    }
  }
  return s;
}

// --- (c) grammar-aware lines -------------------------------------------------------------------------

const GOOD_TYPES = ['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'x8', 'x16', 'x32', 'x64', 'char', 'string', 'symbol', 'b4@4/32'];
const GOOD_VARS = ['$stack', '$stack0', '$stack1', '$comm', '$retval', '$arg1', '$arg2'];

/** Dereferences nested close to FETCH_INSN_MAX, within MAX_ARGSTR_LEN: the TOO_MANY_OPS paths. */
function nested(r: Rng): string {
  const n = r.range(10, 16);
  const base = r.pick(['%x0', '@jiffies', '@0x10', '$stack', '\\1', '$comm', '$stack0', '$arg1', '+0(%x1)']);
  const type = r.pick(['', '', ':string', ':u8[2]', ':b4@4/32', ':string[2]', ':symstr', ':b4@4/32[2]', ':ustring']);
  return `${'+0('.repeat(n)}${base}${')'.repeat(n)}${type}`;
}

function fetch(r: Rng, depth: number): string {
  const x = r.int(100);
  if (x < 3) return nested(r);
  if (depth > 0 && (x < 25 || depth > 4)) {
    const sign = r.pick(['+', '-', '+', '']);
    const u = r.chance(0.15) ? 'u' : '';
    const inner = fetch(r, depth - 1);
    const open = r.chance(0.95) ? '(' : '';
    const close = r.chance(0.95) ? ')' : '';
    return `${sign}${u}${r.chance(0.7) ? r.pick(['0', '8', '0x10', '-8']) : r.pick(DEREF_OFFS)}${open}${inner}${close}`;
  }
  if (x < 50) return `%x${r.int(31)}`;
  if (x < 58) return `%${r.pick(REGS)}`;
  if (x < 68) return r.chance(0.5) ? r.pick(GOOD_VARS) : r.pick(VARS);
  if (x < 80) {
    return r.chance(0.5)
      ? `@${r.pick(ADDRESSES)}`
      : `@${r.pick(['jiffies', 'linux_proc_banner', 'vfs_read', 'nosym', '+10', '-5', 'jiffies+8', 'jiffies-8', 'jiffies+x', 'mymod:sym', ''])}`;
  }
  if (x < 92) return r.pick(IMMS);
  return r.pick(['foo', 'btf_arg', 'a->b', '_x', '&1', '', '*p', '(x)', '1', '#', 'é']);
}

export function grammarArg(r: Rng, depth = 3): string {
  let a = '';
  if (r.chance(0.4)) a += `${r.chance(0.6) ? r.pick(['a', 'b', 'c', 'x', 'y', 'val', 'ptr', 'A_1', 'é', '_']) : r.pick(NAMES)}=`;
  a += fetch(r, r.chance(0.05) ? 14 : r.int(depth + 1));
  if (r.chance(0.45)) a += `:${r.chance(0.6) ? r.pick(GOOD_TYPES) : r.pick(TYPES)}`;
  return a;
}

export function grammarLine(r: Rng): string {
  if (r.chance(0.08)) {
    // removal
    let s = `-:${r.chance(0.5) ? `${r.pick(GROUPS)}/` : ''}${r.chance(0.9) ? r.pick(EVENTS) : ''}`;
    if (r.chance(0.3)) s += ` ${symbol(r)}${symOffset(r)}`;
    if (r.chance(0.2)) s += ` ${grammarArg(r, 2)}`;
    return r.chance(0.05) ? s.replace('-:', r.pick(['-', '--', '- :'])) : s;
  }
  let head = r.pick(['p', 'p', 'r', 'r', 'p', 'r']);
  if (head === 'r' && r.chance(0.2)) head += r.pick(['1', '10', '4096', '4097', '0', '0x10', '1a', '99999999999', '0' + '1'.repeat(70)]);
  if (head === 'p' && r.chance(0.03)) head += r.pick(['1', 'x', 'foo']);
  if (r.chance(0.7)) {
    const kind = r.int(4);
    head += ':' + (kind === 0 ? r.pick(EVENTS) : kind === 1 ? `${r.pick(GROUPS)}/${r.pick(EVENTS)}` : kind === 2 ? `${r.pick(GROUPS)}.${r.pick(EVENTS)}` : `${r.pick(GROUPS)}/`);
  }
  let place: string;
  if (r.chance(0.8)) {
    place = symbol(r);
    // A return probe sits at a function entry: mostly no offset.
    place += head[0] === 'r' && r.chance(0.7) ? '' : symOffset(r);
    if (r.chance(0.12)) place += r.pick(['%return', '%return', '%ret', '%returnx', '%']);
  } else place = r.pick(ADDRESSES);
  const parts = [head, place];
  const shape = r.int(100);
  if (shape < 3) {
    // Wide events: big arrays up to and past MAX_PROBE_EVENT_SIZE (3072 bytes).
    for (let i = r.range(3, 9); i > 0; i--) parts.push(`+0(%x${r.int(8)}):${r.pick(['u64', 'x64', 's64', 'u32', 'symbol', 'string'])}[${r.pick(['64', '64', '48', '32'])}]`);
  } else if (shape < 5) {
    // Many %pd/%pD arguments: their expansion fills (and overflows) a 256-byte buffer.
    for (let i = r.range(4, 12); i > 0; i--) parts.push(`${r.chance(0.3) ? `${r.pick(['a', 'b', 'c', 'f', 'd'])}${i}=` : ''}%x${r.int(8)}:${r.pick(['%pd', '%pD'])}`);
  } else {
    const nargs = shape < 7 ? r.range(120, 135) : r.chance(0.3) ? 0 : r.range(1, 4);
    for (let i = 0; i < nargs; i++) parts.push(grammarArg(r));
  }
  if (r.chance(0.05)) parts.push(r.pick(['$arg*', '$arg1', '$argx', '$arg1:u8']));
  if (r.chance(0.02)) parts.push('$arg*', r.pick(['$arg*', '$arg2', '$argy']));
  const sep = () => (r.chance(0.95) ? ' ' : r.pick(['\t', '  ', '\xa0']));
  let s = parts[0]!;
  for (let i = 1; i < parts.length; i++) s += sep() + parts[i];
  return s;
}

/** A line at or around the 4096-byte write buffer: many arguments, or one long token. */
export function longLine(r: Rng): string {
  const target = r.range(4080, 4100);
  let s: string;
  if (r.chance(0.5)) {
    s = `p:long vfs_read`;
    while (s.length < target) s += ` ${r.pick(['%x0', 'a=%x1', '+0(%x2):u8', '$stack0', '\\1'])}`;
  } else {
    s = r.pick(['p:', 'p vfs_read ', 'p ', '-:', 'r:g/']) + 'a'.repeat(target);
  }
  s = s.slice(0, target);
  return r.chance(0.5) ? s + '\n' : s;
}
