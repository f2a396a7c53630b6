/* The stat family. Counterpart of fs/stat.c: vfs_getattr asks the file system (->getattr, which
 * host-backed inodes answer with HVC_HOSTFS GETATTR); cp_new_stat fills the arch's struct stat
 * (newstat, newlstat, newfstatat, newfstat: __ARCH_WANT_NEW_STAT), cp_new_stat64 the struct
 * stat64 of 32-bit arches (stat64, lstat64, fstat64, fstatat64: __ARCH_WANT_STAT64). Which
 * of them an arch's table serves is its <asm/unistd.h>'s choice, as in Linux. */
#include "fs.h"
#include "mount.h"
#include "fdtable.h"
#include "syscalls.h"
#include "uaccess.h"
#include "uapi.h"
#include "unistd.h"
#include "string.h"

noinline int vfs_getattr(const struct path *path, struct kstat *stat)
{
	struct inode *inode = path->dentry->d_inode;

	memset(stat, 0, sizeof(*stat));
	if (inode->i_op && inode->i_op->getattr)
		return inode->i_op->getattr(path, stat);
	generic_fillattr(inode, stat);
	return 0;
}

/* new_encode_dev: the user-visible dev_t. */
static unsigned long new_encode_dev(dev_t dev)
{
	unsigned int major = MAJOR(dev), minor = MINOR(dev);

	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

static int vfs_fstat(int fd, struct kstat *stat)
{
	struct file *f = fget(fd);
	int error;

	if (!f)
		return -EBADF;
	error = vfs_getattr(&f->f_path, stat);
	fput(f);
	return error;
}

static noinline int vfs_fstatat(int dfd, const char __user *filename, struct kstat *stat,
				int flags)
{
	unsigned int lookup_flags = 0;
	struct path path;
	int error;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	if (!(flags & AT_SYMLINK_NOFOLLOW))
		lookup_flags |= LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lookup_flags |= LOOKUP_EMPTY;
	error = user_path_at(dfd, filename, lookup_flags, &path);
	if (error)
		return error;
	error = vfs_getattr(&path, stat);
	path_put(&path);
	return error;
}

static inline int vfs_stat(const char __user *filename, struct kstat *stat)
{
	return vfs_fstatat(AT_FDCWD, filename, stat, 0);
}

static inline int vfs_lstat(const char __user *name, struct kstat *stat)
{
	return vfs_fstatat(AT_FDCWD, name, stat, AT_SYMLINK_NOFOLLOW);
}

/* What cp_new_stat and cp_new_stat64 both do: *tmp (a struct stat or stat64) zeroed and filled
 * from the kstat, field by field (the two layouts differ; the names are the same). */
#define cp_stat_fields(tmp, stat) do {						\
	memset((tmp), 0, sizeof(*(tmp)));					\
	(tmp)->st_dev = new_encode_dev((stat)->dev);				\
	(tmp)->st_rdev = new_encode_dev((stat)->rdev);				\
	(tmp)->st_ino = (stat)->ino;						\
	(tmp)->st_mode = (stat)->mode;						\
	(tmp)->st_nlink = (stat)->nlink;					\
	(tmp)->st_uid = (stat)->uid;						\
	(tmp)->st_gid = (stat)->gid;						\
	(tmp)->st_atime = (stat)->atime.tv_sec;					\
	(tmp)->st_atime_nsec = (stat)->atime.tv_nsec;				\
	(tmp)->st_mtime = (stat)->mtime.tv_sec;					\
	(tmp)->st_mtime_nsec = (stat)->mtime.tv_nsec;				\
	(tmp)->st_ctime = (stat)->ctime.tv_sec;					\
	(tmp)->st_ctime_nsec = (stat)->ctime.tv_nsec;				\
	(tmp)->st_size = (stat)->size;						\
	(tmp)->st_blocks = (stat)->blocks;					\
	(tmp)->st_blksize = (stat)->blksize;					\
} while (0)

#ifdef __ARCH_WANT_NEW_STAT

/* The largest size a struct stat of a 32-bit arch holds (include/linux/fs.h). */
#define MAX_NON_LFS	((1UL << 31) - 1)

static int cp_new_stat(struct kstat *stat, struct stat __user *statbuf)
{
	struct stat tmp;

#if BITS_PER_LONG == 32
	if (stat->size > MAX_NON_LFS)
		return -EOVERFLOW;
#endif
	cp_stat_fields(&tmp, stat);
	if (sizeof(tmp.st_ino) < sizeof(stat->ino) && tmp.st_ino != stat->ino)
		return -EOVERFLOW;
	return copy_to_user(statbuf, &tmp, sizeof(tmp)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(newstat, const char __user *, filename, struct stat __user *, statbuf)
{
	struct kstat stat;
	int error = vfs_stat(filename, &stat);

	if (error)
		return error;
	return cp_new_stat(&stat, statbuf);
}

SYSCALL_DEFINE2(newlstat, const char __user *, filename, struct stat __user *, statbuf)
{
	struct kstat stat;
	int error = vfs_lstat(filename, &stat);

	if (error)
		return error;
	return cp_new_stat(&stat, statbuf);
}

#if !defined(__ARCH_WANT_STAT64) || defined(__ARCH_WANT_SYS_NEWFSTATAT)
SYSCALL_DEFINE4(newfstatat, int, dfd, const char __user *, filename,
		struct stat __user *, statbuf, int, flag)
{
	struct kstat stat;
	int error = vfs_fstatat(dfd, filename, &stat, flag);

	if (error)
		return error;
	return cp_new_stat(&stat, statbuf);
}
#endif

SYSCALL_DEFINE2(newfstat, unsigned int, fd, struct stat __user *, statbuf)
{
	struct kstat stat;
	int error = vfs_fstat(fd, &stat);

	if (!error)
		error = cp_new_stat(&stat, statbuf);
	return error;
}
#endif /* __ARCH_WANT_NEW_STAT */

#ifdef __ARCH_WANT_STAT64
/* struct stat64 of the 32-bit arches: 64-bit inode, size and block count. MIPS keeps the
 * 32-bit device numbers there (its padding leaves no room for 64). */
static long cp_new_stat64(struct kstat *stat, struct stat64 __user *statbuf)
{
	struct stat64 tmp;

	cp_stat_fields(&tmp, stat);
	return copy_to_user(statbuf, &tmp, sizeof(tmp)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(stat64, const char __user *, filename, struct stat64 __user *, statbuf)
{
	struct kstat stat;
	int error = vfs_stat(filename, &stat);

	if (!error)
		error = cp_new_stat64(&stat, statbuf);
	return error;
}

SYSCALL_DEFINE2(lstat64, const char __user *, filename, struct stat64 __user *, statbuf)
{
	struct kstat stat;
	int error = vfs_lstat(filename, &stat);

	if (!error)
		error = cp_new_stat64(&stat, statbuf);
	return error;
}

SYSCALL_DEFINE2(fstat64, unsigned long, fd, struct stat64 __user *, statbuf)
{
	struct kstat stat;
	int error = vfs_fstat(fd, &stat);

	if (!error)
		error = cp_new_stat64(&stat, statbuf);
	return error;
}

SYSCALL_DEFINE4(fstatat64, int, dfd, const char __user *, filename,
		struct stat64 __user *, statbuf, int, flag)
{
	struct kstat stat;
	int error = vfs_fstatat(dfd, filename, &stat, flag);

	if (error)
		return error;
	return cp_new_stat64(&stat, statbuf);
}
#endif /* __ARCH_WANT_STAT64 */
