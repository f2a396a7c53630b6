// The AArch64 CPU: an interpreter of the integer A64 instruction set at EL0 and EL1, with the
// architectural exception entry and return the guest kernel relies on. Counterpart of the
// hardware behaviour arch/arm64/kernel/entry.S and traps.c assume (ESR_EL1 syndromes, ELR/SPSR,
// SP_EL0/SP_EL1 banking); no Linux source of its own.
//
// Speed (DESIGN.md "Fast by design"):
// - Registers are Int32 halves in one Int32Array; BigInt appears only at the getReg/setReg edge.
// - Each code page gets a decode table (4 Int32 per instruction: op + 3 fields) filled lazily
//   and shared through a WeakMap keyed by the Page, so a task switch or another CPU reuses it.
//   Memory's code-write listener zeroes the entries of written words in place, so the loop that
//   holds the table sees the change at once: a patched BRK is never missed (../code-cache.ts).
// - The pc is kept as (page base, offset in page); straight-line code and short branches touch
//   only the offset. Page changes go through a small direct-mapped fetch cache.
// - Loads and stores go through direct-mapped read/write caches of the Memory pages, keyed by
//   page number and privilege (../access-cache.ts); Memory.generation (bumped on
//   map/unmap/setPerms/switchUser) empties them. Writes to pages holding decoded code take
//   Memory's path, which notifies.

import type { ArchName, Cpu, CpuContext, CpuException, RunResult } from '../cpu.ts';
import { MemoryFault, type Memory } from '../../machine/memory.ts';
import { ACCESS_CACHE_MASK, ACCESS_CACHE_SIZE, emptyReadSlots, emptyWriteSlots } from '../access-cache.ts';
import { AlignmentFault, faultStop } from '../access-fault.ts';
import { CodePageCache, DecodeTables, FORCE_LOOKUP, NO_CODE_PAGE } from '../code-cache.ts';
import { decodeInto } from './decode.ts';
import {
  SR_COUNT,
  SR_ELR_EL1,
  SR_ESR_EL1,
  SR_FAR_EL1,
  SR_RESET,
  SR_SPSR_EL1,
  SR_VBAR_EL1,
  SYSREGS,
  SysKind,
  sysRegIdByName,
} from './sysregs.ts';
import { SLOT_COUNT } from './ops.ts';

// The shared constants the hot path uses, as module constants: V8 folds these, while every use of
// an imported binding loads it and checks it.
const CACHE_MASK = ACCESS_CACHE_MASK;
const FORCE = FORCE_LOOKUP;
const TWO32 = 4294967296;

/** Register slot indices (×2: each slot is a lo/hi pair). */
const SP2 = 62;
const LR2 = 60;
const DISCARD2 = 66;

const BUDGET: RunResult = Object.freeze({ stop: 'budget' });

/** Decode tables by page, shared by every arm64 CPU on any memory. */
const decodeTables = new DecodeTables();

/**
 * ConditionHolds() for every (cond, NZCV) pair: COND_TABLE[cond << 4 | nzcv] is 1 when the
 * condition holds. One lookup per B.cond/CSEL instead of decoding flags each time.
 */
const COND_TABLE = new Uint8Array(256);
for (let cond = 0; cond < 16; cond++) {
  for (let f = 0; f < 16; f++) {
    const n = (f >> 3) & 1;
    const z = (f >> 2) & 1;
    const c = (f >> 1) & 1;
    const v = f & 1;
    let res: boolean;
    switch (cond >> 1) {
      case 0: res = z === 1; break;
      case 1: res = c === 1; break;
      case 2: res = n === 1; break;
      case 3: res = v === 1; break;
      case 4: res = c === 1 && z === 0; break;
      case 5: res = n === v; break;
      case 6: res = n === v && z === 0; break;
      default: res = true;
    }
    if (cond & 1 && cond !== 15) res = !res;
    COND_TABLE[(cond << 4) | f] = res ? 1 : 0;
  }
}

/** High 32 bits of the unsigned product of two 32-bit values (given as Int32 bit patterns). */
function mulhiU32(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const lh = al * bh;
  const hl = ah * bl;
  const mid = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + Math.floor(lh / 65536) + Math.floor(hl / 65536) + Math.floor(mid / 65536)) | 0;
}

function bswap32(x: number): number {
  return ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}

function rbit32(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  return bswap32(x);
}

function rev16(x: number): number {
  return ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
}

function shift32(v: number, type: number, amount: number): number {
  switch (type) {
    case 0:
      return v << amount;
    case 1:
      return v >>> amount;
    case 2:
      return v >> amount;
    default:
      return amount === 0 ? v : (v >>> amount) | (v << (32 - amount));
  }
}

function u64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** 48-bit address → canonical 64-bit BigInt. */
function canonical(addr48: number): bigint {
  const v = BigInt(addr48) & 0xffff_ffff_ffffn;
  return addr48 >= 0x8000_0000_0000 ? v | 0xffff_0000_0000_0000n : v;
}

const REG_NAMES: readonly string[] = [...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp', 'pc', 'pstate'];

/** Layout of saveContext() words. */
const CTX_X = 0; // x0..x30: 62 words
const CTX_SP_EL0 = 62;
const CTX_SP_EL1 = 64;
const CTX_PC = 66;
const CTX_PSTATE = 68;
const CTX_SYS = 69;
const CTX_MON = CTX_SYS + 2 * SR_COUNT;
const CTX_WORDS = CTX_MON + 8;

export interface Arm64CpuOptions {
  /** Aff0 of MPIDR_EL1. */
  cpuIndex?: number;
}

export class Arm64Cpu implements Cpu {
  readonly arch: ArchName = 'arm64';
  readonly regNames = REG_NAMES;
  readonly cpuIndex: number;

  /** General registers as Int32 halves: slots 0..30 = x0..x30, 31 = current SP, 32 = zero, 33 = discard, 34/35 scratch. */
  readonly r = new Int32Array(SLOT_COUNT * 2);
  /** NZCV packed as in bits 31..28 of the NZCV register, shifted down: N=8, Z=4, C=2, V=1. */
  private nzcv = 0;
  private el = 1;
  private spsel = 1;
  /** DAIF in SPSR position (bits 9..6). */
  private daif = 0x3c0;
  /** 1 at EL0: the privilege every memory access is made with. */
  private user = 0;
  /** Which banked SP lives in slot 31: 0 = SP_EL0, 1 = SP_EL1; the other is in spSave. */
  private spBank = 1;
  private readonly spSave = new Int32Array(4);
  /** Stored system registers as halves (sysregs.ts SR_* indices). */
  private readonly sys = new Int32Array(SR_COUNT * 2);
  private pcv = 0;
  private _retired = 0;

  // Exclusive monitor, QEMU style: a store-exclusive succeeds if the location still holds what
  // the load-exclusive read, which also catches another CPU's store between the two.
  private exValid = 0;
  private exAddr = 0;
  private exSize = 0;
  private exV0lo = 0;
  private exV0hi = 0;
  private exV1lo = 0;
  private exV1hi = 0;

  // Translation caches.
  private memGen = -1;
  private readonly rtag = new Float64Array(ACCESS_CACHE_SIZE).fill(-1);
  private readonly rview = emptyReadSlots();
  private readonly wtag = new Float64Array(ACCESS_CACHE_SIZE).fill(-1);
  private readonly wpage = emptyWriteSlots();
  private readonly code: CodePageCache;

  // Results of multi-word helpers (no allocation on the hot path).
  private vlo = 0;
  private vhi = 0;
  private tl = 0;
  private th = 0;

  constructor(
    readonly memory: Memory,
    options: Arm64CpuOptions = {},
  ) {
    if (!memory.littleEndian) throw new Error('arm64 CPU needs a little-endian memory');
    this.cpuIndex = options.cpuIndex ?? 0;
    this.code = new CodePageCache(memory, decodeTables);
    for (const [idx, v] of Object.entries(SR_RESET)) this.setSys(Number(idx), v!);
    memory.onCodeWrite((address, length) => this.flushCode(address, length));
  }

  get retired(): number {
    return this._retired;
  }

  get pc(): number {
    return this.pcv;
  }
  set pc(value: number) {
    this.pcv = value;
  }

  get userMode(): boolean {
    return this.el === 0;
  }

  /** Current exception level (0 or 1). */
  get currentEl(): number {
    return this.el;
  }

  // --- the interpreter ----------------------------------------------------------------------

  run(budget: number): RunResult {
    if (this.memory.generation !== this.memGen) this.flushTlbs();
    const r = this.r;
    let n = 0;
    let base = this.pcv - FORCE;
    let po = FORCE;
    let ops = NO_CODE_PAGE.ops;
    let cv = NO_CODE_PAGE.view;
    let exc: CpuException | undefined;
    try {
      loop: while (n < budget) {
        if (po >>> 0 >= 4096) {
          // The pc left the page (or was set): look its page up. base + po is the pc.
          const pc = base + po;
          if (pc % 4 !== 0) {
            base = pc;
            po = 0;
            exc = { kind: 'fault', pc, address: pc, access: 'exec', reason: 'alignment' };
            break;
          }
          const e = this.code.lookup(pc, this.user);
          ops = e.ops;
          cv = e.view;
          base = e.base;
          po = pc - base;
        }
        const op = ops[po]!;
        switch (op) {
          case 0: // UNDECODED: decode this word into the page's table, then dispatch it
            decodeInto(cv.getUint32(po, true), ops, po);
            continue;
          case 1: // UNDEF
            exc = { kind: 'undefined', pc: base + po, insn: cv.getUint32(po, true) };
            break loop;
          case 2: // NOP
            po += 4;
            break;
          case 3: // B
            po += ops[po + 2]!;
            break;
          case 4: // BL
            this.setAddr(LR2, base + po + 4);
            po += ops[po + 2]!;
            break;
          case 5: // BCOND
            if (this.cond(ops[po + 3]!)) po += ops[po + 2]!;
            else po += 4;
            break;
          case 6: { // CBZ_X
            const t = ops[po + 1]!;
            if ((r[t]! | r[t + 1]!) === 0) po += ops[po + 2]!;
            else po += 4;
            break;
          }
          case 7: { // CBNZ_X
            const t = ops[po + 1]!;
            if ((r[t]! | r[t + 1]!) !== 0) po += ops[po + 2]!;
            else po += 4;
            break;
          }
          case 8: // CBZ_W
            if (r[ops[po + 1]!] === 0) po += ops[po + 2]!;
            else po += 4;
            break;
          case 9: // CBNZ_W
            if (r[ops[po + 1]!] !== 0) po += ops[po + 2]!;
            else po += 4;
            break;
          case 10: // TBZ
            if ((r[ops[po + 1]!]! & ops[po + 3]!) === 0) po += ops[po + 2]!;
            else po += 4;
            break;
          case 11: // TBNZ
            if ((r[ops[po + 1]!]! & ops[po + 3]!) !== 0) po += ops[po + 2]!;
            else po += 4;
            break;
          case 12: // BR
          case 14: { // RET
            const t = ops[po + 1]!;
            const hi = r[t + 1]!;
            const target = (hi & 0xffff) * TWO32 + (r[t]! >>> 0);
            n++;
            base = target - FORCE;
            po = FORCE;
            if (hi >> 15 !== hi >> 31) {
              exc = { kind: 'fault', pc: target, address: target, access: 'exec', reason: 'unmapped' };
              break loop;
            }
            continue;
          }
          case 13: { // BLR
            const t = ops[po + 1]!;
            const hi = r[t + 1]!;
            const target = (hi & 0xffff) * TWO32 + (r[t]! >>> 0);
            this.setAddr(LR2, base + po + 4);
            n++;
            base = target - FORCE;
            po = FORCE;
            if (hi >> 15 !== hi >> 31) {
              exc = { kind: 'fault', pc: target, address: target, access: 'exec', reason: 'unmapped' };
              break loop;
            }
            continue;
          }
          case 15: // ERET
            if (this.el === 0 || !this.eret()) {
              exc = { kind: 'undefined', pc: base + po, insn: cv.getUint32(po, true) };
              break loop;
            }
            n++;
            base = this.pcv - FORCE;
            po = FORCE;
            continue;
          case 16: // SVC
            n++;
            po += 4;
            exc = { kind: 'syscall', pc: base + po, imm: ops[po - 2]! };
            break loop;
          case 17: // HVC
            if (this.el === 0) {
              exc = { kind: 'undefined', pc: base + po, insn: cv.getUint32(po, true) };
              break loop;
            }
            n++;
            po += 4;
            exc = { kind: 'hypercall', pc: base + po, imm: ops[po - 2]! };
            break loop;
          case 18: // BRK
            exc = { kind: 'breakpoint', pc: base + po, imm: ops[po + 2]!, insn: cv.getUint32(po, true) };
            break loop;
          case 19: // HLT
            exc = { kind: 'halt', pc: base + po };
            break loop;
          case 20: { // MOVI
            const d = ops[po + 1]!;
            r[d] = ops[po + 2]!;
            r[d + 1] = ops[po + 3]!;
            po += 4;
            break;
          }
          case 21: { // MOVK_X
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const sh = ops[po + 2]!;
            const imm = ops[po + 3]!;
            let lo = r[s]!;
            let hi = r[s + 1]!;
            if (sh === 0) lo = (lo & ~0xffff) | imm;
            else if (sh === 16) lo = (lo & 0xffff) | (imm << 16);
            else if (sh === 32) hi = (hi & ~0xffff) | imm;
            else hi = (hi & 0xffff) | (imm << 16);
            r[d] = lo;
            r[d + 1] = hi;
            po += 4;
            break;
          }
          case 22: { // MOVK_W
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const imm = ops[po + 3]!;
            r[d] = ops[po + 2] === 0 ? (r[s]! & ~0xffff) | imm : (r[s]! & 0xffff) | (imm << 16);
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 23: // ADR
            this.setAddr(ops[po + 1]!, base + po + ops[po + 2]!);
            po += 4;
            break;
          case 24: // ADRP
            this.setAddr(ops[po + 1]!, base + ops[po + 2]! * 4096);
            po += 4;
            break;
          case 25: { // ADD_X_IMM
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const a = r[s]!;
            const lo = (a + ops[po + 2]!) | 0;
            r[d + 1] = (r[s + 1]! + ops[po + 3]! + (lo >>> 0 < a >>> 0 ? 1 : 0)) | 0;
            r[d] = lo;
            po += 4;
            break;
          }
          case 26: { // ADD_W_IMM
            const f = ops[po + 1]!;
            const d = f & 255;
            r[d] = (r[(f >> 8) & 255]! + ops[po + 2]!) | 0;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 27: { // ADDS_X_IMM
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            this.addc64(f & 255, r[s]!, r[s + 1]!, ops[po + 2]!, ops[po + 3]!, f >>> 24);
            po += 4;
            break;
          }
          case 28: { // ADDS_W_IMM
            const f = ops[po + 1]!;
            this.addc32(f & 255, r[(f >> 8) & 255]!, ops[po + 2]!, f >>> 24);
            po += 4;
            break;
          }
          case 29: { // AND_X_IMM
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const hi = r[s + 1]! & ops[po + 3]!;
            r[d] = r[s]! & ops[po + 2]!;
            r[d + 1] = hi;
            po += 4;
            break;
          }
          case 30: { // ORR_X_IMM
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const hi = r[s + 1]! | ops[po + 3]!;
            r[d] = r[s]! | ops[po + 2]!;
            r[d + 1] = hi;
            po += 4;
            break;
          }
          case 31: { // EOR_X_IMM
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const hi = r[s + 1]! ^ ops[po + 3]!;
            r[d] = r[s]! ^ ops[po + 2]!;
            r[d + 1] = hi;
            po += 4;
            break;
          }
          case 32: { // ANDS_X_IMM
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const lo = r[s]! & ops[po + 2]!;
            const hi = r[s + 1]! & ops[po + 3]!;
            this.logicFlags64(lo, hi);
            r[d] = lo;
            r[d + 1] = hi;
            po += 4;
            break;
          }
          case 33: { // AND_W_IMM
            const f = ops[po + 1]!;
            const d = f & 255;
            r[d] = r[(f >> 8) & 255]! & ops[po + 2]!;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 34: { // ORR_W_IMM
            const f = ops[po + 1]!;
            const d = f & 255;
            r[d] = r[(f >> 8) & 255]! | ops[po + 2]!;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 35: { // EOR_W_IMM
            const f = ops[po + 1]!;
            const d = f & 255;
            r[d] = r[(f >> 8) & 255]! ^ ops[po + 2]!;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 36: { // ANDS_W_IMM
            const f = ops[po + 1]!;
            const d = f & 255;
            const v = r[(f >> 8) & 255]! & ops[po + 2]!;
            this.logicFlags32(v);
            r[d] = v;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 37: { // LSL_X_IMM (1..63)
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const sh = ops[po + 2]!;
            const lo = r[s]!;
            if (sh < 32) {
              r[d + 1] = (r[s + 1]! << sh) | (lo >>> (32 - sh));
              r[d] = lo << sh;
            } else {
              r[d + 1] = lo << (sh - 32);
              r[d] = 0;
            }
            po += 4;
            break;
          }
          case 38: { // LSR_X_IMM (1..63)
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const sh = ops[po + 2]!;
            const hi = r[s + 1]!;
            if (sh < 32) {
              r[d] = (r[s]! >>> sh) | (hi << (32 - sh));
              r[d + 1] = hi >>> sh;
            } else {
              r[d] = hi >>> (sh - 32);
              r[d + 1] = 0;
            }
            po += 4;
            break;
          }
          case 39: { // ASR_X_IMM (1..63)
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const sh = ops[po + 2]!;
            const hi = r[s + 1]!;
            if (sh < 32) {
              r[d] = (r[s]! >>> sh) | (hi << (32 - sh));
              r[d + 1] = hi >> sh;
            } else {
              r[d] = hi >> (sh - 32);
              r[d + 1] = hi >> 31;
            }
            po += 4;
            break;
          }
          case 40: { // LSL_W_IMM
            const f = ops[po + 1]!;
            const d = f & 255;
            r[d] = r[(f >> 8) & 255]! << ops[po + 2]!;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 41: { // LSR_W_IMM
            const f = ops[po + 1]!;
            const d = f & 255;
            r[d] = r[(f >> 8) & 255]! >>> ops[po + 2]!;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 42: { // ASR_W_IMM
            const f = ops[po + 1]!;
            const d = f & 255;
            r[d] = r[(f >> 8) & 255]! >> ops[po + 2]!;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 43: { // MOV_X
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            r[d] = r[s]!;
            r[d + 1] = r[s + 1]!;
            po += 4;
            break;
          }
          case 44: { // MOV_W
            const f = ops[po + 1]!;
            const d = f & 255;
            r[d] = r[(f >> 8) & 255]!;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 45: { // ADD_X
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const m = (f >> 16) & 255;
            const a = r[s]!;
            const lo = (a + r[m]!) | 0;
            r[d + 1] = (r[s + 1]! + r[m + 1]! + (lo >>> 0 < a >>> 0 ? 1 : 0)) | 0;
            r[d] = lo;
            po += 4;
            break;
          }
          case 46: { // SUB_X
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const m = (f >> 16) & 255;
            const a = r[s]!;
            const b = r[m]!;
            r[d + 1] = (r[s + 1]! - r[m + 1]! - (a >>> 0 < b >>> 0 ? 1 : 0)) | 0;
            r[d] = (a - b) | 0;
            po += 4;
            break;
          }
          case 47: { // ADDS_X
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const m = (f >> 16) & 255;
            this.addc64(f & 255, r[s]!, r[s + 1]!, r[m]!, r[m + 1]!, 0);
            po += 4;
            break;
          }
          case 48: { // SUBS_X
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const m = (f >> 16) & 255;
            this.addc64(f & 255, r[s]!, r[s + 1]!, ~r[m]!, ~r[m + 1]!, 1);
            po += 4;
            break;
          }
          case 49: { // ADD_W
            const f = ops[po + 1]!;
            const d = f & 255;
            r[d] = (r[(f >> 8) & 255]! + r[(f >> 16) & 255]!) | 0;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 50: { // SUB_W
            const f = ops[po + 1]!;
            const d = f & 255;
            r[d] = (r[(f >> 8) & 255]! - r[(f >> 16) & 255]!) | 0;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 51: { // ADDS_W
            const f = ops[po + 1]!;
            this.addc32(f & 255, r[(f >> 8) & 255]!, r[(f >> 16) & 255]!, 0);
            po += 4;
            break;
          }
          case 52: { // SUBS_W
            const f = ops[po + 1]!;
            this.addc32(f & 255, r[(f >> 8) & 255]!, ~r[(f >> 16) & 255]!, 1);
            po += 4;
            break;
          }
          case 53: { // AND_X
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const m = (f >> 16) & 255;
            const hi = r[s + 1]! & r[m + 1]!;
            r[d] = r[s]! & r[m]!;
            r[d + 1] = hi;
            po += 4;
            break;
          }
          case 54: { // ORR_X
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const m = (f >> 16) & 255;
            const hi = r[s + 1]! | r[m + 1]!;
            r[d] = r[s]! | r[m]!;
            r[d + 1] = hi;
            po += 4;
            break;
          }
          case 55: { // EOR_X
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const m = (f >> 16) & 255;
            const hi = r[s + 1]! ^ r[m + 1]!;
            r[d] = r[s]! ^ r[m]!;
            r[d + 1] = hi;
            po += 4;
            break;
          }
          case 56: { // ANDS_X
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const m = (f >> 16) & 255;
            const lo = r[s]! & r[m]!;
            const hi = r[s + 1]! & r[m + 1]!;
            this.logicFlags64(lo, hi);
            r[d] = lo;
            r[d + 1] = hi;
            po += 4;
            break;
          }
          case 57: { // AND_W
            const f = ops[po + 1]!;
            const d = f & 255;
            r[d] = r[(f >> 8) & 255]! & r[(f >> 16) & 255]!;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 58: { // ORR_W
            const f = ops[po + 1]!;
            const d = f & 255;
            r[d] = r[(f >> 8) & 255]! | r[(f >> 16) & 255]!;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 59: { // EOR_W
            const f = ops[po + 1]!;
            const d = f & 255;
            r[d] = r[(f >> 8) & 255]! ^ r[(f >> 16) & 255]!;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 60: { // ANDS_W
            const f = ops[po + 1]!;
            const d = f & 255;
            const v = r[(f >> 8) & 255]! & r[(f >> 16) & 255]!;
            this.logicFlags32(v);
            r[d] = v;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 61: { // CSEL_X
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = this.cond(ops[po + 2]!) ? (f >> 8) & 255 : (f >> 16) & 255;
            r[d] = r[s]!;
            r[d + 1] = r[s + 1]!;
            po += 4;
            break;
          }
          case 62: { // CSEL_W
            const f = ops[po + 1]!;
            const d = f & 255;
            r[d] = r[this.cond(ops[po + 2]!) ? (f >> 8) & 255 : (f >> 16) & 255]!;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 63: { // CSINC_X
            const f = ops[po + 1]!;
            const d = f & 255;
            if (this.cond(ops[po + 2]!)) {
              const s = (f >> 8) & 255;
              r[d] = r[s]!;
              r[d + 1] = r[s + 1]!;
            } else {
              const m = (f >> 16) & 255;
              const lo = (r[m]! + 1) | 0;
              r[d + 1] = (r[m + 1]! + (lo === 0 ? 1 : 0)) | 0;
              r[d] = lo;
            }
            po += 4;
            break;
          }
          case 64: { // CSINC_W
            const f = ops[po + 1]!;
            const d = f & 255;
            r[d] = this.cond(ops[po + 2]!) ? r[(f >> 8) & 255]! : (r[(f >> 16) & 255]! + 1) | 0;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 65: { // MADD_X
            const f = ops[po + 1]!;
            this.madd64(f & 255, (f >> 8) & 255, (f >> 16) & 255, f >>> 24, false);
            po += 4;
            break;
          }
          case 66: { // MADD_W
            const f = ops[po + 1]!;
            const d = f & 255;
            r[d] = (Math.imul(r[(f >> 8) & 255]!, r[(f >> 16) & 255]!) + r[f >>> 24]!) | 0;
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 67: { // LDP_X
            const f = ops[po + 1]!;
            const s = (f >> 16) & 255;
            const off = ops[po + 2]!;
            const mode = ops[po + 3]!;
            const blo = r[s]!;
            const bhi = r[s + 1]!;
            const wlo = (blo + off) | 0;
            const whi = (bhi + (off >> 31) + (wlo >>> 0 < blo >>> 0 ? 1 : 0)) | 0;
            const lo = mode === 1 ? blo : wlo;
            const hi = mode === 1 ? bhi : whi;
            const u = this.user;
            this.ld64(hi, lo, u);
            const a0 = this.vlo;
            const a1 = this.vhi;
            const lo2 = (lo + 8) | 0;
            this.ld64(lo2 >>> 0 < 8 ? (hi + 1) | 0 : hi, lo2, u);
            if (mode !== 2) {
              r[s] = wlo;
              r[s + 1] = whi;
            }
            const t = f & 255;
            const t2 = (f >> 8) & 255;
            r[t] = a0;
            r[t + 1] = a1;
            r[t2] = this.vlo;
            r[t2 + 1] = this.vhi;
            po += 4;
            break;
          }
          case 68: { // STP_X
            const f = ops[po + 1]!;
            const s = (f >> 16) & 255;
            const off = ops[po + 2]!;
            const mode = ops[po + 3]!;
            const blo = r[s]!;
            const bhi = r[s + 1]!;
            const wlo = (blo + off) | 0;
            const whi = (bhi + (off >> 31) + (wlo >>> 0 < blo >>> 0 ? 1 : 0)) | 0;
            const lo = mode === 1 ? blo : wlo;
            const hi = mode === 1 ? bhi : whi;
            const t = f & 255;
            const t2 = (f >> 8) & 255;
            const u = this.user;
            const v2lo = r[t2]!;
            const v2hi = r[t2 + 1]!;
            this.st64(hi, lo, r[t]!, r[t + 1]!, u);
            const lo2 = (lo + 8) | 0;
            this.st64(lo2 >>> 0 < 8 ? (hi + 1) | 0 : hi, lo2, v2lo, v2hi, u);
            if (mode !== 2) {
              r[s] = wlo;
              r[s + 1] = whi;
            }
            po += 4;
            break;
          }
          case 69: { // LDP_W
            const f = ops[po + 1]!;
            const s = (f >> 16) & 255;
            const off = ops[po + 2]!;
            const mode = ops[po + 3]!;
            const blo = r[s]!;
            const bhi = r[s + 1]!;
            const wlo = (blo + off) | 0;
            const whi = (bhi + (off >> 31) + (wlo >>> 0 < blo >>> 0 ? 1 : 0)) | 0;
            const lo = mode === 1 ? blo : wlo;
            const hi = mode === 1 ? bhi : whi;
            const u = this.user;
            const v0 = this.ld32(hi, lo, u);
            const lo2 = (lo + 4) | 0;
            const v1 = this.ld32(lo2 >>> 0 < 4 ? (hi + 1) | 0 : hi, lo2, u);
            if (mode !== 2) {
              r[s] = wlo;
              r[s + 1] = whi;
            }
            const t = f & 255;
            const t2 = (f >> 8) & 255;
            r[t] = v0;
            r[t + 1] = 0;
            r[t2] = v1;
            r[t2 + 1] = 0;
            po += 4;
            break;
          }
          case 70: { // STP_W
            const f = ops[po + 1]!;
            const s = (f >> 16) & 255;
            const off = ops[po + 2]!;
            const mode = ops[po + 3]!;
            const blo = r[s]!;
            const bhi = r[s + 1]!;
            const wlo = (blo + off) | 0;
            const whi = (bhi + (off >> 31) + (wlo >>> 0 < blo >>> 0 ? 1 : 0)) | 0;
            const lo = mode === 1 ? blo : wlo;
            const hi = mode === 1 ? bhi : whi;
            const u = this.user;
            const v2 = r[(f >> 8) & 255]!;
            this.st32(hi, lo, r[f & 255]!, u);
            const lo2 = (lo + 4) | 0;
            this.st32(lo2 >>> 0 < 4 ? (hi + 1) | 0 : hi, lo2, v2, u);
            if (mode !== 2) {
              r[s] = wlo;
              r[s + 1] = whi;
            }
            po += 4;
            break;
          }
          case 71: { // LDST_IDX: mode 1 post-index, 3 pre-index, 2 unprivileged
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const off = ops[po + 2]!;
            const b = ops[po + 3]!;
            const mode = b >> 4;
            const blo = r[s]!;
            const bhi = r[s + 1]!;
            const wlo = (blo + off) | 0;
            const whi = (bhi + (off >> 31) + (wlo >>> 0 < blo >>> 0 ? 1 : 0)) | 0;
            if (mode === 1) this.ldst(b & 15, f & 255, bhi, blo, this.user);
            else this.ldst(b & 15, f & 255, whi, wlo, mode === 2 ? 1 : this.user);
            if (mode !== 2) {
              r[s] = wlo;
              r[s + 1] = whi;
            }
            po += 4;
            break;
          }
          case 72: { // LDST_REG
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const m = (f >> 16) & 255;
            const b = ops[po + 3]!;
            const option = (b >> 4) & 7;
            const sh = b >> 8;
            let olo = r[m]!;
            let ohi = option === 2 ? 0 : option === 6 ? olo >> 31 : r[m + 1]!;
            if (sh !== 0) {
              ohi = (ohi << sh) | (olo >>> (32 - sh));
              olo <<= sh;
            }
            const blo = r[s]!;
            const lo = (blo + olo) | 0;
            const hi = (r[s + 1]! + ohi + (lo >>> 0 < blo >>> 0 ? 1 : 0)) | 0;
            this.ldst(b & 15, f & 255, hi, lo, this.user);
            po += 4;
            break;
          }
          case 73: { // LDR_LIT
            const a = base + po + ops[po + 2]!;
            this.ldst(ops[po + 3]!, ops[po + 1]!, ((Math.floor(a / TWO32) << 16) >> 16) | 0, a | 0, this.user);
            po += 4;
            break;
          }
          case 74: { // STRB
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const off = ops[po + 2]!;
            const blo = r[s]!;
            const lo = (blo + off) | 0;
            this.st8((r[s + 1]! + (off >> 31) + (lo >>> 0 < blo >>> 0 ? 1 : 0)) | 0, lo, r[f & 255]!, this.user);
            po += 4;
            break;
          }
          case 75: { // LDRB
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const off = ops[po + 2]!;
            const blo = r[s]!;
            const lo = (blo + off) | 0;
            const v = this.ld8((r[s + 1]! + (off >> 31) + (lo >>> 0 < blo >>> 0 ? 1 : 0)) | 0, lo, this.user);
            const t = f & 255;
            r[t] = v;
            r[t + 1] = 0;
            po += 4;
            break;
          }
          case 76: { // LDRSB_X
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const off = ops[po + 2]!;
            const blo = r[s]!;
            const lo = (blo + off) | 0;
            const v = (this.ld8((r[s + 1]! + (off >> 31) + (lo >>> 0 < blo >>> 0 ? 1 : 0)) | 0, lo, this.user) << 24) >> 24;
            const t = f & 255;
            r[t] = v;
            r[t + 1] = v >> 31;
            po += 4;
            break;
          }
          case 77: { // LDRSB_W
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const off = ops[po + 2]!;
            const blo = r[s]!;
            const lo = (blo + off) | 0;
            const v = (this.ld8((r[s + 1]! + (off >> 31) + (lo >>> 0 < blo >>> 0 ? 1 : 0)) | 0, lo, this.user) << 24) >> 24;
            const t = f & 255;
            r[t] = v;
            r[t + 1] = 0;
            po += 4;
            break;
          }
          case 78: { // STRH
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const off = ops[po + 2]!;
            const blo = r[s]!;
            const lo = (blo + off) | 0;
            this.st16((r[s + 1]! + (off >> 31) + (lo >>> 0 < blo >>> 0 ? 1 : 0)) | 0, lo, r[f & 255]!, this.user);
            po += 4;
            break;
          }
          case 79: { // LDRH
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const off = ops[po + 2]!;
            const blo = r[s]!;
            const lo = (blo + off) | 0;
            const v = this.ld16((r[s + 1]! + (off >> 31) + (lo >>> 0 < blo >>> 0 ? 1 : 0)) | 0, lo, this.user);
            const t = f & 255;
            r[t] = v;
            r[t + 1] = 0;
            po += 4;
            break;
          }
          case 80: { // LDRSH_X
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const off = ops[po + 2]!;
            const blo = r[s]!;
            const lo = (blo + off) | 0;
            const v = (this.ld16((r[s + 1]! + (off >> 31) + (lo >>> 0 < blo >>> 0 ? 1 : 0)) | 0, lo, this.user) << 16) >> 16;
            const t = f & 255;
            r[t] = v;
            r[t + 1] = v >> 31;
            po += 4;
            break;
          }
          case 81: { // LDRSH_W
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const off = ops[po + 2]!;
            const blo = r[s]!;
            const lo = (blo + off) | 0;
            const v = (this.ld16((r[s + 1]! + (off >> 31) + (lo >>> 0 < blo >>> 0 ? 1 : 0)) | 0, lo, this.user) << 16) >> 16;
            const t = f & 255;
            r[t] = v;
            r[t + 1] = 0;
            po += 4;
            break;
          }
          case 82: { // STR_W
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const off = ops[po + 2]!;
            const blo = r[s]!;
            const lo = (blo + off) | 0;
            this.st32((r[s + 1]! + (off >> 31) + (lo >>> 0 < blo >>> 0 ? 1 : 0)) | 0, lo, r[f & 255]!, this.user);
            po += 4;
            break;
          }
          case 83: { // LDR_W
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const off = ops[po + 2]!;
            const blo = r[s]!;
            const lo = (blo + off) | 0;
            const v = this.ld32((r[s + 1]! + (off >> 31) + (lo >>> 0 < blo >>> 0 ? 1 : 0)) | 0, lo, this.user);
            const t = f & 255;
            r[t] = v;
            r[t + 1] = 0;
            po += 4;
            break;
          }
          case 84: { // LDRSW
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const off = ops[po + 2]!;
            const blo = r[s]!;
            const lo = (blo + off) | 0;
            const v = this.ld32((r[s + 1]! + (off >> 31) + (lo >>> 0 < blo >>> 0 ? 1 : 0)) | 0, lo, this.user);
            const t = f & 255;
            r[t] = v;
            r[t + 1] = v >> 31;
            po += 4;
            break;
          }
          case 85: { // STR_X
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const off = ops[po + 2]!;
            const blo = r[s]!;
            const lo = (blo + off) | 0;
            const t = f & 255;
            this.st64((r[s + 1]! + (off >> 31) + (lo >>> 0 < blo >>> 0 ? 1 : 0)) | 0, lo, r[t]!, r[t + 1]!, this.user);
            po += 4;
            break;
          }
          case 86: { // LDR_X
            const f = ops[po + 1]!;
            const s = (f >> 8) & 255;
            const off = ops[po + 2]!;
            const blo = r[s]!;
            const lo = (blo + off) | 0;
            this.ld64((r[s + 1]! + (off >> 31) + (lo >>> 0 < blo >>> 0 ? 1 : 0)) | 0, lo, this.user);
            const t = f & 255;
            r[t] = this.vlo;
            r[t + 1] = this.vhi;
            po += 4;
            break;
          }
          case 87: // LOGIC_SH_W
          case 88: { // LOGIC_SH_X
            const f = ops[po + 1]!;
            const d = f & 255;
            const m = (f >> 16) & 255;
            const a = ops[po + 2]!;
            const b = ops[po + 3]!;
            let lo: number;
            let hi: number;
            if (op === 88) {
              this.shiftReg64(r[m]!, r[m + 1]!, b & 3, b >> 8);
              lo = this.tl;
              hi = this.th;
            } else {
              lo = shift32(r[m]!, b & 3, b >> 8);
              hi = 0;
            }
            if (a & 1) {
              lo = ~lo;
              hi = ~hi;
            }
            const s = (f >> 8) & 255;
            switch (a >> 1) {
              case 0:
                lo &= r[s]!;
                hi &= r[s + 1]!;
                break;
              case 1:
                lo |= r[s]!;
                hi |= r[s + 1]!;
                break;
              case 2:
                lo ^= r[s]!;
                hi ^= r[s + 1]!;
                break;
              default:
                lo &= r[s]!;
                hi &= r[s + 1]!;
                if (op === 88) this.logicFlags64(lo, hi);
                else this.logicFlags32(lo);
            }
            r[d] = lo;
            r[d + 1] = op === 88 ? hi : 0;
            po += 4;
            break;
          }
          case 89: { // ADDSUB_SH_W
            const f = ops[po + 1]!;
            const b = ops[po + 3]!;
            this.addsub(ops[po + 2]!, f & 255, (f >> 8) & 255, shift32(r[(f >> 16) & 255]!, b & 3, b >> 8), 0);
            po += 4;
            break;
          }
          case 90: { // ADDSUB_SH_X
            const f = ops[po + 1]!;
            const m = (f >> 16) & 255;
            const b = ops[po + 3]!;
            this.shiftReg64(r[m]!, r[m + 1]!, b & 3, b >> 8);
            this.addsub(ops[po + 2]!, f & 255, (f >> 8) & 255, this.tl, this.th);
            po += 4;
            break;
          }
          case 91: { // EXTR_W
            const f = ops[po + 1]!;
            const d = f & 255;
            const a = ops[po + 2]!;
            r[d] = (r[(f >> 16) & 255]! >>> a) | (r[(f >> 8) & 255]! << (32 - a));
            r[d + 1] = 0;
            po += 4;
            break;
          }
          case 92: { // EXTR_X: (Xn:Xm) >> lsb, lsb 1..63
            const f = ops[po + 1]!;
            const d = f & 255;
            const s = (f >> 8) & 255;
            const m = (f >> 16) & 255;
            const a = ops[po + 2]!;
            const nlo = r[s]!;
            const nhi = r[s + 1]!;
            const mlo = r[m]!;
            const mhi = r[m + 1]!;
            if (a < 32) {
              r[d] = (mlo >>> a) | (mhi << (32 - a));
              r[d + 1] = (mhi >>> a) | (nlo << (32 - a));
            } else if (a === 32) {
              r[d] = mhi;
              r[d + 1] = nlo;
            } else {
              const t = a - 32;
              r[d] = (mhi >>> t) | (nlo << (32 - t));
              r[d + 1] = (nlo >>> t) | (nhi << (32 - t));
            }
            po += 4;
            break;
          }
          default:
            if (this.exec2(op, ops, po, n) !== 0) {
              exc = { kind: 'undefined', pc: base + po, insn: cv.getUint32(po, true) };
              break loop;
            }
            po += 4;
        }
        n++;
      }
    } catch (err) {
      this.pcv = base + po;
      this._retired += n;
      exc = faultStop(err, base + po);
      return { stop: 'exception', exception: exc };
    }
    this.pcv = base + po;
    this._retired += n;
    return exc ? { stop: 'exception', exception: exc } : BUDGET;
  }

  /** Ops outside the main loop. Returns 0, or 1 when the instruction is UNDEFINED here (e.g. at EL0). */
  private exec2(op: number, ops: Int32Array, k: number, n: number): number {
    const r = this.r;
    const f = ops[k + 1]!;
    const a = ops[k + 2]!;
    const b = ops[k + 3]!;
    const d = f & 255;
    const s = (f >> 8) & 255;
    const m = (f >> 16) & 255;
    switch (op) {
      case 100: // UBF_X
      case 102: // SBF_X
      case 104: { // BF_X
        const lsb = a & 255;
        const width = (a >> 8) & 255;
        const pos = a >> 16;
        this.shr64(r[s]!, r[s + 1]!, lsb);
        let flo = this.tl;
        let fhi = this.th;
        const mlo = width >= 32 ? -1 : (1 << width) - 1;
        const mhi = width >= 64 ? -1 : width > 32 ? (1 << (width - 32)) - 1 : 0;
        flo &= mlo;
        fhi &= mhi;
        if (op === 102 && width < 64) {
          this.shl64(flo, fhi, 64 - width);
          this.sar64(this.tl, this.th, 64 - width);
          flo = this.tl;
          fhi = this.th;
        }
        this.shl64(flo, fhi, pos);
        if (op === 104) {
          const vlo = this.tl;
          const vhi = this.th;
          this.shl64(mlo, mhi, pos);
          const dlo = r[m]!;
          const dhi = r[m + 1]!;
          r[d] = (dlo & ~this.tl) | (vlo & this.tl);
          r[d + 1] = (dhi & ~this.th) | (vhi & this.th);
        } else {
          r[d] = this.tl;
          r[d + 1] = this.th;
        }
        return 0;
      }
      case 101: // UBF_W
      case 103: // SBF_W
      case 105: { // BF_W
        const lsb = a & 255;
        const width = (a >> 8) & 255;
        const pos = a >> 16;
        const mask = width >= 32 ? -1 : (1 << width) - 1;
        let v = (r[s]! >>> lsb) & mask;
        if (op === 103) v = (v << (32 - width)) >> (32 - width);
        v <<= pos;
        if (op === 105) {
          const dm = mask << pos;
          v = (r[m]! & ~dm) | (v & dm);
        }
        r[d] = v;
        r[d + 1] = 0;
        return 0;
      }
      case 106: { // ADDSUB_EXT
        this.extend(r[m]!, r[m + 1]!, b & 7);
        this.shl64(this.tl, this.th, b >> 8);
        this.addsub(a, d, s, this.tl, this.th);
        return 0;
      }
      case 107: { // ADC: a = sf<<2 | op<<1 | S
        let blo = r[m]!;
        let bhi = r[m + 1]!;
        if (a & 2) {
          blo = ~blo;
          bhi = ~bhi;
        }
        const cin = (this.nzcv >> 1) & 1;
        if (a & 4) {
          if (a & 1) this.addc64(d, r[s]!, r[s + 1]!, blo, bhi, cin);
          else {
            const l = (r[s]! >>> 0) + (blo >>> 0) + cin;
            r[d + 1] = (r[s + 1]! + bhi + (l > 0xffffffff ? 1 : 0)) | 0;
            r[d] = l | 0;
          }
        } else if (a & 1) this.addc32(d, r[s]!, blo, cin);
        else {
          r[d] = (r[s]! + blo + cin) | 0;
          r[d + 1] = 0;
        }
        return 0;
      }
      case 108: { // CCMP/CCMN: a = sf | op<<1 | imm<<2 | cond<<4 | nzcv<<8; regs n | m<<8
        if (this.cond((a >> 4) & 15)) {
          const nn = f & 255;
          let blo: number;
          let bhi: number;
          if (a & 4) {
            blo = b;
            bhi = 0;
          } else {
            const mm = (f >> 8) & 255;
            blo = r[mm]!;
            bhi = r[mm + 1]!;
          }
          const sub = (a >> 1) & 1;
          if (sub) {
            blo = ~blo;
            bhi = ~bhi;
          }
          if (a & 1) this.addc64(DISCARD2, r[nn]!, r[nn + 1]!, blo, bhi, sub);
          else this.addc32(DISCARD2, r[nn]!, blo, sub);
        } else this.setNzcv((a >> 8) & 15);
        return 0;
      }
      case 109: { // CSEL_G (CSINV/CSNEG): a = cond | o2<<5 | sf<<6
        const sf = a & 64;
        if (this.cond(a & 15)) {
          r[d] = r[s]!;
          r[d + 1] = sf ? r[s + 1]! : 0;
        } else if (a & 32) {
          const lo = r[m]!;
          r[d + 1] = sf ? (~r[m + 1]! + (lo === 0 ? 1 : 0)) | 0 : 0;
          r[d] = -lo | 0;
        } else {
          r[d + 1] = sf ? ~r[m + 1]! : 0;
          r[d] = ~r[m]!;
        }
        return 0;
      }
      case 110: // DP1
        this.dp1(a, d, s);
        return 0;
      case 111: // DP2
        this.dp2(a, d, s, m);
        return 0;
      case 112: // DP3
        this.dp3(a, d, s, m, f >>> 24);
        return 0;
      case 113: { // LDPSW
        const ss = (f >> 16) & 255;
        const blo = r[ss]!;
        const bhi = r[ss + 1]!;
        const wlo = (blo + a) | 0;
        const whi = (bhi + (a >> 31) + (wlo >>> 0 < blo >>> 0 ? 1 : 0)) | 0;
        const lo = b === 1 ? blo : wlo;
        const hi = b === 1 ? bhi : whi;
        const v0 = this.ld32(hi, lo, this.user);
        const lo2 = (lo + 4) | 0;
        const v1 = this.ld32(lo2 >>> 0 < 4 ? (hi + 1) | 0 : hi, lo2, this.user);
        if (b !== 2) {
          r[ss] = wlo;
          r[ss + 1] = whi;
        }
        r[d] = v0;
        r[d + 1] = v0 >> 31;
        r[s] = v1;
        r[s + 1] = v1 >> 31;
        return 0;
      }
      case 114: // LDEX
        this.loadExclusive(a, d, s, m);
        return 0;
      case 115: // STEX
        this.storeExclusive(a, d, s, m, f >>> 24);
        return 0;
      case 116: { // LDAR
        const hi = r[s + 1]!;
        const lo = r[s]!;
        this.checkAlign(hi, lo, a, 'read');
        this.loadSized(a, hi, lo);
        r[d] = this.vlo;
        r[d + 1] = this.vhi;
        return 0;
      }
      case 117: { // STLR
        const hi = r[s + 1]!;
        const lo = r[s]!;
        this.checkAlign(hi, lo, a, 'write');
        this.storeSized(a, hi, lo, r[d]!, r[d + 1]!);
        return 0;
      }
      case 118: // CAS
        this.cas(a, d, s, m, f >>> 24);
        return 0;
      case 119: // CASP
        this.casp(a, d, s, m);
        return 0;
      case 120: // ATOMIC
        this.atomicOp(a, d, s, m);
        return 0;
      case 121: // MRS
        return this.mrs(d, a, n) ? 0 : 1;
      case 122: // MSR
        return this.msr(a, r[d]!, r[d + 1]!) ? 0 : 1;
      case 123: // MSR_IMM
        if (this.el === 0) return 1;
        if (a === 0) this.daif |= (b << 6) & 0x3c0;
        else if (a === 1) this.daif &= ~(b << 6) & 0x3c0;
        else {
          this.spsel = b & 1;
          this.switchSp();
        }
        return 0;
      case 124: // SYS
        // Cache and TLB maintenance has nothing to do here; EL0 may only use the op1=3 ones.
        return this.el === 0 && a !== 3 ? 1 : 0;
      case 125: // CLREX
        this.exValid = 0;
        return 0;
      default:
        return 1;
    }
  }

  // --- arithmetic helpers --------------------------------------------------------------------

  /** ConditionHolds(). */
  private cond(c: number): boolean {
    return COND_TABLE[(c << 4) | this.nzcv] === 1;
  }

  /** AddWithCarry() on 64 bits, setting NZCV; the result goes to slot index d. */
  private addc64(d: number, alo: number, ahi: number, blo: number, bhi: number, cin: number): void {
    const l = (alo >>> 0) + (blo >>> 0) + cin;
    const h = (ahi >>> 0) + (bhi >>> 0) + (l > 0xffffffff ? 1 : 0);
    const lo = l | 0;
    const hi = h | 0;
    this.nzcv =
      ((hi >>> 28) & 8) | ((lo | hi) === 0 ? 4 : 0) | (h > 0xffffffff ? 2 : 0) | ((~(ahi ^ bhi) & (ahi ^ hi)) >>> 31);
    this.r[d] = lo;
    this.r[d + 1] = hi;
  }

  /** AddWithCarry() on 32 bits, setting NZCV; the upper half of the destination is cleared. */
  private addc32(d: number, a: number, b: number, cin: number): void {
    const u = (a >>> 0) + (b >>> 0) + cin;
    const res = u | 0;
    this.nzcv = ((res >>> 28) & 8) | (res === 0 ? 4 : 0) | (u > 0xffffffff ? 2 : 0) | ((~(a ^ b) & (a ^ res)) >>> 31);
    this.r[d] = res;
    this.r[d + 1] = 0;
  }

  private logicFlags64(lo: number, hi: number): void {
    this.nzcv = ((hi >>> 28) & 8) | ((lo | hi) === 0 ? 4 : 0);
  }

  private logicFlags32(v: number): void {
    this.nzcv = ((v >>> 28) & 8) | (v === 0 ? 4 : 0);
  }

  private setNzcv(nzcv: number): void {
    this.nzcv = nzcv & 15;
  }

  /** ADD/SUB/ADDS/SUBS with an already computed second operand; kind = sf<<2 | sub<<1 | S. */
  private addsub(kind: number, d: number, s: number, blo: number, bhi: number): void {
    const r = this.r;
    let cin = 0;
    if (kind & 2) {
      blo = ~blo;
      bhi = ~bhi;
      cin = 1;
    }
    if (kind & 4) {
      if (kind & 1) this.addc64(d, r[s]!, r[s + 1]!, blo, bhi, cin);
      else {
        const l = (r[s]! >>> 0) + (blo >>> 0) + cin;
        r[d + 1] = (r[s + 1]! + bhi + (l > 0xffffffff ? 1 : 0)) | 0;
        r[d] = l | 0;
      }
    } else if (kind & 1) this.addc32(d, r[s]!, blo, cin);
    else {
      r[d] = (r[s]! + blo + cin) | 0;
      r[d + 1] = 0;
    }
  }

  // 64-bit shifts on halves; results in tl/th. Amounts 0..63.
  private shl64(lo: number, hi: number, s: number): void {
    if (s === 0) {
      this.tl = lo;
      this.th = hi;
    } else if (s < 32) {
      this.th = (hi << s) | (lo >>> (32 - s));
      this.tl = lo << s;
    } else {
      this.th = lo << (s - 32);
      this.tl = 0;
    }
  }

  private shr64(lo: number, hi: number, s: number): void {
    if (s === 0) {
      this.tl = lo;
      this.th = hi;
    } else if (s < 32) {
      this.tl = (lo >>> s) | (hi << (32 - s));
      this.th = hi >>> s;
    } else {
      this.tl = hi >>> (s - 32);
      this.th = 0;
    }
  }

  private sar64(lo: number, hi: number, s: number): void {
    if (s === 0) {
      this.tl = lo;
      this.th = hi;
    } else if (s < 32) {
      this.tl = (lo >>> s) | (hi << (32 - s));
      this.th = hi >> s;
    } else {
      this.tl = hi >> (s - 32);
      this.th = hi >> 31;
    }
  }

  private ror64(lo: number, hi: number, s: number): void {
    if (s >= 32) {
      const t = lo;
      lo = hi;
      hi = t;
      s -= 32;
    }
    if (s === 0) {
      this.tl = lo;
      this.th = hi;
    } else {
      this.tl = (lo >>> s) | (hi << (32 - s));
      this.th = (hi >>> s) | (lo << (32 - s));
    }
  }

  private shiftReg64(lo: number, hi: number, type: number, amount: number): void {
    if (type === 0) this.shl64(lo, hi, amount);
    else if (type === 1) this.shr64(lo, hi, amount);
    else if (type === 2) this.sar64(lo, hi, amount);
    else this.ror64(lo, hi, amount);
  }

  /** ExtendReg(): UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW, SXTX. */
  private extend(lo: number, hi: number, option: number): void {
    switch (option) {
      case 0:
        this.tl = lo & 0xff;
        this.th = 0;
        break;
      case 1:
        this.tl = lo & 0xffff;
        this.th = 0;
        break;
      case 2:
        this.tl = lo;
        this.th = 0;
        break;
      case 4:
        this.tl = (lo << 24) >> 24;
        this.th = this.tl >> 31;
        break;
      case 5:
        this.tl = (lo << 16) >> 16;
        this.th = this.tl >> 31;
        break;
      case 6:
        this.tl = lo;
        this.th = lo >> 31;
        break;
      default:
        this.tl = lo;
        this.th = hi;
    }
  }

  /** Low 64 bits of a 64×64 product into tl/th. */
  private mul64(alo: number, ahi: number, blo: number, bhi: number): void {
    this.tl = Math.imul(alo, blo);
    this.th = (mulhiU32(alo, blo) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
  }

  /** High 64 bits of the unsigned 128-bit product into tl/th. */
  private umulh(alo: number, ahi: number, blo: number, bhi: number): void {
    const p00h = mulhiU32(alo, blo) >>> 0;
    const p01l = Math.imul(alo, bhi) >>> 0;
    const p01h = mulhiU32(alo, bhi) >>> 0;
    const p10l = Math.imul(ahi, blo) >>> 0;
    const p10h = mulhiU32(ahi, blo) >>> 0;
    const p11l = Math.imul(ahi, bhi) >>> 0;
    const p11h = mulhiU32(ahi, bhi);
    const c1 = Math.floor((p00h + p01l + p10l) / TWO32);
    const col2 = p01h + p10h + p11l + c1;
    this.tl = col2 | 0;
    this.th = (p11h + Math.floor(col2 / TWO32)) | 0;
  }

  /** MADD/MSUB (64-bit): d = a ± n*m. */
  private madd64(d: number, s: number, m: number, a: number, sub: boolean): void {
    const r = this.r;
    this.mul64(r[s]!, r[s + 1]!, r[m]!, r[m + 1]!);
    this.add64to(d, a, this.tl, this.th, sub);
  }

  /** d = slot a + (lo,hi), or slot a - (lo,hi). */
  private add64to(d: number, a: number, lo: number, hi: number, sub: boolean): void {
    const r = this.r;
    const alo = r[a]!;
    const ahi = r[a + 1]!;
    if (sub) {
      r[d + 1] = (ahi - hi - (alo >>> 0 < lo >>> 0 ? 1 : 0)) | 0;
      r[d] = (alo - lo) | 0;
    } else {
      const l = (alo + lo) | 0;
      r[d + 1] = (ahi + hi + (l >>> 0 < alo >>> 0 ? 1 : 0)) | 0;
      r[d] = l;
    }
  }

  private dp1(a: number, d: number, s: number): void {
    const r = this.r;
    const lo = r[s]!;
    const hi = r[s + 1]!;
    const sf = a & 256;
    switch (a & 255) {
      case 0: // RBIT
        if (sf) {
          r[d] = rbit32(hi);
          r[d + 1] = rbit32(lo);
        } else {
          r[d] = rbit32(lo);
          r[d + 1] = 0;
        }
        return;
      case 1: // REV16
        r[d] = rev16(lo);
        r[d + 1] = sf ? rev16(hi) : 0;
        return;
      case 2: // REV32 (X) / REV (W)
        r[d] = bswap32(lo);
        r[d + 1] = sf ? bswap32(hi) : 0;
        return;
      case 3: // REV (X)
        r[d] = bswap32(hi);
        r[d + 1] = bswap32(lo);
        return;
      case 4: // CLZ
        r[d] = sf ? (hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo)) : Math.clz32(lo);
        r[d + 1] = 0;
        return;
      default: {
        // CLS: leading bits equal to the sign bit, not counting it: CLZ(x ^ (x >> 1)) - 1.
        if (sf) {
          const xh = hi ^ (hi >> 1);
          const xl = lo ^ ((lo >>> 1) | (hi << 31));
          r[d] = (xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl)) - 1;
        } else r[d] = Math.clz32(lo ^ (lo >> 1)) - 1;
        r[d + 1] = 0;
      }
    }
  }

  private dp2(a: number, d: number, s: number, m: number): void {
    const r = this.r;
    const sf = a & 256;
    const opcode = a & 255;
    if (opcode >= 8) {
      // LSLV/LSRV/ASRV/RORV: the amount is Rm modulo the register size.
      if (sf) {
        this.shiftReg64(r[s]!, r[s + 1]!, opcode - 8, r[m]! & 63);
        r[d] = this.tl;
        r[d + 1] = this.th;
      } else {
        r[d] = shift32(r[s]!, opcode - 8, r[m]! & 31);
        r[d + 1] = 0;
      }
      return;
    }
    const signed = opcode === 3;
    if (!sf) {
      // Doubles divide 32-bit operands exactly; division by zero gives zero.
      const bw = r[m]!;
      let q = 0;
      if (bw !== 0) q = signed ? Math.trunc(r[s]! / bw) : Math.floor((r[s]! >>> 0) / (bw >>> 0));
      r[d] = q | 0;
      r[d + 1] = 0;
      return;
    }
    const alo = r[s]!;
    const ahi = r[s + 1]!;
    const blo = r[m]!;
    const bhi = r[m + 1]!;
    if ((blo | bhi) === 0) {
      r[d] = 0;
      r[d + 1] = 0;
      return;
    }
    if (!signed && ahi === 0 && bhi === 0) {
      r[d] = Math.floor((alo >>> 0) / (blo >>> 0)) | 0;
      r[d + 1] = 0;
      return;
    }
    if (signed && ahi === alo >> 31 && bhi === blo >> 31) {
      const q = Math.trunc(alo / blo); // only INT32_MIN / -1 leaves the int32 range
      r[d] = q | 0;
      r[d + 1] = q < 0 ? -1 : 0;
      return;
    }
    let q: bigint;
    if (signed) q = BigInt.asUintN(64, BigInt.asIntN(64, u64(alo, ahi)) / BigInt.asIntN(64, u64(blo, bhi)));
    else q = u64(alo, ahi) / u64(blo, bhi);
    r[d] = Number(q & 0xffffffffn) | 0;
    r[d + 1] = Number(q >> 32n) | 0;
  }

  /** a = op31 | o0<<3 | sf<<4 (MADD is in the main loop). */
  private dp3(a: number, d: number, s: number, m: number, ra: number): void {
    const r = this.r;
    const op31 = a & 7;
    const sub = (a & 8) !== 0;
    switch (op31) {
      case 0: // MSUB
        if (a & 16) this.madd64(d, s, m, ra, true);
        else {
          r[d] = (r[ra]! - Math.imul(r[s]!, r[m]!)) | 0;
          r[d + 1] = 0;
        }
        return;
      case 1: { // SMADDL/SMSUBL
        const x = r[s]!;
        const y = r[m]!;
        this.mul64(x, x >> 31, y, y >> 31);
        this.add64to(d, ra, this.tl, this.th, sub);
        return;
      }
      case 5: // UMADDL/UMSUBL
        this.mul64(r[s]!, 0, r[m]!, 0);
        this.add64to(d, ra, this.tl, this.th, sub);
        return;
      case 2: { // SMULH: the unsigned high half, corrected for negative operands.
        const alo = r[s]!;
        const ahi = r[s + 1]!;
        const blo = r[m]!;
        const bhi = r[m + 1]!;
        this.umulh(alo, ahi, blo, bhi);
        let lo = this.tl;
        let hi = this.th;
        if (ahi < 0) {
          const l = (lo - blo) | 0;
          hi = (hi - bhi - (lo >>> 0 < blo >>> 0 ? 1 : 0)) | 0;
          lo = l;
        }
        if (bhi < 0) {
          const l = (lo - alo) | 0;
          hi = (hi - ahi - (lo >>> 0 < alo >>> 0 ? 1 : 0)) | 0;
          lo = l;
        }
        r[d] = lo;
        r[d + 1] = hi;
        return;
      }
      default: // UMULH
        this.umulh(r[s]!, r[s + 1]!, r[m]!, r[m + 1]!);
        r[d] = this.tl;
        r[d + 1] = this.th;
    }
  }

  /** Register := a 48-bit address (or any value within ±2^52), sign-extended from bit 47. */
  private setAddr(d: number, v: number): void {
    this.r[d] = v | 0;
    this.r[d + 1] = (Math.floor(v / TWO32) << 16) >> 16;
  }

  // --- memory ---------------------------------------------------------------------------------

  private flushTlbs(): void {
    this.rtag.fill(-1);
    this.wtag.fill(-1);
    this.code.clear();
    this.memGen = this.memory.generation;
  }

  /** The 48-bit address of a 64-bit value, or a fault if it is not canonical. */
  private address(hi: number, lo: number, access: 'read' | 'write'): number {
    const a = (hi & 0xffff) * TWO32 + (lo >>> 0);
    if (hi >> 15 !== hi >> 31) throw new MemoryFault(a, access, 'unmapped');
    return a;
  }

  /** Cache key of a page: page number of the full 64-bit address (exact below 2^53) and privilege. */
  private static key(hi: number, lo: number, u: number): number {
    return ((hi >>> 0) * 1048576 + (lo >>> 12)) * 2 + u;
  }

  private ld8(hi: number, lo: number, u: number): number {
    const i = (lo >>> 12) & CACHE_MASK;
    if (this.rtag[i] === ((hi >>> 0) * 1048576 + (lo >>> 12)) * 2 + u) return this.rview[i]!.getUint8(lo & 4095);
    return this.ldSlow(hi, lo, u, 1);
  }

  private ld16(hi: number, lo: number, u: number): number {
    const i = (lo >>> 12) & CACHE_MASK;
    const off = lo & 4095;
    if (this.rtag[i] === ((hi >>> 0) * 1048576 + (lo >>> 12)) * 2 + u && off <= 4094) return this.rview[i]!.getUint16(off, true);
    return this.ldSlow(hi, lo, u, 2);
  }

  private ld32(hi: number, lo: number, u: number): number {
    const i = (lo >>> 12) & CACHE_MASK;
    const off = lo & 4095;
    if (this.rtag[i] === ((hi >>> 0) * 1048576 + (lo >>> 12)) * 2 + u && off <= 4092) return this.rview[i]!.getInt32(off, true);
    return this.ldSlow(hi, lo, u, 4);
  }

  /** 64-bit load into vlo/vhi. */
  private ld64(hi: number, lo: number, u: number): void {
    const i = (lo >>> 12) & CACHE_MASK;
    const off = lo & 4095;
    if (this.rtag[i] === ((hi >>> 0) * 1048576 + (lo >>> 12)) * 2 + u && off <= 4088) {
      const v = this.rview[i]!;
      this.vlo = v.getInt32(off, true);
      this.vhi = v.getInt32(off + 4, true);
      return;
    }
    this.ldSlow(hi, lo, u, 8);
  }

  private ldSlow(hi: number, lo: number, u: number, size: number): number {
    const a = this.address(hi, lo, 'read');
    const user = u === 1;
    const mem = this.memory;
    const page = mem.translate(a, 'read', user);
    const off = lo & 4095;
    if (!page.device) {
      const i = (lo >>> 12) & CACHE_MASK;
      this.rtag[i] = Arm64Cpu.key(hi, lo, u);
      this.rview[i] = page.view;
      if (off + size <= 4096) {
        const v = page.view;
        if (size === 1) return v.getUint8(off);
        if (size === 2) return v.getUint16(off, true);
        if (size === 4) return v.getInt32(off, true);
        this.vlo = v.getInt32(off, true);
        this.vhi = v.getInt32(off + 4, true);
        return 0;
      }
    }
    // Devices and accesses that cross a page: Memory splits and dispatches them.
    if (size === 1) return mem.read8(a, user);
    if (size === 2) return mem.read16(a, user);
    if (size === 4) return mem.read32(a, user) | 0;
    const l = mem.read32(a, user) | 0;
    const h = mem.read32(a + 4, user) | 0;
    this.vlo = l;
    this.vhi = h;
    return 0;
  }

  private st8(hi: number, lo: number, v: number, u: number): void {
    const i = (lo >>> 12) & CACHE_MASK;
    if (this.wtag[i] === ((hi >>> 0) * 1048576 + (lo >>> 12)) * 2 + u) {
      const p = this.wpage[i]!;
      if (!p.hasCode) {
        p.data[lo & 4095] = v;
        return;
      }
    }
    this.stSlow(hi, lo, u, 1, v, 0);
  }

  private st16(hi: number, lo: number, v: number, u: number): void {
    const i = (lo >>> 12) & CACHE_MASK;
    const off = lo & 4095;
    if (this.wtag[i] === ((hi >>> 0) * 1048576 + (lo >>> 12)) * 2 + u && off <= 4094) {
      const p = this.wpage[i]!;
      if (!p.hasCode) {
        p.view.setUint16(off, v, true);
        return;
      }
    }
    this.stSlow(hi, lo, u, 2, v, 0);
  }

  private st32(hi: number, lo: number, v: number, u: number): void {
    const i = (lo >>> 12) & CACHE_MASK;
    const off = lo & 4095;
    if (this.wtag[i] === ((hi >>> 0) * 1048576 + (lo >>> 12)) * 2 + u && off <= 4092) {
      const p = this.wpage[i]!;
      if (!p.hasCode) {
        p.view.setInt32(off, v, true);
        return;
      }
    }
    this.stSlow(hi, lo, u, 4, v, 0);
  }

  private st64(hi: number, lo: number, vlo: number, vhi: number, u: number): void {
    const i = (lo >>> 12) & CACHE_MASK;
    const off = lo & 4095;
    if (this.wtag[i] === ((hi >>> 0) * 1048576 + (lo >>> 12)) * 2 + u && off <= 4088) {
      const p = this.wpage[i]!;
      if (!p.hasCode) {
        p.view.setInt32(off, vlo, true);
        p.view.setInt32(off + 4, vhi, true);
        return;
      }
    }
    this.stSlow(hi, lo, u, 8, vlo, vhi);
  }

  private stSlow(hi: number, lo: number, u: number, size: number, vlo: number, vhi: number): void {
    const a = this.address(hi, lo, 'write');
    const user = u === 1;
    const mem = this.memory;
    const page = mem.translate(a, 'write', user);
    const off = lo & 4095;
    if (!page.device) {
      const i = (lo >>> 12) & CACHE_MASK;
      this.wtag[i] = Arm64Cpu.key(hi, lo, u);
      this.wpage[i] = page;
      if (!page.hasCode && off + size <= 4096) {
        const v = page.view;
        if (size === 1) v.setUint8(off, vlo);
        else if (size === 2) v.setUint16(off, vlo, true);
        else if (size === 4) v.setInt32(off, vlo, true);
        else {
          v.setInt32(off, vlo, true);
          v.setInt32(off + 4, vhi, true);
        }
        return;
      }
    }
    // Devices, page-crossing stores and pages holding code (Memory tells the decode caches).
    if (size === 1) mem.write8(a, vlo & 0xff, user);
    else if (size === 2) mem.write16(a, vlo & 0xffff, user);
    else if (size === 4) mem.write32(a, vlo >>> 0, user);
    else {
      mem.write32(a, vlo >>> 0, user);
      mem.write32(a + 4, vhi >>> 0, user);
    }
  }

  /** A single-register access of `kind` (ops.ts KIND_*) with register slot t. */
  private ldst(kind: number, t: number, hi: number, lo: number, u: number): void {
    const r = this.r;
    switch (kind) {
      case 0:
        this.st8(hi, lo, r[t]!, u);
        return;
      case 1:
        r[t] = this.ld8(hi, lo, u);
        r[t + 1] = 0;
        return;
      case 2: {
        const v = (this.ld8(hi, lo, u) << 24) >> 24;
        r[t] = v;
        r[t + 1] = v >> 31;
        return;
      }
      case 3:
        r[t] = (this.ld8(hi, lo, u) << 24) >> 24;
        r[t + 1] = 0;
        return;
      case 4:
        this.st16(hi, lo, r[t]!, u);
        return;
      case 5:
        r[t] = this.ld16(hi, lo, u);
        r[t + 1] = 0;
        return;
      case 6: {
        const v = (this.ld16(hi, lo, u) << 16) >> 16;
        r[t] = v;
        r[t + 1] = v >> 31;
        return;
      }
      case 7:
        r[t] = (this.ld16(hi, lo, u) << 16) >> 16;
        r[t + 1] = 0;
        return;
      case 8:
        this.st32(hi, lo, r[t]!, u);
        return;
      case 9:
        r[t] = this.ld32(hi, lo, u);
        r[t + 1] = 0;
        return;
      case 10: {
        const v = this.ld32(hi, lo, u);
        r[t] = v;
        r[t + 1] = v >> 31;
        return;
      }
      case 12:
        this.st64(hi, lo, r[t]!, r[t + 1]!, u);
        return;
      case 13:
        this.ld64(hi, lo, u);
        r[t] = this.vlo;
        r[t + 1] = this.vhi;
        return;
      default:
        return; // PRFM
    }
  }

  /** Load 1 << size bytes, zero-extended, into vlo/vhi. */
  private loadSized(size: number, hi: number, lo: number): void {
    const u = this.user;
    if (size === 3) this.ld64(hi, lo, u);
    else {
      this.vlo = size === 0 ? this.ld8(hi, lo, u) : size === 1 ? this.ld16(hi, lo, u) : this.ld32(hi, lo, u);
      this.vhi = 0;
    }
  }

  private storeSized(size: number, hi: number, lo: number, vlo: number, vhi: number): void {
    const u = this.user;
    if (size === 3) this.st64(hi, lo, vlo, vhi, u);
    else if (size === 2) this.st32(hi, lo, vlo, u);
    else if (size === 1) this.st16(hi, lo, vlo, u);
    else this.st8(hi, lo, vlo, u);
  }

  /** Exclusive and atomic accesses must be naturally aligned, even at EL0 (size: log2 of the bytes). */
  private checkAlign(hi: number, lo: number, size: number, access: 'read' | 'write'): void {
    if (lo & ((1 << size) - 1)) throw new AlignmentFault(this.address(hi, lo, access), access);
  }

  /** hi/lo + bytes (an address plus a small offset). */
  private static plusHi(hi: number, lo: number, bytes: number): number {
    return ((lo + bytes) | 0) >>> 0 < bytes ? (hi + 1) | 0 : hi;
  }

  private loadExclusive(a: number, t: number, t2: number, s: number): void {
    const r = this.r;
    const size = a & 3;
    const pairOp = (a & 4) !== 0;
    const hi = r[s + 1]!;
    const lo = r[s]!;
    this.checkAlign(hi, lo, pairOp ? size + 1 : size, 'read');
    this.loadSized(size, hi, lo);
    const v0lo = this.vlo;
    const v0hi = this.vhi;
    let v1lo = 0;
    let v1hi = 0;
    if (pairOp) {
      const bytes = 1 << size;
      this.loadSized(size, Arm64Cpu.plusHi(hi, lo, bytes), (lo + bytes) | 0);
      v1lo = this.vlo;
      v1hi = this.vhi;
    }
    this.exValid = 1;
    this.exAddr = this.address(hi, lo, 'read');
    this.exSize = a;
    this.exV0lo = v0lo;
    this.exV0hi = v0hi;
    this.exV1lo = v1lo;
    this.exV1hi = v1hi;
    r[t] = v0lo;
    r[t + 1] = v0hi;
    if (pairOp) {
      r[t2] = v1lo;
      r[t2 + 1] = v1hi;
    }
  }

  private storeExclusive(a: number, t: number, t2: number, s: number, status: number): void {
    const r = this.r;
    const size = a & 3;
    const pairOp = (a & 4) !== 0;
    const bytes = 1 << size;
    const hi = r[s + 1]!;
    const lo = r[s]!;
    this.checkAlign(hi, lo, pairOp ? size + 1 : size, 'write');
    let ok = this.exValid === 1 && this.exSize === a && this.exAddr === this.address(hi, lo, 'write');
    if (ok) {
      this.loadSized(size, hi, lo);
      ok = this.vlo === this.exV0lo && this.vhi === this.exV0hi;
      if (ok && pairOp) {
        this.loadSized(size, Arm64Cpu.plusHi(hi, lo, bytes), (lo + bytes) | 0);
        ok = this.vlo === this.exV1lo && this.vhi === this.exV1hi;
      }
    }
    if (ok) {
      const v2lo = r[t2]!;
      const v2hi = r[t2 + 1]!;
      this.storeSized(size, hi, lo, r[t]!, r[t + 1]!);
      if (pairOp) this.storeSized(size, Arm64Cpu.plusHi(hi, lo, bytes), (lo + bytes) | 0, v2lo, v2hi);
    }
    this.exValid = 0;
    r[status] = ok ? 0 : 1;
    r[status + 1] = 0;
  }

  /** Value of slot x masked to 1 << size bytes, into tl/th. */
  private sized(x: number, size: number): void {
    const r = this.r;
    this.th = size === 3 ? r[x + 1]! : 0;
    this.tl = size === 3 || size === 2 ? r[x]! : size === 1 ? r[x]! & 0xffff : r[x]! & 0xff;
  }

  private cas(size: number, t: number, s: number, cmp: number, out: number): void {
    const r = this.r;
    const hi = r[s + 1]!;
    const lo = r[s]!;
    this.checkAlign(hi, lo, size, 'write');
    this.loadSized(size, hi, lo);
    const olo = this.vlo;
    const ohi = this.vhi;
    this.sized(cmp, size);
    if ((olo | 0) === (this.tl | 0) && (ohi | 0) === (this.th | 0)) this.storeSized(size, hi, lo, r[t]!, r[t + 1]!);
    r[out] = olo;
    r[out + 1] = ohi;
  }

  private casp(size: number, t: number, s: number, cs: number): void {
    const r = this.r;
    const rd = (x: number): number => (x === 31 ? 64 : x * 2);
    const wr = (x: number): number => (x === 31 ? DISCARD2 : x * 2);
    const hi = r[s + 1]!;
    const lo = r[s]!;
    const bytes = 1 << size;
    this.checkAlign(hi, lo, size + 1, 'write');
    const hi2 = Arm64Cpu.plusHi(hi, lo, bytes);
    const lo2 = (lo + bytes) | 0;
    this.loadSized(size, hi, lo);
    const o0lo = this.vlo;
    const o0hi = this.vhi;
    this.loadSized(size, hi2, lo2);
    const o1lo = this.vlo;
    const o1hi = this.vhi;
    const c0 = rd(cs);
    const c1 = rd(cs + 1);
    const w = size === 3;
    const equal =
      o0lo === r[c0] && o1lo === r[c1] && (!w || (o0hi === r[c0 + 1] && o1hi === r[c1 + 1]));
    if (equal) {
      const n0 = rd(t);
      const n1 = rd(t + 1);
      const n1lo = r[n1]!;
      const n1hi = r[n1 + 1]!;
      this.storeSized(size, hi, lo, r[n0]!, r[n0 + 1]!);
      this.storeSized(size, hi2, lo2, n1lo, n1hi);
    }
    const w0 = wr(cs);
    const w1 = wr(cs + 1);
    r[w0] = o0lo;
    r[w0 + 1] = o0hi;
    r[w1] = o1lo;
    r[w1 + 1] = o1hi;
  }

  /** LSE atomics: a = size | opc<<2 | o3<<5; t receives the old value, s is the operand. */
  private atomicOp(a: number, t: number, s: number, src: number): void {
    const r = this.r;
    const size = a & 3;
    const opc = (a >> 2) & 7;
    const o3 = a >> 5;
    const hi = r[s + 1]!;
    const lo = r[s]!;
    if (o3 && opc === 4) {
      // LDAPR
      this.checkAlign(hi, lo, size, 'read');
      this.loadSized(size, hi, lo);
      r[t] = this.vlo;
      r[t + 1] = this.vhi;
      return;
    }
    this.checkAlign(hi, lo, size, 'write');
    this.loadSized(size, hi, lo);
    const olo = this.vlo;
    const ohi = this.vhi;
    this.sized(src, size);
    let nlo = this.tl;
    let nhi = this.th;
    if (!o3) {
      const bits = 8 << size;
      switch (opc) {
        case 0: { // LDADD
          const l = (olo >>> 0) + (nlo >>> 0);
          nhi = (ohi + nhi + (l > 0xffffffff ? 1 : 0)) | 0;
          nlo = l | 0;
          break;
        }
        case 1: // LDCLR
          nlo = olo & ~nlo;
          nhi = ohi & ~nhi;
          break;
        case 2: // LDEOR
          nlo ^= olo;
          nhi ^= ohi;
          break;
        case 3: // LDSET
          nlo |= olo;
          nhi |= ohi;
          break;
        default: {
          // LDSMAX, LDSMIN, LDUMAX, LDUMIN
          const signed = opc < 6;
          let cmp: number; // old compared with operand: <0, 0, >0
          if (size === 3) {
            const h1 = signed ? ohi | 0 : ohi >>> 0;
            const h2 = signed ? nhi | 0 : nhi >>> 0;
            cmp = h1 !== h2 ? h1 - h2 : (olo >>> 0) - (nlo >>> 0);
          } else if (signed) {
            const sh = 32 - bits;
            cmp = ((olo << sh) >> sh) - ((nlo << sh) >> sh);
          } else cmp = (olo >>> 0) - (nlo >>> 0);
          const takeOld = opc & 1 ? cmp <= 0 : cmp >= 0; // MIN keeps the smaller, MAX the larger
          if (takeOld) {
            nlo = olo;
            nhi = ohi;
          }
        }
      }
    }
    this.storeSized(size, hi, lo, nlo, nhi);
    r[t] = olo;
    r[t + 1] = ohi;
  }

  /** Forget decoded instructions in [address, address+length). */
  flushCode(address: number, length: number): void {
    decodeTables.forget(this.memory, address, length);
  }

  // --- PSTATE, system registers, exceptions ------------------------------------------------

  /** PSTATE in SPSR format: NZCV, DAIF, M[3:0] = EL:SPSel. */
  private pstate(): number {
    return ((this.nzcv << 28) | this.daif | (this.el << 2) | this.spsel) >>> 0;
  }

  private setPstate(v: number): void {
    this.setNzcv(v >>> 28);
    this.daif = v & 0x3c0;
    this.el = (v >> 2) & 3 ? 1 : 0;
    // EL0 has only SP_EL0 (M = EL0t): a set SPSel bit there would not be a real PSTATE.
    this.spsel = this.el === 0 ? 0 : v & 1;
    this.user = this.el === 0 ? 1 : 0;
    this.switchSp();
  }

  /** Keep the selected stack pointer (SP_EL0 at EL0 or with SPSel=0, else SP_EL1) in slot 31. */
  private switchSp(): void {
    const nb = this.el === 0 || this.spsel === 0 ? 0 : 1;
    if (nb === this.spBank) return;
    const r = this.r;
    this.spSave[this.spBank * 2] = r[SP2]!;
    this.spSave[this.spBank * 2 + 1] = r[SP2 + 1]!;
    r[SP2] = this.spSave[nb * 2]!;
    r[SP2 + 1] = this.spSave[nb * 2 + 1]!;
    this.spBank = nb;
  }

  private sysLo(i: number): number {
    return this.sys[i * 2]!;
  }

  private sys48(i: number): number {
    return (this.sys[i * 2 + 1]! & 0xffff) * TWO32 + (this.sys[i * 2]! >>> 0);
  }

  private setSys(i: number, v: bigint): void {
    this.sys[i * 2] = Number(v & 0xffffffffn) | 0;
    this.sys[i * 2 + 1] = Number((v >> 32n) & 0xffffffffn) | 0;
  }

  private setSysAddr(i: number, addr48: number): void {
    this.sys[i * 2] = addr48 | 0;
    this.sys[i * 2 + 1] = (Math.floor(addr48 / TWO32) << 16) >> 16;
  }

  /** MRS: false when the access is UNDEFINED at the current EL. */
  private mrs(t: number, id: number, n: number): boolean {
    const desc = SYSREGS[id]!;
    if (this.el === 0 && !desc.el0Read) return false;
    let lo = 0;
    let hi = 0;
    switch (desc.kind) {
      case SysKind.Store:
        lo = this.sys[desc.store * 2]!;
        hi = this.sys[desc.store * 2 + 1]!;
        break;
      case SysKind.Const:
        lo = Number(desc.value & 0xffffffffn) | 0;
        hi = Number(desc.value >> 32n) | 0;
        break;
      case SysKind.Nzcv:
        lo = this.nzcv << 28;
        break;
      case SysKind.Daif:
        lo = this.daif;
        break;
      case SysKind.SpSel:
        lo = this.spsel;
        break;
      case SysKind.CurrentEl:
        lo = this.el << 2;
        break;
      case SysKind.SpEl0:
        if (this.spBank === 0) return false; // SP_EL0 is the current SP: UNDEFINED
        lo = this.spSave[0]!;
        hi = this.spSave[1]!;
        break;
      case SysKind.Counter: {
        const c = this._retired + n;
        lo = c | 0;
        hi = Math.floor(c / TWO32) | 0;
        break;
      }
      case SysKind.Mpidr:
        lo = 0x8000_0000 | (this.cpuIndex & 0xff);
        break;
    }
    this.r[t] = lo;
    this.r[t + 1] = hi;
    return true;
  }

  /** MSR (register): false when UNDEFINED at the current EL. */
  private msr(id: number, lo: number, hi: number): boolean {
    const desc = SYSREGS[id]!;
    if (this.el === 0 && !desc.el0Write) return false;
    switch (desc.kind) {
      case SysKind.Store:
        this.sys[desc.store * 2] = lo;
        this.sys[desc.store * 2 + 1] = hi;
        return true;
      case SysKind.Nzcv:
        this.setNzcv(lo >>> 28);
        return true;
      case SysKind.Daif:
        this.daif = lo & 0x3c0;
        return true;
      case SysKind.SpSel:
        this.spsel = lo & 1;
        this.switchSp();
        return true;
      case SysKind.SpEl0:
        if (this.spBank === 0) return false;
        this.spSave[0] = lo;
        this.spSave[1] = hi;
        return true;
      default:
        return false;
    }
  }

  /** ERET at EL1: pc from ELR_EL1, PSTATE from SPSR_EL1. False for a return this CPU cannot make (AArch32, EL2/EL3). */
  private eret(): boolean {
    const spsr = this.sysLo(SR_SPSR_EL1);
    const mode = spsr & 0x1f;
    if (mode !== 0 && mode !== 4 && mode !== 5) return false;
    this.setPstate(spsr);
    this.exValid = 0;
    this.pcv = this.sys48(SR_ELR_EL1);
    return true;
  }

  /**
   * Synchronous exception entry to EL1 (the Arm ARM's AArch64.TakeException): ESR_EL1 and, for
   * aborts, FAR_EL1 describe it; ELR_EL1 is the preferred return address (the exception's pc:
   * past SVC/HVC, at the instruction otherwise); SPSR_EL1 takes PSTATE; then EL1h with DAIF
   * masked, at VBAR_EL1 + 0x000 (from EL1 on SP_EL0), 0x200 (from EL1 on SP_EL1) or 0x400 (from EL0).
   */
  takeException(e: CpuException): void {
    const fromEl = this.el;
    let ec = 0;
    let iss = 0;
    let far = -1;
    switch (e.kind) {
      case 'syscall':
        ec = 0x15;
        iss = e.imm & 0xffff;
        break;
      case 'hypercall':
        ec = 0x16;
        iss = e.imm & 0xffff;
        break;
      case 'breakpoint':
        ec = 0x3c;
        iss = e.imm & 0xffff;
        break;
      case 'undefined':
      case 'halt':
        ec = 0x00;
        break;
      case 'fault': {
        const fsc = e.reason === 'alignment' ? 0x21 : e.reason === 'permission' ? 0x0f : 0x07;
        far = e.address;
        if (e.access === 'exec') {
          if (e.reason === 'alignment') ec = 0x22;
          else {
            ec = fromEl === 0 ? 0x20 : 0x21;
            iss = fsc;
          }
        } else {
          ec = fromEl === 0 ? 0x24 : 0x25;
          iss = fsc | (e.access === 'write' ? 1 << 6 : 0);
        }
        break;
      }
    }
    const offset = fromEl === 0 ? 0x400 : this.spsel ? 0x200 : 0;
    this.sys[SR_ESR_EL1 * 2] = (ec << 26) | (1 << 25) | iss;
    this.sys[SR_ESR_EL1 * 2 + 1] = 0;
    if (far >= 0) this.setSysAddr(SR_FAR_EL1, far);
    this.sys[SR_SPSR_EL1 * 2] = this.pstate() | 0;
    this.sys[SR_SPSR_EL1 * 2 + 1] = 0;
    this.setSysAddr(SR_ELR_EL1, e.pc);
    this.el = 1;
    this.spsel = 1;
    this.user = 0;
    this.daif = 0x3c0;
    this.switchSp();
    this.exValid = 0;
    this.pcv = this.sys48(SR_VBAR_EL1) + offset;
  }

  // --- registers by name -------------------------------------------------------------------

  readPtRegs(words: Uint32Array): void {
    const r = this.r;
    for (let i = 0; i < 62; i++) words[i] = r[i]!;
    words[62] = r[SP2]!;
    words[63] = r[SP2 + 1]!;
    const pc = canonical(this.pcv);
    words[64] = Number(pc & 0xffffffffn);
    words[65] = Number(pc >> 32n);
    words[66] = this.pstate();
    words[67] = 0;
  }

  writePtReg(index: number, lo: number, hi: number): void {
    if (index < 31) {
      this.r[index * 2] = lo;
      this.r[index * 2 + 1] = hi;
    } else if (index === 31) {
      this.r[SP2] = lo;
      this.r[SP2 + 1] = hi;
    } else if (index === 32) {
      this.pcv = (hi & 0xffff) * TWO32 + (lo >>> 0);
    } else if (index === 33) {
      this.setPstate(lo >>> 0);
    } else {
      throw new RangeError(`arm64 pt_regs has no register #${index}`);
    }
  }

  getReg(name: string): bigint {
    const r = this.r;
    const x = regIndex(name);
    if (x >= 0) return u64(r[x * 2]!, r[x * 2 + 1]!);
    switch (name) {
      case 'sp':
        return u64(r[SP2]!, r[SP2 + 1]!);
      case 'pc':
        return canonical(this.pcv);
      case 'pstate':
        return BigInt(this.pstate());
      case 'sp_el0':
        return this.spBank === 0 ? u64(r[SP2]!, r[SP2 + 1]!) : u64(this.spSave[0]!, this.spSave[1]!);
      case 'sp_el1':
        return this.spBank === 1 ? u64(r[SP2]!, r[SP2 + 1]!) : u64(this.spSave[2]!, this.spSave[3]!);
    }
    const id = sysRegIdByName(name);
    const desc = id >= 0 ? SYSREGS[id]! : undefined;
    if (desc && (desc.kind === SysKind.Store || desc.kind === SysKind.Const)) {
      if (desc.kind === SysKind.Const) return desc.value;
      return u64(this.sys[desc.store * 2]!, this.sys[desc.store * 2 + 1]!);
    }
    throw new RangeError(`arm64: unknown register ${name}`);
  }

  setReg(name: string, value: bigint): void {
    const r = this.r;
    const lo = Number(value & 0xffffffffn) | 0;
    const hi = Number((value >> 32n) & 0xffffffffn) | 0;
    const x = regIndex(name);
    if (x >= 0) {
      r[x * 2] = lo;
      r[x * 2 + 1] = hi;
      return;
    }
    switch (name) {
      case 'sp':
        r[SP2] = lo;
        r[SP2 + 1] = hi;
        return;
      case 'pc':
        this.pcv = (hi & 0xffff) * TWO32 + (lo >>> 0);
        return;
      case 'pstate':
        this.setPstate(lo >>> 0);
        return;
      case 'sp_el0':
        if (this.spBank === 0) {
          r[SP2] = lo;
          r[SP2 + 1] = hi;
        } else {
          this.spSave[0] = lo;
          this.spSave[1] = hi;
        }
        return;
      case 'sp_el1':
        if (this.spBank === 1) {
          r[SP2] = lo;
          r[SP2 + 1] = hi;
        } else {
          this.spSave[2] = lo;
          this.spSave[3] = hi;
        }
        return;
    }
    const id = sysRegIdByName(name);
    const desc = id >= 0 ? SYSREGS[id]! : undefined;
    if (desc && desc.kind === SysKind.Store) {
      this.sys[desc.store * 2] = lo;
      this.sys[desc.store * 2 + 1] = hi;
      return;
    }
    throw new RangeError(`arm64: unknown or read-only register ${name}`);
  }

  // --- context -------------------------------------------------------------------------------

  saveContext(): CpuContext {
    const w = new Uint32Array(CTX_WORDS);
    const r = this.r;
    for (let i = 0; i < 62; i++) w[CTX_X + i] = r[i]!;
    const bank0 = this.spBank === 0;
    w[CTX_SP_EL0] = bank0 ? r[SP2]! : this.spSave[0]!;
    w[CTX_SP_EL0 + 1] = bank0 ? r[SP2 + 1]! : this.spSave[1]!;
    w[CTX_SP_EL1] = bank0 ? this.spSave[2]! : r[SP2]!;
    w[CTX_SP_EL1 + 1] = bank0 ? this.spSave[3]! : r[SP2 + 1]!;
    w[CTX_PC] = this.pcv % TWO32;
    w[CTX_PC + 1] = Math.floor(this.pcv / TWO32);
    w[CTX_PSTATE] = this.pstate();
    for (let i = 0; i < SR_COUNT * 2; i++) w[CTX_SYS + i] = this.sys[i]!;
    w[CTX_MON] = this.exValid;
    w[CTX_MON + 1] = this.exAddr % TWO32;
    w[CTX_MON + 2] = Math.floor(this.exAddr / TWO32);
    w[CTX_MON + 3] = this.exSize;
    w[CTX_MON + 4] = this.exV0lo;
    w[CTX_MON + 5] = this.exV0hi;
    w[CTX_MON + 6] = this.exV1lo;
    w[CTX_MON + 7] = this.exV1hi;
    return { arch: 'arm64', words: w };
  }

  restoreContext(ctx: CpuContext): void {
    if (ctx.arch !== 'arm64' || ctx.words.length !== CTX_WORDS) throw new Error('arm64: not an arm64 CPU context');
    const w = ctx.words;
    const r = this.r;
    for (let i = 0; i < 62; i++) r[i] = w[CTX_X + i]!;
    this.spSave[0] = w[CTX_SP_EL0]!;
    this.spSave[1] = w[CTX_SP_EL0 + 1]!;
    this.spSave[2] = w[CTX_SP_EL1]!;
    this.spSave[3] = w[CTX_SP_EL1 + 1]!;
    // Load the banked SP that PSTATE selects into slot 31.
    const ps = w[CTX_PSTATE]!;
    this.setNzcv(ps >>> 28);
    this.daif = ps & 0x3c0;
    this.el = (ps >> 2) & 3 ? 1 : 0;
    this.spsel = this.el === 0 ? 0 : ps & 1;
    this.user = this.el === 0 ? 1 : 0;
    this.spBank = this.el === 0 || this.spsel === 0 ? 0 : 1;
    r[SP2] = this.spSave[this.spBank * 2]!;
    r[SP2 + 1] = this.spSave[this.spBank * 2 + 1]!;
    this.pcv = w[CTX_PC + 1]! * TWO32 + w[CTX_PC]!;
    for (let i = 0; i < SR_COUNT * 2; i++) this.sys[i] = w[CTX_SYS + i]!;
    this.exValid = w[CTX_MON]!;
    this.exAddr = w[CTX_MON + 2]! * TWO32 + w[CTX_MON + 1]!;
    this.exSize = w[CTX_MON + 3]!;
    this.exV0lo = w[CTX_MON + 4]! | 0;
    this.exV0hi = w[CTX_MON + 5]! | 0;
    this.exV1lo = w[CTX_MON + 6]! | 0;
    this.exV1hi = w[CTX_MON + 7]! | 0;
  }
}

/** x0..x30 (and lr, fp) → register number, else -1. */
function regIndex(name: string): number {
  const cached = REG_INDEX.get(name);
  return cached ?? -1;
}

const REG_INDEX = new Map<string, number>([
  ...Array.from({ length: 31 }, (_, i) => [`x${i}`, i] as [string, number]),
  ['lr', 30],
  ['fp', 29],
]);
