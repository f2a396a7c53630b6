/* Bit counting helpers gcc calls for __builtin_popcount* and __builtin_parity*. libgcc's
 * aarch64 versions use the SIMD "cnt" instruction; these use general registers only, like the
 * rest of the programs (-mgeneral-regs-only), so no FP/SIMD instruction ever runs. Linked
 * before libgcc, they take its place. Counterpart of libgcc2.c's __popcountDI2/__parityDI2. */

int __popcountdi2(unsigned long x);
int __paritydi2(unsigned long x);

int __popcountdi2(unsigned long x)
{
	x = x - ((x >> 1) & 0x5555555555555555UL);
	x = (x & 0x3333333333333333UL) + ((x >> 2) & 0x3333333333333333UL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fUL;
	return (int)((x * 0x0101010101010101UL) >> 56);
}

int __paritydi2(unsigned long x)
{
	x ^= x >> 32;
	x ^= x >> 16;
	x ^= x >> 8;
	x ^= x >> 4;
	x ^= x >> 2;
	x ^= x >> 1;
	return (int)(x & 1);
}
