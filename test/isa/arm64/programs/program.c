/* Oracle program: ordinary C as a kernel or a small tool is written: SHA-256, CRC-32, sorting,
 * decimal formatting (64-bit division by constants), a bump allocator with linked lists,
 * struct copies, 128-bit arithmetic, varargs, recursion (N queens), a sieve, string handling.
 * It is also the workload of bench/cpu-arm64.ts (ROUNDS sets how long it runs). */
#include "rt.h"
#include <stdarg.h>

#ifndef ROUNDS
#define ROUNDS 1
#endif

/* --- SHA-256 --- */
static const u32 K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};
#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(u32 h[8], const u8 *p)
{
	u32 w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 | (u32)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		u32 s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		u32 s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int i = 0; i < 64; i++) {
		u32 t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
		u32 t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void sha256(const u8 *data, u64 len, u32 out[8])
{
	u32 h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	u8 block[64];
	u64 i = 0;
	for (; i + 64 <= len; i += 64)
		sha256_block(h, data + i);
	u64 rest = len - i;
	memset(block, 0, 64);
	memcpy(block, data + i, rest);
	block[rest] = 0x80;
	if (rest >= 56) {
		sha256_block(h, block);
		memset(block, 0, 64);
	}
	for (int k = 0; k < 8; k++)
		block[63 - k] = (u8)((len * 8) >> (8 * k));
	sha256_block(h, block);
	memcpy(out, h, 32);
}

/* --- CRC-32 (bitwise and table) --- */
static u32 crc_table[256];
static void crc_init(void)
{
	for (u32 i = 0; i < 256; i++) {
		u32 c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}
static u32 crc32(const u8 *p, u64 n)
{
	u32 c = ~0u;
	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

/* --- formatting --- */
static char *utoa(u64 v, char *end)
{
	*--end = 0;
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

static int fmt(char *out, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	char *o = out;
	char tmp[32];
	for (; *f; f++) {
		if (*f != '%') {
			*o++ = *f;
			continue;
		}
		f++;
		if (*f == 'd') {
			s64 v = va_arg(ap, s64);
			if (v < 0) {
				*o++ = '-';
				v = -v;
			}
			for (char *s = utoa((u64)v, tmp + 32); *s; s++)
				*o++ = *s;
		} else if (*f == 'u') {
			for (char *s = utoa(va_arg(ap, u64), tmp + 32); *s; s++)
				*o++ = *s;
		} else if (*f == 's') {
			for (const char *s = va_arg(ap, const char *); *s; s++)
				*o++ = *s;
		} else if (*f == 'c') {
			*o++ = (char)va_arg(ap, int);
		}
	}
	*o = 0;
	va_end(ap);
	return (int)(o - out);
}

/* --- allocator and lists --- */
static u8 arena[1 << 16] __attribute__((aligned(16)));
static u64 arena_used;
static void *alloc(u64 n)
{
	n = (n + 15) & ~15UL;
	if (arena_used + n > sizeof(arena))
		arena_used = 0;
	void *p = arena + arena_used;
	arena_used += n;
	return p;
}

struct node {
	struct node *next;
	u64 key;
	char name[24];
	u32 weight;
	u16 flags;
};

static struct node *insert_sorted(struct node *head, struct node *n)
{
	struct node **pp = &head;
	while (*pp && (*pp)->key < n->key)
		pp = &(*pp)->next;
	n->next = *pp;
	*pp = n;
	return head;
}

/* --- sorting --- */
static void qsort_u64(u64 *a, long lo, long hi)
{
	while (lo < hi) {
		u64 pivot = a[(lo + hi) / 2];
		long i = lo, j = hi;
		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j) {
				u64 t = a[i];
				a[i++] = a[j];
				a[j--] = t;
			}
		}
		if (j - lo < hi - i) {
			qsort_u64(a, lo, j);
			lo = i;
		} else {
			qsort_u64(a, i, hi);
			hi = j;
		}
	}
}

/* --- N queens --- */
static int queens(int n, int row, u32 cols, u32 d1, u32 d2)
{
	if (row == n)
		return 1;
	int count = 0;
	u32 avail = ~(cols | d1 | d2) & ((1u << n) - 1);
	while (avail) {
		u32 bit = avail & -avail;
		avail ^= bit;
		count += queens(n, row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
	}
	return count;
}

/* --- 128-bit --- */
static u64 mulmod(u64 a, u64 b, u64 m)
{
	return (u64)((unsigned __int128)a * b % m);
}
static u64 powmod(u64 b, u64 e, u64 m)
{
	u64 r = 1;
	while (e) {
		if (e & 1)
			r = mulmod(r, b, m);
		b = mulmod(b, b, m);
		e >>= 1;
	}
	return r;
}

static u64 rng = 0x853c49e6748fea9bUL;
static u64 next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct big {
	u64 a[6];
	u32 b;
	u8 c[13];
};

static NOINLINE struct big make_big(u64 seed)
{
	struct big s;
	for (int i = 0; i < 6; i++)
		s.a[i] = seed * (u64)(i + 1);
	s.b = (u32)seed;
	for (int i = 0; i < 13; i++)
		s.c[i] = (u8)(seed >> i);
	return s;
}

static u8 data[4096];
static u64 sortbuf[512];

int main(void)
{
	char line[256];
	crc_init();
	for (int round = 0; round < ROUNDS; round++) {
		for (unsigned i = 0; i < sizeof(data); i++)
			data[i] = (u8)(next_rand() >> 32);
		u32 h[8];
		sha256(data, sizeof(data) - round % 61, h);
		for (int i = 0; i < 8; i++)
			mix(h[i]);
		mix(crc32(data, sizeof(data)));
		for (unsigned i = 0; i < 512; i++)
			sortbuf[i] = next_rand() % 100000;
		qsort_u64(sortbuf, 0, 511);
		for (unsigned i = 1; i < 512; i++)
			if (sortbuf[i - 1] > sortbuf[i])
				puts_("unsorted!\n");
		mix(sortbuf[0] + sortbuf[255] * 3 + sortbuf[511] * 7);
		struct node *head = 0;
		for (int i = 0; i < 64; i++) {
			struct node *n = alloc(sizeof(*n));
			n->key = next_rand() % 1000;
			fmt(n->name, "n%u", n->key);
			n->weight = (u32)i;
			n->flags = (u16)(n->key & 7);
			head = insert_sorted(head, n);
		}
		u64 acc = 0;
		for (struct node *n = head; n; n = n->next)
			acc = acc * 31 + n->key + strlen(n->name) + n->weight;
		mix(acc);
		struct big b = make_big(next_rand()), c;
		c = b;
		c.a[3] ^= 1;
		mix(memcmp(&b, &c, sizeof(b)) != 0);
		mix(powmod(next_rand() | 1, next_rand(), 0xffffffffffffffc5UL));
		mix((u64)queens(6 + round % 3, 0, 0, 0, 0));
		if (round == ROUNDS - 1) {
			fmt(line, "sha %u %u crc %u sorted %u..%u list %u queens8 %d neg %d str %s%c\n", (u64)h[0], (u64)h[7],
			    (u64)crc32(data, 100), sortbuf[0], sortbuf[511], acc, (s64)queens(8, 0, 0, 0, 0),
			    (s64)-1234567890123L, "ok", '!');
			puts_(line);
		}
	}
	/* A sieve. */
	static u8 composite[20000];
	u64 primes = 0, last = 0;
	for (u64 i = 2; i < sizeof(composite); i++) {
		if (composite[i])
			continue;
		primes++;
		last = i;
		for (u64 j = i * i; j < sizeof(composite); j += i)
			composite[j] = 1;
	}
	fmt(line, "primes %u last %u\n", primes, last);
	puts_(line);
	show("checksum", checksum);
	return (int)(checksum & 0x7f);
}
