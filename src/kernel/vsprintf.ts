// printk's format engine for TypeScript modules: the C conversions a module's pr_info() uses,
// formatted as lib/vsprintf.c formats them — including %p, which prints a hashed pointer (the low
// 32 bits of a keyed hash, zero-padded to the pointer width) so that kernel addresses do not leak,
// %px for the raw value and %pS/%ps for symbols. The hash key is fixed, so output is reproducible.

export interface FormatContext {
  /** Pointer width in hex digits (16 on 64-bit arches, 8 on 32-bit). */
  pointerDigits: number;
  /** `%pS`: "sym+0xoff/0xsize"; `%ps`: "sym". */
  symbolize(addr: bigint, withOffset: boolean): string;
}

type Value = number | bigint | string | boolean | null | undefined;

/** siphash-like mixing reduced to what we need: a stable 32-bit id per pointer. */
export function hashPointer(value: bigint): bigint {
  let h = 0x9e3779b97f4a7c15n ^ BigInt.asUintN(64, value);
  for (let i = 0; i < 3; i++) {
    h = BigInt.asUintN(64, (h ^ (h >> 30n)) * 0xbf58476d1ce4e5b9n);
    h = BigInt.asUintN(64, (h ^ (h >> 27n)) * 0x94d049bb133111ebn);
    h ^= h >> 31n;
  }
  return h & 0xffff_ffffn;
}

const MAX_ERRNO = 4095n;

/**
 * ptr_to_id(): the text of a plain %p, without "0x". NULL and error pointers (the last MAX_ERRNO
 * values, IS_ERR_OR_NULL) are not addresses and print as they are; anything else as its hashed id.
 * Zero-padded to `digits` (the pointer width).
 */
export function pointerId(value: bigint, digits: number): string {
  const bits = BigInt(digits * 4);
  const v = BigInt.asUintN(Number(bits), value);
  const isErrOrNull = v === 0n || v >= (1n << bits) - MAX_ERRNO;
  return (isErrOrNull ? v : hashPointer(v)).toString(16).padStart(digits, '0');
}

function toBig(v: Value): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return 0n;
}

/** Format like the kernel's vsnprintf for the conversions modules use. */
export function kvsprintf(ctx: FormatContext, fmt: string, args: readonly Value[]): string {
  let out = '';
  let ai = 0;
  const re = /%([-0+ #]*)(\d+|\*)?(?:\.(\d+))?(hh|h|ll|l|z|t)?([diouxXcsp%])([SsFfxKB]?)/g;
  let last = 0;
  for (let m = re.exec(fmt); m; m = re.exec(fmt)) {
    out += fmt.slice(last, m.index);
    last = re.lastIndex;
    const [, flags = '', widthSpec, precision, length = '', conv] = m;
    let ext = m[6] ?? '';
    if (conv !== 'p' && ext) {
      // Only %p takes an extension letter; give it back to the literal text.
      last -= ext.length;
      re.lastIndex = last;
      ext = '';
    }
    let width = widthSpec === '*' ? Number(args[ai++]) : widthSpec ? Number(widthSpec) : 0;
    let text: string;
    let trailing = '';
    switch (conv) {
      case '%':
        text = '%';
        break;
      case 'c':
        text = String.fromCharCode(Number(args[ai++]));
        break;
      case 's': {
        const v = args[ai++];
        text = v === null || v === undefined ? '(null)' : String(v);
        if (precision !== undefined) text = text.slice(0, Number(precision));
        break;
      }
      case 'd':
      case 'i': {
        const bits = length === 'll' || length === 'l' || length === 'z' || length === 't' ? 64 : length === 'h' ? 16 : length === 'hh' ? 8 : 32;
        text = BigInt.asIntN(bits, toBig(args[ai++])).toString();
        break;
      }
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        const bits = length === 'll' || length === 'l' || length === 'z' || length === 't' ? 64 : length === 'h' ? 16 : length === 'hh' ? 8 : 32;
        const v = BigInt.asUintN(bits, toBig(args[ai++]));
        const radix = conv === 'u' ? 10 : conv === 'o' ? 8 : 16;
        text = v.toString(radix);
        if (conv === 'X') text = text.toUpperCase();
        if (flags.includes('#') && v !== 0n && radix === 16) text = (conv === 'X' ? '0X' : '0x') + text;
        break;
      }
      case 'p': {
        const v = BigInt.asUintN(64, toBig(args[ai++]));
        if (ext === 'S' || ext === 's') {
          text = ctx.symbolize(v, ext === 'S');
        } else if (ext === 'x') {
          text = v.toString(16).padStart(ctx.pointerDigits, '0');
        } else {
          // A plain %p: NULL and error pointers print as they are, anything else as its hashed id.
          text = pointerId(v, ctx.pointerDigits);
          trailing = ext;
        }
        width = Math.max(width, 0);
        break;
      }
      default:
        text = m[0];
    }
    if (text.length < width) {
      if (flags.includes('-')) text = text.padEnd(width, ' ');
      else if (flags.includes('0') && conv !== 's' && conv !== 'c') {
        const neg = text.startsWith('-');
        text = (neg ? '-' : '') + text.slice(neg ? 1 : 0).padStart(width - (neg ? 1 : 0), '0');
      } else text = text.padStart(width, ' ');
    }
    out += text + trailing;
  }
  return out + fmt.slice(last);
}
