/* read, write and seek. Counterpart of fs/read_write.c: sys_read -> ksys_read -> vfs_read and
 * sys_write -> ksys_write -> vfs_write, which check the mode and the user buffer and call the
 * file's ->read/->write; lseek (and _llseek on 32-bit arches), pread64/pwrite64, readv/writev. */
#include "fs.h"
#include "fdtable.h"
#include "syscalls.h"
#include "uaccess.h"
#include "uapi.h"
#include "slab.h"

#define SEEK_MAX	SEEK_HOLE

loff_t generic_file_llseek_size(struct file *file, loff_t offset, int whence, loff_t eof)
{
	switch (whence) {
	case SEEK_END:
		offset += eof;
		break;
	case SEEK_CUR:
		if (offset == 0)
			return file->f_pos;
		offset += file->f_pos;
		break;
	case SEEK_DATA:
		if (offset < 0 || offset >= eof)
			return -ENXIO;
		break;
	case SEEK_HOLE:
		if (offset < 0 || offset >= eof)
			return -ENXIO;
		offset = eof;
		break;
	}
	if (offset < 0)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

loff_t generic_file_llseek(struct file *file, loff_t offset, int whence)
{
	return generic_file_llseek_size(file, offset, whence, file_inode(file)->i_size);
}

loff_t no_llseek(struct file *file, loff_t offset, int whence)
{
	return -ESPIPE;
}

loff_t noop_llseek(struct file *file, loff_t offset, int whence)
{
	return file->f_pos;
}

ssize_t generic_read_dir(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	return -EISDIR;
}

static loff_t vfs_llseek(struct file *file, loff_t offset, int whence)
{
	if (!(file->f_mode & FMODE_LSEEK))
		return -ESPIPE;
	return file->f_op->llseek(file, offset, whence);
}

static noinline off_t ksys_lseek(unsigned int fd, off_t offset, unsigned int whence)
{
	struct file *f = fget(fd);
	off_t retval;

	if (!f)
		return -EBADF;
	retval = -EINVAL;
	if (whence <= SEEK_MAX) {
		loff_t res = vfs_llseek(f, offset, whence);

		retval = res;
		if (res != (loff_t)retval)
			retval = -EOVERFLOW;	/* LFS: should only happen on 32 bit platforms */
	}
	fput(f);
	return retval;
}

SYSCALL_DEFINE3(lseek, unsigned int, fd, off_t, offset, unsigned int, whence)
{
	return ksys_lseek(fd, offset, whence);
}

#if BITS_PER_LONG == 32 || defined(__ARCH_WANT_SYS_LLSEEK)
/* _llseek: the 64-bit position of a 32-bit arch, in two halves, the result stored at *result. */
SYSCALL_DEFINE5(llseek, unsigned int, fd, unsigned long, offset_high, unsigned long, offset_low,
		loff_t __user *, result, unsigned int, whence)
{
	struct file *f = fget(fd);
	loff_t offset;
	int retval;

	if (!f)
		return -EBADF;
	retval = -EINVAL;
	if (whence > SEEK_MAX)
		goto out_putf;
	offset = vfs_llseek(f, ((loff_t)offset_high << 32) | offset_low, whence);
	retval = (int)offset;
	if (offset >= 0) {
		retval = -EFAULT;
		if (!copy_to_user(result, &offset, sizeof(offset)))
			retval = 0;
	}
out_putf:
	fput(f);
	return retval;
}
#endif

/* rw_verify_area: positions are never negative for the files we have. */
static int rw_verify_area(struct file *file, const loff_t *ppos, size_t count)
{
	if (ppos && *ppos < 0)
		return -EINVAL;
	if (ppos && count > (size_t)(LLONG_MAX - *ppos))
		return -EINVAL;
	return 0;
}

noinline ssize_t vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	ssize_t ret;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	if (!(file->f_mode & FMODE_CAN_READ))
		return -EINVAL;
	if (unlikely(!access_ok(buf, count)))
		return -EFAULT;
	ret = rw_verify_area(file, pos, count);
	if (ret)
		return ret;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	return file->f_op->read(file, buf, count, pos);
}

noinline ssize_t vfs_write(struct file *file, const char __user *buf, size_t count, loff_t *pos)
{
	ssize_t ret;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!(file->f_mode & FMODE_CAN_WRITE))
		return -EINVAL;
	if (unlikely(!access_ok(buf, count)))
		return -EFAULT;
	ret = rw_verify_area(file, pos, count);
	if (ret)
		return ret;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	ret = file->f_op->write(file, buf, count, pos);
	if (ret > 0)
		inode_set_mtime_now(file_inode(file));
	return ret;
}

/* Reads and writes into kernel buffers (the boot tree, exec): the old set_fs(KERNEL_DS). */
ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos)
{
	unsigned long old = force_uaccess_begin();
	ssize_t ret = vfs_read(file, (char __user *)buf, count, pos);

	force_uaccess_end(old);
	return ret;
}

ssize_t kernel_write(struct file *file, const void *buf, size_t count, loff_t *pos)
{
	unsigned long old = force_uaccess_begin();
	ssize_t ret = vfs_write(file, (const char __user *)buf, count, pos);

	force_uaccess_end(old);
	return ret;
}

noinline ssize_t ksys_read(unsigned int fd, char __user *buf, size_t count)
{
	struct file *f = fget(fd);
	ssize_t ret;
	loff_t pos;

	if (!f)
		return -EBADF;
	pos = f->f_pos;
	ret = vfs_read(f, buf, count, &pos);
	if (ret >= 0)
		f->f_pos = pos;
	fput(f);
	return ret;
}

SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)
{
	return ksys_read(fd, buf, count);
}

noinline ssize_t ksys_write(unsigned int fd, const char __user *buf, size_t count)
{
	struct file *f = fget(fd);
	ssize_t ret;
	loff_t pos;

	if (!f)
		return -EBADF;
	pos = f->f_pos;
	ret = vfs_write(f, buf, count, &pos);
	if (ret >= 0)
		f->f_pos = pos;
	fput(f);
	return ret;
}

SYSCALL_DEFINE3(write, unsigned int, fd, const char __user *, buf, size_t, count)
{
	return ksys_write(fd, buf, count);
}

SYSCALL_DEFINE4(pread64, unsigned int, fd, char __user *, buf, size_t, count, loff_t, pos)
{
	struct file *f;
	ssize_t ret;

	if (pos < 0)
		return -EINVAL;
	f = fget(fd);
	if (!f)
		return -EBADF;
	ret = -ESPIPE;
	if (f->f_mode & FMODE_PREAD)
		ret = vfs_read(f, buf, count, &pos);
	fput(f);
	return ret;
}

SYSCALL_DEFINE4(pwrite64, unsigned int, fd, const char __user *, buf, size_t, count, loff_t, pos)
{
	struct file *f;
	ssize_t ret;

	if (pos < 0)
		return -EINVAL;
	f = fget(fd);
	if (!f)
		return -EBADF;
	ret = -ESPIPE;
	if (f->f_mode & FMODE_PWRITE)
		ret = vfs_write(f, buf, count, &pos);
	fput(f);
	return ret;
}

/* import_iovec: the vector copied in, each segment checked, the total bounded. */
static struct iovec *import_iovec(const struct iovec __user *uvec, unsigned long nr_segs,
				  ssize_t *total)
{
	struct iovec *iov;
	size_t len = 0;

	if (nr_segs > UIO_MAXIOV)
		return ERR_PTR(-EINVAL);
	iov = kmalloc(nr_segs * sizeof(*iov) + 1, GFP_KERNEL);
	if (!iov)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(iov, uvec, nr_segs * sizeof(*iov))) {
		kfree(iov);
		return ERR_PTR(-EFAULT);
	}
	for (unsigned long i = 0; i < nr_segs; i++) {
		if ((ssize_t)iov[i].iov_len < 0) {
			kfree(iov);
			return ERR_PTR(-EINVAL);
		}
		if (!access_ok(iov[i].iov_base, iov[i].iov_len)) {
			kfree(iov);
			return ERR_PTR(-EFAULT);
		}
		if (iov[i].iov_len > MAX_RW_COUNT - len)
			iov[i].iov_len = MAX_RW_COUNT - len;
		len += iov[i].iov_len;
	}
	*total = len;
	return iov;
}

/* do_loop_readv_writev: segment by segment, stopping at the first short transfer. */
static ssize_t do_loop_readv_writev(struct file *file, struct iovec *iov, unsigned long nr_segs,
				    loff_t *ppos, bool write)
{
	ssize_t ret = 0;

	for (unsigned long i = 0; i < nr_segs; i++) {
		ssize_t nr;

		if (!iov[i].iov_len)
			continue;
		if (write)
			nr = vfs_write(file, iov[i].iov_base, iov[i].iov_len, ppos);
		else
			nr = vfs_read(file, iov[i].iov_base, iov[i].iov_len, ppos);
		if (nr < 0) {
			if (!ret)
				ret = nr;
			break;
		}
		ret += nr;
		if ((size_t)nr != iov[i].iov_len)
			break;
	}
	return ret;
}

static noinline ssize_t do_readv_writev(unsigned long fd, const struct iovec __user *vec,
					unsigned long vlen, bool write)
{
	struct file *f = fget(fd);
	struct iovec *iov;
	ssize_t ret, total;
	loff_t pos;

	if (!f)
		return -EBADF;
	ret = -EBADF;
	if (!(f->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		goto out;
	iov = import_iovec(vec, vlen, &total);
	ret = PTR_ERR(iov);
	if (IS_ERR(iov))
		goto out;
	pos = f->f_pos;
	ret = do_loop_readv_writev(f, iov, vlen, &pos, write);
	if (ret >= 0)
		f->f_pos = pos;
	kfree(iov);
out:
	fput(f);
	return ret;
}

SYSCALL_DEFINE3(readv, unsigned long, fd, const struct iovec __user *, vec, unsigned long, vlen)
{
	return do_readv_writev(fd, vec, vlen, false);
}

SYSCALL_DEFINE3(writev, unsigned long, fd, const struct iovec __user *, vec, unsigned long, vlen)
{
	return do_readv_writev(fd, vec, vlen, true);
}
