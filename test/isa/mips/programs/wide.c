/* Oracle program: 64-bit arithmetic on a 32-bit CPU: add/sub with carries, multiplication
 * (mult/multu/madd pieces), division and remainder through libgcc (__udivdi3, __divdi3,
 * __umoddi3, __moddi3), shifts by variable amounts, comparisons, and decimal conversion.
 * No Linux counterpart. */
#include "rt.h"

static const u64 W[] = {
	0x0ull, 0x1ull, 0x7ull, 0xffffffffull, 0x100000000ull, 0x123456789abcdef0ull,
	0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull, 0x00000000deadbeefull,
	0xdeadbeef00000000ull, 0xfedcba9876543210ull, 0x0000000180000001ull, 0x3b9aca00ull,
	0x8000000000000001ull, 0x00ff00ff00ff00ffull,
};
#define NW (sizeof(W) / sizeof(W[0]))

static NOINLINE void pairs(u64 a, u64 b)
{
	s64 sa = (s64)a, sb = (s64)b;
	mix((u32)(a + b)), mix((u32)((a + b) >> 32));
	mix((u32)(a - b)), mix((u32)((a - b) >> 32));
	u64 m = a * b;
	mix((u32)m), mix((u32)(m >> 32));
	mix(a < b), mix(sa < sb), mix(a == b);
	if (b) {
		u64 q = a / b, r = a % b;
		mix((u32)q), mix((u32)(q >> 32)), mix((u32)r), mix((u32)(r >> 32));
	}
	if (sb && !(sa == (s64)0x8000000000000000ull && sb == -1)) {
		s64 q = sa / sb, r = sa % sb;
		mix((u32)q), mix((u32)((u64)q >> 32)), mix((u32)r), mix((u32)((u64)r >> 32));
	}
	unsigned s = (unsigned)b & 63;
	u64 l = a << s, rr = a >> s;
	s64 ar = sa >> s;
	mix((u32)l), mix((u32)(l >> 32)), mix((u32)rr), mix((u32)(rr >> 32)), mix((u32)ar), mix((u32)((u64)ar >> 32));
}

static void dec(u64 v)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		putch(tmp[--n]);
}

static void sdec(s64 v)
{
	if (v < 0) {
		putch('-');
		dec(-(u64)v);
	} else {
		dec((u64)v);
	}
}

int main(void)
{
	for (unsigned i = 0; i < NW; i++)
		for (unsigned j = 0; j < NW; j++)
			pairs(opaque64(W[i]), opaque64(W[j]));
	show("pairs", checksum);
	for (unsigned i = 0; i < NW; i++) {
		puts_("dec ");
		dec(W[i]);
		putch(' ');
		sdec((s64)W[i]);
		putch('\n');
	}
	u64 f = 1;
	for (unsigned i = 1; i <= 20; i++) {
		f *= i;
		show64("fact", f);
	}
	return (int)(checksum % 200);
}
