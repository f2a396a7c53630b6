/* args: argc and every argument, argv[0] by its base name only (the path differs between
 * runs), then whether an environment was passed. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv, char **envp)
{
	const char *base = strrchr(argv[0], '/');

	printf("argc=%d\n", argc);
	printf("argv[0]=%s\n", base ? base + 1 : argv[0]);
	for (int i = 1; i < argc; i++)
		printf("argv[%d]=\"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
	printf("argv[%d]=%s\n", argc, argv[argc] ? "not NULL" : "NULL");
	return 0;
}
