// The fetch types of probe arguments: the counterpart of probe_fetch_types[] and
// find_fetch_type() in kernel/trace/trace_probe.c and the print helpers next to them.
// A type has a storage size, signedness, a printf format used in the event's print fmt, the
// type name shown in the format file, and a printer for trace output.

import type { ArchSpec } from './arch.ts';
import { kstrtoul } from './kstr.ts';

export type TypeKind = 'u' | 's' | 'x' | 'char' | 'string' | 'symbol';

export interface FetchType {
  /** The name a probe definition uses: u32, x64, string, symstr, … */
  readonly name: string;
  readonly size: number;
  readonly isSigned: boolean;
  readonly isString: boolean;
  /** printf format in the event's print fmt (as written into the format file). */
  readonly fmt: string;
  /** Field type name in the format file. */
  readonly fmttype: string;
  readonly kind: TypeKind;
}

function basic(name: string, size: number, signed: boolean, kind: TypeKind, fmt: string, fmttype: string): FetchType {
  return { name, size, isSigned: signed, isString: false, fmt, fmttype, kind };
}

const STRING_FMT = '\\"%s\\"';

function buildTable(bits: 32 | 64): readonly FetchType[] {
  const addr = bits === 64 ? 'u64' : 'u32';
  return [
    { name: 'string', size: 4, isSigned: true, isString: true, fmt: STRING_FMT, fmttype: '__data_loc char[]', kind: 'string' },
    { name: 'ustring', size: 4, isSigned: true, isString: true, fmt: STRING_FMT, fmttype: '__data_loc char[]', kind: 'string' },
    { name: 'symstr', size: 4, isSigned: true, isString: true, fmt: STRING_FMT, fmttype: '__data_loc char[]', kind: 'string' },
    basic('u8', 1, false, 'u', '%u', 'u8'),
    basic('u16', 2, false, 'u', '%u', 'u16'),
    basic('u32', 4, false, 'u', '%u', 'u32'),
    basic('u64', 8, false, 'u', '%Lu', 'u64'),
    basic('s8', 1, true, 's', '%d', 's8'),
    basic('s16', 2, true, 's', '%d', 's16'),
    basic('s32', 4, true, 's', '%d', 's32'),
    basic('s64', 8, true, 's', '%Ld', 's64'),
    basic('x8', 1, false, 'x', '0x%x', 'u8'),
    basic('x16', 2, false, 'x', '0x%x', 'u16'),
    basic('x32', 4, false, 'x', '0x%x', 'u32'),
    basic('x64', 8, false, 'x', '0x%Lx', 'u64'),
    basic('char', 1, false, 'char', "'%c'", 'u8'),
    basic('symbol', bits / 8, false, 'symbol', '%pS', addr),
  ];
}

const tables = new Map<number, readonly FetchType[]>();

function table(bits: 32 | 64): readonly FetchType[] {
  let t = tables.get(bits);
  if (!t) {
    t = buildTable(bits);
    tables.set(bits, t);
  }
  return t;
}

/** The default type of an argument without :TYPE (x64, or x32 on 32-bit kernels). */
export function defaultTypeName(arch: ArchSpec): string {
  return arch.bits === 64 ? 'x64' : 'x32';
}

/**
 * find_fetch_type(): a type by name (undefined: the default). Bitfields `b<w>@<o>/<c>` resolve to
 * their container u8..u64 (only "/<c>" is looked at here). `user` rejects symbol and symstr as
 * uprobes do. Types are singletons per word size, so identity compares like the kernel's pointers.
 */
export function findFetchType(arch: ArchSpec, name: string | undefined, user = false): FetchType | undefined {
  if (name !== undefined && user && (name === 'symbol' || name === 'symstr')) return undefined;
  const n = name ?? defaultTypeName(arch);
  if (n[0] === 'b') {
    const slash = n.indexOf('/');
    if (slash < 0) return undefined;
    const r = kstrtoul(n.slice(slash + 1), 0);
    if (!r.ok) return undefined;
    switch (r.value) {
      case 8n:
        return findFetchType(arch, 'u8', user);
      case 16n:
        return findFetchType(arch, 'u16', user);
      case 32n:
        return findFetchType(arch, 'u32', user);
      case 64n:
        return findFetchType(arch, 'u64', user);
      default:
        return undefined;
    }
  }
  return table(arch.bits).find((t) => t.name === n);
}
