/* hello: one line on stdout, exit status 0. The smallest system-call path: write, exit_group. */
#include <stdio.h>

int main(void)
{
	printf("Hello from a static arm64 program!\n");
	return 0;
}
