/* Per-process file descriptor tables. Counterpart of fs/file.c: the lowest free descriptor,
 * fget/fd_install/close_fd, dup/dup3, duplication of the table for fork and close-on-exec. */
#include "fs.h"
#include "fdtable.h"
#include "sched.h"
#include "slab.h"
#include "string.h"
#include "syscalls.h"

static inline bool test_fd(const unsigned long *map, unsigned int fd)
{
	return map[fd / BITS_PER_LONG] & (1UL << (fd % BITS_PER_LONG));
}

static inline void set_fd(unsigned long *map, unsigned int fd)
{
	map[fd / BITS_PER_LONG] |= 1UL << (fd % BITS_PER_LONG);
}

static inline void clear_fd(unsigned long *map, unsigned int fd)
{
	map[fd / BITS_PER_LONG] &= ~(1UL << (fd % BITS_PER_LONG));
}

/* A reference to the open file behind fd, or NULL. */
noinline struct file *fget(unsigned int fd)
{
	struct files_struct *files = current->files;
	struct file *file;

	if (!files || fd >= NR_OPEN_MAX)
		return NULL;
	file = files->fd[fd];
	return file ? get_file(file) : NULL;
}

static int alloc_fd(unsigned int start, unsigned int flags)
{
	struct files_struct *files = current->files;
	unsigned int fd;

	if (start < files->next_fd)
		start = files->next_fd;
	for (fd = start; fd < NR_OPEN_MAX; fd++)
		if (!test_fd(files->open_fds, fd))
			break;
	if (fd >= NR_OPEN_MAX)
		return -EMFILE;
	set_fd(files->open_fds, fd);
	if (start <= files->next_fd)
		files->next_fd = fd + 1;
	if (flags & O_CLOEXEC)
		set_fd(files->close_on_exec, fd);
	else
		clear_fd(files->close_on_exec, fd);
	return fd;
}

noinline int get_unused_fd_flags(unsigned int flags)
{
	return alloc_fd(0, flags);
}

static void __put_unused_fd(struct files_struct *files, unsigned int fd)
{
	clear_fd(files->open_fds, fd);
	if (fd < files->next_fd)
		files->next_fd = fd;
}

void put_unused_fd(unsigned int fd)
{
	__put_unused_fd(current->files, fd);
}

noinline void fd_install(unsigned int fd, struct file *file)
{
	current->files->fd[fd] = file;
}

noinline int close_fd(unsigned int fd)
{
	struct files_struct *files = current->files;
	struct file *file;

	if (fd >= NR_OPEN_MAX)
		return -EBADF;
	file = files->fd[fd];
	if (!file)
		return -EBADF;
	files->fd[fd] = NULL;
	__put_unused_fd(files, fd);
	return filp_close(file);
}

void set_close_on_exec(unsigned int fd, int flag)
{
	if (flag)
		set_fd(current->files->close_on_exec, fd);
	else
		clear_fd(current->files->close_on_exec, fd);
}

bool get_close_on_exec(unsigned int fd)
{
	return test_fd(current->files->close_on_exec, fd);
}

/* fork without CLONE_FILES: same files, each with one more reference. */
noinline struct files_struct *dup_fd(struct files_struct *oldf)
{
	struct files_struct *newf = kzalloc(sizeof(*newf), GFP_KERNEL);
	unsigned int fd;

	if (!newf)
		return NULL;
	newf->count = 1;
	newf->next_fd = oldf->next_fd;
	memcpy(newf->open_fds, oldf->open_fds, sizeof(newf->open_fds));
	memcpy(newf->close_on_exec, oldf->close_on_exec, sizeof(newf->close_on_exec));
	for (fd = 0; fd < NR_OPEN_MAX; fd++) {
		struct file *f = oldf->fd[fd];

		if (f)
			newf->fd[fd] = get_file(f);
		else if (test_fd(newf->open_fds, fd))
			clear_fd(newf->open_fds, fd);	/* reserved, not yet installed */
	}
	return newf;
}

static void close_files(struct files_struct *files)
{
	for (unsigned int fd = 0; fd < NR_OPEN_MAX; fd++) {
		struct file *file = files->fd[fd];

		if (file) {
			files->fd[fd] = NULL;
			filp_close(file);
		}
	}
}

void put_files_struct(struct files_struct *files)
{
	if (--files->count == 0) {
		close_files(files);
		if (files != &init_files)
			kfree(files);
	}
}

void exit_files(struct task_struct *tsk)
{
	struct files_struct *files = tsk->files;

	if (files) {
		tsk->files = NULL;
		put_files_struct(files);
	}
}

void do_close_on_exec(struct files_struct *files)
{
	for (unsigned int fd = 0; fd < NR_OPEN_MAX; fd++) {
		if (files->fd[fd] && test_fd(files->close_on_exec, fd)) {
			struct file *file = files->fd[fd];

			files->fd[fd] = NULL;
			clear_fd(files->close_on_exec, fd);
			__put_unused_fd(files, fd);
			filp_close(file);
		}
	}
}

/* dup2/dup3: newfd becomes file, closing what was there. */
int replace_fd(unsigned int fd, struct file *file, unsigned int flags)
{
	struct files_struct *files = current->files;
	struct file *tofree;

	if (fd >= NR_OPEN_MAX)
		return -EBADF;
	tofree = files->fd[fd];
	files->fd[fd] = get_file(file);
	set_fd(files->open_fds, fd);
	if (flags & O_CLOEXEC)
		set_fd(files->close_on_exec, fd);
	else
		clear_fd(files->close_on_exec, fd);
	if (tofree)
		filp_close(tofree);
	return fd;
}

/* F_DUPFD: the lowest free descriptor >= from. */
int f_dupfd(unsigned int from, struct file *file, unsigned int flags)
{
	int fd;

	if (from >= NR_OPEN_MAX)
		return -EINVAL;
	fd = alloc_fd(from, flags);
	if (fd >= 0)
		fd_install(fd, get_file(file));
	return fd;
}

SYSCALL_DEFINE3(dup3, unsigned int, oldfd, unsigned int, newfd, int, flags)
{
	struct file *file;
	int ret;

	if ((flags & ~O_CLOEXEC) != 0)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (newfd >= NR_OPEN_MAX)
		return -EBADF;
	file = fget(oldfd);
	if (!file)
		return -EBADF;
	ret = replace_fd(newfd, file, flags);
	fput(file);
	return ret;
}

SYSCALL_DEFINE1(dup, unsigned int, fildes)
{
	struct file *file = fget(fildes);
	int ret;

	if (!file)
		return -EBADF;
	ret = f_dupfd(0, file, 0);
	fput(file);
	return ret;
}
