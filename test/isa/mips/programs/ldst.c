/* Oracle program: loads and stores of every width, signed and unsigned; packed structs (the
 * compiler's lwl/lwr/swl/swr pairs for unaligned words); the four partial-word instructions at
 * all four byte offsets with known register contents; byte-wise copies at every alignment.
 * No Linux counterpart. */
#include "rt.h"

struct __attribute__((packed)) rec {
	u8 tag;
	u32 word;
	u16 half;
	s32 sword;
	u64 dword;
	s16 shalf;
};

static struct rec recs[9];
static u8 buf[64] __attribute__((aligned(8)));

static NOINLINE void fill_recs(u32 seed)
{
	for (unsigned i = 0; i < 9; i++) {
		recs[i].tag = (u8)(seed >> i);
		recs[i].word = seed * (i + 1);
		recs[i].half = (u16)(seed ^ i);
		recs[i].sword = -(s32)(seed + i);
		recs[i].dword = ((u64)seed << 32) | (seed ^ 0xffff);
		recs[i].shalf = (s16)-i;
		seed = seed * 1103515245u + 12345u;
	}
}

static NOINLINE void sum_recs(void)
{
	for (unsigned i = 0; i < 9; i++) {
		mix(recs[i].tag);
		mix(recs[i].word);
		mix(recs[i].half);
		mix((u32)recs[i].sword);
		mix((u32)(recs[i].dword >> 32));
		mix((u32)recs[i].dword);
		mix((u32)(s32)recs[i].shalf);
	}
}

/* lwl/lwr/swl/swr at each byte offset of an aligned word, merging into known register values. */
static NOINLINE void partial(const u8 *p, u32 reg)
{
	for (int off = 0; off < 4; off++) {
		u32 l = reg, r = reg;
		__asm__("lwl %0, 0(%1)" : "+r"(l) : "r"(p + off) : "memory");
		__asm__("lwr %0, 0(%1)" : "+r"(r) : "r"(p + off) : "memory");
		mix(l), mix(r);
	}
	for (int off = 0; off < 4; off++) {
		u32 w[2] = {0x11223344, 0x55667788};
		__asm__ volatile("swl %1, 0(%0)" : : "r"((u8 *)w + off), "r"(reg) : "memory");
		mix(w[0]), mix(w[1]);
		u32 v[2] = {0x11223344, 0x55667788};
		__asm__ volatile("swr %1, 0(%0)" : : "r"((u8 *)v + off), "r"(reg) : "memory");
		mix(v[0]), mix(v[1]);
	}
	/* The classic unaligned pair: lwl at p, lwr at p+3 (and the store pair). */
	for (int off = 0; off < 4; off++) {
		u32 v = 0;
		__asm__("lwl %0, 0(%1)\n\tlwr %0, 3(%1)" : "+r"(v) : "r"(p + off) : "memory");
		mix(v);
		u8 out[8] = {0};
		__asm__ volatile("swl %1, 0(%0)\n\tswr %1, 3(%0)" : : "r"(out + off), "r"(reg) : "memory");
		for (int i = 0; i < 8; i++)
			mix(out[i]);
	}
}

static NOINLINE void widths(u8 *p)
{
	for (int i = 0; i < 16; i++) {
		mix(p[i]);
		mix((u32)(s32)((s8 *)p)[i]);
	}
	for (int i = 0; i < 8; i++) {
		mix(((u16 *)p)[i]);
		mix((u32)(s32)((s16 *)p)[i]);
	}
	for (int i = 0; i < 4; i++)
		mix(((u32 *)p)[i]);
	for (int i = 0; i < 2; i++) {
		u64 d = ((u64 *)p)[i];
		mix((u32)d), mix((u32)(d >> 32));
	}
	((u32 *)p)[5] = 0xa1b2c3d4;
	((u16 *)p)[13] = 0xe5f6;
	p[29] = 0x17;
	((u64 *)p)[4] = 0x0102030405060708ull;
	for (int i = 0; i < 40; i++)
		mix(p[i]);
}

static NOINLINE void copies(void)
{
	u8 src[48], dst[64];
	for (int i = 0; i < 48; i++)
		src[i] = (u8)(i * 7 + 3);
	for (int so = 0; so < 4; so++)
		for (int d = 0; d < 4; d++) {
			memset(dst, 0xee, sizeof(dst));
			memcpy(dst + d, src + so, 37);
			memmove(dst + d + 1, dst + d, 20);
			for (int i = 0; i < 48; i++)
				mix(dst[i]);
			mix((u32)memcmp(dst, src, 30) + 1000);
		}
}

int main(void)
{
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(0x80 + i * 13);
	for (unsigned i = 0; i < 8; i++) {
		fill_recs(opaque(VALS[i * 3]));
		sum_recs();
		show("recs", checksum);
		partial(buf + i, VALS[i * 4 + 1]);
		show("partial", checksum);
	}
	widths(buf);
	show("widths", checksum);
	copies();
	show("copies", checksum);
	return 0;
}
