// Kernel string helpers the tracing code depends on, with the kernel's exact acceptance rules:
// the ctype table (lib/ctype.c), kstrtoull/kstrtoll/kstrtouint (lib/kstrtox.c), simple_strtoul
// (lib/vsprintf.c), argv_split (lib/argv_split.c) and glob_match (lib/glob.c).
//
// Strings here are JavaScript strings whose code units are bytes (latin1): tracefs takes and
// gives bytes, and the kernel's ctype classifies bytes, not Unicode characters.

const C_U = 1; // upper
const C_L = 2; // lower
const C_D = 4; // digit
const C_C = 8; // cntrl
const C_P = 16; // punct
const C_S = 32; // white space
const C_X = 64; // hex digit
const C_SP = 128; // hard space (0x20)

// lib/ctype.c: the kernel's table classifies latin1 (160 is a space, 192..255 are letters).
const ctype = new Uint8Array(256);
(() => {
  for (let c = 0; c < 32; c++) ctype[c] = C_C;
  for (let c = 9; c <= 13; c++) ctype[c] = C_C | C_S;
  ctype[32] = C_S | C_SP;
  for (const ch of '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~') ctype[ch.charCodeAt(0)] = C_P;
  for (let c = 48; c <= 57; c++) ctype[c] = C_D;
  for (let c = 65; c <= 90; c++) ctype[c] = C_U | (c <= 70 ? C_X : 0);
  for (let c = 97; c <= 122; c++) ctype[c] = C_L | (c <= 102 ? C_X : 0);
  ctype[127] = C_C;
  for (let c = 128; c < 160; c++) ctype[c] = C_C;
  ctype[160] = C_S | C_SP;
  for (let c = 161; c < 192; c++) ctype[c] = C_P;
  for (let c = 192; c < 224; c++) ctype[c] = C_U;
  ctype[215] = C_P;
  ctype[223] = C_L;
  for (let c = 224; c < 256; c++) ctype[c] = C_L;
  ctype[247] = C_P;
})();

const cls = (ch: string | undefined): number => (ch === undefined || ch === '' ? 0 : ctype[ch.charCodeAt(0) & 0xff]!);
export const isspace = (ch: string | undefined): boolean => (cls(ch) & C_S) !== 0;
export const isdigit = (ch: string | undefined): boolean => (cls(ch) & C_D) !== 0;
export const isalpha = (ch: string | undefined): boolean => (cls(ch) & (C_U | C_L)) !== 0;
export const isalnum = (ch: string | undefined): boolean => (cls(ch) & (C_U | C_L | C_D)) !== 0;
export const isxdigit = (ch: string | undefined): boolean => (cls(ch) & (C_D | C_X)) !== 0;

const ULLONG_MAX = (1n << 64n) - 1n;
const LLONG_MAX = (1n << 63n) - 1n;

function digitValue(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 122) return l - 97 + 10;
  return 99;
}

/** _parse_integer_fixup_radix: base 0 picks 16 for "0x<xdigit>", 8 for a leading 0, else 10. */
function fixupRadix(s: string, pos: number, base: number): { base: number; pos: number } {
  if (base === 0) {
    if (s[pos] === '0') {
      if ((s[pos + 1] ?? '').toLowerCase() === 'x' && isxdigit(s[pos + 2])) base = 16;
      else base = 8;
    } else base = 10;
  }
  if (base === 16 && s[pos] === '0' && (s[pos + 1] ?? '').toLowerCase() === 'x') pos += 2;
  return { base, pos };
}

/** Result of a kstrto*() call: the value, or the negative errno the kernel returns. */
export type KResult = { ok: true; value: bigint } | { ok: false; errno: number };
const EINVAL_R: KResult = { ok: false, errno: -22 };
const ERANGE_R: KResult = { ok: false, errno: -34 };

/** kstrtoull(): optional '+', digits (radix as above), an optional trailing '\n', nothing else. */
export function kstrtoull(s: string, base = 0): KResult {
  return parseUll(s, s[0] === '+' ? 1 : 0, base);
}

/** _kstrtoull(): the digits from pos, without the sign kstrtoull() skips. */
function parseUll(s: string, start: number, base: number): KResult {
  let pos = start;
  const fx = fixupRadix(s, pos, base);
  pos = fx.pos;
  let value = 0n;
  let n = 0;
  let overflow = false;
  for (; pos < s.length; pos++, n++) {
    const d = digitValue(s[pos]!);
    if (d >= fx.base) break;
    value = value * BigInt(fx.base) + BigInt(d);
    if (value > ULLONG_MAX) overflow = true;
  }
  if (n === 0) return EINVAL_R;
  if (overflow) return ERANGE_R;
  if (s[pos] === '\n') pos++;
  if (pos !== s.length) return EINVAL_R;
  return { ok: true, value };
}

/** kstrtoul() on a 64-bit kernel (unsigned long is 64 bits) or a 32-bit one. */
export function kstrtoul(s: string, base = 0, bits = 64): KResult {
  const r = kstrtoull(s, base);
  if (r.ok && bits === 32 && r.value > 0xffffffffn) return ERANGE_R;
  return r;
}

/** kstrtouint(). */
export function kstrtouint(s: string, base = 0): KResult {
  const r = kstrtoull(s, base);
  if (r.ok && r.value > 0xffffffffn) return ERANGE_R;
  return r;
}

/**
 * kstrtoll(): a leading '-' negates; the magnitude must fit in a signed 64-bit value. After '-'
 * the kernel parses with _kstrtoull(), which takes no second sign: "-+8" is invalid.
 */
export function kstrtoll(s: string, base = 0): KResult {
  if (s[0] === '-') {
    const r = parseUll(s, 1, base);
    if (!r.ok) return r;
    if (r.value > LLONG_MAX + 1n) return ERANGE_R;
    return { ok: true, value: -r.value };
  }
  const r = kstrtoull(s, base);
  if (!r.ok) return r;
  if (r.value > LLONG_MAX) return ERANGE_R;
  return r;
}

/** kstrtol() (long is 64 bits on 64-bit kernels, 32 on 32-bit ones). */
export function kstrtol(s: string, base = 0, bits = 64): KResult {
  const r = kstrtoll(s, base);
  if (r.ok && bits === 32 && (r.value > 0x7fffffffn || r.value < -0x80000000n)) return ERANGE_R;
  return r;
}

/** simple_strtoul(): parse what parses, never fail; returns the value and where parsing stopped. */
export function simpleStrtoul(s: string, pos: number, base = 0): { value: bigint; end: number } {
  const fx = fixupRadix(s, pos, base);
  let p = fx.pos;
  let value = 0n;
  for (; p < s.length; p++) {
    const d = digitValue(s[p]!);
    if (d >= fx.base) break;
    value = (value * BigInt(fx.base) + BigInt(d)) & ULLONG_MAX;
  }
  return { value, end: p };
}

/** argv_split(): words separated by isspace() runs; no quoting. */
export function argvSplit(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && isspace(s[i])) i++;
    if (i >= s.length) break;
    const start = i;
    while (i < s.length && !isspace(s[i])) i++;
    out.push(s.slice(start, i));
  }
  return out;
}

/** strpbrk(): index of the first character of s that is in set, or -1. */
export function strpbrk(s: string, set: string): number {
  for (let i = 0; i < s.length; i++) if (set.includes(s[i]!)) return i;
  return -1;
}

/**
 * glob_match() / glob_match_len(): '*', '?', '[...]' classes (leading '!' negates, ranges a-b,
 * an unterminated class matches literally), '\\' quotes the next character. A NUL in str ends it;
 * len bounds how much of str may be read.
 */
export function globMatch(pat: string, str: string, len?: number): boolean {
  const end = len === undefined ? str.length : Math.min(len, str.length);
  const P = (i: number): string => (i < pat.length ? pat[i]! : '\0');
  let p = 0;
  let s = 0;
  let backPat = -1;
  let backStr = 0;
  for (;;) {
    const c = s < end ? str[s]! : '\0';
    let d = P(p++);
    s++;
    let literal = false;
    let backtrack = false;
    switch (d) {
      case '?':
        if (c === '\0') return false;
        break;
      case '*':
        if (P(p) === '\0') return true;
        backPat = p;
        backStr = --s;
        break;
      case '[': {
        if (c === '\0') return false;
        let match = false;
        const inverted = P(p) === '!';
        let cl = p + (inverted ? 1 : 0);
        let a = P(cl++);
        let malformed = false;
        do {
          let b = a;
          if (a === '\0') {
            malformed = true;
            break;
          }
          if (P(cl) === '-' && P(cl + 1) !== ']') {
            b = P(cl + 1);
            if (b === '\0') {
              malformed = true;
              break;
            }
            cl += 2;
          }
          if (a <= c && c <= b) match = true;
          a = P(cl++);
        } while (a !== ']');
        if (malformed) {
          literal = true;
          break;
        }
        if (match === inverted) {
          backtrack = true;
          break;
        }
        p = cl;
        break;
      }
      case '\\':
        d = P(p++);
        literal = true;
        break;
      default:
        literal = true;
    }
    if (literal) {
      if (c === d) {
        if (d === '\0') return true;
        continue;
      }
      backtrack = true;
    }
    if (backtrack) {
      if (c === '\0' || backPat < 0) return false;
      p = backPat;
      s = ++backStr;
    }
  }
}

/** Encode a latin1 JavaScript string as bytes. */
export function toBytes(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}

/** Decode bytes as a latin1 JavaScript string. */
export function fromBytes(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}
