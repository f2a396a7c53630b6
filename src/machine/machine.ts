// The emulated machine: one CPU of an ISA, paged memory, the UART, the real-time clock, the virtual
// clock, the guest kernel image and its symbol table. It knows nothing of kernels or probes;
// src/kernel drives it. Counterpart of a board (QEMU's "virt" machine).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ArchName, Cpu } from '../isa/cpu.ts';
import { createCpu } from '../isa/index.ts';
import { parseElf, PT_LOAD } from './elf.ts';
import { Memory } from './memory.ts';
import { SymbolTable } from './symbols.ts';
import { Pl031Rtc } from './rtc.ts';
import { Uart } from './uart.ts';

export interface MachineLayout {
  kernelBase: number;
  text: number;
  ramEnd: number;
  uart: number;
  rtc: number;
  kprobeSlots: number;
}

/** Where the committed guest images live. */
export function imagePath(arch: ArchName, name = 'vmlinux'): string {
  return fileURLToPath(new URL(`../../guest/images/${arch}/${name}`, import.meta.url));
}

export class Machine {
  readonly memory: Memory;
  readonly cpu: Cpu;
  readonly uart: Uart;
  readonly rtc: Pl031Rtc;
  readonly symbols: SymbolTable;
  readonly entry: number;
  /** The image's word size in bytes (ELF class): sizeof(void *) in the guest kernel. */
  readonly wordBytes: 4 | 8;

  constructor(
    readonly arch: ArchName,
    readonly layout: MachineLayout,
    image: Uint8Array,
    consoleByte: (byte: number) => void,
    /** The RTC's count at power-on, in seconds since the epoch (QEMU's -rtc base=). */
    rtcBase = 0,
  ) {
    const elf = parseElf(image);
    this.memory = new Memory(elf.header.littleEndian, layout.kernelBase);
    this.cpu = createCpu(arch, this.memory);
    this.uart = new Uart(consoleByte);
    this.rtc = new Pl031Rtc(rtcBase, () => this.clockNs());
    this.symbols = SymbolTable.fromElf(elf);
    this.entry = elf.header.entry;
    this.wordBytes = elf.header.bits === 64 ? 8 : 4;

    // RAM for the image and the heap: text read+exec, the rest read+write (kernel only).
    const rw = { user: false, write: true, exec: false };
    this.memory.map(layout.text, layout.ramEnd - layout.text, rw);
    for (const ph of elf.programHeaders) {
      if (ph.type !== PT_LOAD || ph.memsz === 0) continue;
      const vaddr = ph.vaddr;
      this.memory.poke(vaddr, image.subarray(ph.offset, ph.offset + ph.filesz));
      if (ph.flags & 1) {
        for (let a = Math.floor(vaddr / 4096) * 4096; a < vaddr + ph.memsz; a += 4096) {
          this.memory.setPerms(a, { user: false, write: false, exec: true });
        }
      }
    }
    this.memory.mapDevice(layout.uart, 4096, this.uart);
    this.memory.mapDevice(layout.rtc, 4096, this.rtc);
    this.memory.map(layout.kprobeSlots, 4096, { user: false, write: false, exec: true });
  }

  /** Virtual time slept (a task's nanosleep advances the clock without running instructions). */
  private sleptNs = 0;

  /** The virtual clock: one retired instruction is one nanosecond, plus time slept. */
  clockNs(): number {
    return this.cpu.retired + this.sleptNs;
  }

  /** Let virtual time pass with nothing running (a single CPU with nothing else to do). */
  sleep(ns: number): void {
    this.sleptNs += ns;
  }

  static fromImage(
    arch: ArchName,
    layout: MachineLayout,
    consoleByte: (byte: number) => void,
    rtcBase = 0,
  ): Machine {
    return new Machine(arch, layout, readFileSync(imagePath(arch)), consoleByte, rtcBase);
  }
}
