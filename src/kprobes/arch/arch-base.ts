// The part of an arch's kprobes that is the same on every arch here: the per-CPU kprobe_ctlblk
// (get_kprobe_ctlblk()), pt_regs taken from the CPU on trap entry and written back on return
// (SAVE_ALL / RESTORE_ALL around the break handler), the pointer forms of addresses,
// arch_adjust_kprobe_addr() for a plain function entry, arch_disarm_kprobe() (the original
// opcode written back) and the text patching under both. Linux repeats these per arch in
// arch/*/kernel/probes/kprobes.c (arch/mips/kernel/kprobes.c) and arch/*/include/asm/ptrace.h;
// here arm64.ts and mips.ts extend this class with the pieces that differ.

import type { Cpu } from '../../isa/cpu.ts';
import type { Kprobe, PtRegs } from '../types.ts';
import type { ArchCtlblk, KprobesCore } from './arch.ts';
import { patchTextWord } from './patch-text.ts';

/** An arch's pt_regs snapshot class and address forms. */
export interface ArchRegsModel {
  /** The snapshot of the CPU at trap entry. */
  fromCpu(cpu: Cpu): PtRegs & { toCpu(cpu: Cpu): void };
  /** Is `regs` one of this arch's snapshots (written back whole)? */
  owns(regs: PtRegs): regs is PtRegs & { toCpu(cpu: Cpu): void };
  /** The pt_regs names, and which of them is the program counter. */
  readonly names: readonly string[];
  readonly pcName: string;
  canonical(addr: number): bigint;
  address(value: bigint): number;
  /** Instruction words are little-endian in memory. */
  readonly littleEndian: boolean;
}

export abstract class KprobesArchBase<K extends ArchCtlblk> {
  constructor(
    protected readonly core: KprobesCore,
    private readonly regsModel: ArchRegsModel,
  ) {}

  /** get_kprobe_ctlblk(): this CPU's kprobe_ctlblk. */
  protected kcb(): K {
    return this.core.getKprobeCtlblk() as K;
  }

  canonical(addr: number): bigint {
    return this.regsModel.canonical(addr);
  }

  address(value: bigint): number {
    return this.regsModel.address(value);
  }

  saveRegs(cpu: Cpu): PtRegs {
    return this.regsModel.fromCpu(cpu);
  }

  /** The trap's return: the snapshot written back, or any other pt_regs register by register. */
  restoreRegs(regs: PtRegs, cpu: Cpu): void {
    const m = this.regsModel;
    if (m.owns(regs)) {
      regs.toCpu(cpu);
      return;
    }
    for (const name of m.names) {
      if (name === m.pcName) cpu.pc = m.address(regs.pc);
      else cpu.setReg(name, regs.get(name));
    }
  }

  archAdjustKprobeAddr(symbolStart: number, offset: number): { addr: number; onFuncEntry: boolean } {
    return { addr: symbolStart + offset, onFuncEntry: offset === 0 };
  }

  archDisarmKprobe(p: Kprobe): void {
    this.patchText(p.addr!, p.opcode!);
  }

  /** Write one instruction word, ignoring page permissions, and flush the icache over it. */
  protected patchText(addr: number, insn: number): void {
    patchTextWord(this.core, addr, insn, this.regsModel.littleEndian);
  }
}
