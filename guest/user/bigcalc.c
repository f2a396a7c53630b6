/* bigcalc: 64-bit and 128-bit integer arithmetic printed in hex: multiply high, signed and
 * unsigned division, shifts, rotates, bit counts, byte swaps, a CRC-32 and xorshift.
 * Exercises the integer instructions a CPU must get exactly right (umulh, smulh, sdiv, udiv,
 * msub, clz, rbit, rev, ror, extr, csel, bfi/ubfx) and libgcc's 128-bit division. */
#include <stdio.h>
#include <stdint.h>

typedef unsigned __int128 u128;
typedef __int128 s128;

static volatile uint64_t vin[] = {
	0x0123456789abcdefULL, 0xfedcba9876543210ULL, 0xffffffffffffffffULL, 1ULL,
	0x8000000000000000ULL, 0x00000000ffffffffULL, 0x5555555555555555ULL, 12345678901234567ULL,
};

static uint32_t crc32(const unsigned char *p, size_t n)
{
	uint32_t crc = 0xffffffffu;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

int main(void)
{
	const int n = sizeof(vin) / sizeof(vin[0]);

	for (int i = 0; i < n; i++) {
		uint64_t a = vin[i], b = vin[(i + 3) % n];
		u128 p = (u128)a * b;
		s128 sp = (s128)(int64_t)a * (int64_t)b;

		printf("a=%016lx b=%016lx\n", (unsigned long)a, (unsigned long)b);
		printf("  a*b     = %016lx:%016lx\n", (unsigned long)(p >> 64), (unsigned long)p);
		printf("  smul hi = %016lx\n", (unsigned long)((u128)sp >> 64));
		printf("  a/b     = %016lx  a%%b = %016lx\n", (unsigned long)(a / b), (unsigned long)(a % b));
		if ((int64_t)b != 0 && !((int64_t)a == INT64_MAX + 1ULL && (int64_t)b == -1))
			printf("  sdiv    = %016lx  srem = %016lx\n",
			       (unsigned long)((int64_t)a / (int64_t)b),
			       (unsigned long)((int64_t)a % (int64_t)b));
		printf("  shifts  = %016lx %016lx %016lx\n", (unsigned long)(a << (i + 1)),
		       (unsigned long)(a >> (i + 1)), (unsigned long)((int64_t)a >> (i + 7)));
		printf("  rotl    = %016lx  bswap = %016lx\n", (unsigned long)rotl(a, 13 + i),
		       (unsigned long)__builtin_bswap64(a));
		printf("  clz %d ctz %d popcount %d parity %d\n", a ? __builtin_clzll(a) : 64,
		       a ? __builtin_ctzll(a) : 64, __builtin_popcountll(a), __builtin_parityll(a));
		printf("  gcd     = %lu\n", (unsigned long)gcd(a, b));
	}

	/* From the volatile inputs, so that the divisions happen at run time (libgcc's
	 * __udivti3/__umodti3), not in the compiler. */
	u128 big = ((u128)vin[0] << 64) | vin[1];
	u128 q = big / (vin[7] % 1000000007ULL), r = big % (vin[7] % 1000000007ULL);
	printf("128-bit / 64-bit  = %016lx%016lx rem %lu\n", (unsigned long)(q >> 64),
	       (unsigned long)q, (unsigned long)r);
	u128 q2 = big / (((u128)vin[3] << 64) | vin[5]);
	printf("128-bit / 128-bit = %016lx\n", (unsigned long)q2);
	s128 sq = (s128)((u128)vin[2] << 64 | vin[6]) / (s128)(int64_t)vin[7];
	printf("signed 128 / 64   = %016lx%016lx\n", (unsigned long)((u128)sq >> 64),
	       (unsigned long)sq);

	uint64_t f = 1;
	for (int k = 1; k <= 25; k++)
		f *= k;
	printf("25! mod 2^64 = %016lx\n", (unsigned long)f);

	uint64_t x = 88172645463325252ULL;
	for (int k = 0; k < 1000; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	printf("xorshift64 after 1000 = %016lx\n", (unsigned long)x);

	static const char text[] = "The quick brown fox jumps over the lazy dog";
	printf("crc32 = %08x\n", crc32((const unsigned char *)text, sizeof(text) - 1));

	int32_t s32 = -123456789;
	printf("sign extensions: %016lx %016lx %08x\n", (unsigned long)(int64_t)s32,
	       (unsigned long)(int64_t)(int16_t)0x8001, (unsigned)(uint8_t)s32);
	return 0;
}
