// The mips guest kernel (guest/images/mips/vmlinux) on the TypeScript MIPS CPU with the smallest
// TypeScript half that guest/ABI.md allows: the hypercalls answered here, the UART and the RTC as
// plain devices, the first task's user context set up by hand. What qemu-user cannot check runs
// here: head.S, the exception vector at EBase + 0x180, SAVE_ALL/RESTORE_ALL and eret, the o32
// system-call entry with arguments from the user stack, uaccess faults fixed up through
// __ex_table, user faults turned into signals, an oops, and a function call from TypeScript into
// the guest with the o32 convention. The user programs run as pid 1 (nothing forks them), so their
// exit ends in the kernel's "Attempted to kill init!" panic, as Linux's would. No Linux
// counterpart (compare booting a kernel under QEMU with a minimal initramfs).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseElf, type ElfFile } from '../../src/machine/elf.ts';
import { AddressSpace, Memory, type MmioDevice } from '../../src/machine/memory.ts';
import { MipsCpu } from '../../src/isa/mips/cpu.ts';
import { expectedOutput, userProgramDir } from './user-programs.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const KERNEL = parseElf(new Uint8Array(readFileSync(join(REPO, 'guest/images/mips/vmlinux'))));
const HEAP_END = 0x8200_0000;
const RTC_NOW = 1781354096; // 2026-06-13T12:34:56Z
const PL031_ID = [0x31, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

function sym(name: string): number {
  const s = KERNEL.symtab.find((x) => x.name === name);
  if (!s) throw new Error(`no symbol ${name}`);
  return s.value;
}

/** Why a run stopped: the boot finished, the task exited or the kernel panicked, or a user break. */
type Stop = { why: 'boot-done' } | { why: 'exited' } | { why: 'panic'; message: string } | { why: 'break'; pc: number };

/** One emulated mips board with the kernel loaded, and the part of the TypeScript half a boot needs. */
class Board {
  readonly memory = new Memory(false, 0x8000_0000);
  readonly cpu: MipsCpu;
  console = '';
  dmesg = '';
  initTask = 0;
  private brk = 0;
  private mmapTop = 0x7000_0000;
  private nextNode = 10;

  constructor() {
    for (const ph of KERNEL.loadSegments) {
      this.memory.map(ph.vaddr, ph.memsz, { user: false, write: true, exec: true });
      this.memory.poke(ph.vaddr, KERNEL.segmentData(ph));
    }
    const heap = sym('__heap_start');
    this.memory.map(heap, HEAP_END - heap, { user: false, write: true, exec: false });
    const uart: MmioDevice = {
      name: 'pl011',
      read: (off) => (off === 0x18 ? 0x10 : 0), // FR: receive FIFO empty, transmit never full
      write: (off, _size, value) => {
        if (off === 0) this.console += String.fromCharCode(value & 0xff);
      },
    };
    const rtc: MmioDevice = {
      name: 'pl031',
      read: (off) => (off >= 0xfe0 ? PL031_ID[(off - 0xfe0) / 4]! : off === 0 ? RTC_NOW : off === 0x0c ? 1 : 0),
      write: () => {},
    };
    this.memory.mapDevice(0xbf00_0000, 4096, uart);
    this.memory.mapDevice(0xbf00_1000, 4096, rtc);
    this.cpu = new MipsCpu(this.memory);
    this.cpu.pc = KERNEL.header.entry;
  }

  reg(name: string): number {
    return Number(this.cpu.getReg(name) & 0xffff_ffffn);
  }

  setReg(name: string, value: number): void {
    this.cpu.setReg(name, BigInt(value >>> 0));
  }

  /** Answer a hypercall; a Stop when the run should end there. */
  private hypercall(code: number): Stop | undefined {
    const a = ['a0', 'a1', 'a2', 'a3'].map((r) => this.reg(r));
    let result = 0;
    switch (code) {
      case 1: // HVC_BOOT_DONE
        this.initTask = a[0]!;
        return { why: 'boot-done' };
      case 2: // HVC_SCHEDULE
        if (a[0] === 0) return { why: 'exited' };
        break;
      case 3: // HVC_PRINTK
        this.dmesg += new TextDecoder().decode(this.memory.readBytes(a[0]!, a[1]!)).replace(/\x01./g, '');
        break;
      case 4: // HVC_HOSTFS: empty file systems
        if (a[0] === 1) result = -2; // LOOKUP: -ENOENT
        else if (a[0] === 2) {
          this.memory.write32(a[3]!, 0o40755); // GETATTR: the root, a directory
          this.memory.write32(a[3]! + 4, 0);
          this.memory.write64(a[3]! + 8, 0n);
        } else if (a[0] === 3) result = 1; // OPEN
        break;
      case 6: // HVC_PANIC
        return { why: 'panic', message: this.memory.readCString(a[0]!) };
      case 8: // HVC_MM
        if (a[0] === 0) {
          if (a[1]! > this.brk) this.memory.map(this.brk, a[1]! - this.brk, { user: true, write: true, exec: false });
          if (a[1]) this.brk = a[1]!;
          result = this.brk;
        } else if (a[0] === 1) {
          this.mmapTop -= a[1]!;
          this.memory.map(this.mmapTop, a[1]!, { user: true, write: true, exec: false });
          result = this.mmapTop;
        }
        break;
      case 10: // HVC_KERNFS: a new node
        result = this.nextNode++;
        break;
      case 9: // HVC_TRACEPOINT
        break;
      default:
        throw new Error(`unexpected hypercall ${code}`);
    }
    this.setReg('v0', result);
    return undefined;
  }

  /**
   * Run until a stop; every exception is delivered to the guest's vector, except a user break
   * (stopBreaks) and the end of a call into the guest (hypcall 7).
   */
  run(opts: { stopBreaks?: boolean } = {}): Stop | { why: 'call-return' } {
    for (let budget = 0; budget < 200; budget++) {
      const r = this.cpu.run(1_000_000);
      if (r.stop === 'budget') continue;
      const e = r.exception;
      if (e.kind === 'hypercall') {
        if (e.imm === 7) return { why: 'call-return' };
        const stop = this.hypercall(e.imm);
        if (stop) return stop;
        continue;
      }
      if (e.kind === 'breakpoint' && opts.stopBreaks && this.cpu.userMode) return { why: 'break', pc: e.pc };
      this.cpu.takeException(e);
    }
    throw new Error('the guest ran 200 million instructions without stopping');
  }

  boot(): void {
    expect(this.run()).toEqual({ why: 'boot-done' });
  }

  /** pid 1's user context: the program's segments, a stack with argc/argv, user mode at the entry. */
  startUser(elf: ElfFile | { code: number[] }, argv: string[] = ['prog']): void {
    this.memory.switchUser(new AddressSpace());
    let entry: number;
    let end: number;
    if ('code' in elf) {
      entry = 0x0040_0000;
      this.memory.map(entry, 4096, { user: true, write: false, exec: true });
      const bytes = new Uint8Array(4 * elf.code.length);
      elf.code.forEach((w, i) => new DataView(bytes.buffer).setUint32(4 * i, w, false));
      this.memory.poke(entry, bytes);
      end = entry + 4096;
    } else {
      end = 0;
      for (const ph of elf.loadSegments) {
        this.memory.map(ph.vaddr, ph.memsz, { user: true, write: true, exec: true });
        this.memory.poke(ph.vaddr, elf.segmentData(ph));
        end = Math.max(end, ph.vaddr + ph.memsz);
      }
      entry = elf.header.entry;
    }
    this.brk = Math.ceil(end / 4096) * 4096;
    const top = 0x7ff0_0000;
    this.memory.map(top - 0x10000, 0x10000, { user: true, write: true, exec: false });
    let p = top - 256;
    const ptrs = argv.map((s) => {
      const bytes = new TextEncoder().encode(`${s}\0`);
      p -= bytes.length;
      this.memory.writeBytes(p, bytes);
      return p;
    });
    const sp = (p - 4 * (argv.length + 4)) & ~15;
    this.memory.write32(sp, argv.length);
    ptrs.forEach((q, i) => this.memory.write32(sp + 4 + 4 * i, q));
    this.memory.write32(sp + 4 + 4 * argv.length, 0); // argv's NULL
    this.memory.write32(sp + 8 + 4 * argv.length, 0); // envp's NULL
    // What TypeScript writes on a task switch (ABI.md): kernelsp = stack + 16384 - 32.
    const stack = this.memory.read32(this.initTask);
    this.memory.write32(sym('kernelsp'), (stack + 16384 - 32) >>> 0);
    this.setReg('sp', sp >>> 0);
    this.setReg('ra', 0);
    this.setReg('status', 0x10); // KSU user, CU0 and EXL clear: user mode
    this.cpu.pc = entry;
  }

  /** A function call into the guest (ABI.md, o32): a0-a3, the rest at sp+16..., ra = host_call_return. */
  call(fn: string, args: number[]): number {
    const ctx = this.cpu.saveContext();
    const stack = this.memory.read32(this.initTask);
    const sp = (stack + 16384 - 32 - 184 - 64) >>> 0;
    args.forEach((v, i) => {
      if (i < 4) this.setReg(`a${i}`, v);
      else this.memory.write32(sp + 16 + 4 * (i - 4), v);
    });
    this.setReg('sp', sp);
    this.setReg('ra', sym('host_call_return'));
    this.setReg('t9', sym(fn));
    this.cpu.pc = sym(fn);
    const stop = this.run();
    const result = stop.why === 'call-return' ? this.reg('v0') : -1;
    this.cpu.restoreContext(ctx);
    return result;
  }
}

function program(name: string): ElfFile {
  return parseElf(new Uint8Array(readFileSync(join(userProgramDir('mips'), `${name}.elf`))));
}

describe('the mips guest kernel on the TypeScript MIPS CPU', () => {
  it('boots to HVC_BOOT_DONE with pid 1 and its boot messages', () => {
    const b = new Board();
    b.boot();
    expect(b.memory.read32(b.initTask + 4)).toBe(1); // pid
    expect(b.dmesg).toContain('Linux version 6.12.0-kprobe');
    expect(b.dmesg).toContain('CPU0 revision is: 00019300 (MIPS 24Kc)\n');
    expect(b.dmesg).toContain('rtc-pl031 1f001000.pl031: registered as rtc0\n');
    expect(b.console).toBe('');
  });

  it.each(['hello', 'files', 'socket', 'strings', 'bigcalc'])(
    'runs %s as pid 1 through the o32 system-call entry, with the output qemu-mips gives',
    (name) => {
      const b = new Board();
      b.boot();
      b.startUser(program(name), [`${name}.elf`]);
      const stop = b.run();
      expect(b.console).toBe(expectedOutput(name, 'mips'));
      expect(stop).toEqual({ why: 'panic', message: 'Attempted to kill init! exitcode=0x00000000' });
    },
  );

  // write(1, 0x20000000, 5) with nothing mapped there; then break 5; then a store to it.
  const faulting = [0x3c05_2000, 0x2404_0001, 0x2406_0005, 0x2402_0fa4, 0x0000_000c, 0x0005_000d, 0xaca0_0000];

  it('fixes up a kernel fault on a user address through __ex_table: -EFAULT (v0 = 14, a3 = 1)', () => {
    const b = new Board();
    b.boot();
    b.startUser({ code: faulting });
    const stop = b.run({ stopBreaks: true });
    expect(stop).toEqual({ why: 'break', pc: 0x0040_0014 });
    expect(b.reg('v0')).toBe(14); // EFAULT
    expect(b.reg('a3')).toBe(1);
    expect(b.cpu.userMode).toBe(true);
  });

  it('turns a user break into SIGTRAP and a user page fault into SIGSEGV', () => {
    const b = new Board();
    b.boot();
    b.startUser({ code: faulting });
    expect(b.run()).toEqual({ why: 'panic', message: 'Attempted to kill init! exitcode=0x00000005' }); // SIGTRAP
    const c = new Board();
    c.boot();
    c.startUser({ code: [0x3c05_2000, 0xaca0_0000] });
    expect(c.run()).toEqual({ why: 'panic', message: 'Attempted to kill init! exitcode=0x0000000b' }); // SIGSEGV
    expect(c.dmesg).toContain('do_page_fault(): sending SIGSEGV to init for invalid write access to 20000000\n');
  });

  it('calls guest functions with the o32 convention, and reports a kernel fault as an oops', () => {
    const b = new Board();
    b.boot();
    expect(b.call('kprobe_trace_selftest_target', [1, 2, 3, 4, 5, 6])).toBe(21);
    expect(b.call('kprobe_target', [10])).toBe(3);
    expect(b.call('kprobe_target2', [10])).toBe(4);
    b.call('vfs_getattr', [0x10, 0x10]);
    expect(b.dmesg).toContain('CPU 0 Unable to handle kernel paging request at virtual address 00000014');
    expect(b.dmesg).toContain('Oops[#1]:\n');
    expect(b.dmesg).toContain('PrId  : 00019300 (MIPS 24Kc)\n');
  });
});
