// 32×32→64-bit multiplication on JavaScript numbers, for mult/multu/madd/msub: the high word
// of the product without BigInt and without losing bits. No Linux counterpart.

/**
 * High 32 bits (as an Int32 bit pattern) of the exact product a·b, where a and b are both
 * signed 32-bit values (mult) or both unsigned (multu). The low word is Math.imul(a, b).
 *
 * a·b = p·2^16 + q with p = (a's high half)·b and q = (a's low 16 bits)·b, each below 2^48 so
 * exact; splitting p = ph·2^16 + pl gives a·b = ph·2^32 + (pl·2^16 + q), and the second term
 * is below 2^49, so floor(a·b / 2^32) = ph + floor((pl·2^16 + q) / 2^32), all exact in doubles.
 */
export function mulHigh(a: number, b: number): number {
  const p = Math.floor(a / 65536) * b;
  const q = (a & 0xffff) * b;
  const ph = Math.floor(p / 65536);
  return (ph + Math.floor(((p - ph * 65536) * 65536 + q) / 4294967296)) | 0;
}
