/* uname: prints the system name only ("Linux" here and under qemu-user, whose other fields
 * come from the host). */
#include <stdio.h>
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;

	if (uname(&u) < 0) {
		perror("uname");
		return 1;
	}
	printf("%s\n", u.sysname);
	return 0;
}
