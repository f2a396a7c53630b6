// The mips hit protocol (src/kprobes/arch/mips.ts with the core), driven by hand one instruction
// at a time on the real MipsCpu: the test runs the CPU for exactly one instruction (the probe's
// break, the slot's instruction, the step-done break) and hands each break to the kernel's trap
// entry, so every step of arch/mips/kernel/kprobes.c's state machine can be checked: what
// arch_prepare_kprobe refuses (with Linux's errno and notice) and what it puts in the slot, the
// pc and Status.IE each handler sees, branch evaluation with the delay slot stepped out of line or
// skipped, branch-likely, a pre_handler moving the pc, reentry and nmissed, the break codes that
// are not kprobes', the fault paths, and kretprobes through the trampoline probe.
// mips-machine.test.ts runs whole functions the same way.

import { beforeEach, describe, expect, it } from 'vitest';
import type { CpuException } from '../../../src/isa/cpu.ts';
import type { MipsCpu } from '../../../src/isa/mips/index.ts';
import {
  BREAKPOINT2_INSN,
  BREAKPOINT_INSN,
  BRK_KPROBE_BP,
  BRK_KPROBE_SSTEPBP,
  breakCode,
  EXCCODE_RI,
  MipsKprobes,
  mipsBreakInsn,
  SKIP_DELAYSLOT,
  type MipsAinsn,
  type MipsCtlblk,
} from '../../../src/kprobes/arch/mips.ts';
import { MIPS_REG_NAMES, MipsRegs } from '../../../src/kprobes/arch/mips-regs.ts';
import {
  KPROBE_HIT_ACTIVE,
  KPROBE_HIT_SS,
  KPROBE_HIT_SSDONE,
  KPROBE_REENTER,
  type Kprobe,
  type Kretprobe,
  type PtRegs,
} from '../../../src/kprobes/types.ts';
import { EINVAL, ENOMEM } from '../../../src/uapi/errno.ts';
import { requireTools } from '../../helpers/tools.ts';
import * as asm from '../../isa/mips/asm.ts';
import { TestKilled } from '../support/guest.ts';
import { makeMipsTestKernel, MIPS_BUFFER, MIPS_KERNEL_STATUS, MIPS_STACK, MIPS_STACK_SIZE, MIPS_TOOLS, MIPS_UNMAPPED, type MipsTestKernel } from '../support/mips-guest.ts';

const ready = requireTools(...MIPS_TOOLS);

const STATUS = MIPS_KERNEL_STATUS;
const IE = 1n;
const hex = (v: bigint | number): string => `0x${v.toString(16)}`;
const mipsRegs = (regs: PtRegs): MipsRegs => {
  if (regs.arch !== 'mips') throw new Error(`not mips pt_regs: ${regs.arch}`);
  return regs as MipsRegs;
};

describe.skipIf(!ready)('mips kprobes', () => {
  let k: MipsTestKernel;
  let cpu: MipsCpu;
  let A: (name: string) => number;
  const slotOf = (p: Kprobe): number => (p.ainsn as MipsAinsn).insn!;
  const kcb = (): MipsCtlblk => k.kprobes.getKprobeCtlblk() as MipsCtlblk;

  beforeEach(() => {
    k = makeMipsTestKernel();
    cpu = k.cpu;
    A = k.addr;
  });

  /** Enter a function as a call would: arguments, return address, stack, kernel Status with IE. */
  const enter = (fn: string, args: number[] = [], ret = A('host_call_return')): void => {
    args.forEach((v, i) => cpu.setReg(`a${i}`, BigInt(v >>> 0)));
    cpu.setReg('ra', BigInt(ret));
    cpu.setReg('sp', BigInt(MIPS_STACK + MIPS_STACK_SIZE - 64));
    cpu.setReg('status', STATUS);
    cpu.pc = A(fn);
  };
  /** The CPU runs one instruction, which must trap: the stop. */
  const stop = (): CpuException => {
    const r = cpu.run(1);
    if (r.stop !== 'exception') throw new Error(`no trap at ${hex(cpu.pc)}`);
    return r.exception;
  };
  /** The CPU reaches a break: the kernel offers it to kprobes (do_bp). */
  const hit = (): boolean => {
    const e = stop();
    if (e.kind !== 'breakpoint') throw new Error(`${e.kind} at ${hex(e.pc)}, not a break`);
    return k.kprobes.breakpoint(e);
  };
  /** The CPU runs one instruction that retires (the slot's). */
  const step = (): void => {
    expect(cpu.run(1).stop).toBe('budget');
  };
  /** Run to host_call_return, giving breaks to kprobes; v0. */
  const finish = (): bigint => {
    for (let i = 0; i < 10_000; i++) {
      const r = cpu.run(1);
      if (r.stop === 'budget') continue;
      const e = r.exception;
      if (e.kind === 'hypercall') return cpu.getReg('v0');
      if (e.kind === 'breakpoint' && k.kprobes.breakpoint(e)) continue;
      throw new Error(`unexpected ${e.kind} at ${hex(e.pc)}`);
    }
    throw new Error('no return');
  };
  const status = (): bigint => cpu.getReg('status');
  /**
   * An outer probe on alu_fn whose pre_handler runs `nested` (an inner probe hit, reentering) on
   * a saved context, checks that the outer probe's state is back, and returns 0.
   */
  const outerAround = (nested: () => void): Kprobe => {
    const outer: Kprobe = {
      symbolName: 'alu_fn',
      preHandler: () => {
        const ctx = cpu.saveContext();
        nested();
        expect(k.kprobes.kprobeRunning()).toBe(outer);
        expect(k.kprobes.kprobeStatus).toBe(KPROBE_HIT_ACTIVE);
        cpu.restoreContext(ctx);
        return 0;
      },
    };
    return outer;
  };
  /** Register outer and inner, then run alu_fn(0) through outer's hit, step and step-done break. */
  const runOuter = (outer: Kprobe, inner: Kprobe): void => {
    k.kprobes.registerKprobes([outer, inner]);
    enter('alu_fn', [0]);
    hit();
    step();
    hit();
  };

  describe('break encodings (asm/break.h, do_bp)', () => {
    it('arms with break 515 and ends a step with break 516, coded as Linux builds them', () => {
      expect([BRK_KPROBE_BP, BRK_KPROBE_SSTEPBP]).toEqual([515, 516]);
      expect(BREAKPOINT_INSN).toBe(asm.brk(515));
      expect(BREAKPOINT2_INSN).toBe(asm.brk(516));
      expect(hex(BREAKPOINT_INSN)).toBe('0x80cd');
      expect(mipsBreakInsn(516)).toBe(0x810d);
    });

    it('reads a code as do_bp does, also from GNU as\'s `break 515` (code in bits 25..16)', () => {
      expect(breakCode(BREAKPOINT_INSN)).toBe(515);
      expect(breakCode(asm.brk(515 << 10))).toBe(515);
      expect(breakCode(asm.brk(516 << 10))).toBe(516);
      expect(breakCode(asm.brk((3 << 10) | 5))).toBe((5 << 10) | 3);
    });
  });

  describe('pt_regs', () => {
    it('names registers as regs_offset_table, reads and writes them as the struct members', () => {
      expect(MIPS_REG_NAMES).toEqual([...Array.from({ length: 32 }, (_, i) => `r${i}`), 'c0_status', 'hi', 'lo', 'c0_badvaddr', 'c0_cause', 'c0_epc']);
      enter('alu_fn', [0x1234, 0xffff_ffff]);
      cpu.setReg('hi', 7n);
      const regs = k.kprobes.arch.saveRegs(cpu);
      expect(regs.arch).toBe('mips');
      const r = mipsRegs(regs);
      expect(r.names).toBe(MIPS_REG_NAMES);
      expect([r.r4, r.argument(0), r.get('r4')]).toEqual([0x1234n, 0x1234n, 0x1234n]);
      expect([r.argument(1), r.argument(4)]).toEqual([0xffff_ffffn, 0n]);
      expect([r.pc, r.cp0_epc, r.get('c0_epc'), r.get('cp0_epc')]).toEqual(Array(4).fill(BigInt(A('alu_fn'))));
      expect([r.cp0_status, r.get('c0_status'), r.hi, r.sp]).toEqual([STATUS, STATUS, 7n, BigInt(MIPS_STACK + MIPS_STACK_SIZE - 64)]);
      expect(r.readReg(31)).toBe(BigInt(A('host_call_return')));
      expect(() => r.get('x0')).toThrow(RangeError);
      expect(() => r.get('a0')).toThrow(RangeError); // not in Linux's table
      // regs[0] is never written back; the others that changed are.
      r.writeReg(0, 5n);
      r.writeReg(2, 0x1_0000_0002n);
      r.lo = 9n;
      r.pc = BigInt(A('beq_fn'));
      k.kprobes.arch.restoreRegs(r, cpu);
      expect([cpu.getReg('zero'), cpu.getReg('v0'), cpu.getReg('lo'), cpu.pc]).toEqual([0n, 2n, 9n, A('beq_fn')]);
      expect(cpu.getReg('a0')).toBe(0x1234n);
    });

    it('regs_return_value: v0 in the kernel; a failed system call seen from user mode is negated', () => {
      expect(MipsRegs.of({ r2: 5n, r7: 1n }).returnValue).toBe(5n);
      expect(MipsRegs.of({ r2: 5n, r7: 1n, c0_status: 0x10n }).returnValue).toBe(0xffff_fffbn);
      expect(MipsRegs.of({ r2: 5n, r7: 0n, c0_status: 0x10n }).returnValue).toBe(5n);
    });

    it('32-bit addresses: canonical and address are the identity', () => {
      expect(k.kprobes.arch.canonical(0x8010_0000)).toBe(0x8010_0000n);
      expect(k.kprobes.arch.address(0x1_8010_0000n)).toBe(0x8010_0000);
      expect(k.kprobes.arch.pointerBits).toBe(32);
    });
  });

  describe('arch_prepare_kprobe', () => {
    it('copies the instruction into the slot, then break 516; arming writes break 515, disarming the original', () => {
      const p: Kprobe = { symbolName: 'alu_fn' };
      const orig = k.read32(A('alu_fn'));
      expect(k.kprobes.registerKprobe(p)).toBe(0);
      expect(p.opcode).toBe(orig);
      expect([k.read32(slotOf(p)), k.read32(slotOf(p) + 4)]).toEqual([orig, BREAKPOINT2_INSN]);
      expect(k.read32(A('alu_fn'))).toBe(BREAKPOINT_INSN);
      k.kprobes.disableKprobe(p);
      expect(k.read32(A('alu_fn'))).toBe(orig);
      k.kprobes.enableKprobe(p);
      k.kprobes.unregisterKprobe(p);
      expect(k.read32(A('alu_fn'))).toBe(orig);
    });

    it('for a branch, the slot holds its delay-slot instruction', () => {
      const p: Kprobe = { symbolName: 'beq_fn', offset: 4 };
      expect(k.kprobes.registerKprobe(p)).toBe(0);
      expect(p.opcode).toBe(asm.beq(4, 5, 12));
      expect(k.read32(slotOf(p))).toBe(asm.addiu(2, 2, 10));
      expect(k.read32(slotOf(p) + 4)).toBe(BREAKPOINT2_INSN);
    });

    it('refuses a delay slot (-EINVAL, with Linux\'s notice), also behind an armed branch', () => {
      expect(k.kprobes.registerKprobe({ symbolName: 'beq_fn', offset: 8 })).toBe(-EINVAL);
      expect(k.host.printks).toEqual(['kprobes: Kprobes for branch delayslot are not supported\n']);
      expect(k.kprobes.registerKprobe({ symbolName: 'beq_fn', offset: 4 })).toBe(0);
      expect(k.kprobes.registerKprobe({ symbolName: 'beq_fn', offset: 8 })).toBe(-EINVAL);
      // The instruction after a delay slot is fine.
      expect(k.kprobes.registerKprobe({ symbolName: 'beq_fn', offset: 12 })).toBe(0);
    });

    it('refuses ll and sc (insn_has_ll_or_sc), but not what lies between them', () => {
      expect(k.kprobes.registerKprobe({ symbolName: 'atomic_inc', offset: 0 })).toBe(-EINVAL);
      expect(k.kprobes.registerKprobe({ symbolName: 'atomic_inc', offset: 8 })).toBe(-EINVAL);
      expect(k.host.printks).toEqual(Array(2).fill('kprobes: Kprobes for ll and sc instructions are not supported\n'));
      expect(k.kprobes.registerKprobe({ symbolName: 'atomic_inc', offset: 4 })).toBe(0);
    });

    it('accepts eret, as Linux does; refuses a misaligned address, COP1 and BPOSGE32', () => {
      expect(k.kprobes.registerKprobe({ symbolName: 'eret_fn' })).toBe(0);
      expect(k.kprobes.registerKprobe({ symbolName: 'alu_fn', offset: 2 })).toBe(-EINVAL);
      // Words this CPU cannot run, patched into a function for the test.
      k.memory.poke(A('j_fn') + 12, Uint8Array.of(0x45, 0x00, 0x00, 0x03)); // bc1f .+16
      expect(k.kprobes.registerKprobe({ symbolName: 'j_fn', offset: 12 })).toBe(-EINVAL);
      k.memory.poke(A('j_fn') + 12, Uint8Array.of(0x04, 0x1c, 0x00, 0x03)); // bposge32 .+16
      expect(k.kprobes.registerKprobe({ symbolName: 'j_fn', offset: 12 })).toBe(-EINVAL);
    });

    it('refuses what the core refuses (the .kprobes.text), and -ENOMEM without a slot', () => {
      expect(k.kprobes.registerKprobe({ symbolName: 'kprobes_fn' })).toBe(-EINVAL);
      k.host.slotPagesLeft = 0;
      while (k.kprobes.getInsnSlot() !== null);
      expect(k.kprobes.registerKprobe({ symbolName: 'gcd' })).toBe(-ENOMEM);
    });
  });

  describe('the hit protocol', () => {
    it('pre_handler at addr; the slot runs with Status.IE clear; break 516: post_handler at slot + 4; resume at addr + 4', () => {
      const seen: string[] = [];
      const p: Kprobe = {
        symbolName: 'alu_fn',
        preHandler: (kp, regs) => {
          const r = mipsRegs(regs);
          seen.push(`pre epc=${hex(r.pc)} a0=${r.r4} ie=${r.cp0_status & IE} running=${k.kprobes.kprobeRunning() === kp} status=${k.kprobes.kprobeStatus}`);
          return 0;
        },
        postHandler: (_kp, regs, flags) => {
          const r = mipsRegs(regs);
          seen.push(`post epc=${hex(r.pc)} v0=${r.r2} ie=${r.cp0_status & IE} flags=${flags} status=${k.kprobes.kprobeStatus}`);
        },
      };
      expect(k.kprobes.registerKprobe(p)).toBe(0);
      const slot = slotOf(p);
      enter('alu_fn', [4]);
      expect(hit()).toBe(true);
      expect(cpu.pc).toBe(slot);
      expect(status()).toBe(STATUS & ~IE);
      expect(k.kprobes.kprobeStatus).toBe(KPROBE_HIT_SS);
      expect(k.kprobes.kprobeRunning()).toBe(p);
      step();
      expect(cpu.pc).toBe(slot + 4);
      expect(hit()).toBe(true);
      expect(cpu.pc).toBe(A('alu_fn') + 4);
      expect(status()).toBe(STATUS);
      expect(k.kprobes.kprobeRunning()).toBeNull();
      expect(seen).toEqual([
        `pre epc=${hex(A('alu_fn'))} a0=4 ie=1 running=true status=${KPROBE_HIT_ACTIVE}`,
        `post epc=${hex(slot + 4)} v0=9 ie=0 flags=0 status=${KPROBE_HIT_SSDONE}`,
      ]);
      expect(finish()).toBe(((9n << 1n) ^ 3n));
    });

    it('keeps Status.IE clear afterwards when it was clear at the hit', () => {
      k.kprobes.registerKprobe({ symbolName: 'alu_fn' });
      enter('alu_fn', [1]);
      cpu.setReg('status', 0xff00n);
      hit();
      step();
      hit();
      expect(status()).toBe(0xff00n);
    });

    it('a probed branch is evaluated: the delay slot runs from the slot, then the target (taken) or addr + 8', () => {
      const posts: string[] = [];
      const p: Kprobe = { symbolName: 'beq_fn', offset: 4, postHandler: (_p, regs) => void posts.push(hex(regs.pc)) };
      k.kprobes.registerKprobe(p);
      for (const [args, resume, result] of [[[3, 3], A('beq_fn') + 16, 11n], [[3, 4], A('beq_fn') + 12, 111n]] as const) {
        enter('beq_fn', [...args]);
        step(); // li v0, 1
        expect(hit()).toBe(true);
        expect(cpu.pc).toBe(slotOf(p));
        step(); // the delay slot: addiu v0, v0, 10
        expect(cpu.getReg('v0')).toBe(11n);
        expect(hit()).toBe(true);
        expect(cpu.pc).toBe(resume);
        expect(finish()).toBe(result);
      }
      expect(posts).toEqual([hex(slotOf(p) + 4), hex(slotOf(p) + 4)]);
    });

    it('a branch with a nop delay slot is not stepped: post_handler at once (epc = slot), then the target; the probe is done', () => {
      const seen: string[] = [];
      const p: Kprobe = {
        symbolName: 'beq_fn',
        offset: 16, // jr ra; nop
        preHandler: (_p, regs) => void seen.push(`pre ${hex(regs.pc)}`),
        postHandler: (_p, regs) => void seen.push(`post ${hex(regs.pc)} status=${k.kprobes.kprobeStatus}`),
      };
      k.kprobes.registerKprobe(p);
      expect(k.read32(slotOf(p))).toBe(0);
      enter('beq_fn', [1, 1], 0x8010_1234);
      cpu.pc = A('beq_fn') + 16;
      expect(hit()).toBe(true);
      expect(cpu.pc).toBe(0x8010_1234);
      expect(seen).toEqual([`pre ${hex(A('beq_fn') + 16)}`, `post ${hex(slotOf(p))} status=${KPROBE_HIT_SSDONE}`]);
      expect(kcb().flags & SKIP_DELAYSLOT).toBe(SKIP_DELAYSLOT);
      // Unlike Linux's kprobe_handler, the probe is finished: IE back, no kprobe running.
      expect(status()).toBe(STATUS);
      expect(k.kprobes.kprobeRunning()).toBeNull();
      // The next probe hit is a hit, not a miss, and a non-branch probe is stepped.
      const q: Kprobe = { symbolName: 'alu_fn', preHandler: () => void seen.push('q') };
      k.kprobes.registerKprobe(q);
      enter('alu_fn', [0]);
      hit();
      expect(cpu.pc).toBe(slotOf(q));
      expect(kcb().flags & SKIP_DELAYSLOT).toBe(0);
      expect(q.nmissed).toBe(0);
    });

    it('branch-likely: taken, its slot runs; not taken, the slot is annulled', () => {
      const posts: string[] = [];
      const p: Kprobe = { symbolName: 'likely_fn', offset: 4, postHandler: (_p, regs) => void posts.push(hex(regs.pc)) }; // beql a0, a1
      k.kprobes.registerKprobe(p);
      enter('likely_fn', [2, 2]);
      step(); // move v0, zero
      hit();
      expect(cpu.pc).toBe(slotOf(p));
      step();
      hit();
      expect(cpu.pc).toBe(A('likely_fn') + 16);
      expect(cpu.getReg('v0')).toBe(1n);

      enter('likely_fn', [2, 3]);
      step();
      hit();
      expect(cpu.pc).toBe(A('likely_fn') + 12);
      expect(cpu.getReg('v0')).toBe(0n);
      expect(posts).toEqual([hex(slotOf(p) + 4), hex(slotOf(p))]);
      expect(k.kprobes.kprobeRunning()).toBeNull();
    });

    it('links as the hardware: jal and bal write ra, jalr its rd, bltzall ra even when not taken', () => {
      const at = (fn: string, off: number): Kprobe => {
        const p: Kprobe = { symbolName: fn, offset: off };
        expect(k.kprobes.registerKprobe(p)).toBe(0);
        return p;
      };
      /** Probe link_fn+off, run link_fn(3) from there with s0 = 0, and take the hit. */
      const hitLinkFnAt = (off: number): void => {
        at('link_fn', off);
        enter('link_fn', [3]);
        cpu.setReg('s0', 0n);
        cpu.pc = A('link_fn') + off;
        hit();
      };
      // call_fn+8: jal alu_fn; addiu a0, a0, 1
      const jal = at('call_fn', 8);
      enter('call_fn', [5]);
      step();
      step();
      hit();
      expect(cpu.getReg('ra')).toBe(BigInt(A('call_fn') + 16));
      step();
      expect(cpu.getReg('a0')).toBe(6n);
      hit();
      expect(cpu.pc).toBe(A('alu_fn'));
      expect(slotOf(jal)).toBeGreaterThan(0);

      // jalr_rd_fn+12: jalr t8, t9
      at('jalr_rd_fn', 12);
      enter('jalr_rd_fn', [7]);
      for (let i = 0; i < 3; i++) step();
      hit();
      expect(cpu.getReg('t8')).toBe(BigInt(A('jalr_rd_fn') + 20));
      step();
      hit();
      expect(cpu.pc).toBe(A('jalr_rd_leaf'));
      expect(finish()).toBe((7n ^ 0x55n) + 1n);

      // link_fn+16: bal 1f; ori s0, s0, 1 (always taken).
      hitLinkFnAt(16);
      expect(cpu.getReg('ra')).toBe(BigInt(A('link_fn') + 24));
      step();
      hit();
      expect([cpu.pc, cpu.getReg('s0')]).toEqual([A('link_fn') + 28, 1n]);

      // link_fn+44: bltzall a0, link_leaf; with a0 >= 0 not taken, ra written, slot annulled.
      hitLinkFnAt(44);
      expect(cpu.getReg('ra')).toBe(BigInt(A('link_fn') + 52));
      expect(cpu.pc).toBe(A('link_fn') + 52);
      expect(cpu.getReg('s0')).toBe(0n);
    });

    it('a pre_handler returning non-zero has set the pc: no step, no post_handler, IE untouched', () => {
      let post = 0;
      k.kprobes.registerKprobe({
        symbolName: 'alu_fn',
        preHandler: (_p, regs) => {
          regs.set('r2', 42n);
          regs.pc = regs.get('r31');
          return 1;
        },
        postHandler: () => void post++,
      });
      enter('alu_fn', [1]);
      hit();
      expect(cpu.pc).toBe(A('host_call_return'));
      expect(status()).toBe(STATUS);
      expect(k.kprobes.kprobeRunning()).toBeNull();
      expect(finish()).toBe(42n);
      expect(post).toBe(0);
    });

    it('a hit while a handler runs counts nmissed and only steps; the outer probe goes on', () => {
      const order: string[] = [];
      const inner: Kprobe = { symbolName: 'leaf_ret', preHandler: () => void order.push('inner pre') };
      const outer: Kprobe = {
        symbolName: 'alu_fn',
        preHandler: () => {
          // The handler calls leaf_ret(1), which traps on its probe.
          const ctx = cpu.saveContext();
          enter('leaf_ret', [1], 0x8010_5000);
          expect(hit()).toBe(true);
          expect(k.kprobes.kprobeStatus).toBe(KPROBE_REENTER);
          expect(k.kprobes.kprobeRunning()).toBe(inner);
          step();
          expect(hit()).toBe(true);
          expect([cpu.pc, cpu.getReg('v0')]).toEqual([0x8010_5000, 8n]);
          expect(k.kprobes.kprobeRunning()).toBe(outer);
          expect(k.kprobes.kprobeStatus).toBe(KPROBE_HIT_ACTIVE);
          cpu.restoreContext(ctx);
          order.push('outer pre');
          return 0;
        },
        postHandler: () => void order.push('outer post'),
      };
      k.kprobes.registerKprobes([outer, inner]);
      enter('alu_fn', [4]);
      hit();
      expect(cpu.pc).toBe(slotOf(outer));
      step();
      hit();
      expect(finish()).toBe((9n << 1n) ^ 3n);
      expect(order).toEqual(['outer pre', 'outer post']);
      expect([inner.nmissed, outer.nmissed]).toEqual([1, 0]);
      expect(k.host.deaths).toEqual([]);
    });

    it('a reentered branch with a nop slot resumes at once and gives the outer state back', () => {
      const inner: Kprobe = { symbolName: 'beq_fn', offset: 16, preHandler: () => { throw new Error('must not run'); } }; // jr ra; nop
      const outer = outerAround(() => {
        enter('beq_fn', [0, 0], 0x8010_5000);
        cpu.pc = A('beq_fn') + 16;
        expect(hit()).toBe(true);
        expect(cpu.pc).toBe(0x8010_5000);
        expect(status() & IE).toBe(IE);
      });
      runOuter(outer, inner);
      expect(inner.nmissed).toBe(1);
      expect(k.kprobes.kprobeRunning()).toBeNull();
    });

    it('a branch probe hit in a post_handler does not redirect the outer branch probe', () => {
      const inner: Kprobe = { symbolName: 'bne_fn', offset: 4 }; // bne a0, a1: taken for (1, 2)
      const outer: Kprobe = {
        symbolName: 'beq_fn',
        offset: 4, // beq a0, a1: not taken for (3, 4), so it resumes at +12
        postHandler: () => {
          const ctx = cpu.saveContext();
          enter('bne_fn', [1, 2]);
          step();
          hit();
          step();
          hit();
          expect(cpu.pc).toBe(A('bne_fn') + 16);
          cpu.restoreContext(ctx);
        },
      };
      k.kprobes.registerKprobes([outer, inner]);
      enter('beq_fn', [3, 4]);
      step();
      hit();
      step();
      hit();
      expect(cpu.pc).toBe(A('beq_fn') + 12);
      expect(finish()).toBe(111n);
      expect(inner.nmissed).toBe(1);
    });

    it('aggregated probes on a branch: every pre, then every post', () => {
      const order: string[] = [];
      const p1: Kprobe = { symbolName: 'bne_fn', offset: 4, preHandler: () => void order.push('pre1'), postHandler: () => void order.push('post1') };
      const p2: Kprobe = { symbolName: 'bne_fn', offset: 4, preHandler: () => void order.push('pre2'), postHandler: () => void order.push('post2') };
      k.kprobes.registerKprobes([p1, p2]);
      enter('bne_fn', [5, 5]);
      expect(finish()).toBe(111n);
      expect(order).toEqual(['pre2', 'pre1', 'post2', 'post1']);
    });

    it('leaves breaks that are not its own to the kernel', () => {
      const trapAt = (pc: number, insn: number): boolean => k.kprobes.breakpoint({ kind: 'breakpoint', pc, imm: (insn >>> 6) & 0xfffff, insn });
      // A break 515 nobody registered: not ours.
      k.memory.poke(A('j_fn') + 12, Uint8Array.of(0, 0, 0x80, 0xcd));
      expect(trapAt(A('j_fn') + 12, BREAKPOINT_INSN)).toBe(false);
      // The break is gone already (a probe removed after the hit): handled, the pc stays to re-run.
      cpu.pc = A('alu_fn');
      expect(trapAt(A('alu_fn'), BREAKPOINT_INSN)).toBe(true);
      expect(cpu.pc).toBe(A('alu_fn'));
      // break 516 with no kprobe running; other codes; conditional traps; undefined instructions.
      expect(trapAt(A('alu_fn'), BREAKPOINT2_INSN)).toBe(false);
      expect(trapAt(A('alu_fn'), asm.brk(514))).toBe(false);
      expect(trapAt(A('alu_fn'), asm.teq(0, 0, 515))).toBe(false);
      expect(k.kprobes.breakpoint({ kind: 'undefined', pc: A('alu_fn'), insn: 0 })).toBe(false);
      // A probe hit reported with the old assembler's encoding of the code is a hit.
      let pre = 0;
      k.kprobes.registerKprobe({ symbolName: 'alu_fn', preHandler: () => void pre++ });
      enter('alu_fn', [1]);
      expect(trapAt(A('alu_fn'), asm.brk(515 << 10))).toBe(true);
      expect(pre).toBe(1);
    });
  });

  describe('faults', () => {
    it('the stepped load faults: fault_handler first (ExcCode TLBL); 1 runs the slot again', () => {
      const trapnrs: number[] = [];
      const p: Kprobe = {
        symbolName: 'load_fn',
        faultHandler: (_p, regs, trapnr) => {
          trapnrs.push(trapnr);
          expect(regs.pc).toBe(BigInt(slotOf(p)));
          k.memory.map(MIPS_UNMAPPED, 4096, { user: false, write: true, exec: false });
          k.memory.write32(MIPS_UNMAPPED, 0x600d);
          return 1;
        },
      };
      k.kprobes.registerKprobe(p);
      enter('load_fn', [MIPS_UNMAPPED]);
      hit();
      const e = stop();
      expect(e.kind).toBe('fault');
      expect(k.kprobes.fault(e)).toBe(true);
      expect(trapnrs).toEqual([2]);
      expect(cpu.pc).toBe(slotOf(p));
      expect(k.kprobes.kprobeStatus).toBe(KPROBE_HIT_SS);
      step();
      hit();
      expect(cpu.pc).toBe(A('load_fn') + 4);
      expect(finish()).toBe(0x600dn);
    });

    it('unhandled: pc back on the probed instruction, IE restored, the probe state dropped', () => {
      const p: Kprobe = { symbolName: 'load_fn', faultHandler: () => 0 };
      k.kprobes.registerKprobe(p);
      enter('load_fn', [MIPS_UNMAPPED]);
      hit();
      expect(k.kprobes.fault(stop())).toBe(false);
      expect(cpu.pc).toBe(A('load_fn'));
      expect(status()).toBe(STATUS);
      expect(cpu.getReg('cause') & (1n << 31n)).toBe(0n);
      expect(k.kprobes.kprobeRunning()).toBeNull();
    });

    it('reports the Cause.ExcCode: AdEL for a misaligned load, Mod for a store to read-only memory', () => {
      const got: number[] = [];
      const faultHandler = (_p: Kprobe, _r: PtRegs, trapnr: number): number => (got.push(trapnr), 0);
      k.kprobes.registerKprobe({ symbolName: 'load_fn', faultHandler });
      enter('load_fn', [MIPS_BUFFER + 2]);
      hit();
      k.kprobes.fault(stop());
      k.kprobes.registerKprobe({ symbolName: 'ldst_fn', offset: 8, faultHandler }); // sw t0, 4(a0)
      enter('ldst_fn', [A('alu_fn')]);
      step();
      step();
      hit();
      k.kprobes.fault(stop());
      expect(got).toEqual([4, 1]);
      expect(k.kprobes.arch.faultTrapnr({ kind: 'undefined', pc: 0, insn: asm.add(2, 3, 4) })).toBe(12); // Ov
      expect(k.kprobes.arch.faultTrapnr(new Error('a handler bug'))).toBe(EXCCODE_RI);
    });

    it('a fault in a reentered step: back to the inner probe\'s address and the outer probe\'s state', () => {
      const inner: Kprobe = { symbolName: 'load_fn' };
      const outer = outerAround(() => {
        enter('load_fn', [MIPS_UNMAPPED]);
        hit();
        expect(k.kprobes.kprobeStatus).toBe(KPROBE_REENTER);
        expect(k.kprobes.fault(stop())).toBe(false);
        expect(cpu.pc).toBe(A('load_fn'));
      });
      runOuter(outer, inner);
      expect(k.kprobes.kprobeRunning()).toBeNull();
    });

    it('a handler reading bad memory: nmissed and fault_handler (TLBL); unhandled, an oops report', () => {
      const seen: number[] = [];
      const p: Kprobe = {
        symbolName: 'alu_fn',
        preHandler: () => {
          k.memory.read32(MIPS_UNMAPPED);
          return 1;
        },
        faultHandler: (_p, _r, trapnr) => (seen.push(trapnr), 1),
      };
      k.kprobes.registerKprobe(p);
      enter('alu_fn', [0]);
      hit();
      expect(seen).toEqual([2]);
      expect(p.nmissed).toBe(1);
      expect(cpu.pc).toBe(slotOf(p)); // as if the handler returned 0
      step();
      hit();
      p.faultHandler = undefined;
      enter('alu_fn', [0]);
      expect(hit()).toBe(true);
      const d = k.host.deaths[0]!;
      expect(d.kind === 'fault' && [d.address, d.access, d.trapnr, d.probe]).toEqual([MIPS_UNMAPPED, 'read', 2, 'alu_fn+0x0']);
      expect(k.kprobes.kprobeRunning()).toBeNull();
      expect(cpu.pc).toBe(A('alu_fn'));
    });

    it('a TypeScript exception in a post_handler is an oops with ExcCode RI', () => {
      const boom = new TypeError('handler bug');
      k.kprobes.registerKprobe({ symbolName: 'alu_fn', postHandler: () => { throw boom; } });
      enter('alu_fn', [0]);
      hit();
      step();
      k.host.dieThrows = true;
      expect(() => hit()).toThrow(TestKilled);
      const d = k.host.deaths[0]!;
      expect(d.kind === 'exception' && [d.error, d.trapnr]).toEqual([boom, EXCCODE_RI]);
      expect(k.kprobes.kprobeRunning()).toBeNull();
    });
  });

  describe('kretprobes (the probe on __kretprobe_trampoline)', () => {
    it('arch_init_kprobes registered trampoline_p: listed, armed, kept armed when all are disarmed', () => {
      const tramp = A('__kretprobe_trampoline');
      const arch = k.kprobes.arch as MipsKprobes;
      const tp = arch.trampolineKprobe!;
      expect(tp.addr).toBe(tramp);
      expect(arch.archTrampolineKprobe(tp)).toBe(true);
      expect(arch.archTrampolineKprobe({ addr: A('alu_fn') })).toBe(false);
      expect(k.read32(tramp)).toBe(BREAKPOINT_INSN);
      expect(k.kprobes.listKprobes()).toBe(`${tramp.toString(16)}  k  kretprobe_trampoline_holder+0x4    \n`);
      k.kprobes.registerKprobe({ symbolName: 'alu_fn' });
      expect(k.kprobes.writeEnabledFile('0')).toBe(0);
      expect(k.read32(A('alu_fn'))).not.toBe(BREAKPOINT_INSN);
      expect(k.read32(tramp)).toBe(BREAKPOINT_INSN);
    });

    it('entry: ra -> trampoline; return: handlers with v0, then the real return address', () => {
      const log: string[] = [];
      const rp: Kretprobe = {
        kp: { symbolName: 'alu_fn' },
        dataSize: 4,
        entryHandler: (ri, regs) => {
          ri.data[0] = Number(regs.argument(0));
          log.push(`entry task=${ri.task}`);
          return 0;
        },
        handler: (ri, regs) => {
          log.push(`ret ${regs.returnValue} data=${ri.data[0]} pc=${hex(regs.pc)} running=${k.kprobes.kprobeRunning() === rp.kp}`);
          return 0;
        },
      };
      expect(k.kprobes.registerKretprobe(rp)).toBe(0);
      k.host.task = 7;
      enter('alu_fn', [4], A('call_fn') + 16);
      hit();
      expect(cpu.getReg('ra')).toBe(BigInt(A('__kretprobe_trampoline')));
      step();
      hit();
      step(); // sll
      step(); // jr ra
      step(); // xori in the delay slot, then at the trampoline
      expect(cpu.pc).toBe(A('__kretprobe_trampoline'));
      expect(hit()).toBe(true);
      expect(cpu.pc).toBe(A('call_fn') + 16);
      expect(log).toEqual(['entry task=7', `ret ${(9n << 1n) ^ 3n} data=4 pc=${hex(A('call_fn') + 16)} running=true`]);
      expect(k.kprobes.kprobeRunning()).toBeNull();
      expect(k.kprobes.kretprobeInstancesOf(7)).toHaveLength(0);
    });

    it('a function whose first instruction is its return: the evaluated jr goes to the trampoline', () => {
      const rets: bigint[] = [];
      k.kprobes.registerKretprobe({ kp: { symbolName: 'leaf_ret' }, handler: (_ri, regs) => void rets.push(regs.returnValue) });
      enter('leaf_ret', [5], A('call_fn') + 16);
      hit();
      step(); // addiu v0, a0, 7 from the slot
      hit();
      expect(cpu.pc).toBe(A('__kretprobe_trampoline'));
      hit();
      expect(cpu.pc).toBe(A('call_fn') + 16);
      expect(rets).toEqual([12n]);
    });

    it('a probe hit inside a return handler is missed; without an instance the trampoline BUGs', () => {
      const other: Kprobe = { symbolName: 'beq_fn', preHandler: () => { throw new Error('must not run'); } };
      k.kprobes.registerKprobe(other);
      k.kprobes.registerKretprobe({
        kp: { symbolName: 'leaf_ret' },
        handler: () => {
          const ctx = cpu.saveContext();
          enter('beq_fn', [0, 0]);
          expect(hit()).toBe(true);
          step();
          expect(hit()).toBe(true);
          cpu.restoreContext(ctx);
          return 0;
        },
      });
      enter('leaf_ret', [5], A('call_fn') + 16);
      expect(finishTo(A('call_fn') + 16)).toBe(12n);
      expect(other.nmissed).toBe(1);
      // The trampoline reached with no instance pending.
      cpu.pc = A('__kretprobe_trampoline');
      expect(hit()).toBe(true);
      expect(k.host.printks).toEqual(['kretprobe: Return address not found, not execute handler. Maybe there is a bug in the kernel.\n']);
      expect(k.host.deaths.map((d) => d.kind === 'bug' && d.site.line)).toEqual([2055]);
    });
  });

  /** Run until the pc reaches `addr`, giving breaks to kprobes; v0. */
  function finishTo(addr: number): bigint {
    for (let i = 0; i < 10_000 && cpu.pc !== addr; i++) {
      const r = cpu.run(1);
      if (r.stop === 'exception') {
        if (r.exception.kind !== 'breakpoint' || !k.kprobes.breakpoint(r.exception)) throw new Error(`unexpected ${r.exception.kind}`);
      }
    }
    expect(cpu.pc).toBe(addr);
    return cpu.getReg('v0');
  }
});
