// The board's PL031: its PrimeCell ID (what the guest's driver matches), a seconds counter that
// runs on the virtual clock from its power-on base, and a load register that moves it.
import { describe, expect, it } from 'vitest';
import { Pl031Rtc } from '../../src/machine/rtc.ts';

describe('Pl031Rtc', () => {
  it('identifies itself as an ARM PL031 PrimeCell', () => {
    const rtc = new Pl031Rtc(0, () => 0);
    const id = (base: number) => [0, 4, 8, 12].reduce((v, o, i) => v | (rtc.read(base + o) << (8 * i)), 0) >>> 0;
    expect(id(0xfe0).toString(16)).toBe('41031');
    expect(id(0xff0).toString(16)).toBe('b105f00d');
  });

  it('counts whole seconds of the virtual clock from its base; a load sets the count', () => {
    let ns = 0;
    const rtc = new Pl031Rtc(1781354096, () => ns);
    expect(rtc.read(0x00)).toBe(1781354096);
    ns = 2_999_999_999;
    expect(rtc.read(0x00)).toBe(1781354098);
    rtc.write(0x08, 4, 100);
    expect(rtc.read(0x00)).toBe(100);
    ns += 1e9;
    expect(rtc.read(0x00)).toBe(101);
    expect(rtc.read(0x0c)).toBe(1); // started, and cannot be stopped
  });

  it('keeps its match and mask registers but raises no alarm (the board has no interrupt line)', () => {
    let ns = 0;
    const rtc = new Pl031Rtc(10, () => ns);
    rtc.write(0x04, 4, 11);
    rtc.write(0x10, 4, 1);
    ns = 5e9;
    expect([rtc.read(0x04), rtc.read(0x10), rtc.read(0x14), rtc.read(0x18)]).toEqual([11, 1, 0, 0]);
  });
});
