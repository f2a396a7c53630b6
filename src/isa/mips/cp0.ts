// Coprocessor 0 of the MIPS32r2 CPU: the registers a kernel reaches with mfc0/mtc0, their
// (register, select) numbers, reset values and writable bits, and the Status/Cause fields and
// exception codes. Counterpart of arch/mips/include/asm/mipsregs.h (CP0 register numbers,
// ST0_*/CAUSEF_* bits, EXCCODE_*), and of the Config values arch/mips/kernel/cpu-probe.c reads.
//
// The CPU models a 24K-class core without TLB, FPU, caches or EJTAG: registers for those are
// absent, and mfc0/mtc0 of an absent register is a Reserved Instruction (see cpu.ts).

// --- Status ------------------------------------------------------------------------------------
export const ST_IE = 1 << 0;
export const ST_EXL = 1 << 1;
export const ST_ERL = 1 << 2;
/** KSU's user bit: KSU = 2 (user). Supervisor mode (KSU = 1) is not implemented: bit 3 reads 0. */
export const ST_UM = 1 << 4;
export const ST_IM = 0xff00;
export const ST_BEV = 1 << 22;
export const ST_CU0 = 1 << 28;
/** Bits mtc0 can change: CU1..3 (no coprocessors), RE, FR, MX, TS, SR, NMI read as zero. */
export const STATUS_WRITABLE = ST_CU0 | ST_BEV | ST_IM | ST_UM | ST_ERL | ST_EXL | ST_IE;

// --- Cause -------------------------------------------------------------------------------------
export const CAUSE_BD = 1 << 31;
/** Timer interrupt pending: Count reached Compare (also shown in IP7, the timer's line per IntCtl.IPTI). */
export const CAUSE_TI = 1 << 30;
export const CAUSE_CE_SHIFT = 28;
export const CAUSE_CE = 3 << CAUSE_CE_SHIFT;
export const CAUSE_IV = 1 << 23;
export const CAUSE_IP7 = 1 << 15;
export const CAUSE_EXCCODE_SHIFT = 2;
export const CAUSE_EXCCODE = 0x1f << CAUSE_EXCCODE_SHIFT;
/** Bits mtc0 can change: IV and the two software interrupts IP1..IP0. */
export const CAUSE_WRITABLE = CAUSE_IV | 0x300;

// --- exception codes (Cause.ExcCode) ------------------------------------------------------------
export const EXC_INT = 0;
export const EXC_MOD = 1;
export const EXC_TLBL = 2;
export const EXC_TLBS = 3;
export const EXC_ADEL = 4;
export const EXC_ADES = 5;
export const EXC_SYS = 8;
export const EXC_BP = 9;
export const EXC_RI = 10;
export const EXC_CPU = 11;
export const EXC_OV = 12;
export const EXC_TR = 13;

// --- the registers ------------------------------------------------------------------------------

/** How the CPU serves a register (plain numbers: const enums do not survive per-file transpiling). */
export const Cp0Kind = {
  /** Storage slot `store`, written through `writable`. */
  Store: 0,
  /** Read-only constant `reset`. */
  Const: 1,
  /** Count: the virtual clock (retired instructions) plus an offset set by writes. */
  Count: 2,
  /** Compare: a write clears the timer interrupt. */
  Compare: 3,
  /** Status: a write can change the privilege level. */
  Status: 4,
  /** Cause: TI/IP7 computed from Count and Compare. */
  Cause: 5,
} as const;
export type Cp0Kind = (typeof Cp0Kind)[keyof typeof Cp0Kind];

/** Storage slots of the stored registers. */
export const C0_USERLOCAL = 0;
export const C0_HWRENA = 1;
export const C0_BADVADDR = 2;
export const C0_COMPARE = 3;
export const C0_STATUS = 4;
export const C0_CAUSE = 5;
export const C0_EPC = 6;
export const C0_EBASE = 7;
export const C0_CONFIG = 8;
export const C0_ERROREPC = 9;
export const C0_STORE_COUNT = 10;

export interface Cp0Reg {
  readonly name: string;
  readonly reg: number;
  readonly sel: number;
  readonly kind: Cp0Kind;
  /** Storage slot (Store, Compare, Status, Cause), or -1. */
  readonly store: number;
  readonly reset: number;
  readonly writable: number;
}

/** PRId: company 1 (MIPS Technologies), processor 0x93 (24K), revision 0. */
export const PRID_24K = 0x0001_9300;
/** Config: M (Config1 follows), BE (big-endian), AT = 0 (MIPS32), AR = 1 (release 2), MT = 0 (no TLB), K0 = 2 (uncached). */
export const CONFIG0_RESET = (1 << 31) | (1 << 15) | (1 << 10) | 2;
/** Config1: M (Config2 follows); no TLB entries, no caches, no FPU, no EJTAG (EP = 0), no watch registers. */
export const CONFIG1 = 1 << 31;
/** Config2: M (Config3 follows); no secondary caches. */
export const CONFIG2 = 1 << 31;
/** Config3: ULRI (UserLocal implemented, so rdhwr $29 reads it); no further Config registers. */
export const CONFIG3 = 1 << 13;
/** IntCtl: IPTI = 7 (the timer is hardware interrupt 5, Cause.IP7); no vectored interrupts. */
export const INTCTL = 7 << 29;
/** EBase: bits 31..30 read as 1,0; ExceptionBase (29..12) writable; CPUNum (9..0) read-only. */
export const EBASE_RESET = 0x8000_0000;
export const EBASE_WRITABLE = 0x3fff_f000;
/** HWREna: the hardware registers rdhwr offers user mode: CPUNum, SYNCI_Step, CC, CCRes, ULR. */
export const HWRENA_WRITABLE = 0x2000_000f;

const reg = (name: string, r: number, sel: number, kind: Cp0Kind, store: number, reset: number, writable: number): Cp0Reg => ({
  name,
  reg: r,
  sel,
  kind,
  store,
  reset,
  writable,
});

export const CP0_REGS: readonly Cp0Reg[] = [
  reg('userlocal', 4, 2, Cp0Kind.Store, C0_USERLOCAL, 0, -1),
  reg('hwrena', 7, 0, Cp0Kind.Store, C0_HWRENA, 0, HWRENA_WRITABLE),
  reg('badvaddr', 8, 0, Cp0Kind.Store, C0_BADVADDR, 0, 0),
  reg('count', 9, 0, Cp0Kind.Count, -1, 0, -1),
  reg('compare', 11, 0, Cp0Kind.Compare, C0_COMPARE, 0, -1),
  // Kernel mode, exceptions at EBase (BEV = 0), interrupts off: the state a boot loader leaves.
  reg('status', 12, 0, Cp0Kind.Status, C0_STATUS, 0, STATUS_WRITABLE),
  reg('intctl', 12, 1, Cp0Kind.Const, -1, INTCTL, 0),
  reg('srsctl', 12, 2, Cp0Kind.Const, -1, 0, 0),
  reg('cause', 13, 0, Cp0Kind.Cause, C0_CAUSE, 0, CAUSE_WRITABLE),
  reg('epc', 14, 0, Cp0Kind.Store, C0_EPC, 0, -1),
  reg('prid', 15, 0, Cp0Kind.Const, -1, PRID_24K, 0),
  reg('ebase', 15, 1, Cp0Kind.Store, C0_EBASE, EBASE_RESET, EBASE_WRITABLE),
  reg('config', 16, 0, Cp0Kind.Store, C0_CONFIG, CONFIG0_RESET, 7),
  reg('config1', 16, 1, Cp0Kind.Const, -1, CONFIG1, 0),
  reg('config2', 16, 2, Cp0Kind.Const, -1, CONFIG2, 0),
  reg('config3', 16, 3, Cp0Kind.Const, -1, CONFIG3, 0),
  reg('errorepc', 30, 0, Cp0Kind.Store, C0_ERROREPC, 0, -1),
];

/** CP0 register by key (reg << 3 | sel), or undefined when this CPU has no such register. */
const BY_KEY = new Map<number, Cp0Reg>(CP0_REGS.map((d) => [(d.reg << 3) | d.sel, d]));
const BY_NAME = new Map<string, Cp0Reg>(CP0_REGS.map((d) => [d.name, d]));

/** Dense lookup for the interpreter: CP0_BY_KEY[reg << 3 | sel]. */
export const CP0_BY_KEY: readonly (Cp0Reg | undefined)[] = Array.from({ length: 256 }, (_, key) => BY_KEY.get(key));

export function cp0ByName(name: string): Cp0Reg | undefined {
  return BY_NAME.get(name);
}
