/* fib: Fibonacci numbers up to F(93), the largest that fits in 64 bits, iteratively and by
 * fast doubling, and checks that the two agree. */
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>

static void fib_doubling(unsigned int n, uint64_t *f, uint64_t *f1)
{
	uint64_t a, b, c, d;

	if (n == 0) {
		*f = 0;
		*f1 = 1;
		return;
	}
	fib_doubling(n / 2, &a, &b);
	c = a * (2 * b - a);	/* F(2k) */
	d = a * a + b * b;	/* F(2k+1) */
	if (n % 2) {
		*f = d;
		*f1 = c + d;
	} else {
		*f = c;
		*f1 = d;
	}
}

int main(void)
{
	uint64_t a = 0, b = 1;
	int mismatches = 0;

	for (unsigned int n = 0; n <= 93; n++) {
		uint64_t f, f1;

		fib_doubling(n, &f, &f1);
		if (f != a)
			mismatches++;
		if (n % 10 == 0 || n >= 90)
			printf("F(%u) = %" PRIu64 "\n", n, a);
		uint64_t t = a + b;
		a = b;
		b = t;
	}
	printf("mismatches: %d\n", mismatches);
	return mismatches != 0;
}
