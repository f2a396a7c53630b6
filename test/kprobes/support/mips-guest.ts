// Test support for mips kprobes: a small MIPS32r2 big-endian "kernel image" in kseg0, made of
// hand-written assembly (every kind of branch and jump with side effects in their delay slots,
// branch-likely forms, loads and stores, an ll/sc loop, the kretprobe trampoline as Linux's
// kretprobe_trampoline_holder has it) and of C functions (mips-kernel.c) compiled by
// mips-linux-gnu-gcc at test time; the build is cached in the temp directory by a hash of its
// inputs. Also the kprobes instance over it (TestHost from guest.ts) on the real MipsCpu.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MipsCpu } from '../../../src/isa/mips/index.ts';
import { Memory } from '../../../src/machine/memory.ts';
import type { AsmSymbol, Image } from './asm.ts';
import { mapKernelImage, testKernelOver, type TestKernel } from './guest.ts';

export const MIPS_TOOLS = ['mips-linux-gnu-gcc', 'mips-linux-gnu-as', 'mips-linux-gnu-ld', 'mips-linux-gnu-objcopy', 'mips-linux-gnu-nm'];

/** The compiler flags the brief fixes for the guest's C (a Linux 32-bit mips kernel's, roughly). */
export const MIPS_CFLAGS = [
  '-O2',
  '-march=mips32r2',
  '-msoft-float',
  '-mno-abicalls',
  '-fno-pic',
  '-G0',
  '-ffreestanding',
  '-nostdlib',
  '-fno-stack-protector',
  '-fno-asynchronous-unwind-tables',
];

export const MIPS_TEXT = 0x8010_0000;
/** Status in the test kernel: kernel mode (KSU = 0, EXL = ERL = 0), all interrupt lines unmasked, IE set. */
export const MIPS_KERNEL_STATUS = 0xff01n;
export const MIPS_STACK = 0x8040_0000;
export const MIPS_STACK_SIZE = 0x8000;
/** A read/write buffer for pointer arguments. */
export const MIPS_BUFFER = 0x8050_0000;
export const MIPS_SLOTS = 0x8060_0000;
/** A kernel address nothing maps (kseg2, where vmalloc lives). */
export const MIPS_UNMAPPED = 0xc000_0000;

const C_SOURCE = fileURLToPath(new URL('./mips-kernel.c', import.meta.url));

const LINKER_SCRIPT = `
ENTRY(host_call_return)
SECTIONS {
  . = 0x${MIPS_TEXT.toString(16)};
  .text : { *(.text) *(.text.*) }
  . = ALIGN(256);
  __kprobes_text_start = .;
  .kprobes.text : { *(.kprobes.text) }
  __kprobes_text_end = .;
  . = ALIGN(4096);
  _etext = .;
  .rodata : { *(.rodata) *(.rodata.*) }
  __start__kprobe_blacklist = .;
  _kprobe_blacklist : { *(_kprobe_blacklist) }
  __stop__kprobe_blacklist = .;
  .data : { *(.data) *(.data.*) }
  .bss : { *(.bss) *(.bss.*) *(COMMON) }
  _end = .;
  /DISCARD/ : { *(.note*) *(.comment) *(.reginfo) *(.MIPS.*) *(.pdr) *(.gnu.attributes) *(.mdebug*) }
}
`;

const fn = (name: string, body: string, section = '.text'): string => `
	.section ${section}, "ax"
	.balign 4
	.globl ${name}
	.type ${name}, @function
	.ent ${name}
${name}:
${body}
	.end ${name}
	.size ${name}, .-${name}
`;

/**
 * The hand-written functions, `.set noreorder`: every delay slot is the instruction written after
 * its branch. Each comment gives what the function computes (the tests' semantics).
 */
/**
 * A body that takes each branch in turn on the arguments: branch i's delay slot sets bit i of
 * v0 and its fall-through bit i + 8 (each branch goes to the label after its fall-through).
 */
const branchBits = (branches: readonly string[]): string =>
  [
    '\tmove $v0, $zero',
    ...branches.flatMap((b, i) => [
      `${i === 0 ? '' : `${i}:`}\t${b}, ${i + 1}f`,
      `\tori $v0, $v0, 0x${(1 << i).toString(16)}`,
      `\tori $v0, $v0, 0x${(0x100 << i).toString(16)}`,
    ]),
    `${branches.length}:\tjr $ra`,
    '\tnop',
  ].join('\n');

export const MIPS_ASM_SOURCE = `
	.set noreorder
	.set noat
	.set mips32r2
	.set virt
${fn('host_call_return', '\thypcall 7')}
# alu_fn(a) = ((a + 5) << 1) ^ 3: ALU instructions, jr ra with a working delay slot
${fn('alu_fn', '\taddiu $v0, $a0, 5\n\tsll $v0, $v0, 1\n\tjr $ra\n\txori $v0, $v0, 3')}
# ldst_fn(p): p[1] = p[0] + 1; halfword at p+8 = byte at p+3; returns p[1]
${fn('ldst_fn', '\tlw $t0, 0($a0)\n\taddiu $t0, $t0, 1\n\tsw $t0, 4($a0)\n\tlbu $t1, 3($a0)\n\tsh $t1, 8($a0)\n\tjr $ra\n\tlw $v0, 4($a0)')}
# beq_fn(a, b) = a == b ? 11 : 111 (the delay slot's +10 always runs)
${fn('beq_fn', '\tli $v0, 1\n\tbeq $a0, $a1, 1f\n\taddiu $v0, $v0, 10\n\taddiu $v0, $v0, 100\n1:\tjr $ra\n\tnop')}
# bne_fn(a, b) = a != b ? 11 : 111
${fn('bne_fn', '\tli $v0, 1\n\tbne $a0, $a1, 1f\n\taddiu $v0, $v0, 10\n\taddiu $v0, $v0, 100\n1:\tjr $ra\n\tnop')}
# cond_fn(a): blez, bgtz, bltz, bgez on signed a; each slot sets bit i, each fall-through bit i+8
${fn('cond_fn', branchBits(['blez $a0', 'bgtz $a0', 'bltz $a0', 'bgez $a0']))}
# likely_fn(a, b): beql, bnel (a, b), blezl, bgtzl, bltzl, bgezl (a): a slot (bit i) runs only when
# its branch is taken, a fall-through sets bit i+8
${fn('likely_fn', branchBits(['beql $a0, $a1', 'bnel $a0, $a1', 'blezl $a0', 'bgtzl $a0', 'bltzl $a0', 'bgezl $a0']))}
# link_leaf: s0 += 0x10000 per call (returns through ra)
${fn('link_leaf', '\tlui $at, 1\n\tjr $ra\n\taddu $s0, $s0, $at')}
# link_fn(a): bal, bltzal, bgezal, bltzall, bgezall (on signed a), jal and jalr to link_leaf;
# slot i sets bit i; bal's fall-through sets 0x100 (never); every leaf call adds 0x10000
${fn(
  'link_fn',
  `	addiu $sp, $sp, -24
	sw $ra, 20($sp)
	sw $s0, 16($sp)
	move $s0, $zero
	bal 1f
	ori $s0, $s0, 0x1
	ori $s0, $s0, 0x100
1:	bltzal $a0, link_leaf
	ori $s0, $s0, 0x2
	bgezal $a0, link_leaf
	ori $s0, $s0, 0x4
	bltzall $a0, link_leaf
	ori $s0, $s0, 0x8
	bgezall $a0, link_leaf
	ori $s0, $s0, 0x10
	jal link_leaf
	ori $s0, $s0, 0x20
	lui $t9, %hi(link_leaf)
	addiu $t9, $t9, %lo(link_leaf)
	jalr $t9
	ori $s0, $s0, 0x40
	move $v0, $s0
	lw $s0, 16($sp)
	lw $ra, 20($sp)
	jr $ra
	addiu $sp, $sp, 24`,
)}
# jalr_rd_fn(a) = (a ^ 0x55) + 1: jalr $t8, $t9 links in t8, and the leaf returns with jr $t8
${fn(
  'jalr_rd_fn',
  `	move $t7, $ra
	lui $t9, %hi(jalr_rd_leaf)
	addiu $t9, $t9, %lo(jalr_rd_leaf)
	jalr $t8, $t9
	addiu $v0, $a0, 0
	jr $t7
	addiu $v0, $v0, 1`,
)}
${fn('jalr_rd_leaf', '\tjr $t8\n\txori $v0, $v0, 0x55')}
# call_fn(a) = alu_fn(a + 1): jal with a working delay slot, a frame, jr ra
${fn(
  'call_fn',
  `	addiu $sp, $sp, -24
	sw $ra, 20($sp)
	jal alu_fn
	addiu $a0, $a0, 1
	lw $ra, 20($sp)
	jr $ra
	addiu $sp, $sp, 24`,
)}
# jr_fn(a) = alu_fn(a + 1): a tail call through jr $t9
${fn('jr_fn', '\tlui $t9, %hi(alu_fn)\n\taddiu $t9, $t9, %lo(alu_fn)\n\tjr $t9\n\taddiu $a0, $a0, 1')}
# j_fn(a) = a + 3: j over an instruction
${fn('j_fn', '\tj 1f\n\taddiu $v0, $a0, 1\n\taddiu $v0, $v0, 100\n1:\tjr $ra\n\taddiu $v0, $v0, 2')}
# leaf_ret(a) = a + 7: the first instruction is the return
${fn('leaf_ret', '\tjr $ra\n\taddiu $v0, $a0, 7')}
# load_fn(p) = *p
${fn('load_fn', '\tlw $v0, 0($a0)\n\tjr $ra\n\tnop')}
# atomic_inc(p) = ++*p with ll/sc
${fn('atomic_inc', '1:\tll $t0, 0($a0)\n\taddiu $t0, $t0, 1\n\tsc $t0, 0($a0)\n\tbeqz $t0, 1b\n\tnop\n\tjr $ra\n\tlw $v0, 0($a0)')}
# eret_fn: an instruction Linux does not refuse (its step would leave the slot: never called)
${fn('eret_fn', '\teret\n\tjr $ra\n\tnop')}
# kretprobe_trampoline_holder, as arch/mips/kernel/kprobes.c has it: nop; __kretprobe_trampoline: nop
${fn('kretprobe_trampoline_holder', '\tnop\n\t.globl __kretprobe_trampoline\n__kretprobe_trampoline:\n\tnop\n\tjr $ra\n\tnop')}
${fn('kprobes_fn', '\tjr $ra\n\tnop', '.kprobes.text')}
`;

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'latin1' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

/** Build (or take from the cache) the image's bytes and `nm -S -n` listing. */
function buildFiles(): { bin: Buffer; nm: string } {
  const cSource = readFileSync(C_SOURCE);
  const hash = createHash('sha256')
    .update(MIPS_ASM_SOURCE)
    .update(cSource)
    .update(MIPS_CFLAGS.join(' '))
    .update(LINKER_SCRIPT)
    .digest('hex')
    .slice(0, 16);
  const cache = join(tmpdir(), 'kprobe-mips-kprobes');
  const binPath = join(cache, `${hash}.bin`);
  const nmPath = join(cache, `${hash}.nm`);
  if (existsSync(binPath) && existsSync(nmPath)) return { bin: readFileSync(binPath), nm: readFileSync(nmPath, 'latin1') };

  const dir = mkdtempSync(join(tmpdir(), 'kprobes-mips-'));
  try {
    writeFileSync(join(dir, 'a.s'), MIPS_ASM_SOURCE);
    writeFileSync(join(dir, 'link.ld'), LINKER_SCRIPT);
    run('mips-linux-gnu-as', ['-EB', '-mips32r2', '-mvirt', '-mno-shared', '-o', 'a.o', 'a.s'], dir);
    run('mips-linux-gnu-gcc', [...MIPS_CFLAGS, '-c', '-o', 'c.o', C_SOURCE], dir);
    run('mips-linux-gnu-ld', ['-EB', '-T', 'link.ld', '-o', 'k.elf', 'a.o', 'c.o'], dir);
    run('mips-linux-gnu-objcopy', ['-O', 'binary', 'k.elf', 'k.bin'], dir);
    const nm = run('mips-linux-gnu-nm', ['-S', '-n', '--defined-only', 'k.elf'], dir);
    mkdirSync(cache, { recursive: true });
    const tmpBin = `${binPath}.${process.pid}.tmp`;
    const tmpNm = `${nmPath}.${process.pid}.tmp`;
    writeFileSync(tmpBin, readFileSync(join(dir, 'k.bin')));
    writeFileSync(tmpNm, nm);
    renameSync(tmpBin, binPath);
    renameSync(tmpNm, nmPath);
    return { bin: readFileSync(binPath), nm };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let cachedImage: Image | undefined;

/** The mips test kernel image (built once per test file, cached on disk across runs). */
export function mipsImage(): Image {
  if (cachedImage) return cachedImage;
  const { bin, nm } = buildFiles();
  const symbols: AsmSymbol[] = [];
  // nm prints MIPS addresses sign-extended to 64 bits (ffffffff80100000).
  const address = (hex: string): number => Number(BigInt('0x' + hex) & 0xffff_ffffn);
  for (const line of nm.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length === 4) symbols.push({ address: address(f[0]!), size: parseInt(f[1]!, 16), letter: f[2]!, name: f[3]! });
    else if (f.length === 3) symbols.push({ address: address(f[0]!), size: 0, letter: f[1]!, name: f[2]! });
  }
  const byName = new Map(symbols.map((s) => [s.name, s]));
  cachedImage = {
    base: MIPS_TEXT,
    bytes: new Uint8Array(bin),
    symbols,
    addr(name: string): number {
      const s = byName.get(name);
      if (!s) throw new Error(`no symbol ${name}`);
      return s.address;
    },
  };
  return cachedImage;
}

export interface MipsTestKernel extends TestKernel {
  readonly cpu: MipsCpu;
  /** Size of a function symbol. */
  size(name: string): number;
}

/** A big-endian memory with the image (text read+exec, data and bss read+write), a stack and a buffer. */
export function loadMipsImage(image: Image): Memory {
  return mapKernelImage(new Memory(false, 0x8000_0000), image, image.addr('_end'), [
    [MIPS_STACK, MIPS_STACK_SIZE],
    [MIPS_BUFFER, 4096],
  ]);
}

/** kprobes over the mips image on a real MipsCpu (kernel mode, interrupts enabled). */
export function makeMipsTestKernel(): MipsTestKernel {
  const image = mipsImage();
  const memory = loadMipsImage(image);
  const cpu = new MipsCpu(memory);
  cpu.setReg('status', MIPS_KERNEL_STATUS);
  const k = testKernelOver(image, memory, cpu, { slotBase: MIPS_SLOTS, pointerBytes: 4 });
  return { ...k, size: (n) => k.symbols.lookupAddress(image.addr(n))!.size };
}
