/* Oracle program: ordinary C as a kernel or a small tool is written: a printf-like formatter
 * (varargs, widths, 64-bit conversions), quicksort and heapsort on pseudo-random data, an
 * open-addressing hash table keyed by strings, CRC-32, a sieve, N queens and string handling.
 * It is also the workload of bench/cpu-mips.ts (ROUNDS sets how long it runs).
 * No Linux counterpart. */
#include "rt.h"
#include <stdarg.h>

#ifndef ROUNDS
#define ROUNDS 1
#endif

/* --- a small vsnprintf ------------------------------------------------------------------- */

static char *emit_num(char *p, char *end, u64 v, unsigned base, int upper, int neg, int width, int zero, int left)
{
	char tmp[24];
	int n = 0;
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int len = n + neg;
	int pad = width > len ? width - len : 0;
	if (!left && !zero)
		for (; pad; pad--)
			if (p < end)
				*p++ = ' ';
	if (neg && p < end)
		*p++ = '-';
	if (!left && zero)
		for (; pad; pad--)
			if (p < end)
				*p++ = '0';
	while (n)
		if (p < end)
			*p++ = tmp[--n];
		else
			n--;
	for (; pad; pad--)
		if (p < end)
			*p++ = ' ';
	return p;
}

static int format_v(char *buf, size_t size, const char *f, va_list ap)
{
	char *p = buf, *end = buf + size - 1;
	for (; *f; f++) {
		if (*f != '%') {
			if (p < end)
				*p++ = *f;
			continue;
		}
		int left = 0, zero = 0, width = 0, prec = -1, lng = 0;
		for (f++; *f == '-' || *f == '0'; f++)
			*f == '-' ? (left = 1) : (zero = 1);
		for (; *f >= '0' && *f <= '9'; f++)
			width = width * 10 + (*f - '0');
		if (*f == '.')
			for (prec = 0, f++; *f >= '0' && *f <= '9'; f++)
				prec = prec * 10 + (*f - '0');
		for (; *f == 'l' || *f == 'h'; f++)
			lng += *f == 'l' ? 1 : -1;
		switch (*f) {
		case 'd':
		case 'i': {
			s64 v = lng >= 2 ? va_arg(ap, s64) : lng == -2 ? (s8)va_arg(ap, int) : lng == -1 ? (s16)va_arg(ap, int) : va_arg(ap, int);
			p = emit_num(p, end, v < 0 ? -(u64)v : (u64)v, 10, 0, v < 0, width, zero, left);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			u64 v = lng >= 2 ? va_arg(ap, u64) : lng == -2 ? (u8)va_arg(ap, unsigned) : lng == -1 ? (u16)va_arg(ap, unsigned) : va_arg(ap, unsigned);
			unsigned base = *f == 'u' ? 10 : *f == 'o' ? 8 : 16;
			p = emit_num(p, end, v, base, *f == 'X', 0, width, zero, left);
			break;
		}
		case 'p':
			if (p + 1 < end) {
				*p++ = '0';
				*p++ = 'x';
			}
			p = emit_num(p, end, (u32)va_arg(ap, void *), 16, 0, 0, 8, 1, 0);
			break;
		case 'c':
			if (p < end)
				*p++ = (char)va_arg(ap, int);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int len = 0;
			while (s[len] && (prec < 0 || len < prec))
				len++;
			int pad = width > len ? width - len : 0;
			if (!left)
				for (; pad; pad--)
					if (p < end)
						*p++ = ' ';
			for (int i = 0; i < len; i++)
				if (p < end)
					*p++ = s[i];
			for (; pad; pad--)
				if (p < end)
					*p++ = ' ';
			break;
		}
		case '%':
			if (p < end)
				*p++ = '%';
			break;
		default:
			return -1;
		}
	}
	*p = 0;
	return (int)(p - buf);
}

static int format(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int n = format_v(buf, size, f, ap);
	va_end(ap);
	return n;
}

static void print(const char *f, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, f);
	format_v(line, sizeof(line), f, ap);
	va_end(ap);
	puts_(line);
}

/* --- pseudo-random numbers and sorting ------------------------------------------------------ */

static u32 rng = 2463534242u;
static u32 next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void swap(s32 *a, s32 *b)
{
	s32 t = *a;
	*a = *b;
	*b = t;
}

static void quicksort(s32 *v, int lo, int hi)
{
	while (lo < hi) {
		s32 pivot = v[lo + (hi - lo) / 2];
		int i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j)
				swap(&v[i++], &v[j--]);
		}
		if (j - lo < hi - i) {
			quicksort(v, lo, j);
			lo = i;
		} else {
			quicksort(v, i, hi);
			hi = j;
		}
	}
}

static void sift(s32 *v, int start, int n)
{
	int root = start;
	for (;;) {
		int child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && v[child] < v[child + 1])
			child++;
		if (v[root] >= v[child])
			return;
		swap(&v[root], &v[child]);
		root = child;
	}
}

static void heapsort(s32 *v, int n)
{
	for (int i = n / 2 - 1; i >= 0; i--)
		sift(v, i, n);
	for (int end = n - 1; end > 0; end--) {
		swap(&v[0], &v[end]);
		sift(v, 0, end);
	}
}

#define NSORT 2000
static s32 a1[NSORT], a2[NSORT];

static void sorting(void)
{
	for (int i = 0; i < NSORT; i++)
		a1[i] = a2[i] = (s32)next() >> (i & 7);
	quicksort(a1, 0, NSORT - 1);
	heapsort(a2, NSORT);
	int same = memcmp(a1, a2, sizeof(a1)) == 0, ordered = 1;
	for (int i = 1; i < NSORT; i++)
		ordered &= a1[i - 1] <= a1[i];
	u32 h = 0;
	for (int i = 0; i < NSORT; i += 97)
		h = h * 31 + (u32)a1[i];
	print("sort same=%d ordered=%d min=%d max=%d h=%08x\n", same, ordered, a1[0], a1[NSORT - 1], h);
}

/* --- hash table ------------------------------------------------------------------------------ */

#define SLOTS 1024
struct entry {
	char key[16];
	u32 value;
	u8 used;
};
static struct entry table[SLOTS];

static u32 fnv1a(const char *s)
{
	u32 h = 2166136261u;
	while (*s)
		h = (h ^ (u8)*s++) * 16777619u;
	return h;
}

static struct entry *lookup(const char *key, int insert)
{
	u32 i = fnv1a(key) & (SLOTS - 1);
	for (u32 probes = 0; probes < SLOTS; probes++, i = (i + 1) & (SLOTS - 1)) {
		struct entry *e = &table[i];
		if (!e->used) {
			if (!insert)
				return 0;
			e->used = 1;
			memcpy(e->key, key, strlen(key) + 1);
			return e;
		}
		if (!memcmp(e->key, key, strlen(key) + 1))
			return e;
	}
	return 0;
}

static void hashing(void)
{
	char key[16];
	memset(table, 0, sizeof(table));
	for (u32 i = 0; i < 700; i++) {
		format(key, sizeof(key), "k%u-%x", i * 7919u % 1000, i & 15);
		lookup(key, 1)->value += i;
	}
	u32 found = 0, sum = 0;
	for (u32 i = 0; i < 1000; i++) {
		format(key, sizeof(key), "k%u-%x", i, (i * 3) & 15);
		struct entry *e = lookup(key, 0);
		if (e) {
			found++;
			sum += e->value;
		}
	}
	print("hash found=%u sum=%u fnv=%08x\n", found, sum, fnv1a("the quick brown fox"));
}

/* --- CRC-32, sieve, queens, strings ----------------------------------------------------------- */

static u32 crc_table[256];
static u32 crc32(const u8 *p, u32 n)
{
	if (!crc_table[1])
		for (u32 i = 0; i < 256; i++) {
			u32 c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			crc_table[i] = c;
		}
	u32 c = ~0u;
	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

static u8 composite[20000];
static u32 sieve(u32 n)
{
	u32 count = 0;
	memset(composite, 0, n);
	for (u32 i = 2; i < n; i++) {
		if (composite[i])
			continue;
		count++;
		for (u32 j = i * i; j < n; j += i)
			composite[j] = 1;
	}
	return count;
}

static int queens(int row, int n, u32 cols, u32 d1, u32 d2)
{
	if (row == n)
		return 1;
	int count = 0;
	for (int c = 0; c < n; c++) {
		u32 a = 1u << c, b = 1u << (row + c), d = 1u << (row - c + n);
		if ((cols & a) || (d1 & b) || (d2 & d))
			continue;
		count += queens(row + 1, n, cols | a, d1 | b, d2 | d);
	}
	return count;
}

static void reverse_words(char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n / 2; i++) {
		char t = s[i];
		s[i] = s[n - 1 - i];
		s[n - 1 - i] = t;
	}
	for (char *w = s; *w;) {
		char *e = w;
		while (*e && *e != ' ')
			e++;
		for (char *a = w, *b = e - 1; a < b; a++, b--) {
			char t = *a;
			*a = *b;
			*b = t;
		}
		w = *e ? e + 1 : e;
	}
}

int main(void)
{
	for (int round = 0; round < ROUNDS; round++) {
		sorting();
		hashing();
		print("crc %08x %08X\n", crc32((const u8 *)a1, sizeof(a1)), crc32((const u8 *)"123456789", 9));
		print("primes %u queens %d %d\n", sieve(opaque(20000)), queens(0, 7, 0, 0, 0), queens(0, 8, 0, 0, 0));
	}
	char s[] = "words in a sentence are reversed here";
	reverse_words(s);
	print("[%s] [%-8s|%8s] [%.3s]\n", s, "ab", "cd", "truncate");
	print("%d %i %u %x %X %o %c %% %5d|%-5d|%05d\n", -42, 2147483647, 4000000000u, 0xbeef, 0xbeef, 8, 'z', 7, 7, -7);
	print("%lld %llu %llx %hd %hhu %p\n", -1234567890123ll, 18446744073709551615ull, 0x123456789abcdefull, (short)-3, (unsigned char)300, (void *)0x1234);
	char small[8];
	int n = format(small, sizeof(small), "%s", "overflowing");
	print("small [%s] %d\n", small, n);
	return 3;
}
