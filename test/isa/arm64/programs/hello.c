/* Smallest oracle program: output, a loop, a call and the exit status. */
#include "rt.h"

static NOINLINE u64 fib(u64 n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(void)
{
	puts_("hello, arm64\n");
	for (unsigned i = 0; i < NVALS; i++)
		show("v", VALS[i] * 3 + (VALS[i] >> 7));
	show("fib", fib(opaque(20)));
	return 42;
}
