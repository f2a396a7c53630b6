// AArch64 system registers reachable with MRS/MSR: their encodings, who may access them, and
// the values an EL1 kernel reads. Counterpart of arch/arm64/include/asm/sysreg.h (the
// encodings) and of the ID-register values arch/arm64/kernel/cpufeature.c inspects.
//
// An encoding key is bits [20:5] of the MRS/MSR word: op0:op1:CRn:CRm:op2.

/** How the interpreter serves a register (plain numbers: const enums do not survive per-file transpiling). */
export const SysKind = {
  /** Plain storage in the CPU's sysreg file (index `store`). */
  Store: 0,
  /** Read-only constant `value`. */
  Const: 1,
  Nzcv: 2,
  Daif: 3,
  SpSel: 4,
  CurrentEl: 5,
  SpEl0: 6,
  /** CNTVCT_EL0 / CNTPCT_EL0: the retired-instruction count (1 instruction = 1 ns). */
  Counter: 7,
  Mpidr: 8,
} as const;
export type SysKind = (typeof SysKind)[keyof typeof SysKind];

export interface SysRegDesc {
  readonly name: string;
  readonly key: number;
  readonly kind: SysKind;
  /** Index into the CPU's sysreg storage for SysKind.Store. */
  readonly store: number;
  readonly value: bigint;
  readonly el0Read: boolean;
  readonly el0Write: boolean;
  readonly writable: boolean;
}

export function sysKey(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

/** Storage indices of the stored registers (pairs of Int32 halves in the CPU). */
export const SR_ELR_EL1 = 0;
export const SR_SPSR_EL1 = 1;
export const SR_ESR_EL1 = 2;
export const SR_FAR_EL1 = 3;
export const SR_VBAR_EL1 = 4;
export const SR_TPIDR_EL0 = 5;
export const SR_TPIDRRO_EL0 = 6;
export const SR_TPIDR_EL1 = 7;
export const SR_SCTLR_EL1 = 8;
export const SR_TCR_EL1 = 9;
export const SR_MAIR_EL1 = 10;
export const SR_TTBR0_EL1 = 11;
export const SR_TTBR1_EL1 = 12;
export const SR_CPACR_EL1 = 13;
export const SR_CONTEXTIDR_EL1 = 14;
export const SR_CNTKCTL_EL1 = 15;
export const SR_MDSCR_EL1 = 16;
export const SR_AMAIR_EL1 = 17;
export const SR_PAR_EL1 = 18;
export const SR_AFSR0_EL1 = 19;
export const SR_AFSR1_EL1 = 20;
export const SR_CNTV_CTL_EL0 = 21;
export const SR_CNTV_CVAL_EL0 = 22;
export const SR_COUNT = 23;

/**
 * Reset values of stored registers. SCTLR_EL1 is what Linux 6.x runs with (INIT_SCTLR_EL1_MMU_ON
 * less the features this CPU lacks: M, C, SA, SA0, SED, EOS, I, UCT, nTWE, TSCXT, IESB, EIS, SPAN,
 * UCI, nTLSMD, LSMAOE; DZE clear since DC ZVA is prohibited). TCR_EL1 is a 48-bit VA, 4 KiB
 * granule configuration with TBI0, as a Linux kernel sets it.
 */
export const SR_RESET: Partial<Record<number, bigint>> = {
  [SR_SCTLR_EL1]: 0x34f4_991dn,
  [SR_TCR_EL1]: 0x35_b510_3510n,
  [SR_MAIR_EL1]: 0x0000_00bb_ff44_0c00n,
};

/** Identification values: a Cortex-A72 r0p3 with LSE atomics and no FP/SIMD. */
export const MIDR_VALUE = 0x410f_d083n;
export const CTR_VALUE = 0x8444_c004n;
/** DZP set: DC ZVA is prohibited (and UNDEFINED here). BS = 4 (64-byte blocks). */
export const DCZID_VALUE = 0x14n;
export const CNTFRQ_VALUE = 1_000_000_000n;

const descs: SysRegDesc[] = [];

function add(
  name: string,
  key: number,
  kind: SysKind,
  opts: { store?: number; value?: bigint; el0Read?: boolean; el0Write?: boolean; writable?: boolean } = {},
): void {
  descs.push({
    name,
    key,
    kind,
    store: opts.store ?? -1,
    value: opts.value ?? 0n,
    el0Read: opts.el0Read ?? false,
    el0Write: opts.el0Write ?? false,
    writable: opts.writable ?? kind !== SysKind.Const,
  });
}

const stored = (name: string, key: number, store: number, el0 = false, el0Write = el0): void =>
  add(name, key, SysKind.Store, { store, el0Read: el0, el0Write });

// Special-purpose registers (op0 = 3, CRn = 4).
add('NZCV', sysKey(3, 3, 4, 2, 0), SysKind.Nzcv, { el0Read: true, el0Write: true });
add('DAIF', sysKey(3, 3, 4, 2, 1), SysKind.Daif);
add('SPSel', sysKey(3, 0, 4, 2, 0), SysKind.SpSel);
add('CurrentEL', sysKey(3, 0, 4, 2, 2), SysKind.CurrentEl, { writable: false });
add('SP_EL0', sysKey(3, 0, 4, 1, 0), SysKind.SpEl0);
stored('SPSR_EL1', sysKey(3, 0, 4, 0, 0), SR_SPSR_EL1);
stored('ELR_EL1', sysKey(3, 0, 4, 0, 1), SR_ELR_EL1);

// Exception and memory-system registers.
stored('ESR_EL1', sysKey(3, 0, 5, 2, 0), SR_ESR_EL1);
stored('AFSR0_EL1', sysKey(3, 0, 5, 1, 0), SR_AFSR0_EL1);
stored('AFSR1_EL1', sysKey(3, 0, 5, 1, 1), SR_AFSR1_EL1);
stored('FAR_EL1', sysKey(3, 0, 6, 0, 0), SR_FAR_EL1);
stored('PAR_EL1', sysKey(3, 0, 7, 4, 0), SR_PAR_EL1);
stored('VBAR_EL1', sysKey(3, 0, 12, 0, 0), SR_VBAR_EL1);
stored('SCTLR_EL1', sysKey(3, 0, 1, 0, 0), SR_SCTLR_EL1);
stored('CPACR_EL1', sysKey(3, 0, 1, 0, 2), SR_CPACR_EL1);
stored('TTBR0_EL1', sysKey(3, 0, 2, 0, 0), SR_TTBR0_EL1);
stored('TTBR1_EL1', sysKey(3, 0, 2, 0, 1), SR_TTBR1_EL1);
stored('TCR_EL1', sysKey(3, 0, 2, 0, 2), SR_TCR_EL1);
stored('MAIR_EL1', sysKey(3, 0, 10, 2, 0), SR_MAIR_EL1);
stored('AMAIR_EL1', sysKey(3, 0, 10, 3, 0), SR_AMAIR_EL1);
stored('CONTEXTIDR_EL1', sysKey(3, 0, 13, 0, 1), SR_CONTEXTIDR_EL1);
stored('MDSCR_EL1', sysKey(2, 0, 0, 2, 2), SR_MDSCR_EL1);

// Thread pointers.
stored('TPIDR_EL0', sysKey(3, 3, 13, 0, 2), SR_TPIDR_EL0, true);
add('TPIDRRO_EL0', sysKey(3, 3, 13, 0, 3), SysKind.Store, { store: SR_TPIDRRO_EL0, el0Read: true });
stored('TPIDR_EL1', sysKey(3, 0, 13, 0, 4), SR_TPIDR_EL1);

// Generic timer: the counter is the virtual clock.
add('CNTFRQ_EL0', sysKey(3, 3, 14, 0, 0), SysKind.Const, { value: CNTFRQ_VALUE, el0Read: true });
add('CNTPCT_EL0', sysKey(3, 3, 14, 0, 1), SysKind.Counter, { el0Read: true, writable: false });
add('CNTVCT_EL0', sysKey(3, 3, 14, 0, 2), SysKind.Counter, { el0Read: true, writable: false });
stored('CNTKCTL_EL1', sysKey(3, 0, 14, 1, 0), SR_CNTKCTL_EL1);
stored('CNTV_CTL_EL0', sysKey(3, 3, 14, 3, 1), SR_CNTV_CTL_EL0);
stored('CNTV_CVAL_EL0', sysKey(3, 3, 14, 3, 2), SR_CNTV_CVAL_EL0);

// Identification.
add('MIDR_EL1', sysKey(3, 0, 0, 0, 0), SysKind.Const, { value: MIDR_VALUE });
add('MPIDR_EL1', sysKey(3, 0, 0, 0, 5), SysKind.Mpidr, { writable: false });
add('REVIDR_EL1', sysKey(3, 0, 0, 0, 6), SysKind.Const, {});
add('CTR_EL0', sysKey(3, 3, 0, 0, 1), SysKind.Const, { value: CTR_VALUE, el0Read: true });
add('DCZID_EL0', sysKey(3, 3, 0, 0, 7), SysKind.Const, { value: DCZID_VALUE, el0Read: true });

// The ID register space (op0=3, op1=0, CRn=0, CRm=1..7) reads as zero where unassigned.
const ID_VALUES: Record<string, [string, bigint]> = {
  '4.0': ['ID_AA64PFR0_EL1', 0x00ff_0011n], // EL0/EL1 AArch64 only; FP and AdvSIMD not implemented
  '4.1': ['ID_AA64PFR1_EL1', 0n],
  '5.0': ['ID_AA64DFR0_EL1', 0x0000_0006n],
  '6.0': ['ID_AA64ISAR0_EL1', 0x0020_0000n], // Atomic = 2: LSE
  '6.1': ['ID_AA64ISAR1_EL1', 0n],
  '7.0': ['ID_AA64MMFR0_EL1', 0x0f00_0025n], // 48-bit PA, 16-bit ASID, 4 KiB granule only
  '7.1': ['ID_AA64MMFR1_EL1', 0n],
  '7.2': ['ID_AA64MMFR2_EL1', 0n],
};
for (let crm = 1; crm <= 7; crm++) {
  for (let op2 = 0; op2 < 8; op2++) {
    const known = ID_VALUES[`${crm}.${op2}`];
    add(known?.[0] ?? `S3_0_C0_C${crm}_${op2}`, sysKey(3, 0, 0, crm, op2), SysKind.Const, { value: known?.[1] ?? 0n });
  }
}

/** Every register, indexed by the id the decoder stores. */
export const SYSREGS: readonly SysRegDesc[] = descs;

const byKey = new Map<number, number>(descs.map((d, i) => [d.key, i]));
const byName = new Map<string, number>(descs.map((d, i) => [d.name.toLowerCase(), i]));

/** Descriptor id for an encoding key, or -1 if this CPU has no such register. */
export function sysRegId(key: number): number {
  return byKey.get(key) ?? -1;
}

/** Descriptor id by name (case-insensitive), or -1. */
export function sysRegIdByName(name: string): number {
  return byName.get(name.toLowerCase()) ?? -1;
}
