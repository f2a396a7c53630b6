/* System-call wrappers: the kernel returns -errno, POSIX wants -1 with errno set.
 * Counterpart of musl's src/internal/syscall_ret.c and the thin wrappers of src/unistd,
 * src/fcntl, src/stat, src/dirent, src/misc, src/time. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>
#include <dirent.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <syscall_arch.h>
#include <bits/signal.h>

static long __syscall_ret(long r)
{
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

#define SC(n, a, b, c, d, e, f) \
	__syscall_ret(__syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f)))

long syscall(long n, ...)
{
	va_list ap;
	long a, b, c, d, e, f;

	va_start(ap, n);
	a = va_arg(ap, long);
	b = va_arg(ap, long);
	c = va_arg(ap, long);
	d = va_arg(ap, long);
	e = va_arg(ap, long);
	f = va_arg(ap, long);
	va_end(ap);
	return SC(n, a, b, c, d, e, f);
}

ssize_t read(int fd, void *buf, size_t count)
{
	return SC(SYS_read, fd, buf, count, 0, 0, 0);
}

ssize_t write(int fd, const void *buf, size_t count)
{
	return SC(SYS_write, fd, buf, count, 0, 0, 0);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	unsigned int mode = 0;

	if (flags & O_CREAT) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, unsigned int);
		va_end(ap);
	}
	return SC(SYS_openat, dirfd, path, flags, mode, 0, 0);
}

int open(const char *path, int flags, ...)
{
	unsigned int mode = 0;

	if (flags & O_CREAT) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, unsigned int);
		va_end(ap);
	}
	return SC(SYS_openat, AT_FDCWD, path, flags, mode, 0, 0);
}

int close(int fd)
{
	return SC(SYS_close, fd, 0, 0, 0, 0, 0);
}

off_t lseek(int fd, off_t offset, int whence)
{
	return SC(SYS_lseek, fd, offset, whence, 0, 0, 0);
}

int dup(int fd)
{
	return SC(SYS_dup, fd, 0, 0, 0, 0, 0);
}

int dup2(int oldfd, int newfd)
{
	if (oldfd == newfd) {
		/* dup3 refuses equal descriptors; dup2 just checks oldfd. */
		return SC(SYS_fcntl, oldfd, F_GETFD, 0, 0, 0, 0) < 0 ? -1 : newfd;
	}
	return SC(SYS_dup3, oldfd, newfd, 0, 0, 0, 0);
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return SC(SYS_fcntl, fd, cmd, arg, 0, 0, 0);
}

int mkdirat(int dirfd, const char *path, unsigned int mode)
{
	return SC(SYS_mkdirat, dirfd, path, mode, 0, 0, 0);
}

int mkdir(const char *path, unsigned int mode)
{
	return mkdirat(AT_FDCWD, path, mode);
}

int unlink(const char *path)
{
	return SC(SYS_unlinkat, AT_FDCWD, path, 0, 0, 0, 0);
}

int symlinkat(const char *target, int newdirfd, const char *linkpath)
{
	return SC(SYS_symlinkat, target, newdirfd, linkpath, 0, 0, 0);
}

int symlink(const char *target, const char *linkpath)
{
	return symlinkat(target, AT_FDCWD, linkpath);
}

int link(const char *oldpath, const char *newpath)
{
	return SC(SYS_linkat, AT_FDCWD, oldpath, AT_FDCWD, newpath, 0, 0);
}

ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t bufsiz)
{
	return SC(SYS_readlinkat, dirfd, path, buf, bufsiz, 0, 0);
}

ssize_t readlink(const char *path, char *buf, size_t bufsiz)
{
	return readlinkat(AT_FDCWD, path, buf, bufsiz);
}

int rmdir(const char *path)
{
	return SC(SYS_unlinkat, AT_FDCWD, path, AT_REMOVEDIR, 0, 0, 0);
}

int chdir(const char *path)
{
	return SC(SYS_chdir, path, 0, 0, 0, 0, 0);
}

char *getcwd(char *buf, size_t size)
{
	return SC(SYS_getcwd, buf, size, 0, 0, 0, 0) < 0 ? NULL : buf;
}

ssize_t getdents64(int fd, void *buf, size_t count)
{
	return SC(SYS_getdents64, fd, buf, count, 0, 0, 0);
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return SC(SYS_newfstatat, dirfd, path, st, flags, 0, 0);
}

int stat(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, 0);
}

int lstat(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

int fstat(int fd, struct stat *st)
{
	return SC(SYS_fstat, fd, st, 0, 0, 0, 0);
}

int uname(struct utsname *buf)
{
	return SC(SYS_uname, buf, 0, 0, 0, 0, 0);
}

int clock_gettime(int clk, struct timespec *ts)
{
	return SC(SYS_clock_gettime, clk, ts, 0, 0, 0, 0);
}

pid_t getpid(void)
{
	return SC(SYS_getpid, 0, 0, 0, 0, 0, 0);
}

pid_t getppid(void)
{
	return SC(SYS_getppid, 0, 0, 0, 0, 0, 0);
}

pid_t wait4(pid_t pid, int *status, int options, void *rusage)
{
	return SC(SYS_wait4, pid, status, options, rusage, 0, 0);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, NULL);
}

int socket(int domain, int type, int protocol)
{
	return SC(SYS_socket, domain, type, protocol, 0, 0, 0);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return SC(SYS_bind, fd, addr, len, 0, 0, 0);
}

int listen(int fd, int backlog)
{
	return SC(SYS_listen, fd, backlog, 0, 0, 0, 0);
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	return SC(SYS_accept, fd, addr, len, 0, 0, 0);
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	return SC(SYS_accept4, fd, addr, len, flags, 0, 0);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	return SC(SYS_connect, fd, addr, len, 0, 0, 0);
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	return SC(SYS_getsockname, fd, addr, len, 0, 0, 0);
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	return SC(SYS_getpeername, fd, addr, len, 0, 0, 0);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr,
	       socklen_t alen)
{
	return SC(SYS_sendto, fd, buf, len, flags, addr, alen);
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *alen)
{
	return SC(SYS_recvfrom, fd, buf, len, flags, addr, alen);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}

int shutdown(int fd, int how)
{
	return SC(SYS_shutdown, fd, how, 0, 0, 0, 0);
}

/* fork() is clone(SIGCHLD) (arm64 has no fork system call; mips has one, but clone does the
 * same). */
pid_t fork(void)
{
	return SC(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0);
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return SC(SYS_execve, path, argv, envp, 0, 0, 0);
}

/* The raw brk system call returns the (possibly unchanged) break; POSIX brk/sbrk on top. */
static unsigned long cur_brk;

int brk(void *addr)
{
	unsigned long r = __syscall6(SYS_brk, (long)addr, 0, 0, 0, 0, 0);

	cur_brk = r;
	if (r < (unsigned long)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(long increment)
{
	unsigned long old;

	if (!cur_brk)
		cur_brk = __syscall6(SYS_brk, 0, 0, 0, 0, 0, 0);
	old = cur_brk;
	if (increment && brk((void *)(old + increment)) < 0)
		return (void *)-1;
	return (void *)old;
}
