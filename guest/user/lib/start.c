/* Process start and exit of the tiny C library. Counterpart of musl's
 * src/env/__libc_start_main.c and src/exit/exit.c. */
#include <stdlib.h>
#include <unistd.h>
#include <syscall_arch.h>
#include <bits/signal.h>

int errno;
char **environ;

int main(int argc, char **argv, char **envp);

/* sp points at argc, then argv[0..argc-1], NULL, envp[..], NULL. */
__attribute__((__noreturn__, __used__)) void __libc_start_main(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);

	environ = argv + argc + 1;
	exit(main(argc, argv, environ));
}

void _Exit(int status)
{
	for (;;)
		__syscall6(SYS_exit_group, status, 0, 0, 0, 0, 0);
}

void _exit(int status)
{
	_Exit(status);
}

/* Output is unbuffered, so there is nothing to flush. */
void exit(int status)
{
	_Exit(status);
}

void abort(void)
{
	__syscall6(SYS_kill, __syscall6(SYS_getpid, 0, 0, 0, 0, 0, 0), SIGABRT, 0, 0, 0, 0);
	_Exit(127);
}

char *getenv(const char *name)
{
	size_t n = 0;

	while (name[n])
		n++;
	for (char **e = environ; e && *e; e++) {
		size_t i = 0;

		while (i < n && (*e)[i] == name[i])
			i++;
		if (i == n && (*e)[n] == '=')
			return *e + n + 1;
	}
	return NULL;
}
