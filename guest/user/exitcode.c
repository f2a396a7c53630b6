/* exitcode: says so, then exits with status 3 (the wait status is 0x0300). */
#include <stdio.h>

int main(void)
{
	printf("exiting with status 3\n");
	return 3;
}
