// ELF reader: header, program headers, section headers and symbol tables of ELF32/ELF64 files in
// either byte order, read with a DataView. Counterpart of include/uapi/linux/elf.h (the layouts)
// and of what binutils' readelf prints; the kernel's own reader is kernel/module/main.c.
//
// Addresses (entry, vaddr, addr, symbol values) are numbers in Memory's convention: for ELF64 the
// low 48 bits of the value (an arm64 kernel's 0xffff800008000000 is 0x800008000000), for ELF32
// the value itself. The exact 64-bit value is kept beside each as a BigInt (`entry64`, `vaddr64`,
// …), since a canonical kernel address does not fit a double. Offsets and sizes are numbers.

import type { ArchName } from '../isa/cpu.ts';

export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;

export const EM_386 = 3;
export const EM_MIPS = 8;
export const EM_PPC = 20;
export const EM_PPC64 = 21;
export const EM_ARM = 40;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
export const EM_RISCV = 243;

export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_GNU_EH_FRAME = 0x6474e550;
export const PT_GNU_STACK = 0x6474e551;
export const PT_GNU_RELRO = 0x6474e552;
export const PT_GNU_PROPERTY = 0x6474e553;

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_NOBITS = 8;
export const SHT_DYNSYM = 11;
export const SHT_SYMTAB_SHNDX = 18;

export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;

export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_XINDEX = 0xffff;

export type SymbolType = 'NOTYPE' | 'OBJECT' | 'FUNC' | 'SECTION' | 'FILE' | 'COMMON' | 'TLS' | 'IFUNC' | 'OTHER';
export type SymbolBind = 'LOCAL' | 'GLOBAL' | 'WEAK' | 'UNIQUE' | 'OTHER';
export type SymbolVisibility = 'DEFAULT' | 'INTERNAL' | 'HIDDEN' | 'PROTECTED';

const SYMBOL_TYPES: Record<number, SymbolType> = {
  0: 'NOTYPE', 1: 'OBJECT', 2: 'FUNC', 3: 'SECTION', 4: 'FILE', 5: 'COMMON', 6: 'TLS', 10: 'IFUNC',
};
const SYMBOL_BINDS: Record<number, SymbolBind> = { 0: 'LOCAL', 1: 'GLOBAL', 2: 'WEAK', 10: 'UNIQUE' };
const VISIBILITIES: SymbolVisibility[] = ['DEFAULT', 'INTERNAL', 'HIDDEN', 'PROTECTED'];

const MACHINE_ARCH: Record<number, ArchName> = {
  [EM_X86_64]: 'x86_64',
  [EM_AARCH64]: 'arm64',
  [EM_ARM]: 'arm',
  [EM_MIPS]: 'mips',
  [EM_PPC]: 'ppc32',
};

export class ElfError extends Error {}

const LOW48 = 0xffff_ffff_ffffn;

/** An ELF address as Memory's number: the low 48 bits (exact for ELF32 values). */
function toAddress(v: bigint): number {
  return Number(v & LOW48);
}

export interface ElfHeader {
  /** 32 or 64 (EI_CLASS). */
  readonly bits: 32 | 64;
  readonly littleEndian: boolean;
  readonly osabi: number;
  readonly abiVersion: number;
  /** e_type: ET_REL, ET_EXEC, ET_DYN (PIE and shared objects), ET_CORE. */
  readonly type: number;
  readonly machine: number;
  readonly version: number;
  /** Entry point as a 48-bit (ELF64) or 32-bit address. */
  readonly entry: number;
  readonly entry64: bigint;
  readonly phoff: number;
  readonly shoff: number;
  readonly flags: number;
  readonly ehsize: number;
  readonly phentsize: number;
  readonly phnum: number;
  readonly shentsize: number;
  readonly shnum: number;
  readonly shstrndx: number;
}

export interface ProgramHeader {
  readonly index: number;
  readonly type: number;
  /** PF_R | PF_W | PF_X. */
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly paddr: number;
  readonly vaddr64: bigint;
  readonly paddr64: bigint;
  readonly filesz: number;
  readonly memsz: number;
  readonly align: number;
}

export interface SectionHeader {
  readonly index: number;
  readonly name: string;
  readonly nameOffset: number;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly addr64: bigint;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addralign: number;
  readonly entsize: number;
}

export interface ElfSymbol {
  /** Index in its table (readelf's Num). */
  readonly index: number;
  readonly name: string;
  /** st_value as a 48-bit (ELF64) or 32-bit address. */
  readonly value: number;
  readonly value64: bigint;
  readonly size: number;
  readonly type: SymbolType;
  readonly typeCode: number;
  readonly bind: SymbolBind;
  readonly bindCode: number;
  readonly visibility: SymbolVisibility;
  /** Section index (SHN_UNDEF, SHN_ABS, SHN_COMMON or a real index, SHN_XINDEX resolved). */
  readonly shndx: number;
  readonly table: '.symtab' | '.dynsym';
}

/** A parsed ELF file. Construction parses the headers; symbol tables are read on first use. */
export class ElfFile {
  readonly bytes: Uint8Array;
  readonly header: ElfHeader;
  readonly programHeaders: readonly ProgramHeader[];
  readonly sections: readonly SectionHeader[];
  private readonly view: DataView;
  private readonly le: boolean;
  private symtabCache?: ElfSymbol[];
  private dynsymCache?: ElfSymbol[];

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < 16 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
      throw new ElfError('not an ELF file (bad magic)');
    }
    const cls = bytes[4];
    if (cls !== 1 && cls !== 2) throw new ElfError(`bad ELF class ${cls}`);
    const data = bytes[5];
    if (data !== 1 && data !== 2) throw new ElfError(`bad ELF data encoding ${data}`);
    this.le = data === 1;
    this.header = this.readHeader(cls === 2 ? 64 : 32);
    this.sections = this.readSections();
    this.programHeaders = this.readProgramHeaders();
  }

  get bits(): 32 | 64 {
    return this.header.bits;
  }
  get littleEndian(): boolean {
    return this.le;
  }
  get machine(): number {
    return this.header.machine;
  }
  /** The project's ISA name for e_machine, or undefined for machines it does not emulate. */
  get arch(): ArchName | undefined {
    return MACHINE_ARCH[this.header.machine];
  }
  get type(): number {
    return this.header.type;
  }
  /** Entry point (48-bit or 32-bit address). */
  get entry(): number {
    return this.header.entry;
  }
  get phoff(): number {
    return this.header.phoff;
  }
  get phentsize(): number {
    return this.header.phentsize;
  }
  get phnum(): number {
    return this.programHeaders.length;
  }
  get shoff(): number {
    return this.header.shoff;
  }

  // --- raw field access ---------------------------------------------------------------------

  private check(offset: number, length: number, what: string): void {
    if (offset < 0 || length < 0 || offset + length > this.bytes.length) {
      throw new ElfError(`${what} at 0x${offset.toString(16)} (+${length}) lies outside the file (${this.bytes.length} bytes)`);
    }
  }
  private u8(o: number): number {
    return this.view.getUint8(o);
  }
  private u16(o: number): number {
    return this.view.getUint16(o, this.le);
  }
  private u32(o: number): number {
    return this.view.getUint32(o, this.le);
  }
  private u64(o: number): bigint {
    return this.view.getBigUint64(o, this.le);
  }
  /** An address-sized field (Elf32_Addr / Elf64_Addr). */
  private addr(o: number, bits: 32 | 64): bigint {
    return bits === 64 ? this.u64(o) : BigInt(this.u32(o));
  }
  /** An offset or size field as a number (ELF files here are far below 2^53 bytes). */
  private word(o: number, bits: 32 | 64): number {
    return bits === 64 ? Number(this.u64(o)) : this.u32(o);
  }

  private readHeader(bits: 32 | 64): ElfHeader {
    const ehsize = bits === 64 ? 64 : 52;
    this.check(0, ehsize, 'ELF header');
    const b = this.bytes;
    const type = this.u16(16);
    const machine = this.u16(18);
    const version = this.u32(20);
    let o = 24;
    const entry64 = this.addr(o, bits);
    o += bits === 64 ? 8 : 4;
    const phoff = this.word(o, bits);
    o += bits === 64 ? 8 : 4;
    const shoff = this.word(o, bits);
    o += bits === 64 ? 8 : 4;
    const flags = this.u32(o);
    const h: ElfHeader = {
      bits,
      littleEndian: this.le,
      osabi: b[7]!,
      abiVersion: b[8]!,
      type,
      machine,
      version,
      entry: toAddress(entry64),
      entry64,
      phoff,
      shoff,
      flags,
      ehsize: this.u16(o + 4),
      phentsize: this.u16(o + 6),
      phnum: this.u16(o + 8),
      shentsize: this.u16(o + 10),
      shnum: this.u16(o + 12),
      shstrndx: this.u16(o + 14),
    };
    return h;
  }

  private readSections(): SectionHeader[] {
    const h = this.header;
    if (h.shoff === 0) return [];
    const bits = h.bits;
    const entsize = bits === 64 ? 64 : 40;
    if (h.shentsize !== entsize) throw new ElfError(`unexpected e_shentsize ${h.shentsize}`);
    // More than SHN_LORESERVE sections: the real count and string-table index live in section 0.
    let shnum = h.shnum;
    let shstrndx = h.shstrndx;
    this.check(h.shoff, entsize, 'section header 0');
    if (shnum === 0) shnum = this.word(h.shoff + (bits === 64 ? 32 : 20), bits);
    if (shstrndx === SHN_XINDEX) shstrndx = this.u32(h.shoff + (bits === 64 ? 40 : 24));
    this.check(h.shoff, shnum * entsize, 'section headers');
    const raw: Omit<SectionHeader, 'name' | 'addr'>[] = [];
    for (let i = 0; i < shnum; i++) {
      const o = h.shoff + i * entsize;
      if (bits === 64) {
        raw.push({
          index: i,
          nameOffset: this.u32(o),
          type: this.u32(o + 4),
          flags: Number(this.u64(o + 8)),
          addr64: this.u64(o + 16),
          offset: Number(this.u64(o + 24)),
          size: Number(this.u64(o + 32)),
          link: this.u32(o + 40),
          info: this.u32(o + 44),
          addralign: Number(this.u64(o + 48)),
          entsize: Number(this.u64(o + 56)),
        });
      } else {
        raw.push({
          index: i,
          nameOffset: this.u32(o),
          type: this.u32(o + 4),
          flags: this.u32(o + 8),
          addr64: BigInt(this.u32(o + 12)),
          offset: this.u32(o + 16),
          size: this.u32(o + 20),
          link: this.u32(o + 24),
          info: this.u32(o + 28),
          addralign: this.u32(o + 32),
          entsize: this.u32(o + 36),
        });
      }
    }
    const strtab = shstrndx < raw.length ? raw[shstrndx] : undefined;
    return raw.map((s) => ({ ...s, addr: toAddress(s.addr64), name: strtab ? this.stringAt(strtab, s.nameOffset) : '' }));
  }

  private readProgramHeaders(): ProgramHeader[] {
    const h = this.header;
    if (h.phoff === 0 || h.phnum === 0) return [];
    const bits = h.bits;
    const entsize = bits === 64 ? 56 : 32;
    if (h.phentsize !== entsize) throw new ElfError(`unexpected e_phentsize ${h.phentsize}`);
    let phnum = h.phnum;
    // PN_XNUM: the real count is in section 0's sh_info.
    if (phnum === 0xffff && this.sections.length > 0) phnum = this.sections[0]!.info;
    this.check(h.phoff, phnum * entsize, 'program headers');
    const out: ProgramHeader[] = [];
    for (let i = 0; i < phnum; i++) {
      const o = h.phoff + i * entsize;
      if (bits === 64) {
        const vaddr64 = this.u64(o + 16);
        const paddr64 = this.u64(o + 24);
        out.push({
          index: i,
          type: this.u32(o),
          flags: this.u32(o + 4),
          offset: Number(this.u64(o + 8)),
          vaddr: toAddress(vaddr64),
          paddr: toAddress(paddr64),
          vaddr64,
          paddr64,
          filesz: Number(this.u64(o + 32)),
          memsz: Number(this.u64(o + 40)),
          align: Number(this.u64(o + 48)),
        });
      } else {
        out.push({
          index: i,
          type: this.u32(o),
          offset: this.u32(o + 4),
          vaddr: this.u32(o + 8),
          paddr: this.u32(o + 12),
          vaddr64: BigInt(this.u32(o + 8)),
          paddr64: BigInt(this.u32(o + 12)),
          filesz: this.u32(o + 16),
          memsz: this.u32(o + 20),
          flags: this.u32(o + 24),
          align: this.u32(o + 28),
        });
      }
    }
    return out;
  }

  /** NUL-terminated string at `offset` inside string-table section `strtab`. */
  private stringAt(strtab: { offset: number; size: number }, offset: number): string {
    if (offset >= strtab.size) return '';
    const start = strtab.offset + offset;
    const limit = Math.min(strtab.offset + strtab.size, this.bytes.length);
    let end = start;
    while (end < limit && this.bytes[end] !== 0) end++;
    return Buffer.from(this.bytes.subarray(start, end)).toString('latin1');
  }

  // --- public queries -----------------------------------------------------------------------

  /** The first section with this name. */
  section(name: string): SectionHeader | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /** A section's bytes in the file (empty for SHT_NOBITS). */
  sectionData(section: SectionHeader): Uint8Array {
    if (section.type === SHT_NOBITS) return new Uint8Array(0);
    this.check(section.offset, section.size, `section ${section.name}`);
    return this.bytes.subarray(section.offset, section.offset + section.size);
  }

  /** A segment's file bytes (filesz of them; the loader zero-fills up to memsz). */
  segmentData(ph: ProgramHeader): Uint8Array {
    this.check(ph.offset, ph.filesz, `segment ${ph.index}`);
    return this.bytes.subarray(ph.offset, ph.offset + ph.filesz);
  }

  /** PT_LOAD segments in file order. */
  get loadSegments(): ProgramHeader[] {
    return this.programHeaders.filter((p) => p.type === PT_LOAD);
  }

  /** The PT_INTERP path, if any (a dynamically linked program). */
  get interpreter(): string | undefined {
    const p = this.programHeaders.find((x) => x.type === PT_INTERP);
    if (!p) return undefined;
    const d = this.segmentData(p);
    const end = d.indexOf(0);
    return Buffer.from(d.subarray(0, end < 0 ? d.length : end)).toString('latin1');
  }

  /** Symbols of `.symtab` (SHT_SYMTAB), including the null symbol at index 0. */
  get symtab(): readonly ElfSymbol[] {
    this.symtabCache ??= this.readSymbols(SHT_SYMTAB, '.symtab');
    return this.symtabCache;
  }

  /** Symbols of `.dynsym` (SHT_DYNSYM), including the null symbol at index 0. */
  get dynsym(): readonly ElfSymbol[] {
    this.dynsymCache ??= this.readSymbols(SHT_DYNSYM, '.dynsym');
    return this.dynsymCache;
  }

  /** Both tables: `.symtab` then `.dynsym`. */
  get symbols(): ElfSymbol[] {
    return [...this.symtab, ...this.dynsym];
  }

  /** Address-range tests: is `shndx` a section with SHF_EXECINSTR etc. */
  sectionByIndex(i: number): SectionHeader | undefined {
    return i > 0 && i < SHN_LORESERVE ? this.sections[i] : undefined;
  }

  private readSymbols(shType: number, table: '.symtab' | '.dynsym'): ElfSymbol[] {
    const sec = this.sections.find((s) => s.type === shType);
    if (!sec) return [];
    const bits = this.header.bits;
    const entsize = bits === 64 ? 24 : 16;
    if (sec.entsize !== 0 && sec.entsize !== entsize) throw new ElfError(`unexpected ${table} entry size ${sec.entsize}`);
    this.check(sec.offset, sec.size, table);
    const strtab = this.sections[sec.link];
    const shndxSec = this.sections.find((s) => s.type === SHT_SYMTAB_SHNDX && s.link === sec.index);
    const count = Math.floor(sec.size / entsize);
    const out: ElfSymbol[] = [];
    for (let i = 0; i < count; i++) {
      const o = sec.offset + i * entsize;
      let nameOff: number, value64: bigint, size: number, info: number, other: number, shndx: number;
      if (bits === 64) {
        nameOff = this.u32(o);
        info = this.u8(o + 4);
        other = this.u8(o + 5);
        shndx = this.u16(o + 6);
        value64 = this.u64(o + 8);
        size = Number(this.u64(o + 16));
      } else {
        nameOff = this.u32(o);
        value64 = BigInt(this.u32(o + 4));
        size = this.u32(o + 8);
        info = this.u8(o + 12);
        other = this.u8(o + 13);
        shndx = this.u16(o + 14);
      }
      if (shndx === SHN_XINDEX && shndxSec) shndx = this.u32(shndxSec.offset + 4 * i);
      const typeCode = info & 0xf;
      const bindCode = info >> 4;
      let name = strtab ? this.stringAt(strtab, nameOff) : '';
      // A section symbol without a name is named after its section, as readelf and nm show it.
      if (name === '' && typeCode === 3) name = this.sectionByIndex(shndx)?.name ?? '';
      out.push({
        index: i,
        name,
        value: toAddress(value64),
        value64,
        size,
        type: SYMBOL_TYPES[typeCode] ?? 'OTHER',
        typeCode,
        bind: SYMBOL_BINDS[bindCode] ?? 'OTHER',
        bindCode,
        visibility: VISIBILITIES[other & 3]!,
        shndx,
        table,
      });
    }
    return out;
  }
}

/** Parse an ELF image. */
export function parseElf(bytes: Uint8Array): ElfFile {
  return new ElfFile(bytes);
}
