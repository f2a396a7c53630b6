/* crunch: a compute-bound program for measuring instructions per second (bench/run.ts): an
 * xorshift generator, a 64-bit FNV-1a hash over a buffer it keeps rewriting, an insertion sort
 * of a small array and integer division, repeated; prints the checksums. Deterministic, and
 * long enough (about 100 million instructions) that start-up time does not dominate. */
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>

#define ROUNDS 400
#define BUF 4096

static uint8_t buf[BUF];
static uint32_t arr[64];

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static uint64_t fnv1a(const uint8_t *p, unsigned n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (unsigned i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static void sort(uint32_t *a, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		uint32_t v = a[i];
		unsigned j = i;
		while (j > 0 && a[j - 1] > v) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = v;
	}
}

int main(void)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull, hash = 0, divs = 0;
	for (int r = 0; r < ROUNDS; r++) {
		for (unsigned i = 0; i < BUF; i += 8) {
			uint64_t v = xorshift(&seed);
			for (unsigned k = 0; k < 8; k++)
				buf[i + k] = (uint8_t)(v >> (8 * k));
		}
		hash ^= fnv1a(buf, BUF) + (uint64_t)r;
		for (unsigned i = 0; i < 64; i++)
			arr[i] = (uint32_t)xorshift(&seed);
		sort(arr, 64);
		for (unsigned i = 1; i < 64; i++)
			divs += arr[i] / (arr[i - 1] | 1) + arr[i] % 1000;
	}
	printf("crunch: hash=%" PRIx64 " divs=%" PRIu64 " min=%u\n", hash, divs, arr[0]);
	return 0;
}
