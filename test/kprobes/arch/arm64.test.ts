// The arm64 hit protocol (src/kprobes/arch/arm64.ts with the core), driven through the kernel's
// trap entry points by hand: the test plays the CPU (it sets the registers a BRK leaves and
// "executes" the one instruction in a slot), so every step of the state machine can be checked:
// pre/post order and the PC each sees, DAIF around the step, simulation, a pre_handler moving the
// PC, aggregation, reentry and nmissed, the unrecoverable reentry BUG, the fault paths, and
// kretprobes. machine.test.ts runs the same things on the real CPU.

import { beforeEach, describe, expect, it } from 'vitest';
import {
  BRK64_OPCODE_KPROBES,
  ESR_UNKNOWN,
  KPROBES_BRK_IMM,
  KPROBES_BRK_SS_IMM,
  KRETPROBES_BRK_IMM,
  type Arm64Ainsn,
} from '../../../src/kprobes/arch/arm64.ts';
import { arm64Canonical } from '../../../src/kprobes/arch/arm64-regs.ts';
import { KprobeContextDied } from '../../../src/kprobes/kprobes.ts';
import {
  DBG_HOOK_ERROR,
  DBG_HOOK_HANDLED,
  KPROBE_HIT_ACTIVE,
  KPROBE_HIT_SS,
  KPROBE_HIT_SSDONE,
  KPROBE_HOOK_DIED,
  KPROBE_REENTER,
  type Kprobe,
  type Kretprobe,
  type KretprobeInstance,
  type PtRegs,
} from '../../../src/kprobes/types.ts';
import { MemoryFault } from '../../../src/machine/memory.ts';
import { ASM_TOOLS } from '../support/asm.ts';
import { makeTestKernel, RegsOnlyCpu, TestKilled, UNMAPPED, type TestKernel } from '../support/guest.ts';
import { requireTools } from '../../helpers/tools.ts';

const haveAsm = requireTools(...ASM_TOOLS);

const EL1H = 0x5n;
const DAIF = 0x3c0n;

describe.skipIf(!haveAsm)('arm64 kprobe hit protocol', () => {
  let k: TestKernel;
  let cpu: RegsOnlyCpu;
  let A: (name: string) => number;
  const C = (addr: number): bigint => arm64Canonical(addr);
  const slotOf = (p: Kprobe): number => (p.ainsn as Arm64Ainsn).api.insn!;

  beforeEach(() => {
    k = makeTestKernel();
    cpu = k.host.cpu as unknown as RegsOnlyCpu;
    A = k.addr;
    cpu.setReg('pstate', EL1H);
    cpu.setReg('sp', C(0x8000_0900_3f00));
  });

  /** The CPU raised BRK #imm at its pc. */
  const trap = (imm: number): boolean => k.kprobes.breakpoint({ kind: 'breakpoint', pc: cpu.pc, imm, insn: k.read32(cpu.pc) });
  /** Enter a function as a call would: arguments, return address, pc. */
  const call = (fn: string, args: bigint[] = [], ret = A('host_call_return')): void => {
    args.forEach((v, i) => cpu.setReg(`x${i}`, v));
    cpu.setReg('x30', C(ret));
    cpu.pc = A(fn);
  };
  /** Play the CPU for `mov w1, #3` in a slot: x1 = 3, pc on the BRK #6 after it. */
  const stepMovW1 = (): void => {
    cpu.setReg('x1', 3n);
    cpu.pc += 4;
  };

  it('runs pre_handler at addr, steps out of line with DAIF masked, post_handler at addr+4', () => {
    const seen: string[] = [];
    const p: Kprobe = {
      symbolName: 'kprobe_target',
      preHandler: (kp, regs) => {
        seen.push(`pre pc=${regs.pc.toString(16)} x0=${regs.get('x0')} running=${k.kprobes.kprobeRunning() === kp}`);
        return 0;
      },
      postHandler: (kp, regs, flags) => {
        seen.push(`post pc=${regs.pc.toString(16)} x1=${regs.get('x1')} flags=${flags} status=${k.kprobes.kprobeStatus}`);
      },
    };
    expect(k.kprobes.registerKprobe(p)).toBe(0);
    call('kprobe_target', [99n]);
    expect(k.read32(cpu.pc)).toBe(BRK64_OPCODE_KPROBES);

    expect(trap(KPROBES_BRK_IMM)).toBe(true);
    expect(cpu.pc).toBe(slotOf(p));
    expect(k.read32(cpu.pc)).toBe(p.opcode);
    expect(cpu.getReg('pstate')).toBe(EL1H | DAIF);
    expect(k.kprobes.kprobeStatus).toBe(KPROBE_HIT_SS);
    expect(k.kprobes.kprobeRunning()).toBe(p);

    stepMovW1();
    expect(trap(KPROBES_BRK_SS_IMM)).toBe(true);
    expect(cpu.pc).toBe(A('kprobe_target') + 4);
    expect(cpu.getReg('pstate')).toBe(EL1H);
    expect(k.kprobes.kprobeRunning()).toBeNull();
    expect(seen).toEqual([
      `pre pc=${C(A('kprobe_target')).toString(16)} x0=99 running=true`,
      `post pc=${C(A('kprobe_target') + 4).toString(16)} x1=3 flags=0 status=${KPROBE_HIT_SSDONE}`,
    ]);
    expect(p.nmissed).toBe(0);
  });

  it('keeps the DAIF bits the probed code had', () => {
    const p: Kprobe = { symbolName: 'kprobe_target' };
    k.kprobes.registerKprobe(p);
    call('kprobe_target');
    cpu.setReg('pstate', EL1H | 0x80n | (1n << 30n)); // IRQs masked, Z set
    trap(KPROBES_BRK_IMM);
    expect(cpu.getReg('pstate')).toBe(EL1H | DAIF | (1n << 30n));
    stepMovW1();
    trap(KPROBES_BRK_SS_IMM);
    expect(cpu.getReg('pstate')).toBe(EL1H | 0x80n | (1n << 30n));
  });

  it('simulates a branch in the trap: post_handler sees the target, no slot is entered', () => {
    const order: string[] = [];
    const p: Kprobe = {
      symbolName: 'kprobe_target',
      offset: 8, // ret
      preHandler: () => void order.push('pre'),
      postHandler: (_p, regs) => void order.push(`post ${regs.pc === C(A('caller') + 12)}`),
    };
    k.kprobes.registerKprobe(p);
    call('kprobe_target', [], A('caller') + 12);
    cpu.pc = A('kprobe_target') + 8;
    expect(trap(KPROBES_BRK_IMM)).toBe(true);
    expect(order).toEqual(['pre', 'post true']);
    expect(cpu.pc).toBe(A('caller') + 12);
    expect(k.kprobes.kprobeRunning()).toBeNull();
  });

  it('a pre_handler returning non-zero has moved the PC: no step, no post_handler', () => {
    let post = 0;
    const p: Kprobe = {
      symbolName: 'kprobe_target',
      preHandler: (_p, regs) => {
        // Return 42 at once, as a function override does.
        regs.set('x0', 42n);
        regs.pc = regs.get('x30');
        return 1;
      },
      postHandler: () => void post++,
    };
    k.kprobes.registerKprobe(p);
    call('kprobe_target', [9n], A('caller') + 12);
    trap(KPROBES_BRK_IMM);
    expect(cpu.pc).toBe(A('caller') + 12);
    expect(cpu.getReg('x0')).toBe(42n);
    expect(post).toBe(0);
    expect(k.kprobes.kprobeRunning()).toBeNull();
  });

  it('aggregates: newest child first, the first non-zero return stops the others and the step', () => {
    const order: string[] = [];
    const p1: Kprobe = { symbolName: 'kprobe_target', preHandler: () => void order.push('pre1'), postHandler: () => void order.push('post1') };
    const p2: Kprobe = { symbolName: 'kprobe_target', preHandler: () => void order.push('pre2') };
    const p3: Kprobe = { symbolName: 'kprobe_target', postHandler: () => void order.push('post3') };
    k.kprobes.registerKprobes([p1, p2, p3]);
    call('kprobe_target');
    trap(KPROBES_BRK_IMM);
    stepMovW1();
    trap(KPROBES_BRK_SS_IMM);
    expect(order).toEqual(['pre2', 'pre1', 'post3', 'post1']);

    // A disabled child is skipped.
    order.length = 0;
    k.kprobes.disableKprobe(p1);
    call('kprobe_target');
    trap(KPROBES_BRK_IMM);
    stepMovW1();
    trap(KPROBES_BRK_SS_IMM);
    expect(order).toEqual(['pre2', 'post3']);

    order.length = 0;
    k.kprobes.enableKprobe(p1);
    p2.preHandler = (_p, regs) => {
      order.push('pre2 stops');
      regs.pc = regs.get('x30');
      return 1;
    };
    call('kprobe_target');
    trap(KPROBES_BRK_IMM);
    expect(order).toEqual(['pre2 stops']);
    expect(cpu.pc).toBe(A('host_call_return'));
  });

  it('a hit while a handler runs counts nmissed on every child and only steps', () => {
    const inner1: Kprobe = { symbolName: 'kprobe_recursed_target', preHandler: () => void order.push('inner pre') };
    const inner2: Kprobe = { symbolName: 'kprobe_recursed_target', postHandler: () => void order.push('inner post') };
    const order: string[] = [];
    const outer: Kprobe = {
      symbolName: 'kprobe_target',
      preHandler: () => {
        // The handler calls kprobe_recursed_target, which traps on its probe.
        const saved = cpu.pc;
        call('kprobe_recursed_target', [30n]);
        expect(trap(KPROBES_BRK_IMM)).toBe(true);
        expect(k.kprobes.kprobeStatus).toBe(KPROBE_REENTER);
        expect(cpu.pc).toBe(slotOf(inner1));
        stepMovW1();
        expect(trap(KPROBES_BRK_SS_IMM)).toBe(true);
        expect(cpu.pc).toBe(A('kprobe_recursed_target') + 4);
        // Back to the outer probe's state.
        expect(k.kprobes.kprobeRunning()).toBe(outer);
        expect(k.kprobes.kprobeStatus).toBe(KPROBE_HIT_ACTIVE);
        cpu.pc = saved;
        order.push('outer pre');
        return 0;
      },
    };
    k.kprobes.registerKprobes([outer, inner1, inner2]);
    call('kprobe_target');
    trap(KPROBES_BRK_IMM);
    expect(cpu.pc).toBe(slotOf(outer));
    stepMovW1();
    trap(KPROBES_BRK_SS_IMM);
    expect(k.host.deaths).toEqual([]);
    expect(order).toEqual(['outer pre']);
    expect(inner1.nmissed).toBe(1);
    expect(inner2.nmissed).toBe(1);
    expect(outer.nmissed).toBe(0);
  });

  it('a hit during a step is recoverable and the outer step gets its own DAIF back', () => {
    const outer: Kprobe = { symbolName: 'kprobe_target' };
    const inner: Kprobe = { symbolName: 'kprobe_recursed_target' };
    k.kprobes.registerKprobes([outer, inner]);
    call('kprobe_target');
    cpu.setReg('pstate', EL1H | 0x80n); // only IRQs masked
    trap(KPROBES_BRK_IMM);
    expect(k.kprobes.kprobeStatus).toBe(KPROBE_HIT_SS);
    const outerSlot = cpu.pc;
    // Something run during outer's step reaches inner's probe.
    cpu.pc = A('kprobe_recursed_target');
    expect(trap(KPROBES_BRK_IMM)).toBe(true);
    expect(k.kprobes.kprobeStatus).toBe(KPROBE_REENTER);
    stepMovW1();
    expect(trap(KPROBES_BRK_SS_IMM)).toBe(true);
    expect(k.kprobes.kprobeStatus).toBe(KPROBE_HIT_SS);
    expect(inner.nmissed).toBe(1);
    cpu.pc = outerSlot;
    stepMovW1();
    expect(trap(KPROBES_BRK_SS_IMM)).toBe(true);
    expect(cpu.getReg('pstate')).toBe(EL1H | 0x80n);
    expect(k.kprobes.kprobeRunning()).toBeNull();
  });

  it('a hit during a reentered step is unrecoverable: message, dump, BUG', () => {
    const third: Kprobe = { symbolName: 'kprobe_target2' };
    const second: Kprobe = { symbolName: 'kprobe_recursed_target' };
    let inner = -1;
    const first: Kprobe = {
      symbolName: 'kprobe_target',
      preHandler: () => {
        call('kprobe_recursed_target');
        trap(KPROBES_BRK_IMM); // reenter: stepping `second`
        call('kprobe_target2');
        inner = k.kprobes.breakHandler(k.kprobes.arch.saveRegs(k.host.cpu), { kind: 'breakpoint', imm: KPROBES_BRK_IMM, insn: BRK64_OPCODE_KPROBES });
        return 0;
      },
    };
    k.kprobes.registerKprobes([first, second, third]);
    call('kprobe_target');
    expect(trap(KPROBES_BRK_IMM)).toBe(true);
    expect(inner).toBe(KPROBE_HOOK_DIED);
    expect(k.host.printks).toEqual([
      'kprobes: Failed to recover from reentered kprobes.\n',
      `kprobes: Dump kprobe:\n.symbol_name = kprobe_target2, .offset = 0, .addr = kprobe_target2+0x0/0x10\n`,
    ]);
    expect(k.host.deaths.map((d) => d.kind === 'bug' && d.site)).toEqual([
      { file: 'arch/arm64/kernel/probes/kprobes.c', line: 270, func: 'reenter_kprobe' },
    ]);
    expect(k.kprobes.kprobeRunning()).toBeNull();
  });

  it('leaves BRKs that are not its own to the kernel', () => {
    cpu.pc = A('kprobe_target');
    expect(trap(KPROBES_BRK_IMM)).toBe(false); // no probe there: WARN_ON_ONCE
    expect(trap(KPROBES_BRK_IMM)).toBe(false);
    expect(k.host.warnings).toEqual([{ file: 'arch/arm64/kernel/probes/kprobes.c', line: 341, func: 'kprobe_brk_handler' }]);
    expect(trap(KPROBES_BRK_SS_IMM)).toBe(false); // no step in progress
    expect(trap(0x800)).toBe(false); // BUG()
    expect(k.kprobes.breakpoint({ kind: 'undefined', pc: cpu.pc, insn: 0 })).toBe(false);
    // A BRK #6 of a probe at the wrong place is not a step completion.
    const p: Kprobe = { symbolName: 'kprobe_target' };
    k.kprobes.registerKprobe(p);
    call('kprobe_target');
    trap(KPROBES_BRK_IMM);
    cpu.pc = slotOf(p) + 8;
    expect(trap(KPROBES_BRK_SS_IMM)).toBe(false);
  });

  describe('faults (the classic fault_handler)', () => {
    const readFault = (pc: number) => ({ kind: 'fault' as const, pc, address: UNMAPPED, access: 'read' as const, reason: 'unmapped' as const });

    it('a fault of the stepped instruction goes to fault_handler first; 1 resumes the slot', () => {
      const calls: number[] = [];
      const p: Kprobe = { symbolName: 'load_fn', faultHandler: (_p, _r, trapnr) => (calls.push(trapnr), 1) };
      k.kprobes.registerKprobe(p);
      call('load_fn', [C(UNMAPPED)]);
      trap(KPROBES_BRK_IMM);
      expect(k.kprobes.fault(readFault(cpu.pc))).toBe(true);
      expect(calls).toEqual([0x96000007]); // data abort, EL1, read, level-3 translation fault
      expect(cpu.pc).toBe(slotOf(p));
      expect(k.kprobes.kprobeStatus).toBe(KPROBE_HIT_SS);
      expect(k.kprobes.kprobeRunning()).toBe(p);
    });

    it('unhandled, the probe is reset and pc goes back to the probed address', () => {
      const p: Kprobe = { symbolName: 'load_fn', faultHandler: () => 0 };
      k.kprobes.registerKprobe(p);
      call('load_fn', [C(UNMAPPED)]);
      trap(KPROBES_BRK_IMM);
      expect(k.kprobes.fault({ ...readFault(cpu.pc), access: 'write', reason: 'permission' }, 0x1234)).toBe(false);
      expect(cpu.pc).toBe(A('load_fn'));
      expect(cpu.getReg('pstate')).toBe(EL1H);
      expect(k.kprobes.kprobeRunning()).toBeNull();
      expect(k.kprobes.fault(readFault(cpu.pc))).toBe(false); // no kprobe running now
    });

    it('a guest memory fault in a pre_handler: nmissed, fault_handler; handled, the hit goes on', () => {
      const seen: number[] = [];
      const p: Kprobe = {
        symbolName: 'kprobe_target',
        preHandler: () => {
          k.memory.read64(UNMAPPED);
          return 1;
        },
        faultHandler: (_p, _r, trapnr) => (seen.push(trapnr), 1),
      };
      k.kprobes.registerKprobe(p);
      call('kprobe_target');
      expect(trap(KPROBES_BRK_IMM)).toBe(true);
      expect(seen).toEqual([0x96000007]);
      expect(p.nmissed).toBe(1);
      expect(cpu.pc).toBe(slotOf(p)); // as if the handler returned 0
      stepMovW1();
      expect(trap(KPROBES_BRK_SS_IMM)).toBe(true);
      expect(k.host.deaths).toEqual([]);
    });

    it('unhandled, it is an oops: host.die() with the fault, the CPU left alone, state cleared', () => {
      const p: Kprobe = {
        symbolName: 'kprobe_target',
        preHandler: (_p, regs) => {
          regs.set('x5', 5n);
          k.memory.write32(UNMAPPED + 8, 1);
          return 0;
        },
      };
      k.kprobes.registerKprobe(p);
      call('kprobe_target');
      expect(trap(KPROBES_BRK_IMM)).toBe(true);
      expect(k.host.deaths).toHaveLength(1);
      const d = k.host.deaths[0]!;
      expect(d.kind === 'fault' && [d.address, d.access, d.reason, d.trapnr, d.probe]).toEqual([UNMAPPED + 8, 'write', 'unmapped', 0x96000047, 'kprobe_target+0x0']);
      expect(cpu.pc).toBe(A('kprobe_target'));
      expect(cpu.getReg('x5')).toBe(0n);
      expect(k.kprobes.kprobeRunning()).toBeNull();
      // The machine goes on: the probe still works.
      p.preHandler = () => 0;
      call('kprobe_target');
      trap(KPROBES_BRK_IMM);
      expect(cpu.pc).toBe(slotOf(p));
    });

    it('a TypeScript exception in a post_handler is reported as one', () => {
      const boom = new TypeError('handler bug');
      const p: Kprobe = { symbolName: 'kprobe_target', postHandler: () => { throw boom; }, faultHandler: () => { throw new Error('worse'); } };
      k.kprobes.registerKprobe(p);
      call('kprobe_target');
      trap(KPROBES_BRK_IMM);
      stepMovW1();
      expect(trap(KPROBES_BRK_SS_IMM)).toBe(true);
      const d = k.host.deaths[0]!;
      expect(d.kind === 'exception' && [d.error, d.trapnr]).toEqual([boom, ESR_UNKNOWN]);
    });

    it('the low-level entry reports KPROBE_HOOK_DIED, and die() may throw through kprobes', () => {
      const p: Kprobe = { symbolName: 'kprobe_target', preHandler: () => { throw new Error('x'); } };
      k.kprobes.registerKprobe(p);
      call('kprobe_target');
      const regs = k.kprobes.arch.saveRegs(k.host.cpu);
      expect(k.kprobes.breakHandler(regs, { kind: 'breakpoint', imm: 4, insn: 0 })).toBe(KPROBE_HOOK_DIED);
      k.host.dieThrows = true;
      expect(() => trap(KPROBES_BRK_IMM)).toThrow(TestKilled);
      expect(k.kprobes.kprobeRunning()).toBeNull();
    });

    it('a fault in guest code a handler called is offered to that handler\'s fault_handler', () => {
      const got: string[] = [];
      const p1: Kprobe = { symbolName: 'kprobe_target', faultHandler: () => (got.push('p1'), 0) };
      const p2: Kprobe = {
        symbolName: 'kprobe_target',
        preHandler: () => {
          // A guest function called from here faulted: the kernel asks kprobes first.
          got.push(`handled=${k.kprobes.fault(readFault(A('load_fn')))}`);
          return 0;
        },
        faultHandler: (_p, _r, trapnr) => (got.push(`p2 ${trapnr.toString(16)}`), 1),
      };
      k.kprobes.registerKprobes([p1, p2]);
      call('kprobe_target');
      trap(KPROBES_BRK_IMM);
      expect(got).toEqual(['p2 96000007', 'handled=true']);
      expect([p1.nmissed, p2.nmissed]).toEqual([1, 1]);
    });

    it('the kernel unwinding a killed context passes through handlers untouched', () => {
      let faults = 0;
      const p: Kprobe = {
        symbolName: 'kprobe_target',
        preHandler: () => {
          throw new TestKilled({ kind: 'kernel-oops', pc: 0 });
        },
        faultHandler: () => (faults++, 1),
      };
      k.kprobes.registerKprobe(p);
      call('kprobe_target');
      expect(() => trap(KPROBES_BRK_IMM)).toThrow(TestKilled);
      expect(faults).toBe(0);
      expect(k.kprobes.kprobeRunning()).toBeNull();
      expect(KprobeContextDied).toBeDefined();
    });
  });

  describe('kretprobes', () => {
    const FP = 0xffff800009003f80n;
    /** Enter kprobe_target from caller, take the entry probe and its step. */
    const enterTarget = (fp = FP): void => {
      call('kprobe_target', [30n], A('caller') + 12);
      cpu.setReg('x29', fp);
      expect(trap(KPROBES_BRK_IMM)).toBe(true);
      stepMovW1();
      expect(trap(KPROBES_BRK_SS_IMM)).toBe(true);
    };
    /** The function returns through x30 (the trampoline) with x0 = value. */
    const returnWith = (value: bigint, fp = FP): boolean => {
      cpu.setReg('x0', value);
      cpu.setReg('x29', fp);
      cpu.pc = Number(cpu.getReg('x30') & 0xffff_ffff_ffffn);
      expect(cpu.pc).toBe(A('__kretprobe_trampoline'));
      return trap(KRETPROBES_BRK_IMM);
    };

    it('entry_handler at entry, handler at return with the return value, then the real return address', () => {
      const log: string[] = [];
      const rp: Kretprobe = {
        kp: { symbolName: 'kprobe_target' },
        dataSize: 8,
        entryHandler: (ri, regs) => {
          ri.data[0] = Number(regs.argument(0));
          log.push(`entry task=${ri.task}`);
          return 0;
        },
        handler: (ri, regs) => {
          log.push(`ret ${regs.returnValue} data=${ri.data[0]} pc=${regs.pc === C(A('caller') + 12)} ret_addr=${ri.retAddr === A('caller') + 12} running=${k.kprobes.kprobeRunning() === rp.kp}`);
          return 0;
        },
      };
      expect(k.kprobes.registerKretprobe(rp)).toBe(0);
      k.host.task = 7;
      enterTarget();
      expect(cpu.getReg('x30')).toBe(C(A('__kretprobe_trampoline')));
      expect(k.kprobes.kretprobeFindRetAddr(7, FP)).toBe(A('caller') + 12);
      expect(returnWith(10n)).toBe(true);
      expect(cpu.pc).toBe(A('caller') + 12);
      expect(log).toEqual(['entry task=7', 'ret 10 data=30 pc=true ret_addr=true running=true']);
      expect(k.kprobes.kprobeRunning()).toBeNull();
      expect(k.kprobes.kretprobeInstancesOf(7)).toHaveLength(0);
    });

    it('counts nmissed when the instances run out; nested returns come back LIFO', () => {
      const rets: bigint[] = [];
      const rp: Kretprobe = { kp: { symbolName: 'kprobe_target' }, maxactive: 2, handler: (_ri, regs) => void rets.push(regs.returnValue) };
      k.kprobes.registerKretprobe(rp);
      enterTarget(FP);
      const tramp = C(A('__kretprobe_trampoline'));
      // Recursion: the next entries come from inside, with their own frames.
      enterTarget(FP - 0x40n);
      expect(cpu.getReg('x30')).toBe(tramp);
      enterTarget(FP - 0x80n);
      expect(cpu.getReg('x30')).toBe(C(A('caller') + 12)); // no instance: not hooked
      expect(rp.nmissed).toBe(1);
      cpu.setReg('x30', tramp);
      expect(returnWith(2n, FP - 0x40n)).toBe(true);
      expect(returnWith(1n, FP)).toBe(true);
      expect(rets).toEqual([2n, 1n]);
      expect(cpu.pc).toBe(A('caller') + 12);
    });

    it('a non-zero entry_handler skips this call\'s return', () => {
      let handled = 0;
      const rp: Kretprobe = { kp: { symbolName: 'kprobe_target' }, maxactive: 1, entryHandler: () => 1, handler: () => void handled++ };
      k.kprobes.registerKretprobe(rp);
      enterTarget();
      enterTarget();
      expect(cpu.getReg('x30')).toBe(C(A('caller') + 12));
      expect(rp.nmissed).toBe(0);
      expect(handled).toBe(0);
    });

    it('after unregistration a pending return still gets its address back, without the handler', () => {
      let handled = 0;
      const rp: Kretprobe = { kp: { symbolName: 'kprobe_target' }, handler: () => void handled++ };
      k.kprobes.registerKretprobe(rp);
      enterTarget();
      k.kprobes.unregisterKretprobe(rp);
      expect(returnWith(3n)).toBe(true);
      expect(cpu.pc).toBe(A('caller') + 12);
      expect(handled).toBe(0);
    });

    it('instances of an exiting task go back to the pool', () => {
      const rp: Kretprobe = { kp: { symbolName: 'kprobe_target' }, maxactive: 1, handler: () => 0 };
      k.kprobes.registerKretprobe(rp);
      k.host.task = 5;
      enterTarget();
      k.kprobes.kprobeFlushTask(5);
      expect(k.kprobes.kretprobeInstancesOf(5)).toHaveLength(0);
      k.host.task = 6;
      enterTarget();
      expect(rp.nmissed).toBe(0);
      expect(cpu.getReg('x30')).toBe(C(A('__kretprobe_trampoline')));
    });

    it('WARNs on a frame mismatch and BUGs without an instance', () => {
      const rp: Kretprobe = { kp: { symbolName: 'kprobe_target' }, handler: () => 0 };
      k.kprobes.registerKretprobe(rp);
      enterTarget();
      expect(returnWith(1n, FP + 0x10n)).toBe(true);
      expect(cpu.pc).toBe(A('caller') + 12);
      expect(k.host.warnings.map((w) => w.line)).toEqual([2070]);
      cpu.pc = A('__kretprobe_trampoline');
      expect(trap(KRETPROBES_BRK_IMM)).toBe(true);
      expect(k.host.printks).toEqual(['kretprobe: Return address not found, not execute handler. Maybe there is a bug in the kernel.\n']);
      expect(k.host.deaths.map((d) => d.kind === 'bug' && d.site.line)).toEqual([2055]);
      // BRK #7 anywhere else is not ours.
      cpu.pc = A('kprobe_target');
      expect(trap(KRETPROBES_BRK_IMM)).toBe(false);
    });

    it('a probe hit inside a return handler is missed (kprobe_busy)', () => {
      const other: Kprobe = { symbolName: 'kprobe_target2', preHandler: () => { throw new Error('must not run'); } };
      const rp: Kretprobe = {
        kp: { symbolName: 'kprobe_target' },
        handler: (_ri: KretprobeInstance, _regs: PtRegs) => {
          call('kprobe_target2');
          expect(trap(KPROBES_BRK_IMM)).toBe(true);
          stepMovW1();
          expect(trap(KPROBES_BRK_SS_IMM)).toBe(true);
          return 0;
        },
      };
      k.kprobes.registerKprobe(other);
      k.kprobes.registerKretprobe(rp);
      enterTarget();
      expect(returnWith(1n)).toBe(true);
      expect(other.nmissed).toBe(1);
      expect(k.host.deaths).toEqual([]);
      expect(cpu.pc).toBe(A('caller') + 12);
    });
  });

  it('exports the debug-hook values Linux uses', () => {
    expect([DBG_HOOK_HANDLED, DBG_HOOK_ERROR]).toEqual([0, 1]);
    expect(MemoryFault).toBeDefined();
  });
});
