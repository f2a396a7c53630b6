/* Per-process open file tables. Counterpart of include/linux/fdtable.h and file.h. */
#ifndef _GUEST_FDTABLE_H
#define _GUEST_FDTABLE_H

#include "fs.h"

struct task_struct;

#define NR_OPEN_MAX	256		/* RLIMIT_NOFILE of this kernel */
#define FD_WORDS	(NR_OPEN_MAX / BITS_PER_LONG)

struct files_struct {
	int count;				/*   0: tasks sharing it (CLONE_FILES) */
	unsigned int next_fd;			/*   4: lowest possibly free fd */
	unsigned long open_fds[FD_WORDS];	/*   8 */
	unsigned long close_on_exec[FD_WORDS];	/*  40 */
	struct file *fd[NR_OPEN_MAX];		/*  72: the files, NULL when free */
};

#if BITS_PER_LONG == 64	/* arm64's offsets (ABI.md); a 32-bit kernel has its own */
_Static_assert(offsetof(struct files_struct, fd) == 72, "ABI: files_struct.fd");
#endif

extern struct files_struct init_files;

struct file *fget(unsigned int fd);
int get_unused_fd_flags(unsigned int flags);
void put_unused_fd(unsigned int fd);
void fd_install(unsigned int fd, struct file *file);
int close_fd(unsigned int fd);
struct files_struct *dup_fd(struct files_struct *oldf);
void put_files_struct(struct files_struct *files);
void exit_files(struct task_struct *tsk);
void do_close_on_exec(struct files_struct *files);
void set_close_on_exec(unsigned int fd, int flag);
bool get_close_on_exec(unsigned int fd);
int replace_fd(unsigned int fd, struct file *file, unsigned int flags);
int f_dupfd(unsigned int from, struct file *file, unsigned int flags);

#endif
