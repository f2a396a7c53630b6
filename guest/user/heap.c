/* heap: malloc/realloc/free over brk. Allocates blocks of pseudo-random sizes, fills them with
 * a pattern, frees and reallocates some, and prints a checksum of the contents (never an
 * address: the break differs between kernels). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>

#define NBLOCKS 200

static uint32_t seed = 12345;

static uint32_t rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

int main(void)
{
	unsigned char *blocks[NBLOCKS];
	size_t sizes[NBLOCKS];
	uint64_t checksum = 0;
	size_t total = 0;
	int freed = 0, grown = 0;
	char *before = sbrk(0), *after;

	for (int i = 0; i < NBLOCKS; i++) {
		sizes[i] = 1 + rnd() % 3000;
		blocks[i] = malloc(sizes[i]);
		if (!blocks[i]) {
			printf("malloc %zu failed\n", sizes[i]);
			return 1;
		}
		for (size_t k = 0; k < sizes[i]; k++)
			blocks[i][k] = (unsigned char)(i * 31 + k);
		total += sizes[i];
	}
	for (int i = 0; i < NBLOCKS; i += 3) {
		free(blocks[i]);
		blocks[i] = NULL;
		freed++;
	}
	for (int i = 1; i < NBLOCKS; i += 5) {
		size_t ns = sizes[i] * 2 + 17;
		unsigned char *p = realloc(blocks[i], ns);

		if (!p) {
			printf("realloc failed\n");
			return 1;
		}
		memset(p + sizes[i], 0xa5, ns - sizes[i]);
		blocks[i] = p;
		sizes[i] = ns;
		grown++;
	}
	for (int i = 0; i < NBLOCKS; i += 3) {
		sizes[i] = 1 + rnd() % 500;
		blocks[i] = calloc(sizes[i], 1);
		for (size_t k = 0; k < sizes[i]; k += 7)
			blocks[i][k] = (unsigned char)k;
	}
	for (int i = 0; i < NBLOCKS; i++) {
		for (size_t k = 0; k < sizes[i]; k++)
			checksum = (checksum * 131 + blocks[i][k]) % 1000000007ULL;
	}
	for (int i = 0; i < NBLOCKS; i++)
		free(blocks[i]);

	char *big = malloc(1 << 20);
	memset(big, 1, 1 << 20);
	long ones = 0;
	for (int k = 0; k < (1 << 20); k += 4096)
		ones += big[k];
	free(big);
	after = sbrk(0);

	printf("blocks %d, bytes first allocated %zu\n", NBLOCKS, total);
	printf("freed %d, grown with realloc %d\n", freed, grown);
	printf("checksum %llu\n", (unsigned long long)checksum);
	printf("1 MiB block: %ld pages touched\n", ones);
	printf("break moved up: %s\n", after > before ? "yes" : "no");
	return 0;
}
