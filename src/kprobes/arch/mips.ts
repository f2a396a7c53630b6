// MIPS kprobes: the counterpart of arch/mips/kernel/kprobes.c (arch_prepare_kprobe,
// arch_arm_kprobe, arch_disarm_kprobe, kprobe_handler, post_kprobe_handler, kprobe_fault_handler,
// arch_prepare_kretprobe, trampoline_probe_handler, arch_init_kprobes) with the structures of
// arch/mips/include/asm/kprobes.h and the break codes of arch/mips/include/uapi/asm/break.h, and of
// the kprobes part of do_bp() in arch/mips/kernel/traps.c.
//
// A probe is `break 515` (BRK_KPROBE_BP) written over the instruction. MIPS has no single-step,
// so the instruction runs from a slot [insn][break 516] (BRK_KPROBE_SSTEPBP) with Status.IE
// cleared; the second break completes the step and execution resumes at addr + 4. A probed branch
// or jump is never run: its delay-slot instruction goes in the slot, the branch is evaluated on
// pt_regs when the probe is hit (mips-branch.ts), and execution resumes at the evaluated target.
// A nop in the delay slot is not stepped at all. A kretprobe points ra at __kretprobe_trampoline,
// a nop carrying an ordinary kprobe (registered at init) whose pre_handler runs the return
// handlers and sets the pc to the real return address.
//
// What the handlers see, as in Linux: the pre_handler sees cp0_epc = addr. The post_handler runs
// before resume_execution(), so it sees cp0_epc = slot + 4 (on the step-done break), or = slot
// when the delay slot was not stepped.
//
// Where this differs from Linux 6.12 on purpose (each would otherwise change what probed code
// does, or lose probes):
//  - Branch-likely: the delay slot is skipped when a likely branch is NOT taken (annulled, as the
//    hardware does); Linux skips it when the branch IS taken and steps it when not. Branches are
//    evaluated as the hardware does them (mips-branch.ts says where Linux's evaluation differs).
//  - When the delay slot is not stepped, Linux's kprobe_handler neither resets current_kprobe nor
//    restores Status.IE, so every later hit would count as a miss; here both are done.
//  - kcb->flags (SKIP_DELAYSLOT) is cleared for a non-branch probe (Linux keeps the last branch
//    probe's flag, and the next probed instruction would then not run at all), and prev_kprobe
//    also saves flags and target_epc (Linux does not, so a branch probe hit in a post_handler's
//    guest call would redirect the outer branch probe).
//  - kprobe_fault_handler() puts the pc back on the probed instruction, as the other arches do
//    and as the core's fault path expects (Linux's mips version sets it past the instruction
//    with resume_execution(), skipping it if the fault is then fixed), handles KPROBE_REENTER like
//    KPROBE_HIT_SS, and offers the fault to the classic fault_handler first (see host.ts).
//  - archPrepareKprobe also refuses a misaligned address, and the COP1 and BPOSGE32 "branches",
//    which this CPU has no unit to run (no FPU, no DSP ASE) and which Linux would evaluate from
//    state we do not have; and it looks through an armed probe on the previous word, so the
//    delay slot of an already probed branch is refused too (Linux reads the break and accepts
//    a probe there that can never be hit).

import type { CpuException } from '../../isa/cpu.ts';
import { exceptionCode } from '../../isa/mips/index.ts';
import { MemoryFault } from '../../machine/memory.ts';
import { EINVAL, ENOMEM } from '../../uapi/errno.ts';
import { KERN_NOTICE } from '../host.ts';
import {
  DBG_HOOK_ERROR,
  DBG_HOOK_HANDLED,
  KPROBE_HIT_ACTIVE,
  KPROBE_HIT_SS,
  KPROBE_HIT_SSDONE,
  KPROBE_REENTER,
  type Kprobe,
  type KretprobeInstance,
  type MipsPtRegs,
  type PtRegs,
} from '../types.ts';
import type { ArchCtlblk, BreakTrap, KprobesArch, KprobesCore } from './arch.ts';
import { kprobeFaultHandler, type FaultHandlerArch } from './fault-handler.ts';
import { KprobesArchBase, type ArchRegsModel } from './arch-base.ts';
import { BRANCH_LIKELY_NOT_TAKEN, computeReturnEpcForInsn, insnHasDelaySlot, isEvaluableBranch, LL_OP, LLD_OP, SC_OP, SCD_OP } from './mips-branch.ts';
import { MIPS_REG_NAMES, MipsRegs, mipsAddress, mipsCanonical } from './mips-regs.ts';

/** Break codes (arch/mips/include/uapi/asm/break.h). */
export const BRK_KPROBE_BP = 515;
export const BRK_KPROBE_SSTEPBP = 516;

/** `break code`: SPECIAL with the 20-bit code in bits 25..6 and funct BREAK (union mips_instruction b_format). */
export const mipsBreakInsn = (code: number): number => (((code & 0xfffff) << 6) | 0x0d) >>> 0;
/** breakpoint_insn: what arming writes over the probed instruction. */
export const BREAKPOINT_INSN = mipsBreakInsn(BRK_KPROBE_BP); // 0x000080cd
/** breakpoint2_insn: the step-done trap after the slot's instruction. */
export const BREAKPOINT2_INSN = mipsBreakInsn(BRK_KPROBE_SSTEPBP); // 0x0000810d

/** kcb->flags: the delay slot is not stepped (a nop, or an annulled branch-likely slot). */
export const SKIP_DELAYSLOT = 0x0001;

/** Cause.ExcCode of a Reserved Instruction (EXCCODE_RI): the code for a fault we cannot describe better. */
export const EXCCODE_RI = 10;

const ST0_IE = 1n;
const CAUSEF_BD = 1n << 31n;

/** struct arch_specific_insn: the slot (ainsn.insn), or null once removed. */
export interface MipsAinsn {
  insn: number | null;
}

interface PrevKprobe {
  kp: Kprobe | null;
  status: number;
  oldSR: bigint;
  savedSR: bigint;
  savedEpc: bigint;
  flags: number;
  targetEpc: bigint;
}

/** struct kprobe_ctlblk (arch/mips/include/asm/kprobes.h). */
export interface MipsCtlblk extends ArchCtlblk {
  kprobeStatus: number;
  /** Status.IE when the probe was hit (kprobe_old_SR, kprobe_saved_SR: Linux keeps both). */
  kprobeOldSR: bigint;
  kprobeSavedSR: bigint;
  /** cp0_epc when the probe was hit: the probe's address. */
  kprobeSavedEpc: bigint;
  /** SKIP_DELAYSLOT. */
  flags: number;
  /** Where a probed branch continues: its evaluated target or epc + 8. */
  targetEpc: bigint;
  prevKprobe: PrevKprobe;
}

function ainsnOf(p: Kprobe): MipsAinsn | undefined {
  return p.ainsn as MipsAinsn | undefined;
}

/** insn_has_ll_or_sc(): a breakpoint inside an ll/sc sequence would make it fail for ever. */
function insnHasLlOrSc(insn: number): boolean {
  const op = insn >>> 26;
  return op === LL_OP || op === LLD_OP || op === SC_OP || op === SCD_OP;
}

/** SPECIAL/BREAK, whatever its code (the conditional traps are do_tr()'s, never kprobes'). */
function isBreak(insn: number): boolean {
  return (insn & 0xfc00003f) === 0x0000000d;
}

/**
 * The break code as do_bp() computes it: bits 25..6, with the halves swapped when the code sits
 * in bits 25..16 ("the ancient bug in the MIPS assemblers", whose `break 515` put it there).
 */
export function breakCode(insn: number): number {
  let bcode = (insn >>> 6) & 0xfffff;
  if (bcode >= 1 << 10) bcode = ((bcode & 0x3ff) << 10) | (bcode >>> 10);
  return bcode;
}

const CPU_EXCEPTION_KINDS = new Set(['breakpoint', 'undefined', 'syscall', 'hypercall', 'fault', 'halt']);

/** A CpuException, or a MemoryFault (a handler's guest memory access) as the fault it would be. */
function asCpuException(e: unknown): CpuException | null {
  if (typeof e !== 'object' || e === null) return null;
  if (e instanceof MemoryFault) return { kind: 'fault', pc: 0, address: e.address, access: e.access, reason: e.reason };
  const kind = (e as { kind?: unknown }).kind;
  return typeof kind === 'string' && CPU_EXCEPTION_KINDS.has(kind) ? (e as CpuException) : null;
}

/** The mips pt_regs and address forms (instructions big-endian; a patch is a store then flush_insn_slot()). */
const MIPS_REGS: ArchRegsModel = {
  fromCpu: (cpu) => MipsRegs.fromCpu(cpu),
  owns: (regs): regs is MipsRegs => regs instanceof MipsRegs,
  names: MIPS_REG_NAMES,
  pcName: 'c0_epc',
  canonical: mipsCanonical,
  address: mipsAddress,
  littleEndian: false,
};

export class MipsKprobes extends KprobesArchBase<MipsCtlblk> implements KprobesArch {
  readonly name = 'mips' as const;
  /** sizeof(kprobe_opcode_t): one MIPS32 instruction. */
  readonly opcodeBytes = 4;
  /** MAX_INSN_SIZE (2) * sizeof(kprobe_opcode_t): [insn][break 516]. */
  readonly insnSlotBytes = 8;
  readonly pointerBits = 32 as const;
  /** kretprobe_blacklist_size 0. */
  readonly kretprobeBlacklist: readonly string[] = [];

  /** trampoline_p: the probe on __kretprobe_trampoline, once archInitKprobes registered it. */
  private trampolineP: Kprobe | null = null;

  constructor(core: KprobesCore) {
    super(core, MIPS_REGS);
  }

  newCtlblk(): MipsCtlblk {
    return {
      kprobeStatus: 0,
      kprobeOldSR: 0n,
      kprobeSavedSR: 0n,
      kprobeSavedEpc: 0n,
      flags: 0,
      targetEpc: 0n,
      prevKprobe: { kp: null, status: 0, oldSR: 0n, savedSR: 0n, savedEpc: 0n, flags: 0, targetEpc: 0n },
    };
  }

  /** The Cause.ExcCode the fault would raise in kernel mode (current->thread.trap_nr). */
  faultTrapnr(fault: unknown): number {
    const e = asCpuException(fault);
    return e ? exceptionCode(e, false, true).code : EXCCODE_RI;
  }

  // --- preparing, arming ----------------------------------------------------------------

  private readWord(addr: number): number {
    return this.core.host.memory.read32(addr) >>> 0;
  }

  /** copy_from_kernel_nofault() of one word: undefined where nothing is mapped. */
  private readWordNofault(addr: number): number | undefined {
    try {
      return this.readWord(addr);
    } catch (e) {
      if (e instanceof MemoryFault) return undefined;
      throw e;
    }
  }

  /**
   * The instruction at addr as the code has it: an armed probe's break stands for the opcode it
   * replaced (Linux reads the break itself, and so accepts a probe in the delay slot of a branch
   * that is already probed; that probe could never be hit).
   */
  private originalWord(addr: number): number | undefined {
    const word = this.readWordNofault(addr);
    if (word !== BREAKPOINT_INSN) return word;
    return this.core.getKprobe(addr)?.opcode ?? word;
  }

  archPrepareKprobe(p: Kprobe): number {
    const host = this.core.host;
    const addr = p.addr!;
    if (addr % 4 !== 0) return -EINVAL;
    const insn = this.readWordNofault(addr);
    if (insn === undefined) return -EINVAL;

    if (insnHasLlOrSc(insn)) {
      host.printk(KERN_NOTICE, 'kprobes: Kprobes for ll and sc instructions are not supported\n');
      return -EINVAL;
    }
    const prev = this.originalWord(addr - 4);
    if (prev !== undefined && insnHasDelaySlot(prev)) {
      host.printk(KERN_NOTICE, 'kprobes: Kprobes for branch delayslot are not supported\n');
      return -EINVAL;
    }
    // __insn_is_compact_branch() is 0 before release 6; what is left to refuse is a "branch"
    // this CPU cannot evaluate (COP1, BPOSGE32).
    const branch = insnHasDelaySlot(insn);
    if (branch && !isEvaluableBranch(insn)) return -EINVAL;

    // For a branch the slot gets its delay-slot instruction: the branch itself is evaluated.
    const stepped = branch ? this.readWordNofault(addr + 4) : insn;
    if (stepped === undefined) return -EINVAL;

    const slot = this.core.getInsnSlot();
    if (slot === null) return -ENOMEM;
    const ainsn: MipsAinsn = { insn: slot };
    p.ainsn = ainsn;
    this.patchText(slot, stepped);
    this.patchText(slot + 4, BREAKPOINT2_INSN);
    p.opcode = insn;
    return 0;
  }

  archArmKprobe(p: Kprobe): void {
    this.patchText(p.addr!, BREAKPOINT_INSN);
  }

  archRemoveKprobe(p: Kprobe): void {
    const a = ainsnOf(p);
    if (a && a.insn !== null) {
      this.core.freeInsnSlot(a.insn);
      a.insn = null;
    }
  }

  copyKprobe(from: Kprobe, to: Kprobe): void {
    to.opcode = from.opcode;
    const a = ainsnOf(from);
    to.ainsn = a ? { insn: a.insn } : undefined;
  }

  /** The first word of p's slot (p->ainsn.insn->word). */
  private slotWord(p: Kprobe): number | undefined {
    const slot = ainsnOf(p)?.insn;
    return slot === null || slot === undefined ? undefined : this.readWord(slot);
  }

  // --- kretprobes ------------------------------------------------------------------------

  /**
   * arch_init_kprobes(): register trampoline_p on __kretprobe_trampoline. A kernel without the
   * trampoline has no kretprobes (the core then refuses them); 0 or the registration's -errno.
   */
  archInitKprobes(): number {
    const tramp = this.core.kretprobeTrampolineAddr();
    if (tramp === undefined) return 0;
    const p: Kprobe = { addr: tramp, preHandler: (kp, regs) => this.trampolineProbeHandler(kp, regs) };
    const ret = this.core.registerKprobe(p);
    if (ret === 0) this.trampolineP = p;
    return ret;
  }

  archPrepareKretprobe(ri: KretprobeInstance, regs: PtRegs): void {
    const r = regs as MipsPtRegs;
    ri.retAddr = mipsAddress(r.r31);
    // No frame key on mips: every instance's fp is NULL, and the trampoline passes NULL.
    ri.fp = 0n;
    r.r31 = mipsCanonical(this.core.kretprobeTrampolineAddr()!);
  }

  /**
   * trampoline_probe_handler(): the return handlers run, then the pc is the real return address;
   * non-zero, so there is no step and no post_handler.
   */
  private trampolineProbeHandler(_p: Kprobe, regs: PtRegs): number {
    regs.pc = mipsCanonical(this.core.kretprobeTrampolineHandler(regs, 0n));
    return 1;
  }

  archTrampolineKprobe(p: Kprobe): boolean {
    const tramp = this.core.kretprobeTrampolineAddr();
    return tramp !== undefined && p.addr === tramp;
  }

  /** trampoline_p, when registered (listed in debugfs kprobes/list as Linux lists it). */
  get trampolineKprobe(): Kprobe | null {
    return this.trampolineP;
  }

  // --- the per-CPU state machine ---------------------------------------------------------

  private savePreviousKprobe(kcb: MipsCtlblk): void {
    const prev = kcb.prevKprobe;
    prev.kp = this.core.kprobeRunning();
    prev.status = kcb.kprobeStatus;
    prev.oldSR = kcb.kprobeOldSR;
    prev.savedSR = kcb.kprobeSavedSR;
    prev.savedEpc = kcb.kprobeSavedEpc;
    prev.flags = kcb.flags;
    prev.targetEpc = kcb.targetEpc;
  }

  private restorePreviousKprobe(kcb: MipsCtlblk): void {
    const prev = kcb.prevKprobe;
    this.core.setCurrentKprobe(prev.kp);
    kcb.kprobeStatus = prev.status;
    kcb.kprobeOldSR = prev.oldSR;
    kcb.kprobeSavedSR = prev.savedSR;
    kcb.kprobeSavedEpc = prev.savedEpc;
    kcb.flags = prev.flags;
    kcb.targetEpc = prev.targetEpc;
  }

  /** set_current_kprobe(): also saves Status.IE and the epc of the hit. */
  private setCurrentKprobe(p: Kprobe, regs: MipsPtRegs, kcb: MipsCtlblk): void {
    this.core.setCurrentKprobe(p);
    kcb.kprobeSavedSR = kcb.kprobeOldSR = regs.cp0_status & ST0_IE;
    kcb.kprobeSavedEpc = regs.cp0_epc;
  }

  /**
   * evaluate_branch_instruction(): evaluate the probed branch on regs (target and link), note
   * where it continues, and whether its delay slot is to be skipped.
   */
  private evaluateBranchInstruction(p: Kprobe, regs: MipsPtRegs, kcb: MipsCtlblk): void {
    if (this.slotWord(p) === 0) kcb.flags |= SKIP_DELAYSLOT;
    else kcb.flags &= ~SKIP_DELAYSLOT;
    if (computeReturnEpcForInsn(regs, p.opcode!) === BRANCH_LIKELY_NOT_TAKEN) kcb.flags |= SKIP_DELAYSLOT;
    kcb.targetEpc = regs.cp0_epc;
  }

  /**
   * prepare_singlestep(): interrupts off, the branch evaluated, epc at the slot. (Linux first
   * sets epc = p->addr for a probed break instruction, then overwrites it with the slot: dead
   * code, left out. Its SIGBUS for an unaligned epc cannot happen: probes are word-aligned.)
   */
  private prepareSinglestep(p: Kprobe, regs: MipsPtRegs, kcb: MipsCtlblk): void {
    regs.cp0_status = regs.cp0_status & ~ST0_IE;
    if (insnHasDelaySlot(p.opcode!)) this.evaluateBranchInstruction(p, regs, kcb);
    else kcb.flags &= ~SKIP_DELAYSLOT;
    regs.cp0_epc = mipsCanonical(ainsnOf(p)!.insn!);
  }

  /** resume_execution(): the branch's target, or the instruction after the probe. */
  private resumeExecution(p: Kprobe, regs: MipsPtRegs, kcb: MipsCtlblk): void {
    if (insnHasDelaySlot(p.opcode!)) regs.cp0_epc = kcb.targetEpc;
    else regs.cp0_epc = BigInt.asUintN(32, kcb.kprobeSavedEpc + 4n);
  }

  /** kprobe_handler(): `break 515`. 1 when kprobes dealt with it, 0 for the kernel's own path. */
  kprobeHandler(regs: PtRegs): number {
    const r = regs as MipsPtRegs;
    const addr = mipsAddress(r.cp0_epc);
    const kcb = this.kcb();

    if (this.core.kprobeRunning()) {
      const p = this.core.getKprobe(addr);
      if (p) {
        if (kcb.kprobeStatus === KPROBE_HIT_SS && this.slotWord(p) === BREAKPOINT_INSN) {
          r.cp0_status = (r.cp0_status & ~ST0_IE) | kcb.kprobeSavedSR;
          return 0;
        }
        // A probe hit while a handler runs (or during a step): count it, step it without
        // calling any handler, then come back to the outer probe's state.
        this.savePreviousKprobe(kcb);
        this.setCurrentKprobe(p, r, kcb);
        this.core.kprobesIncNmissedCount(p);
        this.prepareSinglestep(p, r, kcb);
        kcb.kprobeStatus = KPROBE_REENTER;
        if (kcb.flags & SKIP_DELAYSLOT) {
          this.resumeExecution(p, r, kcb);
          r.cp0_status = r.cp0_status | kcb.kprobeSavedSR;
          this.restorePreviousKprobe(kcb);
        }
        return 1;
      }
      // The break is gone (the probe was removed after the hit): run the instruction again.
      return this.readWord(addr) !== BREAKPOINT_INSN ? 1 : 0;
    }

    const p = this.core.getKprobe(addr);
    if (!p) return this.readWord(addr) !== BREAKPOINT_INSN ? 1 : 0;

    this.setCurrentKprobe(p, r, kcb);
    kcb.kprobeStatus = KPROBE_HIT_ACTIVE;
    if (p.preHandler && this.core.callPreHandler(p, r)) {
      // The handler has set the pc itself: no step, no post_handler.
      this.core.resetCurrentKprobe();
      return 1;
    }

    this.prepareSinglestep(p, r, kcb);
    if (kcb.flags & SKIP_DELAYSLOT) {
      // Nothing to step: the post_handler now (it sees epc = slot), then the branch's target.
      kcb.kprobeStatus = KPROBE_HIT_SSDONE;
      if (p.postHandler) this.core.callPostHandler(p, r);
      this.resumeExecution(p, r, kcb);
      r.cp0_status = r.cp0_status | kcb.kprobeSavedSR;
      this.core.resetCurrentKprobe();
    } else {
      kcb.kprobeStatus = KPROBE_HIT_SS;
    }
    return 1;
  }

  /** post_kprobe_handler(): `break 516` after the slot's instruction. 1 when it was ours. */
  postKprobeHandler(regs: PtRegs): number {
    const r = regs as MipsPtRegs;
    const cur = this.core.kprobeRunning();
    if (!cur || !ainsnOf(cur)) return 0;
    const kcb = this.kcb();

    if (kcb.kprobeStatus !== KPROBE_REENTER && cur.postHandler) {
      kcb.kprobeStatus = KPROBE_HIT_SSDONE;
      this.core.callPostHandler(cur, r);
    }
    this.resumeExecution(cur, r, kcb);
    r.cp0_status = r.cp0_status | kcb.kprobeSavedSR;

    if (kcb.kprobeStatus === KPROBE_REENTER) this.restorePreviousKprobe(kcb);
    else this.core.resetCurrentKprobe();
    return 1;
  }

  /** The kprobes part of do_bp(): DIE_BREAK for code 515, DIE_SSTEPBP for 516. */
  kprobeBreakHandler(regs: PtRegs, trap: BreakTrap): number {
    if (trap.kind !== 'breakpoint' || !isBreak(trap.insn)) return DBG_HOOK_ERROR;
    switch (breakCode(trap.insn)) {
      case BRK_KPROBE_BP:
        return this.kprobeHandler(regs) ? DBG_HOOK_HANDLED : DBG_HOOK_ERROR;
      case BRK_KPROBE_SSTEPBP:
        return this.postKprobeHandler(regs) ? DBG_HOOK_HANDLED : DBG_HOOK_ERROR;
      default:
        return DBG_HOOK_ERROR;
    }
  }

  /**
   * kprobe_fault_handler() (DIE_PAGE_FAULT): a fault while a kprobe is active. During the
   * out-of-line step the probe's fault_handler may fix it (the slot then runs again); otherwise
   * the pc goes back to the probed instruction with Status.IE as it was, the probe state is
   * dropped, and the kernel handles the fault as if the instruction had faulted in place. While a
   * handler runs (guest code it called faulted) the classic path counts nmissed and offers it to
   * the running handler's fault_handler.
   */
  kprobeFaultHandler(regs: PtRegs, trapnr: number): number {
    return kprobeFaultHandler<MipsCtlblk>(this.core, this.faultHooks, regs, trapnr);
  }

  /** The mips pieces of kprobe_fault_handler(): a branch re-evaluates in place; Status.IE as it was. */
  private readonly faultHooks: FaultHandlerArch<MipsCtlblk> = {
    slotOf: (p) => ainsnOf(p)?.insn ?? null,
    address: mipsAddress,
    canonical: mipsCanonical,
    abandonStep: (regs, kcb) => {
      const r = regs as MipsPtRegs;
      r.cp0_cause = r.cp0_cause & ~CAUSEF_BD;
      r.cp0_status = r.cp0_status | kcb.kprobeOldSR;
    },
    restorePreviousKprobe: (kcb) => this.restorePreviousKprobe(kcb),
  };
}
