// What the probe-event language needs to know about each architecture: the %REG names that
// regs_query_register_offset() accepts (arch/*/kernel/ptrace.c regoffset_table), whether $argN
// exists (CONFIG_HAVE_FUNCTION_ARG_ACCESS_API), the word size, THREAD_SIZE (bounds $stackN),
// and whether kernel and user addresses overlap (CONFIG_ARCH_HAS_NON_OVERLAPPING_ADDRESS_SPACE).
// Pure data: shared by the emulated machine and the host target.

import type { ArchName } from '../isa/cpu.ts';

export type { ArchName };

export interface ArchSpec {
  readonly name: ArchName;
  /** `uname -m`. */
  readonly machine: string;
  /** BITS_PER_LONG. */
  readonly bits: 32 | 64;
  readonly littleEndian: boolean;
  /** Register names %REG accepts, in the kernel table's order. */
  readonly registers: readonly string[];
  /** Names that are aliases of another register (arm64 `lr` is x30). */
  readonly registerAliases: Readonly<Record<string, string>>;
  /** $argN is supported (CONFIG_HAVE_FUNCTION_ARG_ACCESS_API). */
  readonly argAccess: boolean;
  /** Number of arguments passed in registers (regs_get_kernel_argument); beyond: 0 (arm64) or stack. */
  readonly argRegisters: number;
  /** THREAD_SIZE in bytes; $stackN accepts N <= THREAD_SIZE / sizeof(long). */
  readonly threadSize: number;
  /** Probe memory reads below taskSize go through the user access path. */
  readonly nonOverlappingAddressSpace: boolean;
  /** TASK_SIZE: the first address above user space (canonical form). */
  readonly taskSize: bigint;
  /** The arch README lists the x86-tsc clock and fprobe/tprobe formats. */
  readonly x86: boolean;
}

const range = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

const ARCHES: Record<ArchName, ArchSpec> = {
  arm64: {
    name: 'arm64',
    machine: 'aarch64',
    bits: 64,
    littleEndian: true,
    registers: [...range('x', 31), 'lr', 'sp', 'pc', 'pstate'],
    registerAliases: { lr: 'x30' },
    argAccess: true,
    argRegisters: 8,
    threadSize: 16384,
    nonOverlappingAddressSpace: true,
    taskSize: 1n << 48n,
    x86: false,
  },
  x86_64: {
    name: 'x86_64',
    machine: 'x86_64',
    bits: 64,
    littleEndian: true,
    registers: [
      'r15', 'r14', 'r13', 'r12', 'bp', 'bx', 'r11', 'r10', 'r9', 'r8',
      'ax', 'cx', 'dx', 'si', 'di', 'orig_ax', 'ip', 'cs', 'flags', 'sp', 'ss',
    ],
    registerAliases: {},
    argAccess: true,
    argRegisters: 6,
    threadSize: 16384,
    nonOverlappingAddressSpace: true,
    taskSize: 0x7ffffffff000n,
    x86: true,
  },
  arm: {
    name: 'arm',
    machine: 'armv7l',
    bits: 32,
    littleEndian: true,
    registers: [...range('r', 11), 'fp', 'ip', 'sp', 'lr', 'pc', 'cpsr', 'ORIG_r0'],
    registerAliases: {},
    argAccess: false,
    argRegisters: 4,
    threadSize: 8192,
    nonOverlappingAddressSpace: false,
    taskSize: 0xbf000000n,
    x86: false,
  },
  mips: {
    name: 'mips',
    machine: 'mips',
    bits: 32,
    littleEndian: false,
    registers: [...range('r', 32), 'c0_status', 'hi', 'lo', 'c0_badvaddr', 'c0_cause', 'c0_epc'],
    registerAliases: {},
    argAccess: false,
    argRegisters: 4,
    threadSize: 8192,
    nonOverlappingAddressSpace: false,
    taskSize: 0x7fff8000n,
    x86: false,
  },
  ppc32: {
    name: 'ppc32',
    machine: 'ppc',
    bits: 32,
    littleEndian: false,
    registers: [...range('r', 32), 'nip', 'msr', 'ctr', 'link', 'xer', 'ccr', 'mq', 'trap', 'dar', 'dsisr'],
    registerAliases: {},
    argAccess: true,
    argRegisters: 8,
    threadSize: 8192,
    nonOverlappingAddressSpace: false,
    taskSize: 0xc0000000n,
    x86: false,
  },
};

export function archSpec(name: ArchName): ArchSpec {
  return ARCHES[name];
}

/** sizeof(unsigned long). */
export const wordSize = (arch: ArchSpec): number => arch.bits / 8;

/** Mask a value to unsigned long. */
export const toULong = (arch: ArchSpec, v: bigint): bigint => BigInt.asUintN(arch.bits, v);

/**
 * The canonical address of a number-typed guest address (memory.ts and Kprobe.addr keep the low
 * 48 bits of a 64-bit address; the kernel half is sign-extended back).
 */
export function canonicalAddress(arch: ArchSpec, addr: number): bigint {
  const a = BigInt(addr);
  if (arch.bits === 64 && a >= 1n << 47n) return a | 0xffff000000000000n;
  return a;
}

/** The number-typed (48-bit) form of a canonical address. */
export function machineAddress(arch: ArchSpec, addr: bigint): number {
  if (arch.bits === 64) return Number(addr & 0xffffffffffffn);
  return Number(addr & 0xffffffffn);
}
