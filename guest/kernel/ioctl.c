/* ioctl(2). Counterpart of fs/ioctl.c: the generic FIOCLEX/FIONCLEX, everything else to the
 * file's ->unlocked_ioctl, -ENOTTY for files without one. */
#include "fs.h"
#include "fdtable.h"
#include "syscalls.h"
#include "uapi.h"

SYSCALL_DEFINE3(ioctl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fget(fd);
	long error;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case FIOCLEX:
		set_close_on_exec(fd, 1);
		error = 0;
		break;
	case FIONCLEX:
		set_close_on_exec(fd, 0);
		error = 0;
		break;
	default:
		error = f->f_op->unlocked_ioctl ? f->f_op->unlocked_ioctl(f, cmd, arg) : -ENOTTY;
	}
	fput(f);
	return error;
}
