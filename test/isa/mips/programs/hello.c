/* Smallest oracle program: output, a loop, a call, a failing system call (the $a3 error flag)
 * and the exit status. No Linux counterpart. */
#include "rt.h"

static NOINLINE u32 fib(u32 n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(void)
{
	puts_("hello, mips\n");
	for (unsigned i = 0; i < NVALS; i++)
		show("v", VALS[i] * 3 + (VALS[i] >> 7));
	show("fib", fib(opaque(20)));
	flush();
	/* write(99, ...) on a descriptor that is not open: -EBADF. */
	show("badfd", (u32)sys_write(opaque(99), "x", 1));
	return 42;
}
