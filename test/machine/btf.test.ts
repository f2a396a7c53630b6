// The BTF reader (src/machine/btf.ts) on the guest kernel's own BTF (made by guest/build.sh with
// pahole) and on hand-built blobs: functions and their prototypes, parameters, struct members
// and their bit offsets, typedef chains, integer encodings, and the format's checks. No Linux
// counterpart (compare the BTF self-tests in tools/testing/selftests/bpf/prog_tests/btf.c).

import { describe, expect, it } from 'vitest';
import {
  Btf,
  BtfError,
  BTF_INT_SIGNED,
  BTF_KIND_FUNC,
  BTF_KIND_FUNC_PROTO,
  BTF_KIND_INT,
  BTF_KIND_PTR,
  BTF_KIND_STRUCT,
  btfIntBits,
  btfIntEncoding,
  btfKflag,
  btfKind,
  btfMemberBitfieldSize,
  btfMemberBitOffset,
  btfMemberBitOffsetOf,
  btfVlen,
  type BtfType,
} from '../../src/machine/btf.ts';
import { BtfBuilder, guestBtf, guestBtfBytes } from '../helpers/btf-builder.ts';

function proto(btf: Btf, fn: string): BtfType {
  const id = btf.findByNameKind(fn, BTF_KIND_FUNC);
  expect(id, fn).toBeGreaterThan(0);
  const p = btf.typeById(btf.typeById(id)!.sizeOrType)!;
  expect(btfKind(p)).toBe(BTF_KIND_FUNC_PROTO);
  return p;
}

/** A type's C spelling, following the chain (enough for the types these tests meet). */
function spell(btf: Btf, id: number): string {
  if (id === 0) return 'void';
  const t = btf.typeById(id)!;
  switch (btfKind(t)) {
    case BTF_KIND_PTR:
      return `${spell(btf, t.sizeOrType)} *`;
    case BTF_KIND_STRUCT:
      return `struct ${btf.nameOf(t)}`;
    default:
      return btf.nameOf(t);
  }
}

describe('the guest kernel BTF', () => {
  const btf = guestBtf();

  it('starts with the header pahole writes and holds the kernel functions', () => {
    const bytes = guestBtfBytes();
    expect(bytes[0] | (bytes[1]! << 8)).toBe(0xeb9f);
    expect(btf.nrTypes).toBeGreaterThan(100);
    for (const fn of ['vfs_read', 'vfs_write', 'ksys_read', 'do_sys_openat2', 'kernel_clone', 'kfree', 'do_exit', 'getname']) {
      expect(btf.findByNameKind(fn, BTF_KIND_FUNC), fn).toBeGreaterThan(0);
    }
    expect(btf.findByNameKind('no_such_function', BTF_KIND_FUNC)).toBe(-2);
  });

  it('names vfs_read\'s parameters and their types as the C declares them', () => {
    const p = proto(btf, 'vfs_read');
    expect(p.params!.map((q) => btf.nameByOffset(q.nameOff))).toEqual(['file', 'buf', 'count', 'pos']);
    expect(p.params!.map((q) => spell(btf, q.type))).toEqual(['struct file *', 'char *', 'size_t', 'loff_t *']);
    // ssize_t → … → long int, signed 64 bits.
    const ret = btf.skipModifiers(p.sizeOrType).type!;
    expect(btfKind(ret)).toBe(BTF_KIND_INT);
    expect(btf.nameOf(ret)).toBe('long int');
    expect(btfIntEncoding(ret.word0) & BTF_INT_SIGNED).toBe(BTF_INT_SIGNED);
    expect(btfIntBits(ret.word0)).toBe(64);
    // size_t → unsigned long.
    const count = btf.skipModifiers(p.params![2]!.type);
    expect(btf.nameOf(count.type!)).toBe('long unsigned int');
    expect(btfIntEncoding(count.type!.word0)).toBe(0);
  });

  it('gives void returns type 0 and kfree the parameter name Linux uses', () => {
    const p = proto(btf, 'kfree');
    expect(p.sizeOrType).toBe(0);
    expect(btf.nameByOffset(p.params![0]!.nameOff)).toBe('object');
    expect(btf.typeById(0)).toEqual({ id: 0, nameOff: 0, info: 0, sizeOrType: 0, word0: 0 });
  });

  it('lays out struct file: members with bit offsets, nested structs', () => {
    const file = btf.typeById(btf.findByNameKind('file', BTF_KIND_STRUCT))!;
    const members = new Map(file.members!.map((m) => [btf.nameByOffset(m.nameOff), m]));
    expect(btfMemberBitOffsetOf(file, members.get('f_flags')!) % 8).toBe(0);
    expect(spell(btf, members.get('f_flags')!.type)).toBe('unsigned int');
    const path = btf.typeById(members.get('f_path')!.type)!;
    expect(btf.nameOf(path)).toBe('path');
    expect(path.members!.map((m) => btf.nameByOffset(m.nameOff))).toContain('dentry');
  });

  it('keeps the anonymous union of thread_info', () => {
    const ti = btf.typeById(btf.findByNameKind('thread_info', BTF_KIND_STRUCT))!;
    const anon = ti.members!.find((m) => m.nameOff === 0)!;
    expect(btfMemberBitOffsetOf(ti, anon)).toBe(64);
    const u = btf.typeById(anon.type)!;
    expect(u.members!.map((m) => btf.nameByOffset(m.nameOff))).toEqual(['preempt_count', 'preempt']);
  });
});

describe('hand-built BTF', () => {
  it('reads kind-flag members as bitfield size and bit offset', () => {
    const b = new BtfBuilder();
    const u32 = b.int('unsigned int', 4, 32, false);
    const s = b.struct('flags', 4, [
      ['a', u32, 0, 3],
      ['b', u32, 3, 5],
    ]);
    const btf = b.build();
    const t = btf.typeById(s)!;
    expect(btfKflag(t)).toBe(true);
    expect(btfVlen(t)).toBe(2);
    expect(t.members!.map((m) => [btfMemberBitfieldSize(m.offset), btfMemberBitOffset(m.offset)])).toEqual([
      [3, 0],
      [5, 3],
    ]);
  });

  it('follows typedef chains and reads big-endian data', () => {
    const b = new BtfBuilder();
    const l = b.int('long int', 8, 64, true);
    const t1 = b.typedef('__kernel_ssize_t', l);
    const t2 = b.typedef('ssize_t', t1);
    b.func('f', t2, [['x', t2]]);
    for (const le of [true, false]) {
      const btf = Btf.parse(b.bytes(le));
      expect(btf.skipModifiers(t2)).toEqual({ type: btf.typeById(l), id: l });
      expect(btf.nameByOffset(btf.typeById(t2)!.nameOff)).toBe('ssize_t');
      expect(btf.findByNameKind('f', BTF_KIND_FUNC)).toBe(5);
    }
  });

  it('refuses what is not BTF', () => {
    const good = new BtfBuilder().bytes();
    expect(() => Btf.parse(good.subarray(0, 10))).toThrow(BtfError);
    const bad = good.slice();
    bad[0] = 0;
    expect(() => Btf.parse(bad)).toThrow(/magic/);
    const b = new BtfBuilder();
    b.int('int', 4, 32, true);
    const cut = b.bytes();
    const v = new DataView(cut.buffer);
    v.setUint32(12, 8, true); // the type section ends inside the INT
    v.setUint32(16, 8, true);
    expect(() => Btf.parse(cut)).toThrow(BtfError);
  });
});
