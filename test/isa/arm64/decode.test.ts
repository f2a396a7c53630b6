// Decoder checks independent of the oracle: the logical-immediate decoding against its known
// counts, and a few words of each class.
import { describe, expect, it } from 'vitest';
import { decode, decodeBitMask, isSupported } from '../../../src/isa/arm64/decode.ts';

describe('arm64 decoder', () => {
  it('decodes exactly the 5334 64-bit and 1302 32-bit bitmask immediates', () => {
    const seen64 = new Set<string>();
    const seen32 = new Set<string>();
    for (let n = 0; n < 2; n++) {
      for (let immr = 0; immr < 64; immr++) {
        for (let imms = 0; imms < 64; imms++) {
          const m = decodeBitMask(n, imms, immr, true);
          if (m) seen64.add(m.join(','));
          if (n === 0) {
            const w = decodeBitMask(0, imms, immr, false);
            if (w) seen32.add(w.join(','));
          }
        }
      }
    }
    expect(seen64.size).toBe(5334);
    expect(seen32.size).toBe(1302);
    expect(decodeBitMask(1, 0b111111, 0, true)).toBeUndefined(); // all ones: reserved
    expect(decodeBitMask(0, 0b111100, 0, true)).toEqual([0x55555555, 0x55555555]);
    expect(decodeBitMask(1, 0b111110, 0, true)).toEqual([-1, 0x7fffffff]);
    expect(decodeBitMask(1, 0b111110, 1, true)).toEqual([-1, 0xbfffffff | 0]);
  });

  it('names a word of each class, and rejects FP/SIMD and unallocated words', () => {
    const cases: [number, string][] = [
      [0xd65f03c0, 'RET'],
      [0xd503201f, 'NOP'],
      [0xd503233f, 'NOP'], // PACIASP
      [0xd50323bf, 'NOP'], // AUTIASP
      [0xd503245f, 'NOP'], // BTI c
      [0xd5033bbf, 'NOP'], // DMB ISH
      [0xd5033fdf, 'NOP'], // ISB
      [0xd503305f, 'CLREX'],
      [0xf9400020, 'LDR_X'], // ldr x0, [x1]
      [0xa9bf7bfd, 'STP_X'], // stp x29, x30, [sp, #-16]!
      [0x910003fd, 'ADD_X_IMM'], // mov x29, sp
      [0xaa0103e0, 'MOV_X'], // mov x0, x1
      [0x2a0103e0, 'MOV_W'],
      [0xd2800020, 'MOVI'], // mov x0, #1
      [0x90000000, 'ADRP'],
      [0x54000040, 'BCOND'], // b.eq
      [0x9ac20c20, 'DP2'], // sdiv x0, x1, x2
      [0x9bc27c20, 'DP3'], // umulh x0, x1, x2
      [0xf8200020, 'ATOMIC'], // ldadd x0, x0, [x1]
      [0xc85f7c20, 'LDEX'], // ldxr x0, [x1]
      [0xd53bd040, 'MRS'], // mrs x0, tpidr_el0
      [0xd4000001, 'SVC'],
      [0xd69f03e0, 'ERET'],
    ];
    for (const [word, name] of cases) expect(`${word.toString(16)} ${decode(word).name}`).toBe(`${word.toString(16)} ${name}`);
    expect(isSupported(0x9e670000)).toBe(false); // fmov d0, x0
    expect(isSupported(0x1e202008)).toBe(false); // fcmp s0, s0
    expect(isSupported(0x4e208400)).toBe(false); // add v0.16b, v0.16b, v0.16b
    expect(isSupported(0xfd400020)).toBe(false); // ldr d0, [x1]
    expect(isSupported(0x00000000)).toBe(false); // udf #0
    expect(isSupported(0xd503201f)).toBe(true);
  });
});
