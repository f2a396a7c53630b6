/* The user program the host target's tests put uprobes on: functions with integer, long and
 * string arguments and return values, a string argument that holds quotes and " name=" text, a
 * NULL string (the kernel prints (fault)), and a mode that waits for a line on stdin before
 * calling them (for -p). Built by test/host/support/build.ts with the system gcc. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline, used)) int probe_me(int a, long b, const char *s)
{
	return a + (int)b + (s != NULL && s[0] == 'h');
}

__attribute__((noinline, used)) long probe_neg(long x)
{
	return -x;
}

__attribute__((noinline, used)) int probe_str(const char *s, const char *t)
{
	return (int)strlen(s) + (t != NULL);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3;
	long acc = 0;

	if (argc > 2 && strcmp(argv[2], "wait") == 0) {
		char line[64];

		printf("ready\n");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return 1;
	}
	for (int i = 0; i < n; i++)
		acc += probe_me(i, 1000 + i, "hello \"quoted\" x=1");
	acc += probe_neg(42);
	acc += probe_str("a\" t=\"b", NULL);
	printf("acc=%ld\n", acc);
	return 0;
}
