/* hello: one line on stdout, exit status 0. The smallest system-call path: write, exit_group.
 * The line names the arch it was built for. */
#include <stdio.h>

#if defined(__aarch64__)
#define ARCH "arm64"
#elif defined(__mips__)
#define ARCH "mips"
#endif

int main(void)
{
	printf("Hello from a static " ARCH " program!\n");
	return 0;
}
