/* primes: a sieve of Eratosthenes up to 100000 and trial division of a few 64-bit numbers;
 * integer loops, byte stores, division and remainder. */
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>
#include <string.h>

#define LIMIT 100000

static unsigned char composite[LIMIT + 1];

static int is_prime64(uint64_t n)
{
	if (n < 2)
		return 0;
	if (n % 2 == 0)
		return n == 2;
	for (uint64_t d = 3; d * d <= n; d += 2)
		if (n % d == 0)
			return 0;
	return 1;
}

int main(void)
{
	unsigned long count = 0, sum = 0;
	unsigned int last[10];
	int nlast = 0;

	memset(composite, 0, sizeof(composite));
	for (unsigned int i = 2; i * i <= LIMIT; i++)
		if (!composite[i])
			for (unsigned int j = i * i; j <= LIMIT; j += i)
				composite[j] = 1;
	for (unsigned int i = 2; i <= LIMIT; i++) {
		if (composite[i])
			continue;
		count++;
		sum += i;
		last[nlast++ % 10] = i;
	}
	printf("primes below %d: %lu\n", LIMIT, count);
	printf("sum of them: %lu\n", sum);
	printf("the last ten:");
	for (int k = 0; k < 10; k++)
		printf(" %u", last[(nlast + k) % 10]);
	printf("\n");

	static const uint64_t candidates[] = {
		1000000007ULL, 1000000011ULL, 4294967291ULL, 4294967297ULL, 999999999989ULL,
	};
	for (unsigned int k = 0; k < sizeof(candidates) / sizeof(candidates[0]); k++)
		printf("%" PRIu64 " is %s\n", candidates[k],
		       is_prime64(candidates[k]) ? "prime" : "composite");
	return 0;
}
