// Unit tests of the arm64 CPU's privileged behaviour: exception entry and ERET, SP_EL0/SP_EL1
// banking, MRS/MSR, the stop reasons of SVC/HVC/BRK/HLT/undefined, faults that leave the state
// unchanged, decode-cache invalidation, contexts and register names.
import { describe, expect, it } from 'vitest';
import { Arm64Cpu } from '../../../src/isa/arm64/cpu.ts';
import { KERNEL_HALF_48, Memory, type MmioDevice } from '../../../src/machine/memory.ts';
import { putWords, runToException } from '../cpu-test-helpers.ts';
import * as A from './asm.ts';

const KTEXT = 0x8000_0800_0000; // 0xffff800008000000
const KDATA = 0x8000_0810_0000;
const KSTACK_TOP = KDATA + 0x4000;
const VBAR = KTEXT + 0x800;
const UTEXT = 0x40_0000;
const UDATA = 0x41_0000;
const USTACK_TOP = 0x7fff_0000;
const canon = (a: number): bigint => (BigInt(a) | (a >= 0x8000_0000_0000 ? 0xffff_0000_0000_0000n : 0n));

function setup(): { mem: Memory; cpu: Arm64Cpu } {
  const mem = new Memory(true, KERNEL_HALF_48);
  mem.map(KTEXT, 0x4000, { user: false, write: false, exec: true });
  mem.map(KDATA, 0x4000, { user: false, write: true, exec: false });
  mem.map(UTEXT, 0x1000, { user: true, write: false, exec: true });
  mem.map(UDATA, 0x1000, { user: true, write: true, exec: true });
  mem.map(USTACK_TOP - 0x1000, 0x1000, { user: true, write: true, exec: false });
  const cpu = new Arm64Cpu(mem);
  cpu.setReg('vbar_el1', canon(VBAR));
  cpu.setReg('sp_el1', canon(KSTACK_TOP));
  return { mem, cpu };
}

function toUser(cpu: Arm64Cpu, pc = UTEXT): void {
  cpu.setReg('pstate', 0n); // EL0t
  cpu.setReg('sp', BigInt(USTACK_TOP));
  cpu.pc = pc;
}

const ESR = (ec: number, iss: number): bigint => BigInt(((ec << 26) | (1 << 25) | iss) >>> 0);

describe('arm64 exceptions', () => {
  it('starts at EL1h with DAIF masked', () => {
    const { cpu } = setup();
    expect(cpu.userMode).toBe(false);
    expect(cpu.getReg('pstate')).toBe(0x3c5n);
    expect(cpu.regNames).toEqual([...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp', 'pc', 'pstate']);
  });

  it('SVC from EL0: stops with pc past it; takeException enters EL1 at VBAR+0x400; ERET returns', () => {
    const { mem, cpu } = setup();
    putWords(mem, UTEXT, [A.movz(0, 5), A.svc(0x42), A.addi(0, 0, 1), A.brk(1)]);
    putWords(mem, VBAR + 0x400, [
      A.mrs(1, 'ESR_EL1'),
      A.mrs(2, 'ELR_EL1'),
      A.mrs(3, 'SPSR_EL1'),
      A.movFromSp(4),
      A.mrs(5, 'SP_EL0'),
      A.mrs(6, 'CurrentEL'),
      A.mrs(7, 'DAIF'),
      A.eret,
    ]);
    toUser(cpu);
    expect(cpu.userMode).toBe(true);
    const e = runToException(cpu);
    expect(e).toEqual({ kind: 'syscall', pc: UTEXT + 8, imm: 0x42 });
    expect(cpu.pc).toBe(UTEXT + 8);
    expect(cpu.retired).toBe(2);
    cpu.takeException(e);
    expect(cpu.userMode).toBe(false);
    expect(cpu.pc).toBe(VBAR + 0x400);
    expect(cpu.getReg('pc')).toBe(canon(VBAR + 0x400));
    expect(cpu.getReg('esr_el1')).toBe(ESR(0x15, 0x42));
    expect(cpu.getReg('elr_el1')).toBe(BigInt(UTEXT + 8));
    expect(cpu.getReg('spsr_el1')).toBe(0n);
    expect(cpu.getReg('sp')).toBe(canon(KSTACK_TOP));
    expect(cpu.getReg('pstate')).toBe(0x3c5n);
    const e2 = runToException(cpu);
    expect(e2).toMatchObject({ kind: 'breakpoint', pc: UTEXT + 12, imm: 1 });
    expect(cpu.userMode).toBe(true);
    expect(cpu.getReg('x0')).toBe(6n);
    expect(cpu.getReg('x1')).toBe(ESR(0x15, 0x42));
    expect(cpu.getReg('x2')).toBe(BigInt(UTEXT + 8));
    expect(cpu.getReg('x3')).toBe(0n);
    expect(cpu.getReg('x4')).toBe(canon(KSTACK_TOP));
    expect(cpu.getReg('x5')).toBe(BigInt(USTACK_TOP));
    expect(cpu.getReg('x6')).toBe(4n);
    expect(cpu.getReg('x7')).toBe(0x3c0n);
    expect(cpu.getReg('sp')).toBe(BigInt(USTACK_TOP));
    expect(cpu.getReg('sp_el1')).toBe(canon(KSTACK_TOP));
  });

  it('SPSR keeps NZCV and DAIF, and ERET restores them', () => {
    const { mem, cpu } = setup();
    putWords(mem, UTEXT, [A.movz(1, 0x6000, 16), A.msr('NZCV', 1), A.svc(0), A.mrs(2, 'NZCV'), A.brk(0)]);
    putWords(mem, VBAR + 0x400, [A.msr('NZCV', 31), A.eret]);
    toUser(cpu);
    const e = runToException(cpu);
    cpu.takeException(e);
    expect(cpu.getReg('spsr_el1')).toBe(0x6000_0000n);
    runToException(cpu);
    expect(cpu.getReg('x2')).toBe(0x6000_0000n);
  });

  it('vectors by source: EL1 on SP_EL1 at +0x200, EL1 on SP_EL0 at +0x000', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.brk(3)]);
    cpu.pc = KTEXT;
    let e = runToException(cpu);
    expect(e).toEqual({ kind: 'breakpoint', pc: KTEXT, imm: 3, insn: A.brk(3) });
    expect(cpu.pc).toBe(KTEXT);
    cpu.takeException(e);
    expect(cpu.pc).toBe(VBAR + 0x200);
    expect(cpu.getReg('esr_el1')).toBe(ESR(0x3c, 3));
    expect(cpu.getReg('elr_el1')).toBe(canon(KTEXT));
    expect(cpu.getReg('spsr_el1')).toBe(0x3c5n);

    cpu.setReg('pstate', 0x3c4n); // EL1t: SPSel = 0
    cpu.pc = KTEXT;
    e = runToException(cpu);
    cpu.takeException(e);
    expect(cpu.pc).toBe(VBAR);
    expect(cpu.getReg('spsr_el1')).toBe(0x3c4n);
  });

  it('HVC at EL1 stops past it; at EL0 it is undefined', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.nop, A.hvc(7)]);
    putWords(mem, UTEXT, [A.hvc(7)]);
    cpu.pc = KTEXT;
    expect(runToException(cpu)).toEqual({ kind: 'hypercall', pc: KTEXT + 8, imm: 7 });
    expect(cpu.pc).toBe(KTEXT + 8);
    toUser(cpu);
    expect(runToException(cpu)).toEqual({ kind: 'undefined', pc: UTEXT, insn: A.hvc(7) });
    expect(cpu.pc).toBe(UTEXT);
  });

  it('HLT stops with halt; an FP instruction is undefined and enters with EC 0', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.hlt(5), A.fmovD0X0]);
    cpu.pc = KTEXT;
    expect(runToException(cpu)).toEqual({ kind: 'halt', pc: KTEXT });
    cpu.pc = KTEXT + 4;
    const e = runToException(cpu);
    expect(e).toEqual({ kind: 'undefined', pc: KTEXT + 4, insn: A.fmovD0X0 });
    expect(cpu.pc).toBe(KTEXT + 4);
    cpu.takeException(e);
    expect(cpu.getReg('esr_el1')).toBe(ESR(0, 0));
    expect(cpu.getReg('elr_el1')).toBe(canon(KTEXT + 4));
  });

  it('ERET at EL0 and to an unsupported mode is undefined', () => {
    const { mem, cpu } = setup();
    putWords(mem, UTEXT, [A.eret]);
    putWords(mem, KTEXT, [A.eret]);
    toUser(cpu);
    expect(runToException(cpu).kind).toBe('undefined');
    cpu.setReg('pstate', 0x3c5n);
    cpu.setReg('spsr_el1', 0x3c9n); // EL2h
    cpu.pc = KTEXT;
    expect(runToException(cpu)).toMatchObject({ kind: 'undefined', pc: KTEXT });
  });
});

describe('arm64 stack pointers', () => {
  it('banks SP_EL0 and SP_EL1 by SPSel and EL', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [
      A.movFromSp(1), // x1 = SP_EL1
      A.mrs(2, 'SP_EL0'),
      A.msrSpSel(0),
      A.movFromSp(3), // x3 = SP_EL0
      A.movz(4, 0x1234),
      A.movToSp(4), // SP_EL0 = 0x1234
      A.msrSpSel(1),
      A.movFromSp(5), // SP_EL1 again
      A.mrs(6, 'SP_EL0'),
      A.movz(7, 0x5678),
      A.msr('SP_EL0', 7),
      A.mrs(8, 'SPSel'),
      A.brk(0),
    ]);
    cpu.setReg('sp_el0', 0xabcdn);
    cpu.pc = KTEXT;
    expect(runToException(cpu).kind).toBe('breakpoint');
    expect(cpu.getReg('x1')).toBe(canon(KSTACK_TOP));
    expect(cpu.getReg('x2')).toBe(0xabcdn);
    expect(cpu.getReg('x3')).toBe(0xabcdn);
    expect(cpu.getReg('x5')).toBe(canon(KSTACK_TOP));
    expect(cpu.getReg('x6')).toBe(0x1234n);
    expect(cpu.getReg('x8')).toBe(1n);
    expect(cpu.getReg('sp_el0')).toBe(0x5678n);
    expect(cpu.getReg('sp_el1')).toBe(canon(KSTACK_TOP));
  });

  it('MRS SP_EL0 while it is the current SP, and MRS SP_EL1 at EL1, are undefined', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.msrSpSel(0), A.mrs(1, 'SP_EL0'), A.mrs(2, 'SP_EL1')]);
    cpu.pc = KTEXT;
    expect(runToException(cpu)).toMatchObject({ kind: 'undefined', pc: KTEXT + 4 });
    cpu.pc = KTEXT + 8;
    expect(runToException(cpu)).toMatchObject({ kind: 'undefined', pc: KTEXT + 8 });
  });

  it('MSR SPSel at EL0 is undefined', () => {
    const { mem, cpu } = setup();
    putWords(mem, UTEXT, [A.msrSpSel(1)]);
    toUser(cpu);
    expect(runToException(cpu)).toMatchObject({ kind: 'undefined', pc: UTEXT });
  });
});

describe('arm64 system registers', () => {
  it('reads the values a Linux kernel expects', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [
      A.nop,
      A.nop,
      A.mrs(0, 'CNTVCT_EL0'),
      A.mrs(1, 'CNTFRQ_EL0'),
      A.mrs(2, 'CurrentEL'),
      A.mrs(3, 'MIDR_EL1'),
      A.mrs(4, 'MPIDR_EL1'),
      A.mrs(5, 'CTR_EL0'),
      A.mrs(6, 'DCZID_EL0'),
      A.mrs(7, 'DAIF'),
      A.msrDaifClr(0xf),
      A.mrs(8, 'DAIF'),
      A.msrDaifSet(2),
      A.mrs(9, 'DAIF'),
      A.mrs(10, 'SCTLR_EL1'),
      A.mrs(11, 'TCR_EL1'),
      A.mrs(12, 'CNTPCT_EL0'),
      A.brk(0),
    ]);
    cpu.pc = KTEXT;
    runToException(cpu);
    expect(cpu.getReg('x0')).toBe(2n); // two instructions retired before it
    expect(cpu.getReg('x1')).toBe(1_000_000_000n);
    expect(cpu.getReg('x2')).toBe(4n);
    expect(cpu.getReg('x3')).toBe(0x410fd083n);
    expect(cpu.getReg('x4')).toBe(0x8000_0000n);
    expect(cpu.getReg('x5')).toBe(0x8444c004n);
    expect(cpu.getReg('x6')).toBe(0x14n);
    expect(cpu.getReg('x7')).toBe(0x3c0n);
    expect(cpu.getReg('x8')).toBe(0n);
    expect(cpu.getReg('x9')).toBe(0x80n);
    expect(cpu.getReg('x10') & 1n).toBe(1n); // MMU on
    expect((cpu.getReg('x11') >> 16n) & 0x3fn).toBe(16n); // T1SZ: 48-bit kernel VA
    expect(cpu.getReg('x12')).toBe(16n);
    expect(cpu.getReg('pstate')).toBe(0x85n); // I masked by DAIFSet #2
  });

  it('writes and reads back VBAR, TPIDR, NZCV; MRS of EL1 registers at EL0 is undefined', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.movz(1, 0xf000, 48), A.msr('TPIDR_EL1', 1), A.mrs(2, 'TPIDR_EL1'), A.msr('TPIDR_EL0', 1), A.brk(0)]);
    putWords(mem, UTEXT, [A.mrs(3, 'TPIDR_EL0'), A.mrs(4, 'TPIDRRO_EL0'), A.mrs(5, 'CNTVCT_EL0'), A.mrs(6, 'VBAR_EL1')]);
    cpu.pc = KTEXT;
    runToException(cpu);
    expect(cpu.getReg('x2')).toBe(0xf000_0000_0000_0000n);
    expect(cpu.getReg('tpidr_el1')).toBe(0xf000_0000_0000_0000n);
    toUser(cpu);
    const e = runToException(cpu);
    expect(e).toEqual({ kind: 'undefined', pc: UTEXT + 12, insn: A.mrs(6, 'VBAR_EL1') });
    expect(cpu.getReg('x3')).toBe(0xf000_0000_0000_0000n);
    expect(cpu.getReg('x4')).toBe(0n);
  });

  it('EL0 may not write TPIDRRO_EL0 or DAIF, nor use DC ZVA', () => {
    const { mem, cpu } = setup();
    putWords(mem, UTEXT, [A.msr('TPIDRRO_EL0', 1), A.msrDaifSet(1), A.dcZva(0)]);
    toUser(cpu);
    expect(runToException(cpu)).toMatchObject({ kind: 'undefined', pc: UTEXT });
    cpu.pc = UTEXT + 4;
    expect(runToException(cpu)).toMatchObject({ kind: 'undefined', pc: UTEXT + 4 });
    cpu.pc = UTEXT + 8;
    expect(runToException(cpu)).toMatchObject({ kind: 'undefined', pc: UTEXT + 8 });
  });
});

describe('arm64 faults', () => {
  it('a faulting load leaves every register unchanged and enters with a data abort', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.ldpPost(0, 1, 2, 16)]);
    cpu.pc = KTEXT;
    cpu.setReg('x0', 1n);
    cpu.setReg('x1', 2n);
    const bad = 0xffff_8000_0900_0008n;
    cpu.setReg('x2', bad);
    const e = runToException(cpu);
    expect(e).toEqual({ kind: 'fault', pc: KTEXT, address: 0x8000_0900_0008, access: 'read', reason: 'unmapped' });
    expect(cpu.pc).toBe(KTEXT);
    expect(cpu.retired).toBe(0);
    expect([cpu.getReg('x0'), cpu.getReg('x1'), cpu.getReg('x2')]).toEqual([1n, 2n, bad]);
    cpu.takeException(e);
    expect(cpu.getReg('esr_el1')).toBe(ESR(0x25, 0x07));
    expect(cpu.getReg('far_el1')).toBe(bad);
    expect(cpu.getReg('elr_el1')).toBe(canon(KTEXT));
  });

  it('EL0 stores to read-only memory and reads of kernel memory are permission faults', () => {
    const { mem, cpu } = setup();
    putWords(mem, UTEXT, [A.str(1, 2), A.ldr(3, 4)]);
    toUser(cpu);
    cpu.setReg('x2', BigInt(UTEXT + 0x100));
    cpu.setReg('x4', canon(KDATA));
    let e = runToException(cpu);
    expect(e).toEqual({ kind: 'fault', pc: UTEXT, address: UTEXT + 0x100, access: 'write', reason: 'permission' });
    cpu.takeException(e);
    expect(cpu.getReg('esr_el1')).toBe(ESR(0x24, 0x40 | 0x0f));
    toUser(cpu, UTEXT + 4);
    e = runToException(cpu);
    expect(e).toEqual({ kind: 'fault', pc: UTEXT + 4, address: KDATA, access: 'read', reason: 'permission' });
    cpu.takeException(e);
    expect(cpu.getReg('esr_el1')).toBe(ESR(0x24, 0x0f));
    expect(cpu.getReg('far_el1')).toBe(canon(KDATA));
  });

  it('a non-canonical address faults instead of aliasing a canonical one', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.ldr(0, 1)]);
    cpu.pc = KTEXT;
    cpu.setReg('x1', 0x0001_0000_0040_0000n); // low 48 bits would alias UTEXT
    expect(runToException(cpu)).toMatchObject({ kind: 'fault', access: 'read', reason: 'unmapped' });
    expect(mem.isMapped(UTEXT)).toBe(true);
  });

  it('branching to unmapped or misaligned code: instruction abort and PC alignment fault', () => {
    const { mem, cpu } = setup();
    putWords(mem, UTEXT, [A.br(1)]);
    toUser(cpu);
    cpu.setReg('x1', 0x50_0000n);
    let e = runToException(cpu);
    expect(e).toEqual({ kind: 'fault', pc: 0x50_0000, address: 0x50_0000, access: 'exec', reason: 'unmapped' });
    expect(cpu.pc).toBe(0x50_0000);
    cpu.takeException(e);
    expect(cpu.getReg('esr_el1')).toBe(ESR(0x20, 0x07));
    expect(cpu.getReg('elr_el1')).toBe(0x50_0000n);
    expect(cpu.getReg('far_el1')).toBe(0x50_0000n);

    toUser(cpu);
    cpu.setReg('x1', BigInt(UTEXT + 2));
    e = runToException(cpu);
    expect(e).toEqual({ kind: 'fault', pc: UTEXT + 2, address: UTEXT + 2, access: 'exec', reason: 'alignment' });
    cpu.takeException(e);
    expect(cpu.getReg('esr_el1')).toBe(ESR(0x22, 0));

    toUser(cpu);
    cpu.setReg('x1', canon(KTEXT)); // EL0 may not run kernel text
    e = runToException(cpu);
    expect(e).toMatchObject({ kind: 'fault', pc: KTEXT, access: 'exec', reason: 'permission' });
    cpu.takeException(e);
    expect(cpu.getReg('esr_el1')).toBe(ESR(0x20, 0x0f));
  });

  it('unmapping a page takes effect in the CPU translation caches', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.ldr(0, 1), A.b(-4)]);
    cpu.pc = KTEXT;
    cpu.setReg('x1', canon(KDATA));
    expect(cpu.run(10).stop).toBe('budget');
    mem.unmap(KDATA, 0x1000);
    expect(runToException(cpu)).toMatchObject({ kind: 'fault', address: KDATA });
  });
});

describe('arm64 decode cache', () => {
  it('a BRK written over an instruction already run in a loop stops the next iteration', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.addi(0, 0, 1), A.b(-4)]);
    cpu.pc = KTEXT;
    expect(cpu.run(100).stop).toBe('budget');
    expect(cpu.getReg('x0')).toBe(50n);
    putWords(mem, KTEXT, [A.brk(7)]); // Memory.poke, as a probe arms
    expect(runToException(cpu)).toEqual({ kind: 'breakpoint', pc: KTEXT, imm: 7, insn: A.brk(7) });
    expect(cpu.getReg('x0')).toBe(50n);
    putWords(mem, KTEXT, [A.addi(0, 0, 2)]); // disarm with another instruction
    expect(cpu.run(4).stop).toBe('budget');
    expect(cpu.getReg('x0')).toBe(54n);
  });

  it('code that overwrites itself inside one run never runs the stale instruction', () => {
    const { mem, cpu } = setup();
    // loop: add x0, x0, #1; str w1, [x2]; b loop   (x2 = &loop, w1 = BRK)
    putWords(mem, UDATA, [A.addi(0, 0, 1), A.strw(1, 2), A.b(-8)]);
    toUser(cpu, UDATA);
    cpu.setReg('x1', BigInt(A.brk(9)));
    cpu.setReg('x2', BigInt(UDATA));
    expect(runToException(cpu)).toEqual({ kind: 'breakpoint', pc: UDATA, imm: 9, insn: A.brk(9) });
    expect(cpu.getReg('x0')).toBe(1n);
  });

  it('a write through Memory.write32 invalidates too', () => {
    const { mem, cpu } = setup();
    putWords(mem, UDATA, [A.addi(0, 0, 1), A.b(-4)]);
    toUser(cpu, UDATA);
    expect(cpu.run(10).stop).toBe('budget');
    mem.write32(UDATA, A.brk(1), true);
    expect(runToException(cpu)).toMatchObject({ kind: 'breakpoint', pc: UDATA });
  });

  it('flushCode forgets words changed behind Memory’s back', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.addi(0, 0, 1), A.b(-4)]);
    cpu.pc = KTEXT;
    cpu.run(10);
    new DataView(mem.pageAt(KTEXT)!.data.buffer).setUint32(0, A.brk(2), true);
    cpu.flushCode(KTEXT, 4);
    expect(runToException(cpu)).toMatchObject({ kind: 'breakpoint', pc: KTEXT, imm: 2 });
  });
});

describe('arm64 registers and contexts', () => {
  it('shows kernel addresses in canonical form (pc, ADR, BL link)', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.adr(1, 8), A.bl(8), A.brk(0), A.brk(1)]);
    cpu.pc = KTEXT;
    expect(cpu.getReg('pc')).toBe(0xffff_8000_0800_0000n);
    expect(runToException(cpu)).toMatchObject({ kind: 'breakpoint', imm: 1 });
    expect(cpu.getReg('x1')).toBe(canon(KTEXT + 8));
    expect(cpu.getReg('lr')).toBe(canon(KTEXT + 8));
    expect(cpu.getReg('x30')).toBe(canon(KTEXT + 8));
    cpu.setReg('pc', 0xffff_8000_0800_0004n);
    expect(cpu.pc).toBe(KTEXT + 4);
    expect(() => cpu.getReg('x31')).toThrow(RangeError);
    expect(() => cpu.setReg('nope', 0n)).toThrow(RangeError);
  });

  it('stops after exactly the budget', () => {
    const { mem, cpu } = setup();
    putWords(mem, KTEXT, [A.addi(0, 0, 1), A.b(-4)]);
    cpu.pc = KTEXT;
    expect(cpu.run(7)).toEqual({ stop: 'budget' });
    expect(cpu.retired).toBe(7);
    expect(cpu.getReg('x0')).toBe(4n);
    expect(cpu.run(0)).toEqual({ stop: 'budget' });
    expect(cpu.retired).toBe(7);
  });

  it('saveContext/restoreContext bring back all architectural state', () => {
    const { mem, cpu } = setup();
    putWords(mem, UTEXT, [A.svc(0)]);
    toUser(cpu);
    for (let i = 0; i < 31; i++) cpu.setReg(`x${i}`, BigInt(i) * 0x1111_1111_1111n);
    cpu.setReg('tpidr_el0', 0x77n);
    cpu.setReg('pstate', 0x9000_0000n); // EL0t with N and C
    const names = [...cpu.regNames, 'sp_el0', 'sp_el1', 'elr_el1', 'spsr_el1', 'esr_el1', 'far_el1', 'vbar_el1', 'tpidr_el0', 'tpidr_el1'];
    const before = names.map((n) => cpu.getReg(n));
    const ctx = cpu.saveContext();
    expect(ctx.arch).toBe('arm64');
    cpu.takeException(runToException(cpu));
    for (let i = 0; i < 31; i++) cpu.setReg(`x${i}`, 0n);
    cpu.setReg('tpidr_el0', 0n);
    cpu.restoreContext(ctx);
    expect(names.map((n) => cpu.getReg(n))).toEqual(before);
    expect(cpu.userMode).toBe(true);
    expect(cpu.pc).toBe(UTEXT);
  });

  it('loads and stores to a device page reach the device', () => {
    const mem = new Memory(true, KERNEL_HALF_48);
    mem.map(KTEXT, 0x1000, { user: false, write: false, exec: true });
    const log: string[] = [];
    const dev: MmioDevice = {
      name: 'test',
      read: (off, size) => (log.push(`r${size}@${off}`), 0x41),
      write: (off, size, v) => void log.push(`w${size}@${off}=${v}`),
    };
    mem.mapDevice(KDATA, 0x1000, dev);
    const cpu = new Arm64Cpu(mem);
    putWords(mem, KTEXT, [A.strw(1, 2), A.ldr(3, 2, 8), A.brk(0)]);
    cpu.pc = KTEXT;
    cpu.setReg('x1', 0x68n);
    cpu.setReg('x2', canon(KDATA + 0x10));
    runToException(cpu);
    expect(log).toEqual(['w4@16=104', 'r4@24', 'r4@28']);
    expect(cpu.getReg('x3')).toBe(0x41_0000_0041n);
  });
});
