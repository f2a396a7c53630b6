/* bigcalc: 64-bit and 128-bit integer arithmetic printed in hex: multiply high, signed and
 * unsigned division, shifts, rotates, bit counts, byte swaps, a CRC-32 and xorshift.
 * Exercises the integer instructions a CPU must get exactly right (on arm64 umulh, smulh, sdiv,
 * udiv, msub, clz, rbit, rev, ror, extr, csel, bfi/ubfx and libgcc's 128-bit division; on mips
 * multu/mfhi, divu, clz, wsbh, rotr, ext/ins and the carries of 64-bit arithmetic in 32-bit
 * registers). Where the compiler has no 128-bit integer (32-bit arches) the 128-bit values are
 * two 64-bit halves and the same operations are done on them here; the output is the same. */
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>

static volatile uint64_t vin[] = {
	0x0123456789abcdefULL, 0xfedcba9876543210ULL, 0xffffffffffffffffULL, 1ULL,
	0x8000000000000000ULL, 0x00000000ffffffffULL, 0x5555555555555555ULL, 12345678901234567ULL,
};

#ifdef __SIZEOF_INT128__
typedef unsigned __int128 u128;
typedef __int128 s128;

static inline uint64_t hi64(u128 x) { return (uint64_t)(x >> 64); }
static inline uint64_t lo64(u128 x) { return (uint64_t)x; }
static inline u128 make128(uint64_t hi, uint64_t lo) { return ((u128)hi << 64) | lo; }
static inline u128 umul64(uint64_t a, uint64_t b) { return (u128)a * b; }
static inline u128 smul64(int64_t a, int64_t b) { return (u128)((s128)a * b); }
static inline u128 udiv128(u128 n, u128 d) { return n / d; }
static inline u128 umod128(u128 n, u128 d) { return n % d; }
static inline u128 sdiv128(u128 n, u128 d) { return (u128)((s128)n / (s128)d); }
static inline u128 sext64(int64_t v) { return (u128)(s128)v; }
#else
typedef struct {
	uint64_t hi, lo;
} u128;

static inline uint64_t hi64(u128 x) { return x.hi; }
static inline uint64_t lo64(u128 x) { return x.lo; }
static inline u128 make128(uint64_t hi, uint64_t lo) { return (u128){ hi, lo }; }
static inline u128 sext64(int64_t v) { return make128(v < 0 ? ~0ULL : 0, (uint64_t)v); }

/* 64 x 64 -> 128 from four 32 x 32 -> 64 products. */
static u128 umul64(uint64_t a, uint64_t b)
{
	uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
	uint64_t p0 = al * bl, p1 = al * bh, p2 = ah * bl, p3 = ah * bh;
	uint64_t mid = (p0 >> 32) + (uint32_t)p1 + (uint32_t)p2;

	return make128(p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32), (mid << 32) | (uint32_t)p0);
}

/* The signed product's high half: the unsigned one less b for a negative a, a for a negative b. */
static u128 smul64(int64_t a, int64_t b)
{
	u128 p = umul64(a, b);

	if (a < 0)
		p.hi -= (uint64_t)b;
	if (b < 0)
		p.hi -= (uint64_t)a;
	return p;
}

static int ge128(u128 a, u128 b)
{
	return a.hi != b.hi ? a.hi > b.hi : a.lo >= b.lo;
}

static u128 sub128(u128 a, u128 b)
{
	return make128(a.hi - b.hi - (a.lo < b.lo), a.lo - b.lo);
}

static u128 neg128(u128 a)
{
	return sub128(make128(0, 0), a);
}

/* Shift and subtract, one quotient bit at a time. */
static u128 udivmod128(u128 n, u128 d, u128 *rem)
{
	u128 q = make128(0, 0), r = make128(0, 0);

	for (int i = 127; i >= 0; i--) {
		uint64_t bit = i >= 64 ? (n.hi >> (i - 64)) & 1 : (n.lo >> i) & 1;

		r = make128((r.hi << 1) | (r.lo >> 63), (r.lo << 1) | bit);
		if (ge128(r, d)) {
			r = sub128(r, d);
			if (i >= 64)
				q.hi |= 1ULL << (i - 64);
			else
				q.lo |= 1ULL << i;
		}
	}
	*rem = r;
	return q;
}

static u128 udiv128(u128 n, u128 d)
{
	u128 r;

	return udivmod128(n, d, &r);
}

static u128 umod128(u128 n, u128 d)
{
	u128 r;

	udivmod128(n, d, &r);
	return r;
}

static u128 sdiv128(u128 n, u128 d)
{
	int nneg = (int64_t)n.hi < 0, dneg = (int64_t)d.hi < 0;
	u128 q = udiv128(nneg ? neg128(n) : n, dneg ? neg128(d) : d);

	return nneg != dneg ? neg128(q) : q;
}
#endif

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
		u128 p = umul64(a, b);
		u128 sp = smul64((int64_t)a, (int64_t)b);

		printf("a=%016" PRIx64 " b=%016" PRIx64 "\n", a, b);
		printf("  a*b     = %016" PRIx64 ":%016" PRIx64 "\n", hi64(p), lo64(p));
		printf("  smul hi = %016" PRIx64 "\n", hi64(sp));
		printf("  a/b     = %016" PRIx64 "  a%%b = %016" PRIx64 "\n", a / b, a % b);
		if ((int64_t)b != 0 && !((int64_t)a == INT64_MAX + 1ULL && (int64_t)b == -1))
			printf("  sdiv    = %016" PRIx64 "  srem = %016" PRIx64 "\n",
			       (uint64_t)((int64_t)a / (int64_t)b), (uint64_t)((int64_t)a % (int64_t)b));
		printf("  shifts  = %016" PRIx64 " %016" PRIx64 " %016" PRIx64 "\n", a << (i + 1),
		       a >> (i + 1), (uint64_t)((int64_t)a >> (i + 7)));
		printf("  rotl    = %016" PRIx64 "  bswap = %016" PRIx64 "\n", rotl(a, 13 + i),
		       (uint64_t)__builtin_bswap64(a));
		printf("  clz %d ctz %d popcount %d parity %d\n", a ? __builtin_clzll(a) : 64,
		       a ? __builtin_ctzll(a) : 64, __builtin_popcountll(a), __builtin_parityll(a));
		printf("  gcd     = %" PRIu64 "\n", gcd(a, b));
	}

	/* From the volatile inputs, so that the divisions happen at run time (libgcc's
	 * __udivti3/__umodti3 on arm64, the code above on mips), not in the compiler. */
	u128 big = make128(vin[0], vin[1]);
	u128 m = make128(0, vin[7] % 1000000007ULL);
	u128 q = udiv128(big, m), r = umod128(big, m);
	printf("128-bit / 64-bit  = %016" PRIx64 "%016" PRIx64 " rem %" PRIu64 "\n", hi64(q),
	       lo64(q), lo64(r));
	u128 q2 = udiv128(big, make128(vin[3], vin[5]));
	printf("128-bit / 128-bit = %016" PRIx64 "\n", lo64(q2));
	u128 sq = sdiv128(make128(vin[2], vin[6]), sext64((int64_t)vin[7]));
	printf("signed 128 / 64   = %016" PRIx64 "%016" PRIx64 "\n", hi64(sq), lo64(sq));

	uint64_t f = 1;
	for (int k = 1; k <= 25; k++)
		f *= k;
	printf("25! mod 2^64 = %016" PRIx64 "\n", f);

	uint64_t x = 88172645463325252ULL;
	for (int k = 0; k < 1000; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	printf("xorshift64 after 1000 = %016" PRIx64 "\n", x);

	static const char text[] = "The quick brown fox jumps over the lazy dog";
	printf("crc32 = %08x\n", crc32((const unsigned char *)text, sizeof(text) - 1));

	int32_t s32 = -123456789;
	printf("sign extensions: %016" PRIx64 " %016" PRIx64 " %08x\n", (uint64_t)(int64_t)s32,
	       (uint64_t)(int64_t)(int16_t)0x8001, (unsigned)(uint8_t)s32);
	return 0;
}
