/* execve. Counterpart of fs/exec.c: the guest resolves the file name (getname, path walk,
 * permission checks), opens the file and reads it whole into a kernel buffer (the binfmt
 * loader's view of it: kernel_read), then TypeScript loads the ELF from that buffer into a fresh
 * address space and rewrites the system call's pt_regs (HVC_EXEC, ABI.md); on success the guest
 * does the begin_new_exec part that is kernel state: comm from the file name, close-on-exec
 * descriptors closed. */
#include "sched.h"
#include "syscalls.h"
#include "slab.h"
#include "string.h"
#include "hypercall.h"
#include "fdtable.h"
#include "mount.h"
#include "trace/events/sched.h"
#include <asm/ptrace.h>

#define MAX_EXEC_SIZE	(8UL << 20)	/* programs are read whole into the kernel heap */

void __set_task_comm(struct task_struct *tsk, const char *buf)
{
	size_t i;

	for (i = 0; i < TASK_COMM_LEN - 1 && buf[i]; i++)
		tsk->comm[i] = buf[i];
	for (; i < TASK_COMM_LEN; i++)
		tsk->comm[i] = '\0';
}

/* The part of begin_new_exec()/setup_new_exec() that concerns kernel state. */
static void begin_new_exec(struct filename *filename)
{
	__set_task_comm(current, kbasename(filename->name));
	if (current->files)
		do_close_on_exec(current->files);
}

/* open_exec: the program file, opened for reading like any other file. */
static struct file *open_exec(const struct path *path)
{
	struct file *file = alloc_empty_file(O_RDONLY | O_LARGEFILE);
	int err;

	if (IS_ERR(file))
		return file;
	err = vfs_open(path, file);
	if (err) {
		fput(file);
		return ERR_PTR(err);
	}
	return file;
}

/* The whole file in one kernel buffer (kernel_read_file). */
static int read_whole_file(struct file *file, void **datap, size_t *sizep)
{
	loff_t size = file_inode(file)->i_size, pos = 0;
	char *data;

	if (size <= 0)
		return -ENOEXEC;
	if (size > MAX_EXEC_SIZE)
		return -EFBIG;
	data = kmalloc(size, GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	while (pos < size) {
		ssize_t n = kernel_read(file, data + pos, size - pos, &pos);

		if (n <= 0) {
			kfree(data);
			return n < 0 ? n : -EIO;
		}
	}
	*datap = data;
	*sizep = size;
	return 0;
}

static noinline int do_execveat_common(int fd, struct filename *filename,
				       const char __user *const __user *argv,
				       const char __user *const __user *envp, int flags)
{
	struct path path;
	struct inode *inode;
	struct file *file;
	char *buf, *abs;
	void *data = NULL;
	size_t size = 0;
	int retval;

	if (IS_ERR(filename))
		return PTR_ERR(filename);

	retval = filename_lookup(fd, filename, LOOKUP_FOLLOW, &path, NULL);
	if (retval)
		goto out_putname;

	/* do_open_execat: a regular file with an execute bit, else -EACCES. */
	inode = path.dentry->d_inode;
	retval = -EACCES;
	if (!S_ISREG(inode->i_mode) || !(inode->i_mode & S_IXUGO))
		goto out_path;

	retval = -ENOMEM;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		goto out_path;
	abs = d_path(&path, buf, PATH_MAX);
	if (IS_ERR(abs)) {
		retval = PTR_ERR(abs);
		goto out_buf;
	}

	file = open_exec(&path);
	if (IS_ERR(file)) {
		retval = PTR_ERR(file);
		goto out_buf;
	}
	retval = read_whole_file(file, &data, &size);
	fput(file);
	if (retval)
		goto out_buf;

	/* bprm_execve: TypeScript maps the program and sets pc, sp and the registers in the
	 * pt_regs that the return to user restores. The return register (x0, v0) becomes this
	 * call's return value, 0. */
	retval = hvc_exec(abs, current_pt_regs(), argv, envp, data, size);
	kfree(data);
	if (retval == 0) {
		begin_new_exec(filename);
		trace_sched_process_exec(current, current->pid, filename->name);
	}
out_buf:
	kfree(buf);
out_path:
	path_put(&path);
out_putname:
	putname(filename);
	return retval;
}

static noinline int do_execve(struct filename *filename,
			      const char __user *const __user *argv,
			      const char __user *const __user *envp)
{
	return do_execveat_common(AT_FDCWD, filename, argv, envp, 0);
}

SYSCALL_DEFINE3(execve, const char __user *, filename,
		const char __user *const __user *, argv,
		const char __user *const __user *, envp)
{
	return do_execve(getname(filename), argv, envp);
}
