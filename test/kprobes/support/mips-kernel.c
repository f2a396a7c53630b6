/*
 * C functions of the mips kprobes test kernel (support/mips-guest.ts), compiled at test time with
 * mips-linux-gnu-gcc -O2 -march=mips32r2 -msoft-float -mno-abicalls -fno-pic -G0: real compiler
 * output, with filled delay slots, division traps, jump or lookup tables, stack frames and
 * recursion, for kprobes to probe at every instruction boundary. Each comment says what the
 * function computes.
 */

typedef unsigned int u32;
typedef unsigned char u8;

#define noinline __attribute__((noinline))

/* Greatest common divisor by remainders (divu, teq, mfhi in a loop). */
noinline u32 gcd(u32 a, u32 b)
{
	while (b != 0) {
		u32 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* fib(n) by double recursion. */
noinline int fib(int n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/* n! (mod 2^32) by real recursion (the barrier keeps gcc from turning it into a loop). */
noinline u32 fact(u32 n)
{
	u32 r;

	if (n <= 1)
		return 1;
	r = fact(n - 1);
	__asm__ volatile("" : "+r"(r));
	return n * r;
}

/* A switch: 0..7 map to 10 21 33 47 52 68 71 80; negative -1; else 99. */
noinline int classify(int x)
{
	switch (x) {
	case 0: return 10;
	case 1: return 21;
	case 2: return 33;
	case 3: return 47;
	case 4: return 52;
	case 5: return 68;
	case 6: return 71;
	case 7: return 80;
	default: return x < 0 ? -1 : 99;
	}
}

/* Insertion sort of n words, ascending. */
noinline void sort_words(int *a, int n)
{
	for (int i = 1; i < n; i++) {
		int v = a[i];
		int j = i - 1;

		while (j >= 0 && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

/* s = 0x12345678; for each byte: s = s * 33 + byte; s ^= s >> 13. */
noinline u32 checksum(const u8 *p, int n)
{
	u32 s = 0x12345678;

	for (int i = 0; i < n; i++) {
		s = (s << 5) + s + p[i];
		s ^= s >> 13;
	}
	return s;
}

static u32 counter;

/* counter += by (a .bss word); the new value. */
noinline u32 bump(u32 by)
{
	counter += by;
	return counter;
}

/* The high word of a * b (multu, mfhi). */
noinline u32 mulhi(u32 a, u32 b)
{
	return (u32)(((unsigned long long)a * b) >> 32);
}

/* Bit fields: bits 7..3 of x, with the low byte of x at bits 27..20. */
noinline u32 bitfield(u32 x)
{
	return ((x >> 3) & 0x1f) | ((x & 0xff) << 20);
}

/* Eight pseudo-random words from seed, sorted; min + 2 * max + their checksum. */
noinline int sum_sorted(u32 seed)
{
	int buf[8];

	for (int i = 0; i < 8; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (seed >> 16) & 0x7fff;
	}
	sort_words(buf, 8);
	return buf[0] + buf[7] * 2 + (int)checksum((const u8 *)buf, sizeof(buf));
}
