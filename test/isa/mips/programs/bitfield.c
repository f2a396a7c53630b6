/* Oracle program: bit-field and shift work: ext/ins through C bit-fields and masks, rotates
 * (rotr, rotrv), byte swaps (wsbh + rotr), sign extension (seb, seh), and the release 2
 * instructions written out in asm so every optimisation level runs each field position.
 * No Linux counterpart. */
#include "rt.h"

struct flags {
	u32 a : 3;
	u32 b : 7;
	u32 c : 1;
	u32 d : 13;
	u32 e : 8;
};

union word {
	struct flags f;
	u32 w;
};

static NOINLINE u32 rotr(u32 x, unsigned n)
{
	return (x >> (n & 31)) | (x << ((32 - n) & 31));
}

static NOINLINE u32 rotl7(u32 x)
{
	return (x << 7) | (x >> 25);
}

static NOINLINE u32 field(u32 x, unsigned pos, unsigned size)
{
	return (x >> pos) & ((size >= 32) ? ~0u : (1u << size) - 1);
}

/* ext and ins at every position and size, via asm (they need constant fields). */
#define EXT(pos, size)                                                        \
	do {                                                                  \
		u32 r;                                                        \
		__asm__("ext %0, %1, " #pos ", " #size : "=r"(r) : "r"(x));   \
		mix(r);                                                       \
	} while (0)
#define INS(pos, size)                                                                \
	do {                                                                          \
		u32 r = y;                                                            \
		__asm__("ins %0, %1, " #pos ", " #size : "+r"(r) : "r"(x));           \
		mix(r);                                                               \
	} while (0)

static NOINLINE void ext_ins(u32 x, u32 y)
{
	EXT(0, 1); EXT(0, 8); EXT(0, 31); EXT(0, 32); EXT(1, 31); EXT(3, 5); EXT(7, 9);
	EXT(8, 16); EXT(15, 1); EXT(16, 16); EXT(24, 8); EXT(31, 1); EXT(30, 2); EXT(12, 20);
	INS(0, 1); INS(0, 8); INS(0, 31); INS(0, 32); INS(1, 31); INS(3, 5); INS(7, 9);
	INS(8, 16); INS(15, 1); INS(16, 16); INS(24, 8); INS(31, 1); INS(30, 2); INS(12, 20);
}

static NOINLINE void swaps(u32 x)
{
	u32 r;
	__asm__("wsbh %0, %1" : "=r"(r) : "r"(x));
	mix(r);
	__asm__("seb %0, %1" : "=r"(r) : "r"(x));
	mix(r);
	__asm__("seh %0, %1" : "=r"(r) : "r"(x));
	mix(r);
	__asm__("rotr %0, %1, 0" : "=r"(r) : "r"(x));
	mix(r);
	__asm__("rotr %0, %1, 31" : "=r"(r) : "r"(x));
	mix(r);
	for (u32 n = 0; n < 40; n += 3) {
		__asm__("rotrv %0, %1, %2" : "=r"(r) : "r"(x), "r"(n));
		mix(r);
	}
	mix(__builtin_bswap32(x));
	mix(__builtin_bswap16((u16)x));
	mix((u32)(s32)(s8)x);
	mix((u32)(s32)(s16)x);
	mix((u32)(u8)x);
	mix((u32)(u16)x);
}

int main(void)
{
	union word u;
	for (unsigned i = 0; i < NVALS; i++) {
		u32 x = opaque(VALS[i]);
		u.w = x;
		mix(u.f.a), mix(u.f.b), mix(u.f.c), mix(u.f.d), mix(u.f.e);
		u.f.b = (u32)i * 37;
		u.f.d = ~x;
		u.f.e += 3;
		mix(u.w);
		for (unsigned n = 0; n < 33; n++)
			mix(rotr(x, n));
		mix(rotl7(x));
		for (unsigned pos = 0; pos < 32; pos += 5)
			for (unsigned size = 1; size <= 32 - pos; size += 6)
				mix(field(x, pos, size));
		ext_ins(x, VALS[NVALS - 1 - i]);
		swaps(x);
		show("bits", checksum);
	}
	return 0;
}
