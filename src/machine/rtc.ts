// A PL031-style real-time clock: the board's battery-backed seconds counter, which the guest's
// rtc-pl031 driver reads at boot to set the system time (hctosys) and on every read of
// /sys/class/rtc/rtc0/{date,time,since_epoch}. Counterpart of the hardware behind
// drivers/rtc/rtc-pl031.c (register offsets and PrimeCell ID as the ARM PL031 TRM gives them).
//
// Time runs on the machine's virtual clock, so the same run reads the same seconds: the counter
// is `base` (seconds since the epoch when the machine was switched on, like QEMU's -rtc base=)
// plus whole virtual seconds since. The match register and interrupt registers hold what is
// written, but no alarm ever fires (RIS stays 0): the board has no interrupt controller, so the
// guest's driver registers the clock without the alarm feature, as rtc-pl031 does with no IRQ.

import type { MmioDevice } from './memory.ts';

const RTC_DR = 0x00; // data: the current count
const RTC_MR = 0x04; // match (alarm) value
const RTC_LR = 0x08; // load: writing sets the count
const RTC_CR = 0x0c; // control: bit 0 starts the counter (it cannot be stopped)
const RTC_IMSC = 0x10; // interrupt mask

/** PeriphID0..3 (part 0x031, designer 0x41 ARM, revision 0) then PCellID0..3, at 0xfe0..0xffc. */
const ID_BYTES = [0x31, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export class Pl031Rtc implements MmioDevice {
  readonly name = 'rtc-pl031';
  /** Count = seconds of the virtual clock + offset (LR writes move the offset). */
  private offset: number;
  private match = 0;
  private mask = 0;

  constructor(
    base: number,
    private readonly clockNs: () => number,
  ) {
    this.offset = base;
  }

  private count(): number {
    return (Math.floor(this.clockNs() / 1e9) + this.offset) >>> 0;
  }

  read(offset: number): number {
    if (offset >= 0xfe0 && offset < 0x1000) return ID_BYTES[(offset - 0xfe0) >> 2] ?? 0;
    switch (offset) {
      case RTC_DR:
        return this.count();
      case RTC_MR:
        return this.match;
      case RTC_LR:
        return this.count();
      case RTC_CR:
        return 1;
      case RTC_IMSC:
        return this.mask;
      default: // RIS, MIS: no alarm fires

        return 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    switch (offset) {
      case RTC_MR:
        this.match = value >>> 0;
        break;
      case RTC_LR:
        this.offset += (value >>> 0) - this.count();
        break;
      case RTC_IMSC:
        this.mask = value & 1;
        break;
    }
  }
}
