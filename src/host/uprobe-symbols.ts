// User-space probe places: finding a binary by name (PATH for programs, the dynamic linker's
// cache for libraries, as perf-tools' uprobe does with `which` and `ldconfig`), turning
// BINARY:SYMBOL[+OFFSET] into the file offset uprobe_events wants, listing the functions of an
// ELF that can be probed, and naming a user stack frame. Symbols come from .symtab and .dynsym
// through the project's ELF reader; the offset is found in the PT_LOAD segment that holds the
// symbol's address, which is right for PIE and non-PIE executables and shared libraries alike.
// Counterpart of perf-tools' user/uprobe (set_path, set_addr, the -l listing) and of perf
// probe's uprobe resolution (tools/perf/util/probe-event.c, symbol-elf.c).

import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { ElfError, ElfFile, EM_ARM, PF_X, type ElfSymbol } from '../machine/elf.ts';
import { SymbolTable } from '../machine/symbols.ts';
import { ENOENT } from '../uapi/errno.ts';
import { HostError } from './tracefs.ts';

/** A resolved user-space probe place. */
export interface UprobePlace {
  /** Absolute path of the binary. */
  readonly path: string;
  readonly symbol: string;
  /** Offset added to the symbol. */
  readonly symbolOffset: number;
  /** The symbol's address in the ELF (st_value, plus symbolOffset). */
  readonly vaddr: bigint;
  /** The file offset uprobe_events wants. */
  readonly fileOffset: bigint;
  /** Where the symbol was found. */
  readonly table: '.symtab' | '.dynsym';
}

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Library directories searched when ldconfig is not there (a busybox system). */
const LIB_DIRS = ['/lib', '/usr/lib', '/lib64', '/usr/lib64', '/usr/local/lib'];

function libraryCandidates(name: string): string[] {
  const out: string[] = [];
  try {
    const text = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    for (const line of text.split('\n')) {
      const m = /^\s+(\S+) \(([^)]*)\) => (\S+)$/.exec(line);
      if (!m) continue;
      const lib = m[1]!;
      if (lib === name || lib.split('.')[0] === name) out.push(m[3]!);
    }
    if (out.length) return out;
  } catch {
    /* no ldconfig: search the usual directories */
  }
  const dirs = [...LIB_DIRS];
  for (const d of LIB_DIRS) {
    try {
      for (const sub of readdirSync(d)) if (/-linux-gnu/.test(sub)) dirs.push(join(d, sub));
    } catch {
      /* not a directory */
    }
  }
  for (const d of dirs) {
    let names: string[] = [];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const f of names.sort()) if (f === name || (f.startsWith(`${name}.so`) && f.split('.')[0] === name)) out.push(join(d, f));
  }
  return out;
}


/**
 * The binary a probe names: a path (made absolute), else a program on PATH, else a library by
 * name ("libc" finds libc.so.6). HostError when nothing matches.
 */
export function findBinary(name: string, env: NodeJS.ProcessEnv = process.env): string {
  if (name.includes('/')) {
    const p = resolve(name);
    if (!existsSync(p)) throw new HostError(`${name}: no such file`, 1, -ENOENT);
    return p;
  }
  for (const dir of (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (isExecutableFile(p)) return p;
  }
  const libs = libraryCandidates(name);
  if (libs.length) return libs[0]!;
  throw new HostError(`'${name}' is neither a program on PATH nor a library the dynamic linker knows; give its full path`, 1, -ENOENT);
}

/** True if a name is a program on PATH or a known library (not a kernel module's name). */
export function isUserBinaryName(name: string): boolean {
  try {
    findBinary(name);
    return true;
  } catch {
    return false;
  }
}

/** Read and parse an ELF file; HostError with the reason when it is not one. */
export function readElf(path: string): ElfFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new HostError(`${path}: ${(e as Error).message}`);
  }
  try {
    return new ElfFile(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    if (e instanceof ElfError) throw new HostError(`${path} is not an ELF file the tool can read (${e.message})`);
    throw e;
  }
}

/** The file offset of a virtual address: the PT_LOAD segment holding it maps file bytes there. */
export function fileOffsetOf(elf: ElfFile, vaddr: bigint): bigint | undefined {
  for (const ph of elf.loadSegments) {
    if (vaddr >= ph.vaddr64 && vaddr < ph.vaddr64 + BigInt(ph.filesz)) return vaddr - ph.vaddr64 + BigInt(ph.offset);
  }
  return undefined;
}

/** A function symbol defined in this file: a named FUNC (or IFUNC) symbol with a section. */
function isDefinedFunction(s: ElfSymbol): boolean {
  return (s.type === 'FUNC' || s.type === 'IFUNC') && s.shndx !== 0 && s.name !== '';
}

/** The symbol's start address (Thumb functions have bit 0 set in st_value). */
function symbolAddress(elf: ElfFile, s: ElfSymbol): bigint {
  return elf.machine === EM_ARM ? s.value64 & ~1n : s.value64;
}

/** In an executable PT_LOAD segment? */
function inExecutableSegment(elf: ElfFile, vaddr: bigint): boolean {
  return elf.loadSegments.some((ph) => (ph.flags & PF_X) !== 0 && vaddr >= ph.vaddr64 && vaddr < ph.vaddr64 + BigInt(ph.filesz));
}

/**
 * BINARY:SYMBOL[+OFFSET] → the file offset. Looks in .symtab first, then .dynsym (a stripped
 * binary or library keeps only the latter). HostError when the symbol is missing, ambiguous, not
 * code, or the offset leaves it.
 */
export function resolveUprobeSymbol(path: string, symbol: string, symbolOffset = 0): UprobePlace {
  const elf = readElf(path);
  for (const table of ['.symtab', '.dynsym'] as const) {
    const syms = (table === '.symtab' ? elf.symtab : elf.dynsym).filter((s) => s.name === symbol && isDefinedFunction(s));
    if (!syms.length) continue;
    const addrs = [...new Set(syms.map((s) => symbolAddress(elf, s)))];
    if (addrs.length > 1) {
      throw new HostError(`${symbol} is not unique in ${path} (${addrs.length} functions: ${addrs.map((a) => `0x${a.toString(16)}`).join(', ')}); name one by its offset, ${path}:0xOFFSET`);
    }
    const sym = syms[0]!;
    const start = addrs[0]!;
    if (symbolOffset && sym.size && symbolOffset >= sym.size) {
      throw new HostError(`${symbol}+${symbolOffset} is past the end of ${symbol} (${sym.size} bytes) in ${path}`);
    }
    const vaddr = start + BigInt(symbolOffset);
    if (!inExecutableSegment(elf, vaddr)) throw new HostError(`${symbol} in ${path} is not in an executable segment`);
    const fileOffset = fileOffsetOf(elf, vaddr);
    if (fileOffset === undefined) throw new HostError(`${symbol} in ${path} is not in any loaded segment`);
    return { path, symbol, symbolOffset, vaddr, fileOffset, table };
  }
  const any = elf.symbols.some((s) => s.name === symbol);
  throw new HostError(any ? `${symbol} in ${path} is not a function defined there (it may live in a library: probe the library)` : `no function ${symbol} in ${path} (.symtab and .dynsym searched)`, 1, -ENOENT);
}

/** The functions `kprobe host -l BINARY` lists: defined functions of .symtab and .dynsym, sorted, once each. */
export function listFunctions(path: string): string[] {
  const elf = readElf(path);
  const names = new Set<string>();
  for (const s of elf.symbols) if (isDefinedFunction(s) && inExecutableSegment(elf, symbolAddress(elf, s))) names.add(s.name);
  return [...names].sort();
}

/** The ELF address a file offset is loaded at (the PT_LOAD segment that maps it), or undefined. */
export function vaddrOfFileOffset(elf: ElfFile, offset: bigint): bigint | undefined {
  for (const ph of elf.loadSegments) {
    const start = BigInt(ph.offset);
    if (offset >= start && offset < start + BigInt(ph.filesz)) return offset - start + ph.vaddr64;
  }
  return undefined;
}

/**
 * Names the frames of user stack traces that fall in a uprobe's binary. The kernel prints a frame
 * as "/path[+0xOFF]" (options/sym-userobj, while the process still exists; OFF counts from the
 * start of the mapping) or as " <RUNTIME_ADDRESS>"; the probe's own address in each event gives
 * the load bias of a PIE, so runtime addresses can be looked up as well.
 */
export class UserSymbolizer {
  private readonly elf: ElfFile;
  private readonly table: SymbolTable;
  /** ELF address of the probed instruction. */
  private readonly probeVaddr: bigint | undefined;

  constructor(
    readonly path: string,
    probeFileOffset: bigint,
  ) {
    this.elf = readElf(path);
    this.table = SymbolTable.fromElf(this.elf);
    this.probeVaddr = vaddrOfFileOffset(this.elf, probeFileOffset);
  }

  private name(vaddr: bigint): string | undefined {
    if (vaddr < 0n) return undefined;
    const hit = this.table.lookupAddress(Number(vaddr & 0xffffffffffffn));
    return hit ? `${hit.name}+0x${hit.offset.toString(16)}/0x${hit.size.toString(16)}` : undefined;
  }

  /** "name+0xoff/0xsize" for a frame, given the runtime address of the probe in the same event. */
  symbolize(frame: string, probeRuntimeAddr: bigint | undefined): string | undefined {
    const obj = /^(\/.*)\[\+0x([0-9a-f]+)\]/.exec(frame);
    if (obj) {
      if (obj[1] !== this.path) return undefined;
      // The executable mapping starts at its segment's page-aligned file offset.
      const rel = BigInt(`0x${obj[2]}`);
      for (const ph of this.elf.loadSegments) {
        if (!(ph.flags & PF_X)) continue;
        const fileOff = (BigInt(ph.offset) & ~0xfffn) + rel;
        if (fileOff >= BigInt(ph.offset) && fileOff < BigInt(ph.offset + ph.filesz)) return this.name(fileOff - BigInt(ph.offset) + ph.vaddr64);
      }
      return undefined;
    }
    const raw = /<([0-9a-f]+)>/.exec(frame);
    if (!raw || probeRuntimeAddr === undefined || this.probeVaddr === undefined) return undefined;
    const bias = probeRuntimeAddr - this.probeVaddr;
    return this.name(BigInt(`0x${raw[1]}`) - bias);
  }
}
