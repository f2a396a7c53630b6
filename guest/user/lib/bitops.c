/* Bit counting helpers gcc calls for __builtin_popcount* and __builtin_parity*. libgcc's
 * aarch64 versions use the SIMD "cnt" instruction, mips's libgcc is built for another ABI
 * (hard-float, PIC); these use general registers only, like the rest of the programs
 * (-mgeneral-regs-only, -msoft-float), so no FP/SIMD instruction ever runs. Linked before
 * libgcc, they take its place. The DI versions take 64 bits on every arch (unsigned long long:
 * a long on arm64, two registers on mips). Counterpart of libgcc2.c's __popcountDI2/__parityDI2
 * (and __popcountSI2 and __ctzDI2, which gcc calls on mips). */

int __popcountdi2(unsigned long long x);
int __paritydi2(unsigned long long x);
int __popcountsi2(unsigned int x);
int __ctzdi2(unsigned long long x);

int __popcountdi2(unsigned long long x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (int)((x * 0x0101010101010101ULL) >> 56);
}

int __paritydi2(unsigned long long x)
{
	x ^= x >> 32;
	x ^= x >> 16;
	x ^= x >> 8;
	x ^= x >> 4;
	x ^= x >> 2;
	x ^= x >> 1;
	return (int)(x & 1);
}

int __popcountsi2(unsigned int x)
{
	x = x - ((x >> 1) & 0x55555555U);
	x = (x & 0x33333333U) + ((x >> 2) & 0x33333333U);
	x = (x + (x >> 4)) & 0x0f0f0f0fU;
	return (int)((x * 0x01010101U) >> 24);
}

int __ctzdi2(unsigned long long x)
{
	unsigned int lo = (unsigned int)x;

	return lo ? __builtin_ctz(lo) : 32 + __builtin_ctz((unsigned int)(x >> 32));
}
