/* Opening and closing files, and the calls on a path that need no new name: truncate, access,
 * chdir. Counterpart of fs/open.c: sys_openat -> do_sys_open -> do_sys_openat2 (getname,
 * get_unused_fd_flags, do_filp_open -> ... -> vfs_open, fd_install). */
#include "fs.h"
#include "mount.h"
#include "fs_struct.h"
#include "fdtable.h"
#include "slab.h"
#include "string.h"
#include "syscalls.h"
#include "uaccess.h"

#define VALID_OPEN_FLAGS \
	(O_RDONLY | O_WRONLY | O_RDWR | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | \
	 O_NONBLOCK | O_DSYNC | FASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | \
	 O_NOATIME | O_CLOEXEC | __O_SYNC | O_PATH | __O_TMPFILE)

#define O_PATH_FLAGS	(O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)
#define ACC_MODE(x)	("\004\002\006\006"[(x) & O_ACCMODE])

/* No operations at all: what an O_PATH file gets. */
static const struct file_operations empty_fops = {};

noinline int do_truncate(struct dentry *dentry, loff_t length)
{
	struct inode *inode = dentry->d_inode;
	struct iattr newattrs = { .ia_valid = ATTR_SIZE, .ia_size = length };

	if (length < 0)
		return -EINVAL;
	/* A file system without setattr keeps its sizes itself (simple_setattr is a no-op). */
	if (!inode->i_op || !inode->i_op->setattr)
		return 0;
	return inode->i_op->setattr(dentry, &newattrs);
}

static long do_sys_truncate(const char __user *pathname, loff_t length)
{
	struct path path;
	int error;

	if (length < 0)
		return -EINVAL;
	error = user_path_at(AT_FDCWD, pathname, LOOKUP_FOLLOW, &path);
	if (error)
		return error;
	if (d_is_dir(path.dentry))
		error = -EISDIR;
	else if (!d_is_reg(path.dentry))
		error = -EINVAL;
	else
		error = do_truncate(path.dentry, length);
	path_put(&path);
	return error;
}

SYSCALL_DEFINE2(truncate, const char __user *, path, long, length)
{
	return do_sys_truncate(path, length);
}

static long do_sys_ftruncate(unsigned int fd, loff_t length)
{
	struct file *f;
	int error;

	if (length < 0)
		return -EINVAL;
	f = fget(fd);
	if (!f)
		return -EBADF;
	if (!S_ISREG(file_inode(f)->i_mode) || !(f->f_mode & FMODE_WRITE))
		error = -EINVAL;
	else
		error = do_truncate(f->f_path.dentry, length);
	fput(f);
	return error;
}

SYSCALL_DEFINE2(ftruncate, unsigned int, fd, long, length)
{
	return do_sys_ftruncate(fd, length);
}

/* LFS versions of truncate are only needed on 32-bit machines. */
#if BITS_PER_LONG == 32
SYSCALL_DEFINE2(truncate64, const char __user *, path, loff_t, length)
{
	return do_sys_truncate(path, length);
}

SYSCALL_DEFINE2(ftruncate64, unsigned int, fd, loff_t, length)
{
	return do_sys_ftruncate(fd, length);
}
#endif

/* access(): everyone is root, so only existence and, for X_OK, an execute bit matter. */
SYSCALL_DEFINE3(faccessat, int, dfd, const char __user *, filename, int, mode)
{
	struct path path;
	int res;

	if (mode & ~7)
		return -EINVAL;
	res = user_path_at(dfd, filename, LOOKUP_FOLLOW, &path);
	if (res)
		return res;
	if ((mode & 1) && S_ISREG(path.dentry->d_inode->i_mode) &&
	    !(path.dentry->d_inode->i_mode & S_IXUGO))
		res = -EACCES;
	path_put(&path);
	return res;
}

SYSCALL_DEFINE1(chdir, const char __user *, filename)
{
	struct path path;
	int error;

	error = user_path_at(AT_FDCWD, filename, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &path);
	if (error)
		return error;
	set_fs_pwd(current->fs, &path);
	path_put(&path);
	return 0;
}

SYSCALL_DEFINE1(fchdir, unsigned int, fd)
{
	struct file *f = fget(fd);
	int error = 0;

	if (!f)
		return -EBADF;
	if (!d_is_dir(f->f_path.dentry))
		error = -ENOTDIR;
	else
		set_fs_pwd(current->fs, &f->f_path);
	fput(f);
	return error;
}

static int do_dentry_open(struct file *f, int (*open)(struct inode *, struct file *))
{
	struct inode *inode = f->f_path.dentry->d_inode;
	int error;

	path_get(&f->f_path);
	f->f_inode = inode;
	if (f->f_flags & O_PATH) {
		f->f_mode = FMODE_PATH | FMODE_OPENED;
		f->f_op = &empty_fops;
		return 0;
	}
	f->f_mode = ((f->f_flags + 1) & O_ACCMODE) | FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	f->f_op = inode->i_fop ? inode->i_fop : &empty_fops;
	if (!open)
		open = f->f_op->open;
	if (open) {
		error = open(inode, f);
		if (error) {
			path_put(&f->f_path);
			f->f_path.dentry = NULL;
			f->f_path.mnt = NULL;
			f->f_inode = NULL;
			return error;
		}
	}
	f->f_mode |= FMODE_OPENED;
	/* Decided after ->open, which may switch f_op (character devices do). */
	if (!f->f_op->llseek)
		f->f_mode &= ~FMODE_LSEEK;
	if ((f->f_mode & FMODE_READ) && f->f_op->read)
		f->f_mode |= FMODE_CAN_READ;
	if ((f->f_mode & FMODE_WRITE) && f->f_op->write)
		f->f_mode |= FMODE_CAN_WRITE;
	f->f_flags &= ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC);
	return 0;
}

noinline int vfs_open(const struct path *path, struct file *file)
{
	file->f_path = *path;
	return do_dentry_open(file, NULL);
}

static int build_open_flags(const struct open_how *how, struct open_flags *op)
{
	u64 flags = how->flags;
	int lookup_flags = 0;
	int acc_mode;

	flags &= VALID_OPEN_FLAGS;	/* open/openat ignore unknown flags */
	if (flags & (O_CREAT | __O_TMPFILE))
		op->mode = (how->mode & S_IALLUGO) | S_IFREG;
	else
		op->mode = 0;
	if (flags & __O_TMPFILE)
		return -EOPNOTSUPP;
	if (flags & O_PATH) {
		flags &= O_PATH_FLAGS;
		acc_mode = 0;
	} else {
		acc_mode = MAY_OPEN | ACC_MODE(flags);
	}
	if (flags & O_TRUNC)
		acc_mode |= MAY_WRITE;
	op->open_flag = flags;
	op->acc_mode = acc_mode;
	op->intent = (flags & O_PATH) ? 0 : 1;
	if (flags & O_DIRECTORY)
		lookup_flags |= LOOKUP_DIRECTORY;
	if (!(flags & O_NOFOLLOW))
		lookup_flags |= LOOKUP_FOLLOW;
	op->lookup_flags = lookup_flags;
	return 0;
}

struct file *filp_open(const char *filename, int flags, umode_t mode)
{
	struct open_how how = { .flags = flags, .mode = mode };
	struct open_flags op;
	struct filename *name;
	struct file *file;
	int err = build_open_flags(&how, &op);

	if (err)
		return ERR_PTR(err);
	name = getname_kernel(filename);
	if (IS_ERR(name))
		return ERR_CAST(name);
	file = do_filp_open(AT_FDCWD, name, &op);
	putname(name);
	return file;
}

noinline long do_sys_openat2(int dfd, const char __user *filename, struct open_how *how)
{
	struct open_flags op;
	struct filename *tmp;
	int fd = build_open_flags(how, &op);

	if (fd)
		return fd;
	tmp = getname(filename);
	if (IS_ERR(tmp))
		return PTR_ERR(tmp);
	fd = get_unused_fd_flags(how->flags);
	if (fd >= 0) {
		struct file *f = do_filp_open(dfd, tmp, &op);

		if (IS_ERR(f)) {
			put_unused_fd(fd);
			fd = PTR_ERR(f);
		} else {
			fd_install(fd, f);
		}
	}
	putname(tmp);
	return fd;
}

static noinline long do_sys_open(int dfd, const char __user *filename, int flags, umode_t mode)
{
	struct open_how how = { .flags = flags, .mode = mode };

	return do_sys_openat2(dfd, filename, &how);
}

/* 64-bit kernels open every file as O_LARGEFILE (force_o_largefile); 32-bit ones leave it to
 * user space. */
SYSCALL_DEFINE4(openat, int, dfd, const char __user *, filename, int, flags, umode_t, mode)
{
	if (force_o_largefile())
		flags |= O_LARGEFILE;
	return do_sys_open(dfd, filename, flags, mode);
}

int filp_close(struct file *filp)
{
	fput(filp);
	return 0;
}

SYSCALL_DEFINE1(close, unsigned int, fd)
{
	return close_fd(fd);
}
