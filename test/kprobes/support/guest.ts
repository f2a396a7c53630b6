// Test support for kprobes: a small arm64 "kernel image" assembled with the real toolchain (the
// functions of lib/test_kprobes.c and a few more to probe every simulated and stepped class), a
// KprobesHost over it that records printk/WARN/oops, and a register-only CPU for the tests that
// drive the trap entry points by hand.

import type { Cpu, CpuContext } from '../../../src/isa/cpu.ts';
import { Memory } from '../../../src/machine/memory.ts';
import {
  blacklistSectionsFromSymbols,
  buildKprobeBlacklist,
  readKprobeBlacklistSection,
  type KernelSite,
  type KprobeSymbols,
  type KprobesDeath,
  type KprobesHost,
  type KernelText,
  type SymbolAt,
} from '../../../src/kprobes/host.ts';
import { createKprobes, type Kprobes } from '../../../src/kprobes/kprobes.ts';
import { buildImage, type AsmSymbol, type Image } from './asm.ts';

export const KERNEL_BASE = 0x8000_0000_0000;
export const TEXT = 0x8000_0800_0000;
export const SLOTS = 0x8000_0c00_0000;
export const STACK = 0x8000_0900_0000;
export const STACK_SIZE = 0x4000;
/** A kernel address nothing maps. */
export const UNMAPPED = 0x8000_0e00_0000;

export const LINKER_SCRIPT = `
SECTIONS {
  . = 0xffff800008000000;
  .text : { *(.text) }
  . = ALIGN(256);
  __kprobes_text_start = .;
  .kprobes.text : { *(.kprobes.text) }
  __kprobes_text_end = .;
  . = ALIGN(256);
  __entry_text_start = .;
  .entry.text : { *(.entry.text) }
  __entry_text_end = .;
  . = ALIGN(256);
  __noinstr_text_start = .;
  .noinstr.text : { *(.noinstr.text) }
  __noinstr_text_end = .;
  . = ALIGN(4096);
  _etext = .;
  .rodata : { *(.rodata) }
  __start__kprobe_blacklist = .;
  _kprobe_blacklist : { *(_kprobe_blacklist) }
  __stop__kprobe_blacklist = .;
  .data : { *(.data) }
  /DISCARD/ : { *(.note*) *(.comment) }
}
`;

const fn = (name: string, body: string, section = '.text'): string => `
	.section ${section}, "ax"
	.balign 4
	.type ${name}, %function
${name}:
${body}
	.size ${name}, .-${name}
`;

/** The test kernel's functions. Each comment gives what the function computes. */
export const GUEST_SOURCE = `
	.arch armv8.1-a
${fn('host_call_return', '\thvc #7')}
// u32 kprobe_target(u32 v) { return v / 3; }
${fn('kprobe_target', '\tmov w1, #3\n\tudiv w0, w0, w1\n\tret')}
// u32 kprobe_target2(u32 v) { return v / 3 + 1; }
${fn('kprobe_target2', '\tmov w1, #3\n\tudiv w0, w0, w1\n\tadd w0, w0, #1\n\tret')}
// u32 kprobe_recursed_target(u32 v) { return v / 3; }
${fn('kprobe_recursed_target', '\tmov w1, #3\n\tudiv w0, w0, w1\n\tret')}
// u64 caller(u32 v) { return kprobe_target(v) + 100; }
${fn('caller', '\tstp x29, x30, [sp, #-16]!\n\tmov x29, sp\n\tbl kprobe_target\n\tadd w0, w0, #100\n\tldp x29, x30, [sp], #16\n\tret')}
// u64 fact(u64 n) { return n <= 1 ? 1 : n * fact(n - 1); }
${fn(
  'fact',
  `	stp x29, x30, [sp, #-32]!
	mov x29, sp
	str x19, [sp, #16]
	mov x19, x0
	cmp x0, #1
	b.le fact_base
	sub x0, x0, #1
	bl fact
	mul x0, x0, x19
	b fact_out
fact_base:
	mov x0, #1
fact_out:
	ldr x19, [sp, #16]
	ldp x29, x30, [sp], #32
	ret`,
)}
// u64 branchy(u64 v): 0 -> 7; bit 1 set -> 9; v > 5 -> 11; else 5 (cbz, tbnz, b.cond)
${fn(
  'branchy',
  `	cbz x0, branchy_zero
	tbnz x0, #1, branchy_bit1
	cmp x0, #5
	b.gt branchy_gt5
	mov x0, #5
	ret
branchy_zero:
	mov x0, #7
	ret
branchy_bit1:
	mov x0, #9
	ret
branchy_gt5:
	mov x0, #11
	ret`,
)}
// u64 branchy2(u64 v): cbnz/tbz/b.cond the other way round
${fn(
  'branchy2',
  `	cbnz w0, branchy2_nz
	mov x0, #1
	ret
branchy2_nz:
	tbz x0, #63, branchy2_pos
	mov x0, #2
	ret
branchy2_pos:
	cmp w0, #3
	b.ne branchy2_ne3
	mov x0, #3
	ret
branchy2_ne3:
	mov x0, #4
	ret`,
)}
// s64 literal_load(void) { return 0x1122334455667788 + (s32)-16 + (u32)0x80000001; } (ldr x, ldrsw, ldr w literals)
${fn(
  'literal_load',
  `	ldr x0, lit_q
	ldrsw x1, lit_sw
	ldr w2, lit_w
	add x0, x0, x1
	add x0, x0, x2
	ret
	.balign 8
lit_q:	.quad 0x1122334455667788
lit_sw:	.word 0xfffffff0
lit_w:	.word 0x80000001`,
)}
// u64 adr_fn(void) { return data_word + (adr_fn_end - adr_fn); } (adrp + adr)
${fn(
  'adr_fn',
  `	adrp x0, data_word
	add x0, x0, :lo12:data_word
	ldr x0, [x0]
	adr x1, adr_fn
	adr x2, adr_fn_end
	sub x1, x2, x1
	add x0, x0, x1
adr_fn_end:
	ret`,
)}
// u64 indirect_fn(u32 v) { return (*&kprobe_target2)(v); } (blr, then ret)
${fn('indirect_fn', '\tstp x29, x30, [sp, #-16]!\n\tmov x29, sp\n\tadr x16, kprobe_target2\n\tblr x16\n\tldp x29, x30, [sp], #16\n\tret')}
// u64 tail_fn(u32 v) { return kprobe_target(v); } (b to another function)
${fn('tail_fn', '\tb kprobe_target')}
// u64 jump_fn(u32 v): br through x17 to kprobe_target2
${fn('jump_fn', '\tadr x17, kprobe_target2\n\tbr x17')}
// u64 load_fn(u64 *p) { return *p; }
${fn('load_fn', '\tldr x0, [x0]\n\tret')}
// u64 sum_loop(u64 n) { s = 0; while (n) s += n--; return s; }
${fn(
  'sum_loop',
  `	mov x1, #0
1:	cbz x0, 2f
	add x1, x1, x0
	sub x0, x0, #1
	b 1b
2:	mov x0, x1
	ret`,
)}
// void atomic_inc(u32 *p): an LL/SC loop
${fn('atomic_inc', '1:\tldxr w1, [x0]\n\tadd w1, w1, #1\n\tstxr w2, w1, [x0]\n\tcbnz w2, 1b\n\tret')}
// A function that ends with a load-exclusive, and the function after it.
${fn('ends_with_ldxr', '\tldxr w1, [x0]')}
${fn('next_fn', '\tadd w0, w0, #1\n\tret')}
// A load-exclusive followed by 33 nops: probes 32 instructions after it are inside the scan.
${fn('far_ldxr', '\tldxr w1, [x0]\n\t.rept 33\n\tnop\n\t.endr\n\tret')}
// Instructions no probe may sit on.
${fn('unprobeable', '\tmrs x0, sctlr_el1\n\tmsr daifclr, #2\n\thvc #0\n\tret')}
${fn('nokprobe_fn', '\tmov x0, #1\n\tret')}
${fn('nokprobe_fn.isra.0', '\tmov x0, #2\n\tret')}
${fn('__pfx_padded_fn', '\tnop')}
${fn('padded_fn', '\tmov x0, #3\n\tret')}
${fn('__kretprobe_trampoline', '\tbrk #0x7\n\tbrk #0x800')}
${fn('kprobes_fn', '\tnop\n\tret', '.kprobes.text')}
${fn('entry_fn', '\tnop\n\tret', '.entry.text')}
${fn('noinstr_fn', '\tnop\n\tret', '.noinstr.text')}
	.section _kprobe_blacklist, "a"
	.balign 8
	.quad nokprobe_fn
	.data
	.balign 8
	.type data_word, %object
data_word:
	.quad 0x5a5a5a5a12345678
	.size data_word, .-data_word
`;

let cachedImage: Image | undefined;
/** The test kernel image (assembled once per test file). */
export function guestImage(): Image {
  cachedImage ??= buildImage(GUEST_SOURCE, LINKER_SCRIPT);
  return cachedImage;
}

/** kallsyms over the image's function and object symbols. */
export class TestSymbols implements KprobeSymbols {
  private readonly sized: AsmSymbol[];
  constructor(readonly all: readonly AsmSymbol[]) {
    this.sized = all.filter((s) => s.size > 0).sort((a, b) => a.address - b.address);
  }
  lookupName(name: string): readonly { readonly address: number }[] {
    return this.all.filter((s) => s.name === name);
  }
  lookupAddress(addr: number): SymbolAt | undefined {
    for (let i = this.sized.length - 1; i >= 0; i--) {
      const s = this.sized[i]!;
      if (s.address <= addr) return addr < s.address + s.size ? { name: s.name, start: s.address, size: s.size } : undefined;
    }
    return undefined;
  }
}

/** A CPU that only holds registers: for tests that play the CPU's part by hand. */
export class RegsOnlyCpu {
  readonly arch = 'arm64' as const;
  readonly retired = 0;
  readonly userMode = false;
  pc = 0;
  private readonly regs = new Map<string, bigint>();
  readonly regNames = [...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp', 'pc', 'pstate'];
  constructor(readonly memory: Memory) {
    for (const n of this.regNames) this.regs.set(n, 0n);
  }
  getReg(name: string): bigint {
    if (name === 'lr') name = 'x30';
    if (name === 'pc') return BigInt(this.pc) | (this.pc >= KERNEL_BASE ? 0xffff_0000_0000_0000n : 0n);
    const v = this.regs.get(name);
    if (v === undefined) throw new RangeError(name);
    return v;
  }
  setReg(name: string, value: bigint): void {
    if (name === 'lr') name = 'x30';
    if (name === 'pc') this.pc = Number(value & 0xffff_ffff_ffffn);
    else this.regs.set(name, BigInt.asUintN(64, value));
  }
  readPtRegs(words: Uint32Array): void {
    this.regNames.forEach((n, i) => {
      const v = this.getReg(n);
      words[2 * i] = Number(v & 0xffff_ffffn);
      words[2 * i + 1] = Number(v >> 32n);
    });
  }
  writePtReg(index: number, lo: number, hi: number): void {
    this.setReg(this.regNames[index]!, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
  }
  run(): never {
    throw new Error('RegsOnlyCpu does not execute');
  }
  flushCode(): void {}
  saveContext(): CpuContext {
    throw new Error('not used');
  }
  restoreContext(): void {}
  takeException(): void {}
  asCpu(): Cpu {
    return this as unknown as Cpu;
  }
}

/** What host.die() throws in the tests that run real code: the killed "task" unwinds to the test. */
export class TestKilled extends Error {
  constructor(readonly report: KprobesDeath | { kind: 'kernel-oops'; pc: number }) {
    super(`test task killed: ${report.kind}`);
  }
}

/** Where a TestHost's kernel differs by arch (the defaults are the arm64 image's). */
export interface TestHostOptions {
  /** First instruction-slot page (alloc_insn_page hands out pages from here). */
  readonly slotBase?: number;
  /** sizeof(void *) in the `_kprobe_blacklist` section. */
  readonly pointerBytes?: 4 | 8;
}

export class TestHost implements KprobesHost {
  readonly numPossibleCpus = 1;
  readonly printks: string[] = [];
  readonly warnings: KernelSite[] = [];
  readonly deaths: KprobesDeath[] = [];
  task = 1;
  /** die() throws TestKilled (tests running real code) instead of returning. */
  dieThrows = false;
  slotPagesLeft = 4;
  private nextPage: number;
  readonly text: KernelText;

  constructor(
    readonly memory: Memory,
    public cpu: Cpu,
    readonly symbols: TestSymbols,
    image: Image,
    options: TestHostOptions = {},
  ) {
    this.nextPage = options.slotBase ?? SLOTS;
    const etext = image.addr('_etext');
    const isKernelText = (a: number): boolean => a >= image.base && a < etext;
    const blStart = image.addr('__start__kprobe_blacklist');
    const blStop = image.addr('__stop__kprobe_blacklist');
    this.text = {
      isKernelText,
      blacklist: buildKprobeBlacklist({
        symbols: image.symbols,
        lookupAddress: (a) => symbols.lookupAddress(a),
        isKernelText,
        sections: blacklistSectionsFromSymbols((n) => symbols.lookupName(n)),
        nokprobeSymbols: readKprobeBlacklistSection(memory, blStart, blStop, options.pointerBytes ?? 8),
      }),
    };
  }

  allocInsnPage(): number | null {
    if (this.slotPagesLeft <= 0) return null;
    this.slotPagesLeft--;
    const page = this.nextPage;
    this.nextPage += 4096;
    this.memory.map(page, 4096, { user: false, write: false, exec: true });
    return page;
  }
  currentTask(): number {
    return this.task;
  }
  printk(_level: number, text: string): void {
    this.printks.push(text);
  }
  warn(site: KernelSite): void {
    this.warnings.push(site);
  }
  die(report: KprobesDeath): void {
    this.deaths.push(report);
    if (this.dieThrows) throw new TestKilled(report);
  }
  isContextKilled(error: unknown): boolean {
    return error instanceof TestKilled;
  }
}

export interface TestKernel {
  readonly image: Image;
  readonly memory: Memory;
  readonly symbols: TestSymbols;
  readonly host: TestHost;
  readonly kprobes: Kprobes;
  /** Address of a symbol. */
  addr(name: string): number;
  read32(addr: number): number;
}

/**
 * Map the image into memory (text read+exec, data read+write up to `end`) and the given
 * read/write kernel regions ([address, size]): what both arches' test kernels start from.
 */
export function mapKernelImage(memory: Memory, image: Image, end: number, regions: readonly (readonly [number, number])[]): Memory {
  const etext = image.addr('_etext');
  memory.map(image.base, etext - image.base, { user: false, write: false, exec: true });
  if (end > etext) memory.map(etext, end - etext, { user: false, write: true, exec: false });
  memory.poke(image.base, image.bytes);
  for (const [addr, size] of regions) memory.map(addr, size, { user: false, write: true, exec: false });
  return memory;
}

/** Memory with the image mapped (text read+exec, data read+write) and a kernel stack. */
export function loadImage(image: Image): Memory {
  return mapKernelImage(new Memory(true, KERNEL_BASE), image, image.base + image.bytes.length, [[STACK, STACK_SIZE]]);
}

/** A TestHost and a kprobes instance over an image already in memory, run by `cpu`. */
export function testKernelOver<C extends Cpu>(image: Image, memory: Memory, cpu: C, options?: TestHostOptions): TestKernel & { cpu: C } {
  const symbols = new TestSymbols(image.symbols);
  const host = new TestHost(memory, cpu, symbols, image, options);
  const kprobes = createKprobes(host);
  return {
    image,
    memory,
    symbols,
    host,
    kprobes,
    cpu,
    addr: (n) => image.addr(n),
    read32: (a) => memory.read32(a) >>> 0,
  };
}

/** A kprobes instance over the test image; `cpu` defaults to a register-only CPU. */
export function makeTestKernel(makeCpu?: (memory: Memory) => Cpu): TestKernel & { cpu: Cpu } {
  const image = guestImage();
  const memory = loadImage(image);
  return testKernelOver(image, memory, makeCpu ? makeCpu(memory) : new RegsOnlyCpu(memory).asCpu());
}
