// Test helper: BTF blobs built by hand (the .BTF layout of include/uapi/linux/btf.h), for the
// shapes the guest kernel's own BTF lacks (bitfields, anonymous unions, long parameter names,
// big-endian data), and the guest image's real BTF read out of guest/images. No Linux
// counterpart (compare tools/lib/bpf/btf.c's btf__add_* writers).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Btf, BTF_KIND_FUNC, BTF_KIND_FUNC_PROTO, BTF_KIND_INT, BTF_KIND_PTR, BTF_KIND_STRUCT, BTF_KIND_TYPEDEF, BTF_KIND_UNION } from '../../src/machine/btf.ts';
import { parseElf, PT_LOAD } from '../../src/machine/elf.ts';

const VMLINUX = fileURLToPath(new URL('../../guest/images/arm64/vmlinux', import.meta.url));

/** The guest kernel's BTF: the bytes between __start_BTF and __stop_BTF of its image. */
export function guestBtfBytes(): Uint8Array {
  const elf = parseElf(new Uint8Array(readFileSync(VMLINUX)));
  const sym = (name: string) => {
    const s = elf.symtab.find((x) => x.name === name);
    if (!s) throw new Error(`no ${name} in the guest image`);
    return s.value;
  };
  const start = sym('__start_BTF');
  const stop = sym('__stop_BTF');
  const ph = elf.programHeaders.find((p) => p.type === PT_LOAD && start >= p.vaddr && stop <= p.vaddr + p.filesz);
  if (!ph) throw new Error('the BTF is not in a loaded segment');
  const off = ph.offset + (start - ph.vaddr);
  return elf.bytes.subarray(off, off + (stop - start));
}

export function guestBtf(): Btf {
  return Btf.parse(guestBtfBytes());
}

/** A BTF writer: add types in ID order (the first is ID 1), then bytes(). */
export class BtfBuilder {
  private readonly words: number[] = [];
  private strings = '\0';
  private nextId = 1;

  name(s: string): number {
    if (!s) return 0;
    const at = this.strings.indexOf(`\0${s}\0`);
    if (at >= 0) return at + 1;
    const off = this.strings.length;
    this.strings += s + '\0';
    return off;
  }

  private type(name: string, kind: number, vlen: number, sizeOrType: number, kflag = false): number {
    this.words.push(this.name(name), ((kflag ? 1 : 0) << 31) | (kind << 24) | vlen, sizeOrType);
    return this.nextId++;
  }

  int(name: string, bytes: number, bits: number, signed: boolean, bitOffset = 0): number {
    const id = this.type(name, BTF_KIND_INT, 0, bytes);
    this.words.push(((signed ? 1 : 0) << 24) | (bitOffset << 16) | bits);
    return id;
  }

  ptr(to: number): number {
    return this.type('', BTF_KIND_PTR, 0, to);
  }

  typedef(name: string, to: number): number {
    return this.type(name, BTF_KIND_TYPEDEF, 0, to);
  }

  /** members: [name, type, bit offset, bitfield size (kflag encoding when any is set)]. */
  struct(name: string, size: number, members: [string, number, number, number?][], union = false): number {
    const kflag = members.some((m) => m[3] !== undefined);
    const id = this.type(name, union ? BTF_KIND_UNION : BTF_KIND_STRUCT, members.length, size, kflag);
    for (const [n, t, off, bits] of members) this.words.push(this.name(n), t, kflag ? ((bits ?? 0) << 24) | off : off);
    return id;
  }

  /** A function and its prototype; params: [name, type]. Returns the FUNC's ID. */
  func(name: string, ret: number, params: [string, number][]): number {
    const proto = this.type('', BTF_KIND_FUNC_PROTO, params.length, ret);
    for (const [n, t] of params) this.words.push(this.name(n), t);
    return this.type(name, BTF_KIND_FUNC, 1, proto);
  }

  bytes(littleEndian = true): Uint8Array {
    const types = new Uint8Array(this.words.length * 4);
    const tv = new DataView(types.buffer);
    this.words.forEach((w, i) => tv.setUint32(i * 4, w >>> 0, littleEndian));
    const str = Buffer.from(this.strings, 'latin1');
    const out = new Uint8Array(24 + types.length + str.length);
    const v = new DataView(out.buffer);
    v.setUint16(0, 0xeb9f, littleEndian);
    v.setUint8(2, 1);
    v.setUint8(3, 0);
    v.setUint32(4, 24, littleEndian);
    v.setUint32(8, 0, littleEndian);
    v.setUint32(12, types.length, littleEndian);
    v.setUint32(16, types.length, littleEndian);
    v.setUint32(20, str.length, littleEndian);
    out.set(types, 24);
    out.set(str, 24 + types.length);
    return out;
  }

  build(littleEndian = true): Btf {
    return Btf.parse(this.bytes(littleEndian));
  }
}
