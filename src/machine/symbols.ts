// Symbol table of a kernel image (and of modules added later, or of a user program for uprobes):
// lookup by name, lookup of the symbol containing an address, and /proc/kallsyms output.
// Counterpart of kernel/kallsyms.c (kallsyms_lookup_name, kallsyms_lookup_size_offset, s_show)
// and of scripts/kallsyms.c (which symbols are kept, their order); the type letters follow
// binutils nm, which is where scripts/kallsyms takes them from.
//
// Addresses are numbers as Memory uses them: on 64-bit arches the low 48 bits of the canonical
// address (0xffff800008000000 is 0x800008000000), on 32-bit arches the address itself.

import {
  type ElfFile,
  type ElfSymbol,
  type SectionHeader,
  SHF_EXECINSTR,
  SHF_ALLOC,
  SHF_WRITE,
  SHN_ABS,
  SHN_COMMON,
  SHN_UNDEF,
  SHT_NOBITS,
} from './elf.ts';

const LOW48 = 0xffff_ffff_ffffn;
const HIGH16 = 0xffff_0000_0000_0000n;
const BIT47 = 0x8000_0000_0000;

/** A 48-bit address as the canonical 64-bit value (bit 47 copied into bits 63..48). */
export function toCanonical64(addr48: number): bigint {
  const v = BigInt(addr48) & LOW48;
  return addr48 >= BIT47 ? v | HIGH16 : v;
}

/** A 64-bit (canonical) address as the 48-bit number Memory uses. */
export function fromCanonical64(value: bigint): number {
  return Number(value & LOW48);
}

export interface KernelSymbol {
  readonly name: string;
  /** 48-bit (64-bit arches) or 32-bit address. */
  readonly address: number;
  /** Size in bytes from the ELF symbol (0 for labels). */
  readonly size: number;
  /** nm / kallsyms type letter: T t D d B b R r A W V … */
  readonly letter: string;
  /** The ELF symbol type, when the symbol came from an ELF file. */
  readonly elfType?: string;
  /** Module name for symbols added with a module ("[name]" in /proc/kallsyms). */
  readonly module?: string;
  /** Load order, used to break ties as scripts/kallsyms.c does. */
  readonly seq: number;
}

export interface SymbolInput {
  name: string;
  address: number;
  size?: number;
  /** Type letter as /proc/kallsyms shows it (default 't'). */
  letter?: string;
  elfType?: string;
}

export interface AddressLookup {
  readonly name: string;
  readonly start: number;
  readonly size: number;
  readonly offset: number;
  readonly module?: string;
  readonly symbol: KernelSymbol;
}

/** binutils' coff_section_type table: section names that decide the letter by themselves. */
const SECTION_NAME_LETTERS: [string, string][] = [
  ['.bss', 'b'],
  ['.code', 't'],
  ['.data', 'd'],
  ['*DEBUG*', 'N'],
  ['.debug', 'N'],
  ['.drectve', 'i'],
  ['.edata', 'e'],
  ['.fini', 't'],
  ['.idata', 'i'],
  ['.init', 't'],
  ['.pdata', 'p'],
  ['.rdata', 'r'],
  ['.rodata', 'r'],
  ['.sbss', 's'],
  ['.scommon', 'c'],
  ['.sdata', 'g'],
  ['.text', 't'],
  ['vars', 'd'],
  ['zerovars', 'b'],
];

function sectionLetter(sec: SectionHeader): string {
  for (const [prefix, letter] of SECTION_NAME_LETTERS) {
    // A name matches when it is the prefix itself or continues with '.', '$' or a digit.
    if (sec.name.startsWith(prefix)) {
      const next = sec.name.charAt(prefix.length);
      if (next === '' || next === '.' || next === '$' || (next >= '0' && next <= '9')) return letter;
    }
  }
  // decode_section_type() over the BFD flags an ELF section header maps to.
  const contents = sec.type !== SHT_NOBITS;
  const alloc = (sec.flags & SHF_ALLOC) !== 0;
  if (sec.flags & SHF_EXECINSTR) return 't';
  if (alloc && contents) return sec.flags & SHF_WRITE ? 'd' : 'r';
  if (!contents) return 'b';
  if (sec.name.startsWith('.debug')) return 'N';
  if (!(sec.flags & SHF_WRITE)) return 'n';
  return '?';
}

/** The letter `nm` prints for an ELF symbol (bfd_decode_symclass). */
export function nmLetter(elf: ElfFile, sym: ElfSymbol): string {
  if (sym.shndx === SHN_COMMON || sym.type === 'COMMON') return 'C';
  if (sym.shndx === SHN_UNDEF) {
    if (sym.bind === 'WEAK') return sym.type === 'OBJECT' ? 'v' : 'w';
    return 'U';
  }
  if (sym.type === 'IFUNC') return 'i';
  if (sym.bind === 'WEAK') return sym.type === 'OBJECT' ? 'V' : 'W';
  if (sym.bind === 'UNIQUE') return 'u';
  let c: string;
  if (sym.shndx === SHN_ABS) c = 'a';
  else {
    const sec = elf.sectionByIndex(sym.shndx);
    c = sec ? sectionLetter(sec) : '?';
  }
  return sym.bind === 'LOCAL' ? c : c.toUpperCase();
}

/** Names scripts/kallsyms.c leaves out of the kernel's table. */
function ignoredName(name: string): boolean {
  return (
    name === '' ||
    name.startsWith('$') || // ARM/AArch64 mapping symbols ($x, $d, $a, $t)
    name.startsWith('.L') ||
    name.startsWith('__crc_') ||
    name.startsWith('__efistub_') ||
    name.startsWith('__kstrtab_') ||
    name.startsWith('__kstrtabns_') ||
    name.startsWith('__AArch64ADRPThunk_') ||
    name.startsWith('__ARMV5PILongThunk_') ||
    name.startsWith('__ARMV7PILongThunk_') ||
    name.startsWith('__ThumbV7PILongThunk_') ||
    name.startsWith('__LA25Thunk_') ||
    name.startsWith('__microMIPS_LA25Thunk_')
  );
}

/** scripts/kallsyms.c may_be_linker_script_provide_symbol(). */
function linkerScriptSymbol(name: string): boolean {
  if (name.length < 8 || !name.startsWith('__')) return false;
  return (
    name.startsWith('__start_') ||
    name.startsWith('__stop_') ||
    name.startsWith('__end_') ||
    name.endsWith('_start') ||
    name.endsWith('_end')
  );
}

function leadingUnderscores(name: string): number {
  let i = 0;
  while (name.charCodeAt(i) === 0x5f) i++;
  return i;
}

/** scripts/kallsyms.c compare_symbols(): address, then weak last, linker-script last, fewer '_' first, then load order. */
function compareSymbols(a: KernelSymbol, b: KernelSymbol): number {
  if (a.address !== b.address) return a.address < b.address ? -1 : 1;
  const wa = a.letter === 'W' || a.letter === 'w' ? 1 : 0;
  const wb = b.letter === 'W' || b.letter === 'w' ? 1 : 0;
  if (wa !== wb) return wa - wb;
  const la = linkerScriptSymbol(a.name) ? 1 : 0;
  const lb = linkerScriptSymbol(b.name) ? 1 : 0;
  if (la !== lb) return la - lb;
  const ua = leadingUnderscores(a.name);
  const ub = leadingUnderscores(b.name);
  if (ua !== ub) return ua - ub;
  return a.seq - b.seq;
}

export interface FromElfOptions {
  /** Added to every address: the load base of a PIE or shared object. */
  loadBias?: number;
  /** Also take `.dynsym` entries that `.symtab` lacks (default true; all of them for a stripped file). */
  dynsym?: boolean;
}

export class SymbolTable {
  private core: KernelSymbol[] = [];
  /** Modules in load order; /proc/kallsyms lists the newest first, as the kernel's module list does. */
  private readonly modules = new Map<string, KernelSymbol[]>();
  private readonly byName = new Map<string, KernelSymbol[]>();
  private sorted: KernelSymbol[] | undefined;
  private maxSize = 0;
  private seq = 0;

  constructor(readonly bits: 32 | 64) {}

  /** The symbols scripts/kallsyms.c would keep from an ELF image (`.symtab`, then `.dynsym`). */
  static fromElf(elf: ElfFile, options: FromElfOptions = {}): SymbolTable {
    const table = new SymbolTable(elf.bits);
    const bias = options.loadBias ?? 0;
    const seen = new Set<string>();
    const inputs: SymbolInput[] = [];
    const take = (s: ElfSymbol): void => {
      if (s.type === 'SECTION' || s.type === 'FILE' || ignoredName(s.name)) return;
      const letter = nmLetter(elf, s);
      // Undefined, absolute, debugging and unknown symbols are not in kallsyms.
      if ('UvwAaNn?'.includes(letter)) return;
      const address = s.value + bias;
      const key = `${s.name}@${address}`;
      if (seen.has(key)) return;
      seen.add(key);
      inputs.push({ name: s.name, address, size: s.size, letter, elfType: s.type });
    };
    elf.symtab.forEach(take);
    if (options.dynsym !== false) elf.dynsym.forEach(take);
    table.add(inputs);
    return table;
  }

  /** Add symbols: to the core image, or to a module (shown as "[module]" in /proc/kallsyms). */
  add(symbols: readonly SymbolInput[], module?: string): void {
    let list = this.core;
    if (module !== undefined) {
      list = this.modules.get(module) ?? [];
      this.modules.set(module, list);
    }
    for (const s of symbols) {
      const sym: KernelSymbol = {
        name: s.name,
        address: s.address,
        size: s.size ?? 0,
        letter: s.letter ?? 't',
        elfType: s.elfType,
        module,
        seq: this.seq++,
      };
      list.push(sym);
      const named = this.byName.get(sym.name);
      if (named) named.push(sym);
      else this.byName.set(sym.name, [sym]);
      if (sym.size > this.maxSize) this.maxSize = sym.size;
    }
    this.sorted = undefined;
  }

  /** Remove a module's symbols (rmmod). */
  removeModule(module: string): void {
    const list = this.modules.get(module);
    if (!list) return;
    this.modules.delete(module);
    for (const sym of list) {
      const named = this.byName.get(sym.name)!;
      const rest = named.filter((s) => s !== sym);
      if (rest.length) this.byName.set(sym.name, rest);
      else this.byName.delete(sym.name);
    }
    this.sorted = undefined;
  }

  /** Every symbol with this name (static functions may share one), core first, in address order. */
  lookupName(name: string): KernelSymbol[] {
    const list = this.byName.get(name);
    return list ? [...list].sort(compareSymbols) : [];
  }

  /** All symbols (core and modules) in kallsyms order. */
  all(): readonly KernelSymbol[] {
    if (!this.sorted) {
      const everything = [...this.core];
      for (const list of this.modules.values()) everything.push(...list);
      this.sorted = everything.sort(compareSymbols);
    }
    return this.sorted;
  }

  /**
   * The symbol containing `address` (kallsyms_lookup_size_offset): the symbol with the highest
   * start whose [start, start+size) holds it; for a symbol without a size (an assembly label),
   * its extent runs to the next symbol, as the kernel computes it.
   */
  lookupAddress(address: number): AddressLookup | undefined {
    const list = this.all();
    // Last symbol starting at or below the address.
    let lo = 0;
    let hi = list.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.address <= address) {
        idx = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (idx < 0) return undefined;
    const floor = address - this.maxSize;
    for (let i = idx; i >= 0 && list[i]!.address >= floor; i--) {
      const s = list[i]!;
      if (s.size > 0 && address < s.address + s.size) {
        // The first alias (same start) in kallsyms order, as get_symbol_pos() returns.
        let first = i;
        while (first > 0 && list[first - 1]!.address === s.address && list[first - 1]!.size > 0) first--;
        return this.result(list[first]!, list[first]!.size, address);
      }
    }
    // No sized symbol holds it: a label's extent ends at the next higher address.
    const s = list[idx]!;
    if (s.size === 0) {
      let first = idx;
      while (first > 0 && list[first - 1]!.address === s.address) first--;
      let next = idx + 1;
      while (next < list.length && list[next]!.address === s.address) next++;
      if (next < list.length && address < list[next]!.address) {
        return this.result(list[first]!, list[next]!.address - s.address, address);
      }
    }
    return undefined;
  }

  private result(s: KernelSymbol, size: number, address: number): AddressLookup {
    return { name: s.name, start: s.address, size, offset: address - s.address, module: s.module, symbol: s };
  }

  /** The address as /proc/kallsyms prints it: %016lx (sign-extended) on 64-bit arches, %08lx on 32-bit. */
  formatAddress(address: number): string {
    if (this.bits === 64) return toCanonical64(address).toString(16).padStart(16, '0');
    return (address >>> 0).toString(16).padStart(8, '0');
  }

  /** /proc/kallsyms: the core image sorted by address, then each module's symbols, newest module first. */
  formatKallsyms(): string {
    const lines: string[] = [];
    const core = [...this.core].sort(compareSymbols);
    for (const s of core) lines.push(`${this.formatAddress(s.address)} ${s.letter} ${s.name}\n`);
    const mods = [...this.modules.entries()].reverse();
    for (const [mod, list] of mods) {
      for (const s of list) lines.push(`${this.formatAddress(s.address)} ${s.letter} ${s.name}\t[${mod}]\n`);
    }
    return lines.join('');
  }
}
