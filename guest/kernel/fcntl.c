/* fcntl(2) (and fcntl64 on 32-bit arches): descriptor duplication, close-on-exec and the file
 * status flags. Counterpart of fs/fcntl.c (no locks, leases or signals-on-I/O). */
#include "fs.h"
#include "fdtable.h"
#include "syscalls.h"

#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME | FASYNC)

static long do_fcntl(int fd, unsigned int cmd, unsigned long arg, struct file *filp)
{
	switch (cmd) {
	case F_DUPFD:
		return f_dupfd(arg, filp, 0);
	case F_DUPFD_CLOEXEC:
		return f_dupfd(arg, filp, O_CLOEXEC);
	case F_GETFD:
		return get_close_on_exec(fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		set_close_on_exec(fd, arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return filp->f_flags;
	case F_SETFL:
		filp->f_flags = (arg & SETFL_MASK) | (filp->f_flags & ~SETFL_MASK);
		return 0;
	}
	return -EINVAL;
}

/* fcntl and fcntl64: do_fcntl on the file fd names (fdget_raw() and the call of both system
 * calls in Linux). */
static long fd_do_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = do_fcntl(fd, cmd, arg, f);
	fput(f);
	return err;
}

SYSCALL_DEFINE3(fcntl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	return fd_do_fcntl(fd, cmd, arg);
}

#if BITS_PER_LONG == 32
/* The 32-bit arches' fcntl: the same commands, plus the 64-bit lock ones (no locks here). */
SYSCALL_DEFINE3(fcntl64, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	return fd_do_fcntl(fd, cmd, arg);
}
#endif
