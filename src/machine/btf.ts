// BTF, the BPF Type Format: a reader of the type information a kernel image carries in its .BTF
// section (here made by guest/build.sh with pahole, as Linux's link-vmlinux.sh makes it).
// Counterpart of include/uapi/linux/btf.h (the format), the parts of kernel/bpf/btf.c that look
// types up (btf_parse_vmlinux's checks, btf_type_by_id, btf_name_by_offset, btf_find_by_name_kind,
// btf_type_skip_modifiers) and the helpers of include/linux/btf.h (btf_type_is_*, btf_type_int,
// member bit offsets).
//
// A type keeps the raw words the kernel reads (name_off, info, the size/type union) and its
// trailing data decoded by kind: INT's encoding word, ARRAY's element type, STRUCT/UNION members
// with their offsets, FUNC_PROTO parameters with names, ENUM values. Type ID 0 is void.

export const BTF_MAGIC = 0xeb9f;
export const BTF_VERSION = 1;

export const BTF_KIND_UNKN = 0;
export const BTF_KIND_INT = 1;
export const BTF_KIND_PTR = 2;
export const BTF_KIND_ARRAY = 3;
export const BTF_KIND_STRUCT = 4;
export const BTF_KIND_UNION = 5;
export const BTF_KIND_ENUM = 6;
export const BTF_KIND_FWD = 7;
export const BTF_KIND_TYPEDEF = 8;
export const BTF_KIND_VOLATILE = 9;
export const BTF_KIND_CONST = 10;
export const BTF_KIND_RESTRICT = 11;
export const BTF_KIND_FUNC = 12;
export const BTF_KIND_FUNC_PROTO = 13;
export const BTF_KIND_VAR = 14;
export const BTF_KIND_DATASEC = 15;
export const BTF_KIND_FLOAT = 16;
export const BTF_KIND_DECL_TAG = 17;
export const BTF_KIND_TYPE_TAG = 18;
export const BTF_KIND_ENUM64 = 19;

/** BTF_INT_ENCODING bits. */
export const BTF_INT_SIGNED = 1 << 0;
export const BTF_INT_CHAR = 1 << 1;
export const BTF_INT_BOOL = 1 << 2;

export const btfIntEncoding = (v: number): number => (v & 0x0f000000) >>> 24;
export const btfIntOffset = (v: number): number => (v & 0x00ff0000) >>> 16;
export const btfIntBits = (v: number): number => v & 0xff;
export const btfMemberBitfieldSize = (v: number): number => v >>> 24;
export const btfMemberBitOffset = (v: number): number => v & 0xffffff;

/** struct btf_member. */
export interface BtfMember {
  readonly nameOff: number;
  readonly type: number;
  /** The raw offset word: a bit offset, or bitfield size << 24 | bit offset when the kind flag is set. */
  readonly offset: number;
}

/** struct btf_param. */
export interface BtfParam {
  readonly nameOff: number;
  readonly type: number;
}

/** struct btf_array. */
export interface BtfArray {
  readonly type: number;
  readonly indexType: number;
  readonly nelems: number;
}

/** struct btf_enum / btf_enum64 (the value sign-extended for ENUM). */
export interface BtfEnumValue {
  readonly nameOff: number;
  readonly value: bigint;
}

/** struct btf_type and what follows it. */
export interface BtfType {
  readonly id: number;
  readonly nameOff: number;
  readonly info: number;
  /** The union of size and type: a size for INT, STRUCT, UNION, ENUM, DATASEC, FLOAT, ENUM64; a type ID otherwise. */
  readonly sizeOrType: number;
  /**
   * btf_type_int(t): the 32-bit word right after the header, whatever the kind (the kernel reads
   * it through a cast; for INT it is the encoding, offset and bits).
   */
  readonly word0: number;
  readonly members?: readonly BtfMember[];
  readonly params?: readonly BtfParam[];
  readonly array?: BtfArray;
  readonly enumValues?: readonly BtfEnumValue[];
}

export const btfKind = (t: BtfType): number => (t.info >>> 24) & 0x1f;
export const btfVlen = (t: BtfType): number => t.info & 0xffff;
export const btfKflag = (t: BtfType): boolean => t.info >>> 31 === 1;

export const btfTypeIsPtr = (t: BtfType): boolean => btfKind(t) === BTF_KIND_PTR;
export const btfTypeIsInt = (t: BtfType): boolean => btfKind(t) === BTF_KIND_INT;
export const btfTypeIsStruct = (t: BtfType): boolean => btfKind(t) === BTF_KIND_STRUCT || btfKind(t) === BTF_KIND_UNION;
export const btfTypeIsFunc = (t: BtfType): boolean => btfKind(t) === BTF_KIND_FUNC;
export const btfTypeIsFuncProto = (t: BtfType): boolean => btfKind(t) === BTF_KIND_FUNC_PROTO;

/** btf_type_is_modifier(): types that only refer to another (TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG). */
export function btfTypeIsModifier(t: BtfType): boolean {
  switch (btfKind(t)) {
    case BTF_KIND_TYPEDEF:
    case BTF_KIND_VOLATILE:
    case BTF_KIND_CONST:
    case BTF_KIND_RESTRICT:
    case BTF_KIND_TYPE_TAG:
      return true;
  }
  return false;
}

/** __btf_member_bit_offset(). */
export function btfMemberBitOffsetOf(structType: BtfType, m: BtfMember): number {
  return btfKflag(structType) ? btfMemberBitOffset(m.offset) : m.offset;
}

export class BtfError extends Error {}

const HEADER_SIZE = 24;
const TYPE_SIZE = 12;

/** The void type: ID 0 (btf_void). */
const VOID: BtfType = { id: 0, nameOff: 0, info: 0, sizeOrType: 0, word0: 0 };

export class Btf {
  private readonly types: BtfType[];
  private readonly strings: Uint8Array;
  private readonly nameCache = new Map<number, string | undefined>();

  private constructor(types: BtfType[], strings: Uint8Array) {
    this.types = types;
    this.strings = strings;
  }

  /**
   * Parse a .BTF blob (btf_parse_hdr, btf_parse_str_sec, btf_parse_type_sec): the header, the
   * string section (starting and ending with NUL) and every type with its trailing data.
   */
  static parse(bytes: Uint8Array): Btf {
    if (bytes.length < HEADER_SIZE) throw new BtfError('BTF: shorter than its header');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let le = true;
    if (view.getUint16(0, true) !== BTF_MAGIC) {
      if (view.getUint16(0, false) !== BTF_MAGIC) throw new BtfError('BTF: bad magic');
      le = false;
    }
    if (view.getUint8(2) !== BTF_VERSION) throw new BtfError(`BTF: unsupported version ${view.getUint8(2)}`);
    const u32 = (o: number): number => view.getUint32(o, le);
    const hdrLen = u32(4);
    const typeOff = u32(8);
    const typeLen = u32(12);
    const strOff = u32(16);
    const strLen = u32(20);
    if (hdrLen < HEADER_SIZE || hdrLen > bytes.length) throw new BtfError('BTF: bad header length');
    const typeStart = hdrLen + typeOff;
    const strStart = hdrLen + strOff;
    if (typeOff % 4 !== 0 || typeStart + typeLen > bytes.length) throw new BtfError('BTF: type section outside the data');
    if (strStart + strLen > bytes.length) throw new BtfError('BTF: string section outside the data');
    const strings = bytes.subarray(strStart, strStart + strLen);
    if (strLen === 0 || strings[0] !== 0 || strings[strLen - 1] !== 0) throw new BtfError('BTF: bad string section');

    const types: BtfType[] = [VOID];
    const end = typeStart + typeLen;
    let p = typeStart;
    // Reads past the type section (a header with no trailing data at the very end) give 0.
    const word = (o: number): number => (o + 4 <= bytes.length ? u32(o) : 0);
    while (p < end) {
      if (p + TYPE_SIZE > end) throw new BtfError('BTF: truncated type');
      const id = types.length;
      const nameOff = u32(p);
      const info = u32(p + 4);
      const sizeOrType = u32(p + 8);
      const data = p + TYPE_SIZE;
      const kind = (info >>> 24) & 0x1f;
      const vlen = info & 0xffff;
      let t: BtfType = { id, nameOff, info, sizeOrType, word0: word(data) };
      let extra = 0;
      switch (kind) {
        case BTF_KIND_INT:
        case BTF_KIND_VAR:
        case BTF_KIND_DECL_TAG:
          extra = 4;
          break;
        case BTF_KIND_ARRAY:
          extra = 12;
          t = { ...t, array: { type: u32(data), indexType: u32(data + 4), nelems: u32(data + 8) } };
          break;
        case BTF_KIND_STRUCT:
        case BTF_KIND_UNION: {
          extra = 12 * vlen;
          const members: BtfMember[] = [];
          for (let i = 0; i < vlen; i++) {
            const m = data + 12 * i;
            members.push({ nameOff: u32(m), type: u32(m + 4), offset: u32(m + 8) });
          }
          t = { ...t, members };
          break;
        }
        case BTF_KIND_ENUM: {
          extra = 8 * vlen;
          const enumValues: BtfEnumValue[] = [];
          for (let i = 0; i < vlen; i++) {
            const e = data + 8 * i;
            enumValues.push({ nameOff: u32(e), value: BigInt(view.getInt32(e + 4, le)) });
          }
          t = { ...t, enumValues };
          break;
        }
        case BTF_KIND_ENUM64: {
          extra = 12 * vlen;
          const enumValues: BtfEnumValue[] = [];
          for (let i = 0; i < vlen; i++) {
            const e = data + 12 * i;
            enumValues.push({ nameOff: u32(e), value: (BigInt(u32(e + 8)) << 32n) | BigInt(u32(e + 4)) });
          }
          t = { ...t, enumValues };
          break;
        }
        case BTF_KIND_FUNC_PROTO: {
          extra = 8 * vlen;
          const params: BtfParam[] = [];
          for (let i = 0; i < vlen; i++) {
            const q = data + 8 * i;
            params.push({ nameOff: u32(q), type: u32(q + 4) });
          }
          t = { ...t, params };
          break;
        }
        case BTF_KIND_DATASEC:
          extra = 12 * vlen;
          break;
        case BTF_KIND_PTR:
        case BTF_KIND_FWD:
        case BTF_KIND_TYPEDEF:
        case BTF_KIND_VOLATILE:
        case BTF_KIND_CONST:
        case BTF_KIND_RESTRICT:
        case BTF_KIND_FUNC:
        case BTF_KIND_FLOAT:
        case BTF_KIND_TYPE_TAG:
          break;
        default:
          throw new BtfError(`BTF: type ${id} has unknown kind ${kind}`);
      }
      if (data + extra > end) throw new BtfError(`BTF: type ${id} runs past the type section`);
      types.push(t);
      p = data + extra;
    }
    return new Btf(types, strings);
  }

  /** btf_nr_types(): the number of type IDs, void included. */
  get nrTypes(): number {
    return this.types.length;
  }

  /** btf_type_by_id(): undefined past the last type. */
  typeById(id: number): BtfType | undefined {
    return this.types[id];
  }

  /** btf_name_by_offset(): the NUL-terminated string at offset, undefined outside the section. */
  nameByOffset(offset: number): string | undefined {
    if (offset >= this.strings.length) return undefined;
    let s = this.nameCache.get(offset);
    if (s === undefined && !this.nameCache.has(offset)) {
      let e = offset;
      while (e < this.strings.length && this.strings[e] !== 0) e++;
      s = Buffer.from(this.strings.subarray(offset, e)).toString('latin1');
      this.nameCache.set(offset, s);
    }
    return s;
  }

  /** The name of a type ("" when anonymous). */
  nameOf(t: BtfType): string {
    return this.nameByOffset(t.nameOff) ?? '';
  }

  /** btf_find_by_name_kind(): the first type of that kind and name, or -ENOENT (-2). */
  findByNameKind(name: string, kind: number): number {
    for (let i = 1; i < this.types.length; i++) {
      const t = this.types[i]!;
      if (btfKind(t) !== kind) continue;
      if (this.nameByOffset(t.nameOff) === name) return i;
    }
    return -2;
  }

  /**
   * btf_type_skip_modifiers(): follow TYPEDEF/CONST/VOLATILE/RESTRICT/TYPE_TAG from id; the type
   * reached (undefined if an ID is out of range) and its ID.
   */
  skipModifiers(id: number): { type: BtfType | undefined; id: number } {
    let cur = id;
    let t = this.typeById(cur);
    while (t && btfTypeIsModifier(t)) {
      cur = t.sizeOrType;
      t = this.typeById(cur);
    }
    return { type: t, id: cur };
  }
}
