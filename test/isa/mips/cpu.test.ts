// Unit tests of the MIPS32 CPU: delay slots (taken, not taken, annulled, interrupted by a budget,
// faulting), partial-word and linked loads/stores, HI/LO arithmetic, the stop reasons and their
// Cause codes, exception entry and eret, Coprocessor 0, user-mode address errors, decode-cache
// invalidation, register names and contexts.
// No Linux counterpart.
import { describe, expect, it } from 'vitest';
import { MipsCpu } from '../../../src/isa/mips/cpu.ts';
import { STATUS_WRITABLE } from '../../../src/isa/mips/cp0.ts';
import { createCpu, SUPPORTED_ARCHES } from '../../../src/isa/index.ts';
import { Memory } from '../../../src/machine/memory.ts';
import { putWords, runToException } from '../cpu-test-helpers.ts';
import * as A from './asm.ts';

const EBASE = 0x8000_0000;
const VECTOR = EBASE + 0x180;
const KTEXT = 0x8000_1000;
const KDATA = 0x8010_0000;
const UTEXT = 0x0040_0000;
const UDATA = 0x0041_0000;
const URODATA = 0x0042_0000;
const USTACK_TOP = 0x7fff_0000;

function setup(): { mem: Memory; cpu: MipsCpu } {
  const mem = new Memory(false, 0x8000_0000);
  mem.map(EBASE, 0x1000, { user: false, write: false, exec: true });
  mem.map(KTEXT, 0x4000, { user: false, write: false, exec: true });
  mem.map(KDATA, 0x4000, { user: false, write: true, exec: false });
  mem.map(UTEXT, 0x1000, { user: true, write: false, exec: true });
  mem.map(UDATA, 0x2000, { user: true, write: true, exec: true });
  mem.map(URODATA, 0x1000, { user: true, write: false, exec: false });
  mem.map(USTACK_TOP - 0x1000, 0x1000, { user: true, write: true, exec: false });
  const cpu = new MipsCpu(mem);
  return { mem, cpu };
}

function toUser(cpu: MipsCpu, pc = UTEXT): void {
  cpu.setReg('status', 0x10n); // KSU = user
  cpu.setReg('sp', BigInt(USTACK_TOP));
  cpu.pc = pc;
}

const reg = (cpu: MipsCpu, name: string): number => Number(cpu.getReg(name));
const excCode = (cpu: MipsCpu): number => (reg(cpu, 'cause') >>> 2) & 31;
const BD = 0x8000_0000;

describe('mips reset state and registers', () => {
  it('starts in kernel mode at the reset vector, with a 24K-like CP0', () => {
    const { cpu } = setup();
    expect(cpu.arch).toBe('mips');
    expect(cpu.userMode).toBe(false);
    expect(cpu.pc).toBe(0xbfc0_0000);
    expect(cpu.getReg('status')).toBe(0n);
    expect(cpu.getReg('prid')).toBe(0x19300n);
    expect(cpu.getReg('ebase')).toBe(0x8000_0000n);
    expect((reg(cpu, 'config') >>> 15) & 1).toBe(1); // big-endian
    expect((reg(cpu, 'config') >>> 10) & 7).toBe(1); // release 2
    expect((reg(cpu, 'config3') >>> 13) & 1).toBe(1); // UserLocal implemented
    // pt_regs order (arch/mips/include/asm/ptrace.h): regs[32], then the CP0 and HI/LO words.
    expect(cpu.regNames).toHaveLength(38);
    for (let i = 0; i < 32; i++) expect(cpu.regNames[i]).toBe(`r${i}`);
    expect(cpu.regNames.slice(32).join(' ')).toBe('cp0_status hi lo cp0_badvaddr cp0_cause cp0_epc');
    expect(new MipsCpu(new Memory(false, 0x8000_0000), { cpuIndex: 3 }).getReg('ebase')).toBe(0x8000_0003n);
  });

  it('is what createCpu builds for mips, an arch the machine offers', () => {
    expect(createCpu('mips', new Memory(false, 0x8000_0000))).toBeInstanceOf(MipsCpu);
    expect(SUPPORTED_ARCHES).toContain('mips');
  });

  it('refuses a little-endian memory or another user/kernel split', () => {
    expect(() => new MipsCpu(new Memory(true, 0x8000_0000))).toThrow(/big-endian/);
    expect(() => new MipsCpu(new Memory(false, 0xc000_0000))).toThrow(/0x80000000/);
  });

  it('names registers by pt_regs name, ABI name, $n and Linux probe-event name; pc is live, epc is CP0', () => {
    const { cpu } = setup();
    cpu.setReg('a0', 0xdead_beefn);
    expect(cpu.getReg('r4')).toBe(0xdead_beefn);
    expect(cpu.getReg('$4')).toBe(0xdead_beefn);
    cpu.setReg('r0', 5n);
    expect(cpu.getReg('zero')).toBe(0n);
    cpu.setReg('ra', -4n);
    expect(cpu.getReg('r31')).toBe(0xffff_fffcn); // 32-bit registers, unsigned
    cpu.setReg('s8', 7n);
    expect(cpu.getReg('fp')).toBe(7n);
    cpu.pc = KTEXT;
    cpu.setReg('epc', 0x1234n);
    expect(cpu.getReg('pc')).toBe(BigInt(KTEXT));
    expect(cpu.getReg('cp0_epc')).toBe(BigInt(KTEXT));
    expect(cpu.getReg('c0_epc')).toBe(BigInt(KTEXT));
    expect(cpu.getReg('epc')).toBe(0x1234n);
    cpu.setReg('c0_epc', BigInt(KTEXT + 8));
    expect(cpu.pc).toBe(KTEXT + 8);
    cpu.setReg('hi', 0x11n);
    cpu.setReg('lo', 0x22n);
    cpu.setReg('cp0_badvaddr', 0xbadn);
    cpu.setReg('status', 0xffff_ffffn);
    expect(cpu.getReg('c0_status')).toBe(BigInt(STATUS_WRITABLE));
    expect(() => cpu.getReg('x0')).toThrow(RangeError);
    expect(() => cpu.setReg('prid', 1n)).toThrow(RangeError);

    const words = new Uint32Array(76).fill(0xffff_ffff);
    cpu.readPtRegs(words);
    expect(words[2 * 4]).toBe(0xdead_beef);
    expect(words[2 * 4 + 1]).toBe(0);
    expect(words[2 * 31]).toBe(0xffff_fffc);
    expect(words[64]).toBe(STATUS_WRITABLE);
    expect(words[66]).toBe(0x11);
    expect(words[68]).toBe(0x22);
    expect(words[70]).toBe(0xbad);
    expect(words[74]).toBe(KTEXT + 8);
    for (let i = 1; i < 76; i += 2) expect(words[i]).toBe(0);

    cpu.writePtReg(2, 0x99, 0xffff);
    expect(cpu.getReg('v0')).toBe(0x99n);
    cpu.writePtReg(0, 1, 0);
    expect(cpu.getReg('r0')).toBe(0n);
    cpu.writePtReg(32, 0, 0); // Status
    expect(cpu.getReg('status')).toBe(0n);
    cpu.writePtReg(36, 0x8000_0024, 0); // Cause: BD | ExcCode Bp
    expect(cpu.getReg('cause')).toBe(0x8000_0024n);
    cpu.writePtReg(37, KTEXT, 0);
    expect(cpu.pc).toBe(KTEXT);
    expect(() => cpu.writePtReg(38, 0, 0)).toThrow(RangeError);
  });
});

describe('mips delay slots', () => {
  it('runs the slot of a taken branch before the target, and of a not-taken one before the fall-through', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [
      A.li(2, 1),
      A.beq(0, 0, 12), // → KTEXT + 16
      A.addiu(2, 2, 10), // slot
      A.addiu(2, 2, 100), // skipped
      A.bne(2, 2, 100), // not taken
      A.addiu(2, 2, 1000), // slot
      A.brk(1),
    ]);
    cpu.pc = KTEXT;
    const e = runToException(cpu);
    expect(e).toEqual({ kind: 'breakpoint', pc: KTEXT + 24, imm: 1, insn: A.brk(1) });
    expect(cpu.getReg('v0')).toBe(1011n);
    expect(cpu.retired).toBe(5);
  });

  it('links jal/jalr/bal to the instruction after the slot; bltzal links even when not taken', () => {
    const { mem, cpu } = setup();
    const fn = KTEXT + 0x100;
    putWords(mem, KTEXT, [
      A.jal(fn),
      A.li(4, 5), // slot
      A.move(16, 31),
      A.lui(25, (fn >>> 16) & 0xffff),
      A.ori(25, 25, (fn + 8) & 0xffff),
      A.jalr(17, 25), // link in $17
      A.li(4, 7),
      A.bal(8), // to the break below the slot
      A.nop,
      A.bltzal(0, 100), // not taken, but $31 := pc + 8
      A.nop,
      A.brk(2),
    ]);
    putWords(mem, fn, [A.jr(31), A.addiu(2, 4, 1), A.jr(17), A.addiu(3, 4, 2)]);
    cpu.pc = KTEXT;
    const e = runToException(cpu);
    expect(e).toMatchObject({ kind: 'breakpoint', pc: KTEXT + 44, imm: 2 });
    expect(cpu.getReg('s0')).toBe(BigInt(KTEXT + 8));
    expect(cpu.getReg('v0')).toBe(6n);
    expect(cpu.getReg('s1')).toBe(BigInt(KTEXT + 28));
    expect(cpu.getReg('v1')).toBe(9n);
    expect(cpu.getReg('ra')).toBe(BigInt(KTEXT + 44));
  });

  it('annuls the slot of a branch-likely that is not taken', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [
      A.li(2, 0),
      A.li(3, 1),
      A.beql(3, 0, 100), // not taken: slot annulled
      A.addiu(2, 2, 1),
      A.bnel(3, 0, 12), // taken: slot runs
      A.addiu(2, 2, 10),
      A.brk(9), // skipped
      A.bltzall(3, 100), // not taken: links, annuls the slot
      A.addiu(2, 2, 100),
      A.blezl(3, 100), // not taken
      A.addiu(2, 2, 1000),
      A.brk(3),
    ]);
    cpu.pc = KTEXT;
    const e = runToException(cpu);
    expect(e).toMatchObject({ kind: 'breakpoint', pc: KTEXT + 44, imm: 3 });
    expect(cpu.getReg('v0')).toBe(10n);
    expect(cpu.getReg('ra')).toBe(BigInt(KTEXT + 36));
    expect(cpu.retired).toBe(7); // annulled slots do not retire
  });

  it('keeps a branch pending across a budget stop; a context carries it; setting pc drops it', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.b(16), A.addiu(2, 2, 1), A.brk(7), A.nop, A.addiu(2, 2, 2), A.brk(8)]);
    cpu.pc = KTEXT;
    expect(cpu.run(1)).toEqual({ stop: 'budget' });
    expect(cpu.pc).toBe(KTEXT + 4);
    const ctx = cpu.saveContext();
    expect(cpu.run(1)).toEqual({ stop: 'budget' });
    expect(cpu.pc).toBe(KTEXT + 16);
    expect(cpu.getReg('v0')).toBe(1n);
    cpu.restoreContext(ctx);
    expect(runToException(cpu)).toMatchObject({ kind: 'breakpoint', imm: 8 });
    expect(cpu.getReg('v0')).toBe(3n);
    cpu.restoreContext(ctx);
    cpu.pc = KTEXT + 4; // a plain jump to the slot's address: no branch pending any more
    expect(runToException(cpu)).toMatchObject({ kind: 'breakpoint', pc: KTEXT + 8, imm: 7 });
  });

  it('raises Reserved Instruction for a branch in a delay slot, at the first branch', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.nop, A.b(8), A.b(8), A.nop]);
    cpu.pc = KTEXT;
    const e = runToException(cpu);
    expect(e).toEqual({ kind: 'undefined', pc: KTEXT + 4, insn: A.b(8) });
    expect(cpu.exceptionInDelaySlot).toBe(true);
    expect(excCode(cpu)).toBe(10);
    expect(reg(cpu, 'cause') & BD).not.toBe(0);
  });

  it('reports an exception in a slot at its branch with Cause.BD, and restarts the branch after a fix', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.li(3, 0), A.beq(0, 0, 12), A.brk(5), A.nop, A.brk(6)]);
    cpu.pc = KTEXT;
    const e = runToException(cpu);
    expect(e).toEqual({ kind: 'breakpoint', pc: KTEXT + 4, imm: 5, insn: A.brk(5) });
    expect(cpu.pc).toBe(KTEXT + 4);
    expect(cpu.exceptionInDelaySlot).toBe(true);
    expect(excCode(cpu)).toBe(9);
    const words = new Uint32Array(76);
    cpu.readPtRegs(words);
    expect(words[74]).toBe(KTEXT + 4); // cp0_epc: the branch
    expect((words[72]! & BD) !== 0).toBe(true); // cp0_cause.BD: the instruction is at cp0_epc + 4

    // A fixed slot (and Memory's code-write invalidation): resuming re-runs branch and slot.
    putWords(mem, KTEXT + 8, [A.addiu(3, 3, 1)]);
    expect(runToException(cpu)).toMatchObject({ kind: 'breakpoint', pc: KTEXT + 16, imm: 6 });
    expect(cpu.getReg('v1')).toBe(1n);
    expect(cpu.exceptionInDelaySlot).toBe(false);
  });

  it('delivers a delay-slot exception with EPC at the branch and BD set', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.li(4, 2), A.bne(0, 0, 100), A.lw(2, 0, 4)]); // not taken; misaligned load in the slot
    cpu.pc = KTEXT;
    const e = runToException(cpu);
    expect(e).toEqual({ kind: 'fault', pc: KTEXT + 4, address: 2, access: 'read', reason: 'alignment' });
    cpu.takeException(e);
    expect(cpu.getReg('epc')).toBe(BigInt(KTEXT + 4));
    expect(reg(cpu, 'cause') & BD).not.toBe(0);
    expect(excCode(cpu)).toBe(4); // AdEL
    expect(cpu.getReg('badvaddr')).toBe(2n);
    expect(cpu.pc).toBe(VECTOR);
    expect(reg(cpu, 'status') & 2).toBe(2);
  });

  it('faults on a slot that lies on an unmapped page, at the branch', () => {
    const { mem, cpu } = setup();
    const last = KTEXT + 0x4000 - 4; // the next page is not mapped
    putWords(mem, last, [A.b(-0x100)]);
    cpu.pc = last;
    const e = runToException(cpu);
    expect(e).toEqual({ kind: 'fault', pc: last, address: KTEXT + 0x4000, access: 'exec', reason: 'unmapped' });
    expect(cpu.exceptionInDelaySlot).toBe(true);
    expect(excCode(cpu)).toBe(2); // TLBL
    expect(cpu.getReg('badvaddr')).toBe(BigInt(KTEXT + 0x4000));
  });

  it('reports a syscall in a slot past the jump, and delivers it with EPC at the branch', () => {
    const { mem, cpu } = setup();
    putWords(mem, UTEXT, [A.b(16), A.syscall(3), A.nop, A.nop, A.nop]);
    toUser(cpu);
    const e = runToException(cpu);
    expect(e).toEqual({ kind: 'syscall', pc: UTEXT + 16, imm: 3 });
    expect(cpu.pc).toBe(UTEXT + 16);
    cpu.takeException(e);
    expect(cpu.getReg('epc')).toBe(BigInt(UTEXT));
    expect(reg(cpu, 'cause') & BD).not.toBe(0);
    expect(excCode(cpu)).toBe(8);
  });

  it('delivers an exception taken between a branch and its slot as a BD exception at the branch', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.b(16), A.nop]);
    cpu.pc = KTEXT;
    cpu.run(1);
    cpu.takeException({ kind: 'undefined', pc: KTEXT + 4, insn: 0 });
    expect(cpu.getReg('epc')).toBe(BigInt(KTEXT));
    expect(reg(cpu, 'cause') & BD).not.toBe(0);
  });
});

describe('mips loads and stores', () => {
  it('lwl/lwr merge big-endian bytes into the register at every offset', () => {
    const { mem, cpu } = setup();
    putWords(mem, UDATA, [0x1122_3344, 0x5566_7788]);
    const lwlWant = [0x1122_3344, 0x2233_44dd, 0x3344_ccdd, 0x44bb_ccdd];
    const lwrWant = [0xaabb_cc11, 0xaabb_1122, 0xaa11_2233, 0x1122_3344];
    for (let off = 0; off < 4; off++) {
      putWords(mem, UTEXT, [A.lwl(2, off, 4), A.lwr(3, off, 4), A.lwl(0, off, 4), A.brk(0)]);
      toUser(cpu);
      cpu.setReg('a0', BigInt(UDATA));
      cpu.setReg('v0', 0xaabb_ccddn);
      cpu.setReg('v1', 0xaabb_ccddn);
      runToException(cpu);
      expect(reg(cpu, 'v0').toString(16)).toBe(lwlWant[off]!.toString(16));
      expect(reg(cpu, 'v1').toString(16)).toBe(lwrWant[off]!.toString(16));
      expect(cpu.getReg('zero')).toBe(0n);
    }
  });

  it('swl/swr store the register\'s high/low end into the word at every offset', () => {
    const { mem, cpu } = setup();
    const swlWant = [0xaabb_ccdd, 0x11aa_bbcc, 0x1122_aabb, 0x1122_33aa];
    const swrWant = [0xdd22_3344, 0xccdd_3344, 0xbbcc_dd44, 0xaabb_ccdd];
    for (let off = 0; off < 4; off++) {
      putWords(mem, UDATA, [0x1122_3344, 0x1122_3344]);
      putWords(mem, UTEXT, [A.swl(2, off, 4), A.swr(2, off + 4, 4), A.brk(0)]);
      toUser(cpu);
      cpu.setReg('a0', BigInt(UDATA));
      cpu.setReg('v0', 0xaabb_ccddn);
      runToException(cpu);
      expect(mem.read32(UDATA).toString(16)).toBe(swlWant[off]!.toString(16));
      expect(mem.read32(UDATA + 4).toString(16)).toBe(swrWant[off]!.toString(16));
    }
  });

  it('reports partial-word faults at the effective address, stores as writes', () => {
    const { mem, cpu } = setup();
    const cases: [number, number, 'read' | 'write', 'unmapped' | 'permission', number][] = [
      [A.lwl(2, 1, 4), 0x0050_0000, 'read', 'unmapped', 2],
      [A.lwr(2, 2, 4), 0x0050_0000, 'read', 'unmapped', 2],
      [A.swl(2, 3, 4), 0x0050_0000, 'write', 'unmapped', 3],
      [A.swr(2, 1, 4), URODATA, 'write', 'permission', 1],
      [A.swl(2, 2, 4), URODATA, 'write', 'permission', 1],
      [A.lwl(2, 1, 4), KDATA, 'read', 'permission', 4],
    ];
    for (const [insn, base, access, reason, code] of cases) {
      putWords(mem, UTEXT, [insn]);
      toUser(cpu);
      cpu.setReg('a0', BigInt(base));
      const address = base + ((insn << 16) >> 16);
      expect(runToException(cpu)).toEqual({ kind: 'fault', pc: UTEXT, address, access, reason });
      expect(excCode(cpu)).toBe(code);
      expect(cpu.getReg('badvaddr')).toBe(BigInt(address));
    }
  });

  it('loads and stores bytes and halfwords big-endian, signed and unsigned', () => {
    const { mem, cpu } = setup();
    putWords(mem, UTEXT, [
      A.sh(2, 2, 4),
      A.sb(2, 1, 4),
      A.lb(5, 2, 4),
      A.lbu(6, 2, 4),
      A.lh(7, 2, 4),
      A.lhu(8, 2, 4),
      A.lw(9, 0, 4),
      A.brk(0),
    ]);
    toUser(cpu);
    cpu.setReg('a0', BigInt(UDATA));
    cpu.setReg('v0', 0x1234_80f1n);
    runToException(cpu);
    expect(mem.read32(UDATA)).toBe(0x00f1_80f1);
    expect(cpu.getReg('a1')).toBe(0xffff_ff80n);
    expect(cpu.getReg('a2')).toBe(0x80n);
    expect(cpu.getReg('a3')).toBe(0xffff_80f1n);
    expect(cpu.getReg('t0')).toBe(0x80f1n);
    expect(cpu.getReg('t1')).toBe(0x00f1_80f1n);
  });

  it('faults on misaligned halfword and word accesses, leaving the registers alone', () => {
    const { mem, cpu } = setup();
    const cases: [number, 'read' | 'write', number][] = [
      [A.lw(2, 1, 4), 'read', 4],
      [A.lh(2, 3, 4), 'read', 4],
      [A.sw(2, 2, 4), 'write', 5],
      [A.sh(2, 1, 4), 'write', 5],
      [A.ll(2, 2, 4), 'read', 4],
      [A.sc(2, 2, 4), 'write', 5],
    ];
    for (const [insn, access, code] of cases) {
      putWords(mem, UTEXT, [insn]);
      toUser(cpu);
      cpu.setReg('a0', BigInt(UDATA));
      cpu.setReg('v0', 77n);
      const e = runToException(cpu);
      const off = (insn << 16) >> 16;
      expect(e).toEqual({ kind: 'fault', pc: UTEXT, address: UDATA + off, access, reason: 'alignment' });
      expect(cpu.getReg('v0')).toBe(77n);
      expect(cpu.pc).toBe(UTEXT);
      expect(excCode(cpu)).toBe(code);
      expect(cpu.getReg('badvaddr')).toBe(BigInt(UDATA + off));
    }
  });

  it('makes user accesses to kseg0 and above address errors; kernel code reaches user pages', () => {
    const { mem, cpu } = setup();
    putWords(mem, UTEXT, [A.lw(2, 0, 4)]);
    toUser(cpu);
    cpu.setReg('a0', BigInt(KDATA));
    let e = runToException(cpu);
    expect(e).toEqual({ kind: 'fault', pc: UTEXT, address: KDATA, access: 'read', reason: 'permission' });
    expect(excCode(cpu)).toBe(4); // AdEL
    putWords(mem, UTEXT, [A.sw(2, 0, 4)]);
    toUser(cpu);
    cpu.setReg('a0', 0xc000_0000n); // not even mapped: still an address error
    e = runToException(cpu);
    expect(e).toEqual({ kind: 'fault', pc: UTEXT, address: 0xc000_0000, access: 'write', reason: 'permission' });
    expect(excCode(cpu)).toBe(5); // AdES
    cpu.takeException(e);
    expect(cpu.userMode).toBe(false);

    putWords(mem, KTEXT, [A.li(2, 99), A.sw(2, 0, 4), A.lw(3, 0, 4), A.brk(0)]);
    cpu.pc = KTEXT;
    cpu.setReg('status', 0n);
    cpu.setReg('a0', BigInt(UDATA));
    runToException(cpu);
    expect(cpu.getReg('v1')).toBe(99n);
  });

  it('makes a user jump into the kernel an instruction-fetch address error at the target', () => {
    const { mem, cpu } = setup();
    putWords(mem, UTEXT, [A.jr(4), A.nop]);
    toUser(cpu);
    cpu.setReg('a0', BigInt(KTEXT));
    const e = runToException(cpu);
    expect(e).toEqual({ kind: 'fault', pc: KTEXT, address: KTEXT, access: 'exec', reason: 'permission' });
    expect(cpu.exceptionInDelaySlot).toBe(false);
    expect(excCode(cpu)).toBe(4);
    cpu.takeException(e);
    expect(cpu.getReg('epc')).toBe(BigInt(KTEXT));
  });

  it('faults on a misaligned jump target when fetching it', () => {
    const { mem, cpu } = setup();
    putWords(mem, UTEXT, [A.jr(4), A.nop]);
    toUser(cpu);
    cpu.setReg('a0', BigInt(UTEXT + 10));
    const e = runToException(cpu);
    expect(e).toEqual({ kind: 'fault', pc: UTEXT + 10, address: UTEXT + 10, access: 'exec', reason: 'alignment' });
    expect(excCode(cpu)).toBe(4);
  });

  it('distinguishes unmapped (TLBL/TLBS) from read-only (Mod)', () => {
    const { mem, cpu } = setup();
    const cases: [number, number, 'read' | 'write', 'unmapped' | 'permission', number][] = [
      [A.lw(2, 0, 4), 0x0050_0000, 'read', 'unmapped', 2],
      [A.sw(2, 0, 4), 0x0050_0000, 'write', 'unmapped', 3],
      [A.sw(2, 0, 4), URODATA, 'write', 'permission', 1],
    ];
    for (const [insn, addr, access, reason, code] of cases) {
      putWords(mem, UTEXT, [insn]);
      toUser(cpu);
      cpu.setReg('a0', BigInt(addr));
      expect(runToException(cpu)).toEqual({ kind: 'fault', pc: UTEXT, address: addr, access, reason });
      expect(excCode(cpu)).toBe(code);
    }
  });
});

describe('mips multiply and divide', () => {
  function compute(words: number[], init: Record<string, bigint>): MipsCpu {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [...words, A.mfhi(8), A.mflo(9), A.brk(0)]);
    cpu.pc = KTEXT;
    for (const [k, v] of Object.entries(init)) cpu.setReg(k, v);
    runToException(cpu);
    return cpu;
  }
  const hilo = (cpu: MipsCpu): string => `${reg(cpu, 't0').toString(16)}:${reg(cpu, 't1').toString(16)}`;

  it('mult/multu give the 64-bit product in HI:LO', () => {
    expect(hilo(compute([A.mult(4, 5)], { a0: 0x8000_0000n, a1: 0x8000_0000n }))).toBe('40000000:0');
    expect(hilo(compute([A.multu(4, 5)], { a0: 0xffff_ffffn, a1: 0xffff_ffffn }))).toBe('fffffffe:1');
    expect(hilo(compute([A.mult(4, 5)], { a0: 0xffff_ffffn, a1: 1n }))).toBe('ffffffff:ffffffff');
    expect(hilo(compute([A.mult(4, 5)], { a0: 0x1234_5678n, a1: 0x9abc_def0n }))).toBe('f8cc93d6:242d2080');
  });

  it('madd/maddu/msub/msubu carry and borrow between LO and HI', () => {
    expect(hilo(compute([A.mthi(6), A.mtlo(7), A.madd(4, 5)], { a0: 1n, a1: 1n, a2: 0n, a3: 0xffff_ffffn }))).toBe('1:0');
    expect(hilo(compute([A.mthi(6), A.mtlo(7), A.madd(4, 5)], { a0: 0xffff_ffffn, a1: 3n, a2: 5n, a3: 1n }))).toBe('4:fffffffe');
    expect(hilo(compute([A.mthi(6), A.mtlo(7), A.maddu(4, 5)], { a0: 0xffff_ffffn, a1: 2n, a2: 0n, a3: 0xffff_ffffn }))).toBe('2:fffffffd');
    expect(hilo(compute([A.mthi(6), A.mtlo(7), A.maddu(4, 5)], { a0: 0xffff_ffffn, a1: 0xffff_ffffn, a2: 1n, a3: 0xffff_ffffn }))).toBe('0:0');
    expect(hilo(compute([A.mthi(6), A.mtlo(7), A.msub(4, 5)], { a0: 1n, a1: 1n, a2: 1n, a3: 0n }))).toBe('0:ffffffff');
    expect(hilo(compute([A.mthi(6), A.mtlo(7), A.msub(4, 5)], { a0: 0xffff_fffen, a1: 3n, a2: 0n, a3: 0n }))).toBe('0:6');
    expect(hilo(compute([A.mthi(6), A.mtlo(7), A.msubu(4, 5)], { a0: 0xffff_ffffn, a1: 2n, a2: 0n, a3: 0n }))).toBe('fffffffe:2');
  });

  it('div/divu do not trap on zero or overflow: LO is the dividend and HI is 0, as in QEMU', () => {
    expect(hilo(compute([A.div(4, 5)], { a0: 7n, a1: 0n }))).toBe('0:7');
    expect(hilo(compute([A.div(4, 5)], { a0: 0xffff_fff9n, a1: 0n }))).toBe('0:fffffff9');
    expect(hilo(compute([A.divu(4, 5)], { a0: 0x8000_0000n, a1: 0n }))).toBe('0:80000000');
    expect(hilo(compute([A.div(4, 5)], { a0: 0x8000_0000n, a1: 0xffff_ffffn }))).toBe('0:80000000');
    expect(hilo(compute([A.divu(4, 5)], { a0: 0x8000_0000n, a1: 0xffff_ffffn }))).toBe('80000000:0');
    expect(hilo(compute([A.div(4, 5)], { a0: 0xffff_fff9n, a1: 2n }))).toBe('ffffffff:fffffffd');
    expect(hilo(compute([A.divu(4, 5)], { a0: 0xffff_fff9n, a1: 2n }))).toBe('1:7ffffffc');
  });

  it('mul writes rd and leaves HI/LO', () => {
    const cpu = compute([A.mthi(6), A.mtlo(7), A.mul(2, 4, 5)], { a0: 0x10001n, a1: 0x10001n, a2: 5n, a3: 6n });
    expect(hilo(cpu)).toBe('5:6');
    expect(cpu.getReg('v0')).toBe(0x20001n);
  });
});

describe('mips ll/sc', () => {
  it('sc succeeds after ll, fails without one, after a changed word, at another address and after eret', () => {
    const { mem, cpu } = setup();
    putWords(mem, KDATA, [10, 20]);
    putWords(mem, KTEXT, [
      A.ll(2, 0, 4),
      A.addiu(3, 2, 1),
      A.sc(3, 0, 4), // succeeds: $3 = 1, word = 11
      A.li(5, 50),
      A.sc(5, 0, 4), // no link any more: fails
      A.ll(2, 0, 4),
      A.li(6, 12),
      A.sw(6, 0, 4), // the word changes under the link
      A.li(7, 70),
      A.sc(7, 0, 4), // fails
      A.ll(2, 0, 4),
      A.li(8, 80),
      A.sc(8, 4, 4), // another address: fails
      A.ll(2, 0, 4),
      A.lui(9, KTEXT >>> 16),
      A.ori(9, 9, (KTEXT + 0x80) & 0xffff),
      A.mtc0r(9, 'EPC'),
      A.eret, // clears the link
      A.brk(1), // (skipped by eret)
    ]);
    putWords(mem, KTEXT + 0x80, [A.li(10, 100), A.sc(10, 0, 4), A.brk(2)]);
    cpu.setReg('a0', BigInt(KDATA));
    cpu.setReg('status', 0x2n); // EXL, so eret returns to EPC in kernel mode
    cpu.pc = KTEXT;
    expect(runToException(cpu)).toMatchObject({ kind: 'breakpoint', imm: 2 });
    expect(cpu.getReg('v1')).toBe(1n);
    expect(cpu.getReg('a1')).toBe(0n);
    expect(cpu.getReg('a3')).toBe(0n);
    expect(cpu.getReg('t0')).toBe(0n);
    expect(cpu.getReg('t2')).toBe(0n);
    expect(mem.read32(KDATA)).toBe(12);
    expect(mem.read32(KDATA + 4)).toBe(20);
  });
});

describe('mips exceptions', () => {
  it('syscall from user mode: stop past it, enter at EBase + 0x180 with EPC at it, eret back', () => {
    const { mem, cpu } = setup();
    putWords(mem, UTEXT, [A.li(2, 4004), A.syscall(0), A.addiu(2, 2, 1), A.brk(1)]);
    putWords(mem, VECTOR, [
      A.mfc0r(26, 'EPC'),
      A.mfc0r(27, 'Cause'),
      A.mfc0r(8, 'Status'),
      A.addiu(26, 26, 4), // past the syscall, as handle_sys does
      A.mtc0r(26, 'EPC'),
      A.li(2, 7),
      A.eret,
    ]);
    toUser(cpu);
    expect(cpu.userMode).toBe(true);
    const e = runToException(cpu);
    expect(e).toEqual({ kind: 'syscall', pc: UTEXT + 8, imm: 0 });
    expect(cpu.pc).toBe(UTEXT + 8);
    expect(cpu.retired).toBe(2);
    cpu.takeException(e);
    expect(cpu.userMode).toBe(false);
    expect(cpu.pc).toBe(VECTOR);
    expect(cpu.getReg('epc')).toBe(BigInt(UTEXT + 4));
    expect(excCode(cpu)).toBe(8);
    expect(cpu.getReg('status')).toBe(0x12n); // UM still set, EXL set
    const e2 = runToException(cpu);
    expect(e2).toMatchObject({ kind: 'breakpoint', pc: UTEXT + 12, imm: 1 });
    expect(cpu.userMode).toBe(true);
    expect(cpu.getReg('v0')).toBe(8n);
    expect(cpu.getReg('k0')).toBe(BigInt(UTEXT + 8));
    expect(reg(cpu, 'k1') & 0x7c).toBe(8 << 2);
    expect(cpu.getReg('t0')).toBe(0x12n);
  });

  it('break: the 20-bit code, Bp in Cause, EPC at the break', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.brk(514)]);
    cpu.pc = KTEXT;
    const e = runToException(cpu);
    expect(e).toEqual({ kind: 'breakpoint', pc: KTEXT, imm: 514, insn: A.brk(514) });
    expect(excCode(cpu)).toBe(9);
    expect(cpu.retired).toBe(0);
    cpu.takeException(e);
    expect(cpu.getReg('epc')).toBe(BigInt(KTEXT));
    expect(reg(cpu, 'cause') & BD).toBe(0);
  });

  it('conditional traps stop as breakpoints with their code and Tr in Cause; untaken ones fall through', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [
      A.teq(4, 5, 7), // 1 != 2: no trap
      A.tne(4, 4),
      A.tltu(5, 4),
      A.tgei(4, 2),
      A.tltiu(4, 1),
      A.teqi(4, 1), // traps
    ]);
    cpu.setReg('a0', 1n);
    cpu.setReg('a1', 2n);
    cpu.pc = KTEXT;
    let e = runToException(cpu);
    expect(e).toEqual({ kind: 'breakpoint', pc: KTEXT + 20, imm: 0, insn: A.teqi(4, 1) });
    expect(excCode(cpu)).toBe(13);
    putWords(mem, KTEXT, [A.teq(4, 0, 7)]);
    cpu.setReg('a0', 0n);
    cpu.pc = KTEXT;
    e = runToException(cpu);
    expect(e).toEqual({ kind: 'breakpoint', pc: KTEXT, imm: 7, insn: A.teq(4, 0, 7) });
    expect(excCode(cpu)).toBe(13);
  });

  it('add/addi/sub trap on signed overflow (Ov), leaving the destination', () => {
    const { mem, cpu } = setup();
    for (const insn of [A.add(2, 4, 5), A.addi(2, 4, 1), A.sub(2, 6, 5)]) {
      putWords(mem, KTEXT, [insn]);
      cpu.setReg('a0', 0x7fff_ffffn);
      cpu.setReg('a1', 1n);
      cpu.setReg('a2', 0x8000_0000n);
      cpu.setReg('v0', 5n);
      cpu.pc = KTEXT;
      expect(runToException(cpu)).toEqual({ kind: 'undefined', pc: KTEXT, insn });
      expect(excCode(cpu)).toBe(12);
      expect(cpu.getReg('v0')).toBe(5n);
    }
    putWords(mem, KTEXT, [A.add(2, 4, 5), A.sub(3, 5, 4), A.addi(7, 5, -3), A.brk(0)]);
    cpu.setReg('a0', 0xffff_fff0n);
    cpu.pc = KTEXT;
    runToException(cpu);
    expect(cpu.getReg('v0')).toBe(0xffff_fff1n);
    expect(cpu.getReg('v1')).toBe(0x11n);
    expect(cpu.getReg('a3')).toBe(0xffff_fffen);
  });

  it('Reserved Instruction, and Coprocessor Unusable for the FPU and for COP0 in user mode', () => {
    const { mem, cpu } = setup();
    const kernel: [number, number, number][] = [
      [A.sdbbp, 10, 0],
      [A.tlbwi, 10, 0],
      [A.mfc0(2, 0), 10, 0], // Index: no TLB
      [A.lwc1(0, 0, 4), 11, 1],
      [0x46020000, 11, 1], // add.s
      [0x48020000, 11, 2], // mfc2
    ];
    for (const [insn, code, ce] of kernel) {
      putWords(mem, KTEXT, [insn]);
      cpu.pc = KTEXT;
      cpu.setReg('status', 0n);
      expect(runToException(cpu)).toEqual({ kind: 'undefined', pc: KTEXT, insn });
      expect(`${insn.toString(16)}: ${excCode(cpu)}/${(reg(cpu, 'cause') >>> 28) & 3}`).toBe(`${insn.toString(16)}: ${code}/${ce}`);
    }
    for (const insn of [A.mfc0(2, 12), A.mtc0(2, 12), A.eret, A.wait, A.di(0), A.cache(0x14, 0, 4), A.hypcall(1), A.rdpgpr(2, 3)]) {
      putWords(mem, UTEXT, [insn]);
      toUser(cpu);
      expect(runToException(cpu)).toEqual({ kind: 'undefined', pc: UTEXT, insn });
      expect(`${insn.toString(16)}: ${excCode(cpu)}`).toBe(`${insn.toString(16)}: 11`);
    }
    // Status.CU0 lets user mode use COP0.
    putWords(mem, UTEXT, [A.mfc0(2, 12), A.brk(0)]);
    toUser(cpu);
    cpu.setReg('status', 0x1000_0010n);
    expect(runToException(cpu)).toMatchObject({ kind: 'breakpoint' });
    expect(cpu.getReg('v0')).toBe(0x1000_0010n);
  });

  it('with EXL already set, a nested exception keeps EPC and BD', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.brk(1)]);
    cpu.pc = KTEXT;
    cpu.takeException(runToException(cpu));
    cpu.setReg('epc', 0x1234n);
    putWords(mem, VECTOR, [A.b(8), A.brk(2)]);
    const e = runToException(cpu);
    expect(e).toMatchObject({ kind: 'breakpoint', pc: VECTOR, imm: 2 });
    cpu.takeException(e);
    expect(cpu.getReg('epc')).toBe(0x1234n);
    expect(reg(cpu, 'cause') & BD).toBe(0);
    expect(cpu.pc).toBe(VECTOR);
  });

  it('vectors at EBase + 0x180, or at 0xbfc00380 with Status.BEV', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.lui(2, 0x8000), A.ori(2, 2, 0x2123), A.mtc0r(2, 'EBase'), A.mfc0r(3, 'EBase'), A.brk(0)]);
    cpu.pc = KTEXT;
    const e = runToException(cpu);
    expect(cpu.getReg('v1')).toBe(0x8000_2000n); // ExceptionBase written, CPUNum read-only
    cpu.takeException(e);
    expect(cpu.pc).toBe(0x8000_2180);
    cpu.setReg('status', 1n << 22n);
    cpu.pc = KTEXT + 16;
    cpu.takeException(runToException(cpu));
    expect(cpu.pc).toBe(0xbfc0_0380);
  });

  it('eret returns to ErrorEPC when ERL is set, else to EPC; not allowed in a delay slot', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.eret]);
    putWords(mem, KTEXT + 0x100, [A.brk(1)]);
    putWords(mem, KTEXT + 0x200, [A.brk(2)]);
    cpu.setReg('epc', BigInt(KTEXT + 0x100));
    cpu.setReg('errorepc', BigInt(KTEXT + 0x200));
    cpu.setReg('status', 0x6n); // ERL and EXL
    cpu.pc = KTEXT;
    expect(runToException(cpu)).toMatchObject({ imm: 2 });
    expect(cpu.getReg('status')).toBe(0x2n);
    cpu.pc = KTEXT;
    expect(runToException(cpu)).toMatchObject({ imm: 1 });
    expect(cpu.getReg('status')).toBe(0n);
    putWords(mem, KTEXT, [A.b(8), A.eret]);
    cpu.pc = KTEXT;
    expect(runToException(cpu)).toEqual({ kind: 'undefined', pc: KTEXT, insn: A.eret });
    expect(excCode(cpu)).toBe(10);
  });

  it('wait stops as halt past itself; its delivery is an interrupt returning after it', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.nop, A.wait, A.brk(4)]);
    cpu.pc = KTEXT;
    const e = runToException(cpu);
    expect(e).toEqual({ kind: 'halt', pc: KTEXT + 4 });
    expect(cpu.pc).toBe(KTEXT + 8);
    expect(cpu.retired).toBe(2);
    cpu.takeException(e);
    expect(cpu.getReg('epc')).toBe(BigInt(KTEXT + 8));
    expect(excCode(cpu)).toBe(0);
  });

  it('hypcall is the machine hypercall in kernel mode, pc past it', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.hypcall(0x2a), A.brk(0)]);
    cpu.pc = KTEXT;
    const e = runToException(cpu);
    expect(e).toEqual({ kind: 'hypercall', pc: KTEXT + 4, imm: 0x2a });
    expect(cpu.pc).toBe(KTEXT + 4);
    cpu.takeException(e);
    expect(cpu.getReg('epc')).toBe(BigInt(KTEXT));
    expect(excCode(cpu)).toBe(10);
  });
});

describe('mips coprocessor 0', () => {
  it('mtc0 changes only writable bits; Status decides user mode (UM set, EXL and ERL clear)', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [
      A.li(2, -1),
      A.mtc0r(2, 'Cause'),
      A.mfc0r(3, 'Cause'),
      A.mtc0r(2, 'PRId'),
      A.mfc0r(4, 'PRId'),
      A.mtc0r(2, 'Config'),
      A.mfc0r(5, 'Config'),
      A.mtc0r(2, 'HWREna'),
      A.mfc0r(6, 'HWREna'),
      A.mfc0r(7, 'IntCtl'),
      A.brk(0),
    ]);
    cpu.pc = KTEXT;
    runToException(cpu);
    expect(reg(cpu, 'v1') & ~0x7c).toBe(0x0080_0300); // IV, IP1..0 (+ the break's ExcCode)
    expect(cpu.getReg('a0')).toBe(0x19300n);
    expect(reg(cpu, 'a1') & 7).toBe(7);
    expect(cpu.getReg('a2')).toBe(0x2000_000fn);
    expect(reg(cpu, 'a3') >>> 29).toBe(7);
    for (const [st, user] of [[0x10, true], [0x12, false], [0x14, false], [0x00, false], [0x11, true]] as const) {
      cpu.setReg('status', BigInt(st));
      expect(`${st}: ${cpu.userMode}`).toBe(`${st}: ${user}`);
    }
  });

  it('di/ei return Status and clear/set IE', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.ei(2), A.mfc0r(3, 'Status'), A.di(4), A.mfc0r(5, 'Status'), A.ei(0), A.mfc0r(6, 'Status'), A.brk(0)]);
    cpu.setReg('status', 0xff00n);
    cpu.pc = KTEXT;
    runToException(cpu);
    expect(cpu.getReg('v0')).toBe(0xff00n);
    expect(cpu.getReg('v1')).toBe(0xff01n);
    expect(cpu.getReg('a0')).toBe(0xff01n);
    expect(cpu.getReg('a1')).toBe(0xff00n);
    expect(cpu.getReg('a2')).toBe(0xff01n);
  });

  it('Count follows retired instructions; reaching Compare sets Cause.TI/IP7 until Compare is written', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [
      A.mfc0r(2, 'Count'),
      A.nop,
      A.nop,
      A.mfc0r(3, 'Count'),
      A.li(4, 1000),
      A.mtc0r(4, 'Count'),
      A.mfc0r(5, 'Count'),
      A.li(6, 1006),
      A.mtc0r(6, 'Compare'),
      A.mfc0r(7, 'Cause'), // Count = 1003: not yet
      A.nop,
      A.nop,
      A.mfc0r(8, 'Cause'), // Count = 1006: reached
      A.mtc0r(6, 'Compare'),
      A.mfc0r(9, 'Cause'),
      A.brk(0),
    ]);
    cpu.pc = KTEXT;
    runToException(cpu);
    expect(reg(cpu, 'v1') - reg(cpu, 'v0')).toBe(3);
    expect(cpu.getReg('a1')).toBe(1001n); // the mtc0 itself retired since
    expect(reg(cpu, 'a3') & 0x4000_8000).toBe(0);
    expect(reg(cpu, 't0') & 0x4000_8000).toBe(0x4000_8000);
    expect(reg(cpu, 't1') & 0x4000_8000).toBe(0);
    expect(cpu.getReg('count')).toBe(BigInt(1000 + cpu.retired - 5));
  });

  it('rdhwr: UserLocal, CC, CCRes and CPUNum in kernel mode; in user mode only where HWREna allows', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.rdhwr(2, 29), A.rdhwr(3, 2), A.rdhwr(4, 3), A.rdhwr(5, 0), A.rdhwr(6, 1), A.brk(0)]);
    cpu.setReg('userlocal', 0x7fff_7000n);
    cpu.pc = KTEXT;
    runToException(cpu);
    expect(cpu.getReg('v0')).toBe(0x7fff_7000n);
    expect(cpu.getReg('v1')).toBe(1n);
    expect(cpu.getReg('a0')).toBe(1n);
    expect(cpu.getReg('a1')).toBe(0n);
    expect(cpu.getReg('a2')).toBe(0n);
    putWords(mem, KTEXT, [A.rdhwr(2, 5)]);
    cpu.pc = KTEXT;
    expect(runToException(cpu)).toMatchObject({ kind: 'undefined' });
    expect(excCode(cpu)).toBe(10);

    putWords(mem, UTEXT, [A.rdhwr(2, 29), A.brk(0)]);
    toUser(cpu);
    expect(runToException(cpu)).toEqual({ kind: 'undefined', pc: UTEXT, insn: A.rdhwr(2, 29) });
    expect(excCode(cpu)).toBe(10);
    cpu.setReg('hwrena', 0x2000_0000n);
    toUser(cpu);
    expect(runToException(cpu)).toMatchObject({ kind: 'breakpoint' });
    expect(cpu.getReg('v0')).toBe(0x7fff_7000n);
  });

  it('rdpgpr/wrpgpr move between registers of the one shadow set', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.li(3, 33), A.rdpgpr(2, 3), A.wrpgpr(4, 2), A.brk(0)]);
    cpu.pc = KTEXT;
    runToException(cpu);
    expect(cpu.getReg('v0')).toBe(33n);
    expect(cpu.getReg('a0')).toBe(33n);
  });
});

describe('mips decode cache', () => {
  it('runs an instruction the guest itself overwrote (Memory invalidates the decoded word)', () => {
    const { mem, cpu } = setup();
    // A loop of two passes over `target`; the first pass rewrites it.
    putWords(mem, UDATA, [
      A.li(2, 0),
      A.li(5, 2),
      A.addiu(2, 2, 1), // target (UDATA + 8), later addiu $2,$2,100
      A.sw(6, 8, 4),
      A.addiu(5, 5, -1),
      A.bne(5, 0, -12),
      A.nop,
      A.brk(0),
    ]);
    toUser(cpu, UDATA);
    cpu.setReg('a0', BigInt(UDATA));
    cpu.setReg('a2', BigInt(A.addiu(2, 2, 100)));
    runToException(cpu);
    expect(cpu.getReg('v0')).toBe(101n);
  });

  it('sees a poke over decoded code (arming a probe), and flushCode for writes Memory cannot see', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.li(2, 1), A.brk(1)]);
    cpu.pc = KTEXT;
    expect(runToException(cpu)).toMatchObject({ imm: 1 });
    putWords(mem, KTEXT, [A.brk(9)]);
    cpu.pc = KTEXT;
    expect(runToException(cpu)).toMatchObject({ kind: 'breakpoint', pc: KTEXT, imm: 9 });
    const page = mem.pageAt(KTEXT)!;
    page.view.setUint32(0, A.li(2, 2)); // behind Memory's back
    cpu.pc = KTEXT;
    expect(runToException(cpu)).toMatchObject({ imm: 9 });
    cpu.flushCode(KTEXT, 4);
    cpu.pc = KTEXT;
    expect(runToException(cpu)).toMatchObject({ imm: 1 });
    expect(cpu.getReg('v0')).toBe(2n);
  });
});

describe('mips contexts', () => {
  it('saves and restores registers, CP0, the link and a pending branch', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.ll(2, 0, 4), A.b(12), A.nop, A.nop, A.sc(3, 0, 4), A.brk(0)]);
    putWords(mem, KDATA, [5]);
    cpu.setReg('a0', BigInt(KDATA));
    cpu.setReg('v1', 77n);
    cpu.setReg('hi', 1n);
    cpu.setReg('lo', 2n);
    cpu.setReg('userlocal', 0x1234n);
    cpu.setReg('status', 0xff01n);
    cpu.pc = KTEXT;
    cpu.run(2); // ll, b: pc at the slot, branch pending
    const ctx = cpu.saveContext();
    // A second CPU on the same memory takes the task over where the first left it.
    const cpu2 = new MipsCpu(mem);
    cpu2.restoreContext(ctx);
    expect(cpu2.pc).toBe(KTEXT + 8);
    expect(cpu2.getReg('hi')).toBe(1n);
    expect(cpu2.getReg('userlocal')).toBe(0x1234n);
    expect(cpu2.getReg('status')).toBe(0xff01n);
    expect(runToException(cpu2)).toMatchObject({ kind: 'breakpoint', pc: KTEXT + 20 });
    expect(cpu2.getReg('v1')).toBe(1n); // the link survived: sc succeeded
    expect(mem.read32(KDATA)).toBe(77);
    expect(() => cpu.restoreContext({ arch: 'arm64', words: new Uint32Array(4) })).toThrow(/not a mips/);
  });
});
