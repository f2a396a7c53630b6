// The MIPS32 release 2 CPU (big-endian, as Linux's 32-bit `mips` arch): an interpreter of the
// integer instruction set in kernel and user mode, with branch delay slots, Coprocessor 0 and the
// architectural exception entry and return. Counterpart of the hardware behaviour that
// arch/mips/kernel/genex.S, traps.c and entry.S assume (EPC/Cause.BD, Status.EXL, the general
// exception vector at EBase + 0x180); no Linux source of its own.
//
// Address space: 32-bit virtual addresses are the Memory's addresses. kuseg (below 0x80000000) is
// the current user AddressSpace; kseg0 and above are the Memory's kernel half, used directly
// (no TLB: kseg0 and kseg1 are not aliases of each other here, each address is its own page).
// User-mode accesses to 0x80000000 and above are address errors ('fault', reason 'permission').
//
// Delay slots. A branch records its target and the next instruction (the slot) runs before the
// jump. An exception in a slot is reported the architectural way: EPC, and the exception's `pc`,
// is the *branch*, with Cause.BD set (the slot's own address is pc + 4, which is how Linux's
// exception_epc() finds it); `insn` of a 'breakpoint'/'undefined' is the slot's word, and
// `exceptionInDelaySlot` says so. The CPU's pc is left at the branch too, so resuming re-runs the
// branch and its slot, as eret to a BD exception does. This is what Linux's MIPS kprobes expect:
// kprobe_handler() looks the probe up by regs->cp0_epc, and arch_prepare_kprobe() refuses probes
// in delay slots (a probed branch has its slot's instruction stepped out of line instead), so a
// kprobe's `break` never stops in a slot. `syscall`/`hypcall` in a slot report the address
// execution continues at (the branch target), per the Cpu interface's convention. A budget that
// ends between a branch and its slot leaves pc at the slot with the branch pending (kept in
// saveContext); setting pc drops it. A branch or eret in a delay slot is UNPREDICTABLE in
// release 2; like QEMU, this CPU raises Reserved Instruction for it.
//
// Stop kinds (the Cpu interface has six; exceptions.ts maps each to its Cause.ExcCode): `break`
// and the conditional traps (teq, tgei…) are 'breakpoint' (imm = code field; Linux's do_bp() and
// do_tr() share one handler); Reserved Instruction, Coprocessor Unusable and Integer Overflow are
// 'undefined'; address errors and missing pages are 'fault'; `wait` is 'halt' (the CPU idles,
// pc past it: run() again to resume); `hypcall` in kernel mode is 'hypercall'. When run() stops
// with an exception, Cause.ExcCode/CE/BD and BadVAddr already describe it (what the hardware
// records on entry), so a handler's pt_regs view (readPtRegs) reads as Linux's would;
// takeException() then completes the entry: EPC, Status.EXL, pc at the vector. No interrupts are
// delivered (the interface has no interrupt stop): Cause.TI/IP7 show the Count/Compare timer.
//
// Speed (DESIGN.md "Fast by design"): registers are one Int32Array (GPRs, a discard slot for $0
// destinations, HI, LO); each code page gets a lazily filled decode table (4 Int32 per word: op +
// 3 fields) shared through a WeakMap keyed by the Page and zeroed in place by Memory's
// code-write listener (../code-cache.ts); the pc is (page base, offset); loads and stores go
// through direct-mapped caches of Memory pages keyed by page number and privilege
// (../access-cache.ts), emptied when Memory.generation moves. Misaligned halfword/word accesses
// and ll/sc throw AlignmentFault (Address Error). Everything on the hot path is an int32 or a small offset; nothing is allocated per
// instruction (an exception allocates its report).

import type { ArchName, Cpu, CpuContext, CpuException, RunResult } from '../cpu.ts';
import { MemoryFault, type Memory, type Page } from '../../machine/memory.ts';
import { ACCESS_CACHE_MASK, ACCESS_CACHE_SIZE, emptyReadSlots, emptyWriteSlots } from '../access-cache.ts';
import { AlignmentFault, faultStop } from '../access-fault.ts';
import { CodePageCache, DecodeTables, FORCE_LOOKUP, NO_CODE_PAGE } from '../code-cache.ts';
import { mulHigh } from './arith.ts';
import {
  C0_BADVADDR,
  C0_CAUSE,
  C0_COMPARE,
  C0_EBASE,
  C0_EPC,
  C0_ERROREPC,
  C0_HWRENA,
  C0_STATUS,
  C0_STORE_COUNT,
  C0_USERLOCAL,
  CAUSE_BD,
  CAUSE_CE,
  CAUSE_CE_SHIFT,
  CAUSE_EXCCODE,
  CAUSE_EXCCODE_SHIFT,
  CAUSE_IP7,
  CAUSE_TI,
  CP0_BY_KEY,
  CP0_REGS,
  Cp0Kind,
  type Cp0Reg,
  cp0ByName,
  ST_BEV,
  ST_CU0,
  ST_ERL,
  ST_EXL,
  ST_IE,
  ST_UM,
  STATUS_WRITABLE,
} from './cp0.ts';
import { decodeInto } from './decode.ts';
import { exceptionCode, KUSEG_END } from './exceptions.ts';
import { REG_COUNT, REG_DISCARD, REG_HI, REG_LO, TRAP_EQ, TRAP_GE, TRAP_GEU, TRAP_LT, TRAP_LTU } from './ops.ts';

// The shared constants the hot path uses, as module constants: V8 folds these, while every use of
// an imported binding loads it and checks it (measured: about 5% of the interpreter's speed).
const CACHE_MASK = ACCESS_CACHE_MASK;
const FORCE = FORCE_LOOKUP;
const TWO32 = 4294967296;
/** The boot exception vector (Status.BEV = 1): 0xbfc00200 + 0x180. */
const BEV_VECTOR = 0xbfc0_0380;
/** Where a CPU starts: the reset vector. */
const RESET_PC = 0xbfc0_0000;

const BUDGET: RunResult = Object.freeze({ stop: 'budget' });

/** Decode tables by page, shared by every MIPS CPU on any memory. */
const decodeTables = new DecodeTables();

/** pt_regs order (arch/mips/include/asm/ptrace.h): regs[32], cp0_status, hi, lo, cp0_badvaddr, cp0_cause, cp0_epc. */
const REG_NAMES: readonly string[] = [
  ...Array.from({ length: 32 }, (_, i) => `r${i}`),
  'cp0_status',
  'hi',
  'lo',
  'cp0_badvaddr',
  'cp0_cause',
  'cp0_epc',
];
const PT_STATUS = 32;
const PT_HI = 33;
const PT_LO = 34;
const PT_BADVADDR = 35;
const PT_CAUSE = 36;
const PT_EPC = 37;

const ABI_NAMES = [
  'zero', 'at', 'v0', 'v1', 'a0', 'a1', 'a2', 'a3',
  't0', 't1', 't2', 't3', 't4', 't5', 't6', 't7',
  's0', 's1', 's2', 's3', 's4', 's5', 's6', 's7',
  't8', 't9', 'k0', 'k1', 'gp', 'sp', 'fp', 'ra',
];

/** Names accepted by getReg/setReg that index pt_regs: regNames, ABI names, Linux's probe-event names (c0_*), `$n`. */
const PT_INDEX = new Map<string, number>([
  ...REG_NAMES.map((n, i) => [n, i] as [string, number]),
  ...ABI_NAMES.map((n, i) => [n, i] as [string, number]),
  ...Array.from({ length: 32 }, (_, i) => [`$${i}`, i] as [string, number]),
  ['s8', 30],
  ['c0_status', PT_STATUS],
  ['c0_badvaddr', PT_BADVADDR],
  ['c0_cause', PT_CAUSE],
  ['c0_epc', PT_EPC],
]);

/** Layout of saveContext() words. */
const CTX_GPR = 0; // r0..r31, HI, LO: 34 words
const CTX_PC = 34;
const CTX_DS = 35;
const CTX_DS_TARGET = 36;
const CTX_CP0 = 37;
const CTX_COUNT = CTX_CP0 + C0_STORE_COUNT;
const CTX_ARMED = CTX_COUNT + 1;
const CTX_TIMER = CTX_COUNT + 2;
const CTX_LL_BIT = CTX_COUNT + 3;
const CTX_LL_ADDR = CTX_COUNT + 4;
const CTX_LL_VALUE = CTX_COUNT + 5;
const CTX_WORDS = CTX_COUNT + 6;

export interface MipsCpuOptions {
  /** EBase.CPUNum (also rdhwr $0). */
  cpuIndex?: number;
}

export class MipsCpu implements Cpu {
  readonly arch: ArchName = 'mips';
  readonly regNames = REG_NAMES;
  readonly cpuIndex: number;

  /** GPRs 0..31, then REG_DISCARD, HI, LO (ops.ts), as Int32 bit patterns. */
  readonly r = new Int32Array(REG_COUNT);
  /** Stored CP0 registers (cp0.ts C0_* slots). */
  private readonly cp0 = new Int32Array(C0_STORE_COUNT);
  private pcv = RESET_PC;
  /** 1 when pc is a delay slot whose branch already ran (a budget stop between them); dsTarget is where it goes. */
  private ds = 0;
  private dsTarget = 0;
  private _retired = 0;
  /** 1 in user mode (Status.UM set, EXL and ERL clear): the privilege of every access. */
  private user = 0;

  // LL/SC, QEMU style: sc succeeds if the word still holds what ll read (so another CPU's store
  // in between fails it too), and eret clears the link.
  private llBit = 0;
  private llAddr = 0;
  private llValue = 0;

  // Count = retired + countOffset. The timer interrupt (Cause.TI) is pending once Count has
  // advanced from armedCount to Compare; evaluated when Cause is read.
  private countOffset = 0;
  private armedCount = 0;
  private timerPending = 0;

  // The last exception stop, for takeException: its EPC and BD, and where execution continues.
  private lastStop: CpuException | undefined;
  private stopEpc = 0;
  private stopBD = 0;
  private stopResume = 0;
  /** Code of a conditional trap that fired in exec2 (the breakpoint's imm). */
  private trapCode = 0;

  // Translation caches.
  private memGen = -1;
  private readonly rtag = new Int32Array(ACCESS_CACHE_SIZE).fill(-1);
  private readonly rview = emptyReadSlots();
  private readonly wtag = new Int32Array(ACCESS_CACHE_SIZE).fill(-1);
  private readonly wpage = emptyWriteSlots();
  private readonly code: CodePageCache;

  constructor(
    readonly memory: Memory,
    options: MipsCpuOptions = {},
  ) {
    if (memory.littleEndian) throw new Error('mips CPU needs a big-endian memory');
    if (memory.kernelBase !== KUSEG_END) throw new Error('mips CPU needs a memory whose kernel half starts at 0x80000000');
    this.cpuIndex = options.cpuIndex ?? 0;
    this.code = new CodePageCache(memory, decodeTables, KUSEG_END);
    for (const d of CP0_REGS) if (d.store >= 0) this.cp0[d.store] = d.reset;
    this.cp0[C0_EBASE] |= this.cpuIndex & 0x3ff;
    memory.onCodeWrite((address, length) => this.flushCode(address, length));
  }

  get retired(): number {
    return this._retired;
  }

  get pc(): number {
    return this.pcv;
  }
  set pc(value: number) {
    this.pcv = value >>> 0;
    this.ds = 0;
  }

  get userMode(): boolean {
    return this.user === 1;
  }

  /** True if the last exception stop was in a delay slot (Cause.BD): its instruction is at pc + 4. */
  get exceptionInDelaySlot(): boolean {
    return this.lastStop !== undefined && this.stopBD === 1;
  }

  // --- the interpreter ----------------------------------------------------------------------

  run(budget: number): RunResult {
    if (this.memory.generation !== this.memGen) this.flushTlbs();
    const r = this.r;
    let n = 0;
    let ds = this.ds;
    let dsTarget = this.dsTarget;
    let base = this.pcv - FORCE;
    let po = FORCE;
    let ops = NO_CODE_PAGE.ops;
    let cv = NO_CODE_PAGE.view;
    let exc: CpuException | undefined;
    this.lastStop = undefined;
    try {
      loop: while (n < budget) {
        if ((po & 0xfffff003) !== 0) {
          // The pc left the page, was set, or is misaligned: look its page up. base + po is the pc.
          const pc = (base + po) >>> 0;
          if ((pc & 3) !== 0) {
            exc = { kind: 'fault', pc: this.stopAt(pc, 0, -1), address: pc, access: 'exec', reason: 'alignment' };
            break;
          }
          const e = this.code.lookup(pc, this.user);
          ops = e.ops;
          cv = e.view;
          base = e.base;
          po = pc - base;
        }
        switch (ops[po]!) {
          case 0: // UNDECODED: decode this word into the page's table, then dispatch it
            decodeInto(cv.getUint32(po), ops, po);
            continue;
          case 1: // UNDEF
            exc = { kind: 'undefined', pc: this.stopAt(base + po, ds, -1), insn: cv.getUint32(po) };
            break loop;
          case 2: // NOP
            break;
          case 3: // SLL
            r[ops[po + 1]!] = r[ops[po + 2]!]! << ops[po + 3]!;
            break;
          case 4: // SRL
            r[ops[po + 1]!] = r[ops[po + 2]!]! >>> ops[po + 3]!;
            break;
          case 5: // SRA
            r[ops[po + 1]!] = r[ops[po + 2]!]! >> ops[po + 3]!;
            break;
          case 6: { // ROTR
            const v = r[ops[po + 2]!]!;
            const s = ops[po + 3]!;
            r[ops[po + 1]!] = (v >>> s) | (v << (32 - s));
            break;
          }
          case 7: // SLLV (JavaScript shifts use the low 5 bits of the count, as MIPS does)
            r[ops[po + 1]!] = r[ops[po + 2]!]! << r[ops[po + 3]!]!;
            break;
          case 8: // SRLV
            r[ops[po + 1]!] = r[ops[po + 2]!]! >>> r[ops[po + 3]!]!;
            break;
          case 9: // SRAV
            r[ops[po + 1]!] = r[ops[po + 2]!]! >> r[ops[po + 3]!]!;
            break;
          case 10: { // ROTRV
            const v = r[ops[po + 2]!]!;
            const s = r[ops[po + 3]!]! & 31;
            r[ops[po + 1]!] = (v >>> s) | (v << (32 - s));
            break;
          }
          case 11: // ADDU
            r[ops[po + 1]!] = (r[ops[po + 2]!]! + r[ops[po + 3]!]!) | 0;
            break;
          case 12: // SUBU
            r[ops[po + 1]!] = (r[ops[po + 2]!]! - r[ops[po + 3]!]!) | 0;
            break;
          case 13: // AND
            r[ops[po + 1]!] = r[ops[po + 2]!]! & r[ops[po + 3]!]!;
            break;
          case 14: // OR
            r[ops[po + 1]!] = r[ops[po + 2]!]! | r[ops[po + 3]!]!;
            break;
          case 15: // XOR
            r[ops[po + 1]!] = r[ops[po + 2]!]! ^ r[ops[po + 3]!]!;
            break;
          case 16: // NOR
            r[ops[po + 1]!] = ~(r[ops[po + 2]!]! | r[ops[po + 3]!]!);
            break;
          case 17: // SLT
            r[ops[po + 1]!] = r[ops[po + 2]!]! < r[ops[po + 3]!]! ? 1 : 0;
            break;
          case 18: // SLTU
            r[ops[po + 1]!] = r[ops[po + 2]!]! >>> 0 < r[ops[po + 3]!]! >>> 0 ? 1 : 0;
            break;
          case 19: // MOVZ
            if (r[ops[po + 3]!] === 0) r[ops[po + 1]!] = r[ops[po + 2]!]!;
            break;
          case 20: // MOVN
            if (r[ops[po + 3]!] !== 0) r[ops[po + 1]!] = r[ops[po + 2]!]!;
            break;
          case 21: // MOVE
            r[ops[po + 1]!] = r[ops[po + 2]!]!;
            break;
          case 22: { // MULT
            const a = r[ops[po + 2]!]!;
            const b = r[ops[po + 3]!]!;
            r[REG_LO] = Math.imul(a, b);
            r[REG_HI] = mulHigh(a, b);
            break;
          }
          case 23: { // MULTU
            const a = r[ops[po + 2]!]!;
            const b = r[ops[po + 3]!]!;
            r[REG_LO] = Math.imul(a, b);
            r[REG_HI] = mulHigh(a >>> 0, b >>> 0);
            break;
          }
          case 24: // MUL (HI and LO are left as they were, as QEMU leaves them)
            r[ops[po + 1]!] = Math.imul(r[ops[po + 2]!]!, r[ops[po + 3]!]!);
            break;
          case 25: // ADDIU
            r[ops[po + 1]!] = (r[ops[po + 2]!]! + ops[po + 3]!) | 0;
            break;
          case 26: // SLTI
            r[ops[po + 1]!] = r[ops[po + 2]!]! < ops[po + 3]! ? 1 : 0;
            break;
          case 27: // SLTIU (the immediate is sign-extended, then compared unsigned)
            r[ops[po + 1]!] = r[ops[po + 2]!]! >>> 0 < ops[po + 3]! >>> 0 ? 1 : 0;
            break;
          case 28: // ANDI
            r[ops[po + 1]!] = r[ops[po + 2]!]! & ops[po + 3]!;
            break;
          case 29: // ORI
            r[ops[po + 1]!] = r[ops[po + 2]!]! | ops[po + 3]!;
            break;
          case 30: // XORI
            r[ops[po + 1]!] = r[ops[po + 2]!]! ^ ops[po + 3]!;
            break;
          case 31: // LI
            r[ops[po + 1]!] = ops[po + 3]!;
            break;
          case 32: // LB
            r[ops[po + 1]!] = (this.ld8((r[ops[po + 2]!]! + ops[po + 3]!) | 0) << 24) >> 24;
            break;
          case 33: // LBU
            r[ops[po + 1]!] = this.ld8((r[ops[po + 2]!]! + ops[po + 3]!) | 0);
            break;
          case 34: // LH
            r[ops[po + 1]!] = (this.ld16((r[ops[po + 2]!]! + ops[po + 3]!) | 0) << 16) >> 16;
            break;
          case 35: // LHU
            r[ops[po + 1]!] = this.ld16((r[ops[po + 2]!]! + ops[po + 3]!) | 0);
            break;
          case 36: // LW
            r[ops[po + 1]!] = this.ld32((r[ops[po + 2]!]! + ops[po + 3]!) | 0);
            break;
          case 37: // SB
            this.st8((r[ops[po + 2]!]! + ops[po + 3]!) | 0, r[ops[po + 1]!]!);
            break;
          case 38: // SH
            this.st16((r[ops[po + 2]!]! + ops[po + 3]!) | 0, r[ops[po + 1]!]!);
            break;
          case 39: // SW
            this.st32((r[ops[po + 2]!]! + ops[po + 3]!) | 0, r[ops[po + 1]!]!);
            break;
          // Branches: the target (or the fall-through, pc + 8) goes to dsTarget, the slot runs next.
          // Kept unrolled for speed: measured, sharing the delay-slot check and the jump through
          // labelled blocks (break inSlot / break branch) ran bench/cpu-mips.ts about 3-4% slower.
          case 40: // BEQ
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            dsTarget = (base + po + (r[ops[po + 1]!] === r[ops[po + 2]!] ? ops[po + 3]! : 8)) >>> 0;
            ds = 1;
            po += 4;
            n++;
            continue;
          case 41: // BNE
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            dsTarget = (base + po + (r[ops[po + 1]!] !== r[ops[po + 2]!] ? ops[po + 3]! : 8)) >>> 0;
            ds = 1;
            po += 4;
            n++;
            continue;
          case 42: // BLEZ
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            dsTarget = (base + po + (r[ops[po + 1]!]! <= 0 ? ops[po + 3]! : 8)) >>> 0;
            ds = 1;
            po += 4;
            n++;
            continue;
          case 43: // BGTZ
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            dsTarget = (base + po + (r[ops[po + 1]!]! > 0 ? ops[po + 3]! : 8)) >>> 0;
            ds = 1;
            po += 4;
            n++;
            continue;
          case 44: // BLTZ
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            dsTarget = (base + po + (r[ops[po + 1]!]! < 0 ? ops[po + 3]! : 8)) >>> 0;
            ds = 1;
            po += 4;
            n++;
            continue;
          case 45: // BGEZ
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            dsTarget = (base + po + (r[ops[po + 1]!]! >= 0 ? ops[po + 3]! : 8)) >>> 0;
            ds = 1;
            po += 4;
            n++;
            continue;
          case 46: // B
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            dsTarget = (base + po + ops[po + 3]!) >>> 0;
            ds = 1;
            po += 4;
            n++;
            continue;
          case 47: // BAL
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            r[31] = (base + po + 8) | 0;
            dsTarget = (base + po + ops[po + 3]!) >>> 0;
            ds = 1;
            po += 4;
            n++;
            continue;
          case 48: { // BLTZAL (the condition reads rs before the link is written)
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            const taken = r[ops[po + 1]!]! < 0;
            r[31] = (base + po + 8) | 0;
            dsTarget = (base + po + (taken ? ops[po + 3]! : 8)) >>> 0;
            ds = 1;
            po += 4;
            n++;
            continue;
          }
          case 49: { // BGEZAL
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            const taken = r[ops[po + 1]!]! >= 0;
            r[31] = (base + po + 8) | 0;
            dsTarget = (base + po + (taken ? ops[po + 3]! : 8)) >>> 0;
            ds = 1;
            po += 4;
            n++;
            continue;
          }
          case 50: // J: the 256 MB region of the slot
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            dsTarget = (((base + po + 4) & 0xf000_0000) | ops[po + 3]!) >>> 0;
            ds = 1;
            po += 4;
            n++;
            continue;
          case 51: // JAL
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            r[31] = (base + po + 8) | 0;
            dsTarget = (((base + po + 4) & 0xf000_0000) | ops[po + 3]!) >>> 0;
            ds = 1;
            po += 4;
            n++;
            continue;
          case 52: // JR
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            dsTarget = r[ops[po + 1]!]! >>> 0;
            ds = 1;
            po += 4;
            n++;
            continue;
          case 53: { // JALR (the target is read before the link is written)
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            const target = r[ops[po + 2]!]! >>> 0;
            r[ops[po + 1]!] = (base + po + 8) | 0;
            dsTarget = target;
            ds = 1;
            po += 4;
            n++;
            continue;
          }
          // Branch likely: not taken skips (annuls) the slot.
          case 54: // BEQL
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            n++;
            if (r[ops[po + 1]!] === r[ops[po + 2]!]) {
              dsTarget = (base + po + ops[po + 3]!) >>> 0;
              ds = 1;
              po += 4;
            } else po += 8;
            continue;
          case 55: // BNEL
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            n++;
            if (r[ops[po + 1]!] !== r[ops[po + 2]!]) {
              dsTarget = (base + po + ops[po + 3]!) >>> 0;
              ds = 1;
              po += 4;
            } else po += 8;
            continue;
          case 56: // BLEZL
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            n++;
            if (r[ops[po + 1]!]! <= 0) {
              dsTarget = (base + po + ops[po + 3]!) >>> 0;
              ds = 1;
              po += 4;
            } else po += 8;
            continue;
          case 57: // BGTZL
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            n++;
            if (r[ops[po + 1]!]! > 0) {
              dsTarget = (base + po + ops[po + 3]!) >>> 0;
              ds = 1;
              po += 4;
            } else po += 8;
            continue;
          case 58: // BLTZL
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            n++;
            if (r[ops[po + 1]!]! < 0) {
              dsTarget = (base + po + ops[po + 3]!) >>> 0;
              ds = 1;
              po += 4;
            } else po += 8;
            continue;
          case 59: // BGEZL
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            n++;
            if (r[ops[po + 1]!]! >= 0) {
              dsTarget = (base + po + ops[po + 3]!) >>> 0;
              ds = 1;
              po += 4;
            } else po += 8;
            continue;
          case 60: { // BLTZALL (the link is written whether or not the branch is taken)
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            n++;
            const taken = r[ops[po + 1]!]! < 0;
            r[31] = (base + po + 8) | 0;
            if (taken) {
              dsTarget = (base + po + ops[po + 3]!) >>> 0;
              ds = 1;
              po += 4;
            } else po += 8;
            continue;
          }
          case 61: { // BGEZALL
            if (ds !== 0) {
              exc = this.branchInSlot(base + po, cv.getUint32(po));
              break loop;
            }
            n++;
            const taken = r[ops[po + 1]!]! >= 0;
            r[31] = (base + po + 8) | 0;
            if (taken) {
              dsTarget = (base + po + ops[po + 3]!) >>> 0;
              ds = 1;
              po += 4;
            } else po += 8;
            continue;
          }
          case 62: // SEB
            r[ops[po + 1]!] = (r[ops[po + 2]!]! << 24) >> 24;
            break;
          case 63: // SEH
            r[ops[po + 1]!] = (r[ops[po + 2]!]! << 16) >> 16;
            break;
          case 64: { // WSBH
            const v = r[ops[po + 2]!]!;
            r[ops[po + 1]!] = ((v & 0x00ff00ff) << 8) | ((v >>> 8) & 0x00ff00ff);
            break;
          }
          case 65: // CLZ
            r[ops[po + 1]!] = Math.clz32(r[ops[po + 2]!]!);
            break;
          case 66: // CLO
            r[ops[po + 1]!] = Math.clz32(~r[ops[po + 2]!]!);
            break;
          case 67: { // EXT
            const f = ops[po + 1]!;
            r[f & 255] = (r[f >> 8]! >>> ops[po + 2]!) & ops[po + 3]!;
            break;
          }
          case 68: { // INS
            const f = ops[po + 1]!;
            const lsb = ops[po + 2]!;
            const mask = ops[po + 3]!;
            r[f & 255] = (r[(f >> 8) & 255]! & ~(mask << lsb)) | ((r[f >> 16]! & mask) << lsb);
            break;
          }
          case 69: // DIV
            this.divide(r[ops[po + 2]!]!, r[ops[po + 3]!]!);
            break;
          case 70: // DIVU
            this.divide(r[ops[po + 2]!]! >>> 0, r[ops[po + 3]!]! >>> 0);
            break;
          case 71: // MADD
            this.accumulate(r[ops[po + 2]!]!, r[ops[po + 3]!]!, false);
            break;
          case 72: // MADDU
            this.accumulate(r[ops[po + 2]!]! >>> 0, r[ops[po + 3]!]! >>> 0, false);
            break;
          case 73: // MSUB
            this.accumulate(r[ops[po + 2]!]!, r[ops[po + 3]!]!, true);
            break;
          case 74: // MSUBU
            this.accumulate(r[ops[po + 2]!]! >>> 0, r[ops[po + 3]!]! >>> 0, true);
            break;
          case 75: { // LWL: the bytes from the address to the end of its word, into rt's high end
            const a = (r[ops[po + 2]!]! + ops[po + 3]!) | 0;
            const w = this.wordOf(a, 'read');
            const t = ops[po + 1]!;
            const sh = (a & 3) << 3;
            if (t !== 0) r[t] = sh === 0 ? w : (w << sh) | (r[t]! & ((1 << sh) - 1));
            break;
          }
          case 76: { // LWR: the bytes from the start of the word to the address, into rt's low end
            const a = (r[ops[po + 2]!]! + ops[po + 3]!) | 0;
            const w = this.wordOf(a, 'read');
            const t = ops[po + 1]!;
            const sh = (3 - (a & 3)) << 3;
            if (t !== 0) r[t] = (r[t]! & ~(-1 >>> sh)) | (w >>> sh);
            break;
          }
          case 77: { // SWL: rt's high end into the bytes from the address to the end of its word
            const a = (r[ops[po + 2]!]! + ops[po + 3]!) | 0;
            const v = r[ops[po + 1]!]!;
            const sh = (a & 3) << 3;
            this.setWordOf(a, sh === 0 ? v : (this.wordOf(a, 'write') & ~(-1 >>> sh)) | (v >>> sh));
            break;
          }
          case 78: { // SWR: rt's low end into the bytes from the start of the word to the address
            const a = (r[ops[po + 2]!]! + ops[po + 3]!) | 0;
            const v = r[ops[po + 1]!]!;
            const sh = (3 - (a & 3)) << 3;
            this.setWordOf(a, sh === 0 ? v : (v << sh) | (this.wordOf(a, 'write') & ((1 << sh) - 1)));
            break;
          }
          case 79: { // SYSCALL: reported with pc past it (past the branch's jump when in a slot)
            n++;
            const at = (base + po) >>> 0;
            const resume = ds !== 0 ? dsTarget : (at + 4) >>> 0;
            this.stopAt(at, ds, resume);
            exc = { kind: 'syscall', pc: resume, imm: ops[po + 3]! };
            break loop;
          }
          case 80: // BREAK: imm is the 20-bit code field (Linux's do_bp() splits it)
            exc = { kind: 'breakpoint', pc: this.stopAt(base + po, ds, -1), imm: ops[po + 3]!, insn: cv.getUint32(po) };
            break loop;
          case 81: // ERET: no delay slot; to ErrorEPC if ERL, else EPC
            if (!this.cop0Usable() || ds !== 0) {
              exc = { kind: 'undefined', pc: this.stopAt(base + po, ds, -1), insn: cv.getUint32(po) };
              break loop;
            }
            n++;
            base = this.eret() - FORCE;
            po = FORCE;
            continue;
          case 82: { // WAIT: the CPU idles until an interrupt; stops as 'halt' with pc past it
            if (!this.cop0Usable()) {
              exc = { kind: 'undefined', pc: this.stopAt(base + po, ds, -1), insn: cv.getUint32(po) };
              break loop;
            }
            n++;
            const at = (base + po) >>> 0;
            exc = { kind: 'halt', pc: this.stopAt(at, ds, ds !== 0 ? dsTarget : (at + 4) >>> 0) };
            break loop;
          }
          case 83: { // HYPCALL: the machine's hypercall (kernel mode), pc past it
            if (this.user === 1) {
              exc = { kind: 'undefined', pc: this.stopAt(base + po, ds, -1), insn: cv.getUint32(po) };
              break loop;
            }
            n++;
            const at = (base + po) >>> 0;
            const resume = ds !== 0 ? dsTarget : (at + 4) >>> 0;
            this.stopAt(at, ds, resume);
            exc = { kind: 'hypercall', pc: resume, imm: ops[po + 3]! };
            break loop;
          }
          case 84: { // MTC0: a Status write can change the privilege, so refetch after it
            if (!this.mtc0(ops[po + 2]!, r[ops[po + 1]!]!, n)) {
              exc = { kind: 'undefined', pc: this.stopAt(base + po, ds, -1), insn: cv.getUint32(po) };
              break loop;
            }
            n++;
            const next = ds !== 0 ? dsTarget : (base + po + 4) >>> 0;
            ds = 0;
            base = next - FORCE;
            po = FORCE;
            continue;
          }
          default: {
            const res = this.exec2(ops[po]!, ops, po, n);
            if (res !== 0) {
              const pc = this.stopAt(base + po, ds, -1);
              const insn = cv.getUint32(po);
              exc = res === 2 ? { kind: 'breakpoint', pc, imm: this.trapCode, insn } : { kind: 'undefined', pc, insn };
              break loop;
            }
          }
        }
        n++;
        if (ds === 0) po += 4;
        else {
          // The slot ran: jump.
          ds = 0;
          const off = dsTarget - base;
          if (off >= 0 && off < 4096) po = off;
          else {
            base = dsTarget - FORCE;
            po = FORCE;
          }
        }
      }
    } catch (err) {
      exc = faultStop(err, this.stopAt(base + po, ds, -1));
    }
    this._retired += n;
    if (exc === undefined) {
      this.pcv = (base + po) >>> 0;
      this.ds = ds;
      this.dsTarget = dsTarget;
      return BUDGET;
    }
    this.ds = 0;
    this.pcv = this.stopResume;
    this.lastStop = exc;
    this.recordCause(exc, this.stopBD);
    return { stop: 'exception', exception: exc };
  }

  /**
   * Ops outside the main loop. Returns 0; 1 when the instruction raises an exception that the
   * stop reports as 'undefined' (Reserved Instruction, Coprocessor Unusable, Integer Overflow:
   * exceptions.ts tells them apart); 2 when a conditional trap fires (code in trapCode).
   */
  private exec2(op: number, ops: Int32Array, k: number, n: number): number {
    const r = this.r;
    const a = ops[k + 1]!;
    const b = ops[k + 2]!;
    const c = ops[k + 3]!;
    switch (op) {
      case 100: { // ADD
        const x = r[b]!;
        const y = r[c]!;
        const sum = (x + y) | 0;
        if (((x ^ sum) & (y ^ sum)) < 0) return 1;
        r[a] = sum;
        return 0;
      }
      case 101: { // SUB
        const x = r[b]!;
        const y = r[c]!;
        const diff = (x - y) | 0;
        if (((x ^ y) & (x ^ diff)) < 0) return 1;
        r[a] = diff;
        return 0;
      }
      case 102: { // ADDI
        const x = r[b]!;
        const sum = (x + c) | 0;
        if (((x ^ sum) & (c ^ sum)) < 0) return 1;
        r[a] = sum;
        return 0;
      }
      case 103: // TRAP
        if (!trapHolds(c & 15, r[a]!, r[b]!)) return 0;
        this.trapCode = (c >> 4) & 0x3ff;
        return 2;
      case 104: // TRAPI
        if (!trapHolds(b, r[a]!, c)) return 0;
        this.trapCode = 0;
        return 2;
      case 105: { // LL
        const addr = (r[b]! + c) | 0;
        const v = this.ld32(addr);
        r[a] = v;
        this.llBit = 1;
        this.llAddr = addr;
        this.llValue = v;
        return 0;
      }
      case 106: { // SC
        const addr = (r[b]! + c) | 0;
        if ((addr & 3) !== 0) throw new AlignmentFault(addr >>> 0, 'write');
        let ok = 0;
        if (this.llBit === 1 && addr === this.llAddr && this.ld32(addr) === this.llValue) {
          this.st32(addr, r[a]!);
          ok = 1;
        }
        this.llBit = 0;
        r[a === 0 ? REG_DISCARD : a] = ok;
        return 0;
      }
      case 107: { // MFC0
        if (!this.cop0Usable()) return 1;
        const d = CP0_BY_KEY[b];
        if (d === undefined) return 1;
        r[a] = this.readCp0(d, n);
        return 0;
      }
      case 108: // DI
      case 109: { // EI
        if (!this.cop0Usable()) return 1;
        const st = this.cp0[C0_STATUS]!;
        r[a] = st;
        this.cp0[C0_STATUS] = op === 109 ? st | ST_IE : st & ~ST_IE;
        return 0;
      }
      case 110: { // RDHWR: kernel mode, CU0, or the register's HWREna bit
        if (this.user === 1 && !this.cop0Usable() && ((this.cp0[C0_HWRENA]! >>> b) & 1) === 0) return 1;
        switch (b) {
          case 0: // $0 CPUNum
            r[a] = this.cp0[C0_EBASE]! & 0x3ff;
            return 0;
          case 1: // $1 SYNCI_Step: no caches, nothing to synchronise
            r[a] = 0;
            return 0;
          case 2: // $2 CC: the cycle counter is Count
            r[a] = (this._retired + n + this.countOffset) | 0;
            return 0;
          case 3: // $3 CCRes: Count advances by one per retired instruction
            r[a] = 1;
            return 0;
          case 29: // $29 ULR: UserLocal, the TLS pointer
            r[a] = this.cp0[C0_USERLOCAL]!;
            return 0;
          default:
            return 1;
        }
      }
      case 111: // CACHE: no caches; kernel only
        return this.cop0Usable() ? 0 : 1;
      case 112: // PGPR: one shadow register set, so rdpgpr/wrpgpr are moves
        if (!this.cop0Usable()) return 1;
        r[a] = r[b]!;
        return 0;
      default:
        return 1;
    }
  }

  /**
   * DIV/DIVU of a by b (Int32 values, or both unsigned for DIVU) into LO (quotient) and HI
   * (remainder). No trap on zero; QEMU's results for x/0 and INT_MIN/-1: LO = x, HI = 0.
   */
  private divide(a: number, b: number): void {
    const r = this.r;
    if (b === 0 || (b === -1 && a === -0x8000_0000)) {
      r[REG_LO] = a;
      r[REG_HI] = 0;
    } else {
      r[REG_LO] = (a / b) | 0;
      r[REG_HI] = a % b;
    }
  }

  /** MADD/MSUB(U): (HI, LO) += or -= the 64-bit product a × b (Int32 values, or both unsigned for the U forms). */
  private accumulate(a: number, b: number, subtract: boolean): void {
    const r = this.r;
    const phi = mulHigh(a, b);
    const p = Math.imul(a, b) >>> 0;
    const lo = r[REG_LO]! >>> 0;
    if (!subtract) {
      const sum = lo + p;
      r[REG_HI] = (r[REG_HI]! + phi + (sum > 0xffff_ffff ? 1 : 0)) | 0;
      r[REG_LO] = sum | 0;
    } else {
      r[REG_HI] = (r[REG_HI]! - phi - (lo < p ? 1 : 0)) | 0;
      r[REG_LO] = (lo - p) | 0;
    }
  }

  /** Kernel mode, or user mode with Status.CU0: COP0 instructions are allowed. */
  private cop0Usable(): boolean {
    return this.user === 0 || (this.cp0[C0_STATUS]! & ST_CU0) !== 0;
  }

  /**
   * Note an exception stop of the instruction at `at` (ds: it is a delay slot). Returns the EPC
   * (the branch when in a slot); the CPU resumes at `resume`, or at the EPC when resume < 0.
   */
  private stopAt(at: number, ds: number, resume: number): number {
    const pc = at >>> 0;
    const epc = ds !== 0 ? (pc - 4) >>> 0 : pc;
    this.stopEpc = epc;
    this.stopBD = ds;
    this.stopResume = resume < 0 ? epc : resume;
    return epc;
  }

  /** A branch or jump in a delay slot: Reserved Instruction, reported at the first branch. */
  private branchInSlot(at: number, insn: number): CpuException {
    return { kind: 'undefined', pc: this.stopAt(at, 1, -1), insn };
  }

  // --- memory ---------------------------------------------------------------------------------

  private flushTlbs(): void {
    this.rtag.fill(-1);
    this.wtag.fill(-1);
    this.code.clear();
    this.memGen = this.memory.generation;
  }

  // Loads and stores take the address as an Int32 bit pattern. The fast path hits when the page
  // is in the cache for the current privilege; everything else (first touch, devices, faults,
  // pages holding decoded code) goes through the slow path and Memory.

  /** The cached view of the page a load from `a` reads; undefined when it is not cached at this privilege (the slow path). */
  private loadView(a: number): DataView | undefined {
    const pn = a >>> 12;
    const i = pn & CACHE_MASK;
    return this.rtag[i] === ((pn << 1) | this.user) ? this.rview[i] : undefined;
  }

  private ld8(a: number): number {
    const v = this.loadView(a);
    return v !== undefined ? v.getUint8(a & 4095) : this.ldSlow(a, 1);
  }

  private ld16(a: number): number {
    if ((a & 1) !== 0) throw new AlignmentFault(a >>> 0, 'read');
    const v = this.loadView(a);
    return v !== undefined ? v.getUint16(a & 4095) : this.ldSlow(a, 2);
  }

  private ld32(a: number): number {
    if ((a & 3) !== 0) throw new AlignmentFault(a >>> 0, 'read');
    const v = this.loadView(a);
    return v !== undefined ? v.getInt32(a & 4095) : this.ldSlow(a, 4);
  }

  /**
   * The aligned word holding byte address `a`, for lwl/lwr/swl/swr (read-modify-write for the
   * stores, so `access` is the instruction's): a fault reports `a` itself, as BadVAddr would.
   */
  private wordOf(a: number, access: 'read' | 'write'): number {
    try {
      return this.ld32(a & ~3);
    } catch (err) {
      throw err instanceof MemoryFault ? new MemoryFault(a >>> 0, access, err.reason) : err;
    }
  }

  private setWordOf(a: number, v: number): void {
    try {
      this.st32(a & ~3, v);
    } catch (err) {
      throw err instanceof MemoryFault ? new MemoryFault(a >>> 0, 'write', err.reason) : err;
    }
  }

  /** The page a load or store at `ua` reaches at the current privilege (in user mode, kseg0 and above is an address error). */
  private dataPage(ua: number, access: 'read' | 'write'): Page {
    const user = this.user === 1;
    if (user && ua >= KUSEG_END) throw new MemoryFault(ua, access, 'permission');
    return this.memory.translate(ua, access, user);
  }

  private ldSlow(a: number, size: number): number {
    const ua = a >>> 0;
    const page = this.dataPage(ua, 'read');
    if (!page.device) {
      const pn = ua >>> 12;
      const i = pn & CACHE_MASK;
      this.rtag[i] = (pn << 1) | this.user;
      this.rview[i] = page.view;
      const off = ua & 4095;
      if (size === 1) return page.view.getUint8(off);
      if (size === 2) return page.view.getUint16(off);
      return page.view.getInt32(off);
    }
    const mem = this.memory;
    const user = this.user === 1;
    if (size === 1) return mem.read8(ua, user);
    if (size === 2) return mem.read16(ua, user);
    return mem.read32(ua, user) | 0;
  }

  /** The cached page a store to `a` writes; undefined when it is not cached at this privilege or holds code (the slow path). */
  private storePage(a: number): Page | undefined {
    const pn = a >>> 12;
    const i = pn & CACHE_MASK;
    if (this.wtag[i] === ((pn << 1) | this.user)) {
      const p = this.wpage[i]!;
      if (!p.hasCode) return p;
    }
    return undefined;
  }

  private st8(a: number, v: number): void {
    const p = this.storePage(a);
    if (p !== undefined) p.data[a & 4095] = v;
    else this.stSlow(a, 1, v);
  }

  private st16(a: number, v: number): void {
    if ((a & 1) !== 0) throw new AlignmentFault(a >>> 0, 'write');
    const p = this.storePage(a);
    if (p !== undefined) p.view.setUint16(a & 4095, v);
    else this.stSlow(a, 2, v);
  }

  private st32(a: number, v: number): void {
    if ((a & 3) !== 0) throw new AlignmentFault(a >>> 0, 'write');
    const p = this.storePage(a);
    if (p !== undefined) p.view.setInt32(a & 4095, v);
    else this.stSlow(a, 4, v);
  }

  private stSlow(a: number, size: number, v: number): void {
    const ua = a >>> 0;
    const page = this.dataPage(ua, 'write');
    if (!page.device) {
      const pn = ua >>> 12;
      const i = pn & CACHE_MASK;
      this.wtag[i] = (pn << 1) | this.user;
      this.wpage[i] = page;
      if (!page.hasCode) {
        const off = ua & 4095;
        if (size === 1) page.view.setUint8(off, v);
        else if (size === 2) page.view.setUint16(off, v);
        else page.view.setInt32(off, v);
        return;
      }
    }
    // Devices and pages holding code (Memory tells the decode caches).
    const mem = this.memory;
    const user = this.user === 1;
    if (size === 1) mem.write8(ua, v & 0xff, user);
    else if (size === 2) mem.write16(ua, v & 0xffff, user);
    else mem.write32(ua, v >>> 0, user);
  }

  /** Forget decoded instructions in [address, address+length). */
  flushCode(address: number, length: number): void {
    decodeTables.forget(this.memory, address, length);
  }

  // --- Coprocessor 0 ----------------------------------------------------------------------------

  private setStatus(v: number): void {
    const st = v & STATUS_WRITABLE;
    this.cp0[C0_STATUS] = st;
    this.user = (st & (ST_UM | ST_EXL | ST_ERL)) === ST_UM ? 1 : 0;
  }

  /** Count, `n` instructions into the current run. */
  private count(n: number): number {
    return (this._retired + n + this.countOffset) | 0;
  }

  /** Latch the timer interrupt if Count has reached Compare since it was armed. */
  private checkTimer(n: number): void {
    if (this.timerPending) return;
    const distance = (this.cp0[C0_COMPARE]! - this.armedCount) >>> 0 || TWO32;
    if ((this.count(n) - this.armedCount) >>> 0 >= distance) this.timerPending = 1;
  }

  private cause(n: number): number {
    this.checkTimer(n);
    return this.timerPending ? this.cp0[C0_CAUSE]! | CAUSE_TI | CAUSE_IP7 : this.cp0[C0_CAUSE]!;
  }

  private readCp0(d: Cp0Reg, n: number): number {
    switch (d.kind) {
      case Cp0Kind.Const:
        return d.reset;
      case Cp0Kind.Count:
        return this.count(n);
      case Cp0Kind.Cause:
        return this.cause(n);
      default:
        return this.cp0[d.store]!;
    }
  }

  /** mtc0 (or setReg of a CP0 name): only the writable bits change. */
  private writeCp0(d: Cp0Reg, v: number, n: number): void {
    switch (d.kind) {
      case Cp0Kind.Const:
        return;
      case Cp0Kind.Count:
        this.checkTimer(n);
        this.countOffset = (v - (this._retired + n)) | 0;
        this.armedCount = v | 0;
        return;
      case Cp0Kind.Compare:
        this.cp0[d.store] = v;
        this.timerPending = 0;
        this.armedCount = this.count(n);
        return;
      case Cp0Kind.Status:
        this.setStatus(v);
        return;
      default:
        this.cp0[d.store] = (this.cp0[d.store]! & ~d.writable) | (v & d.writable);
    }
  }

  /** MTC0: false when it raises an exception (no such register, or COP0 unusable). */
  private mtc0(key: number, v: number, n: number): boolean {
    if (!this.cop0Usable()) return false;
    const d = CP0_BY_KEY[key];
    if (d === undefined) return false;
    this.writeCp0(d, v, n);
    return true;
  }

  /** ERET: returns the pc to continue at. */
  private eret(): number {
    const st = this.cp0[C0_STATUS]!;
    this.llBit = 0;
    if (st & ST_ERL) {
      this.setStatus(st & ~ST_ERL);
      return this.cp0[C0_ERROREPC]! >>> 0;
    }
    this.setStatus(st & ~ST_EXL);
    return this.cp0[C0_EPC]! >>> 0;
  }

  /** What the hardware records in Cause (ExcCode, CE, BD) and BadVAddr for an exception. */
  private recordCause(e: CpuException, bd: number): void {
    const st = this.cp0[C0_STATUS]!;
    const { code, ce } = exceptionCode(e, this.user === 1, (st & ST_CU0) !== 0);
    let cause = (this.cp0[C0_CAUSE]! & ~(CAUSE_EXCCODE | CAUSE_CE)) | (code << CAUSE_EXCCODE_SHIFT) | (ce << CAUSE_CE_SHIFT);
    // With EXL already set (an exception in an exception handler), BD and EPC keep their values.
    if ((st & ST_EXL) === 0) cause = bd !== 0 ? cause | CAUSE_BD : cause & ~CAUSE_BD;
    this.cp0[C0_CAUSE] = cause;
    if (e.kind === 'fault') this.cp0[C0_BADVADDR] = e.address | 0;
  }

  /**
   * Exception entry (MIPS32 "General Exception Processing"): Cause and BadVAddr describe it; if
   * Status.EXL was clear, EPC is the restart address (the instruction, or the branch with
   * Cause.BD when in a delay slot); Status.EXL is set (kernel mode, interrupts off); pc is the
   * general exception vector, EBase + 0x180 (0xbfc00380 with Status.BEV); with no TLB there is
   * no refill vector, so TLBL/TLBS for a missing page go there too.
   *
   * The EPC of a 'syscall' or 'hypercall' is its instruction (e.pc - 4: the kernel steps past it
   * itself, as Linux's handle_sys does); a 'halt' (wait) is delivered as the interrupt that ends
   * the wait, with EPC where execution continues. For the exception run() just returned, the
   * CPU's own record of the slot is used; for one built by the machine, e.pc as described.
   */
  takeException(e: CpuException): void {
    const last = this.lastStop;
    const isLast = last !== undefined && (e === last || (e.kind === last.kind && e.pc === last.pc));
    let epc: number;
    let bd = 0;
    if (e.kind === 'halt') {
      epc = isLast ? this.stopResume : (e.pc + 4) >>> 0;
    } else if (isLast) {
      epc = this.stopEpc;
      bd = this.stopBD;
    } else if (this.ds !== 0) {
      // Taken between a branch and its slot: restart at the branch.
      epc = (this.pcv - 4) >>> 0;
      bd = 1;
    } else {
      epc = e.kind === 'syscall' || e.kind === 'hypercall' ? (e.pc - 4) >>> 0 : e.pc >>> 0;
    }
    this.recordCause(e, bd);
    const st = this.cp0[C0_STATUS]!;
    if ((st & ST_EXL) === 0) this.cp0[C0_EPC] = epc | 0;
    this.setStatus(st | ST_EXL);
    this.ds = 0;
    this.lastStop = undefined;
    this.pcv = st & ST_BEV ? BEV_VECTOR : ((this.cp0[C0_EBASE]! & 0xffff_f000) >>> 0) + 0x180;
  }

  // --- registers by name -------------------------------------------------------------------

  /**
   * pt_regs as a trap handler sees it: the GPRs, Status, HI, LO, BadVAddr, Cause, and as
   * cp0_epc the pc the CPU stopped at (what exception entry saves from EPC; for a delay-slot
   * exception the branch, with Cause.BD set).
   */
  readPtRegs(words: Uint32Array): void {
    const r = this.r;
    for (let i = 0; i < 32; i++) {
      words[2 * i] = r[i]!;
      words[2 * i + 1] = 0;
    }
    words[2 * PT_STATUS] = this.cp0[C0_STATUS]!;
    words[2 * PT_HI] = r[REG_HI]!;
    words[2 * PT_LO] = r[REG_LO]!;
    words[2 * PT_BADVADDR] = this.cp0[C0_BADVADDR]!;
    words[2 * PT_CAUSE] = this.cause(0);
    words[2 * PT_EPC] = this.pcv;
    for (let i = PT_STATUS; i <= PT_EPC; i++) words[2 * i + 1] = 0;
  }

  /**
   * Write pt_regs register `index` (the high half is ignored: 32-bit registers). Status takes its
   * implemented bits; Cause all but the computed timer bits (TI, IP7); cp0_epc sets the pc.
   */
  writePtReg(index: number, lo: number, _hi: number): void {
    const v = lo | 0;
    if (index >= 0 && index < 32) {
      if (index !== 0) this.r[index] = v;
      return;
    }
    switch (index) {
      case PT_STATUS:
        this.setStatus(v);
        return;
      case PT_HI:
        this.r[REG_HI] = v;
        return;
      case PT_LO:
        this.r[REG_LO] = v;
        return;
      case PT_BADVADDR:
        this.cp0[C0_BADVADDR] = v;
        return;
      case PT_CAUSE:
        this.cp0[C0_CAUSE] = v & ~(CAUSE_TI | CAUSE_IP7);
        return;
      case PT_EPC:
        this.pc = v >>> 0;
        return;
      default:
        throw new RangeError(`mips pt_regs has no register #${index}`);
    }
  }

  /**
   * By name: pt_regs names (regNames; ABI names zero…ra, $0…$31, and Linux's probe-event names
   * c0_status, c0_badvaddr, c0_cause, c0_epc), `pc` (the live program counter, as cp0_epc), and
   * the CP0 registers by their own names (status, cause, epc, count, compare, ebase, userlocal,
   * hwrena, config…: `epc` is the CP0 EPC register, not the pc).
   */
  getReg(name: string): bigint {
    const i = PT_INDEX.get(name);
    if (i !== undefined) {
      if (i < 32) return BigInt(this.r[i]! >>> 0);
      switch (i) {
        case PT_STATUS:
          return BigInt(this.cp0[C0_STATUS]! >>> 0);
        case PT_HI:
          return BigInt(this.r[REG_HI]! >>> 0);
        case PT_LO:
          return BigInt(this.r[REG_LO]! >>> 0);
        case PT_BADVADDR:
          return BigInt(this.cp0[C0_BADVADDR]! >>> 0);
        case PT_CAUSE:
          return BigInt(this.cause(0) >>> 0);
        default:
          return BigInt(this.pcv);
      }
    }
    if (name === 'pc') return BigInt(this.pcv);
    const d = cp0ByName(name);
    if (d) return BigInt(this.readCp0(d, 0) >>> 0);
    throw new RangeError(`mips: unknown register ${name}`);
  }

  /**
   * By name, as getReg. pt_regs names write as writePtReg; CP0 names write as mtc0 would (only
   * writable bits), except badvaddr, which a debugger may set.
   */
  setReg(name: string, value: bigint): void {
    const v = Number(BigInt.asUintN(32, value)) | 0;
    const i = PT_INDEX.get(name);
    if (i !== undefined) {
      this.writePtReg(i, v, 0);
      return;
    }
    if (name === 'pc') {
      this.pc = v >>> 0;
      return;
    }
    const d = cp0ByName(name);
    if (d && d.kind !== Cp0Kind.Const) {
      if (d.store === C0_BADVADDR) this.cp0[C0_BADVADDR] = v;
      else this.writeCp0(d, v, 0);
      return;
    }
    throw new RangeError(`mips: unknown or read-only register ${name}`);
  }

  // --- context -------------------------------------------------------------------------------

  saveContext(): CpuContext {
    const w = new Uint32Array(CTX_WORDS);
    const r = this.r;
    for (let i = 0; i < 32; i++) w[CTX_GPR + i] = r[i]!;
    w[CTX_GPR + 32] = r[REG_HI]!;
    w[CTX_GPR + 33] = r[REG_LO]!;
    w[CTX_PC] = this.pcv;
    w[CTX_DS] = this.ds;
    w[CTX_DS_TARGET] = this.dsTarget;
    for (let i = 0; i < C0_STORE_COUNT; i++) w[CTX_CP0 + i] = this.cp0[i]!;
    w[CTX_COUNT] = this.count(0);
    w[CTX_ARMED] = this.armedCount;
    w[CTX_TIMER] = this.timerPending;
    w[CTX_LL_BIT] = this.llBit;
    w[CTX_LL_ADDR] = this.llAddr;
    w[CTX_LL_VALUE] = this.llValue;
    return { arch: 'mips', words: w };
  }

  restoreContext(ctx: CpuContext): void {
    if (ctx.arch !== 'mips' || ctx.words.length !== CTX_WORDS) throw new Error('mips: not a mips CPU context');
    const w = ctx.words;
    const r = this.r;
    for (let i = 0; i < 32; i++) r[i] = w[CTX_GPR + i]!;
    r[0] = 0;
    r[REG_HI] = w[CTX_GPR + 32]!;
    r[REG_LO] = w[CTX_GPR + 33]!;
    this.pcv = w[CTX_PC]!;
    this.ds = w[CTX_DS]!;
    this.dsTarget = w[CTX_DS_TARGET]!;
    for (let i = 0; i < C0_STORE_COUNT; i++) this.cp0[i] = w[CTX_CP0 + i]!;
    this.setStatus(this.cp0[C0_STATUS]!);
    this.countOffset = (w[CTX_COUNT]! - this._retired) | 0;
    this.armedCount = w[CTX_ARMED]! | 0;
    this.timerPending = w[CTX_TIMER]!;
    this.llBit = w[CTX_LL_BIT]!;
    this.llAddr = w[CTX_LL_ADDR]! | 0;
    this.llValue = w[CTX_LL_VALUE]! | 0;
    this.lastStop = undefined;
  }
}

/** The condition of a conditional trap (ops.ts TRAP_*) on two Int32 values. */
function trapHolds(cond: number, x: number, y: number): boolean {
  switch (cond) {
    case TRAP_GE:
      return x >= y;
    case TRAP_GEU:
      return x >>> 0 >= y >>> 0;
    case TRAP_LT:
      return x < y;
    case TRAP_LTU:
      return x >>> 0 < y >>> 0;
    case TRAP_EQ:
      return x === y;
    default: // TRAP_NE
      return x !== y;
  }
}
