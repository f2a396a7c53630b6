/* getdents64: directory entries as struct linux_dirent64 records. Counterpart of
 * fs/readdir.c: iterate_dir calls the file system's ->iterate_shared with a dir_context whose
 * actor, filldir64, writes each record into the user buffer; each record's d_off is the
 * position of the entry after it. */
#include "fs.h"
#include "fdtable.h"
#include "syscalls.h"
#include "uaccess.h"
#include "uapi.h"

noinline int iterate_dir(struct file *file, struct dir_context *ctx)
{
	int res;

	if (!file->f_op->iterate_shared)
		return -ENOTDIR;
	ctx->pos = file->f_pos;
	res = file->f_op->iterate_shared(file, ctx);
	file->f_pos = ctx->pos;
	return res;
}

struct getdents_callback64 {
	struct dir_context ctx;
	struct linux_dirent64 __user *current_dir;
	int prev_reclen;
	int count;
	int error;
};

static bool filldir64(struct dir_context *ctx, const char *name, int namlen,
		      loff_t offset, u64 ino, unsigned int d_type)
{
	struct getdents_callback64 *buf = container_of(ctx, struct getdents_callback64, ctx);
	struct linux_dirent64 __user *dirent, *prev;
	int reclen = ALIGN(offsetof(struct linux_dirent64, d_name) + namlen + 1, sizeof(u64));
	struct {
		struct linux_dirent64 d;
		char name[NAME_MAX + 1 + 8];
	} rec;

	buf->error = -EINVAL;	/* the buffer cannot hold even this entry */
	if (reclen > buf->count || namlen > NAME_MAX)
		return false;
	/* The previous record's d_off is where this entry is. */
	prev = (void __user *)((char __user *)buf->current_dir - buf->prev_reclen);
	if (buf->prev_reclen && put_user(offset, &prev->d_off))
		goto efault;

	dirent = buf->current_dir;
	memset(&rec, 0, reclen);
	rec.d.d_ino = ino;
	rec.d.d_off = 0;	/* fixed up by the next entry or at the end */
	rec.d.d_reclen = reclen;
	rec.d.d_type = d_type;
	memcpy(rec.d.d_name, name, namlen);
	if (copy_to_user(dirent, &rec, reclen))
		goto efault;

	buf->error = 0;
	buf->prev_reclen = reclen;
	buf->current_dir = (void __user *)((char __user *)dirent + reclen);
	buf->count -= reclen;
	return true;
efault:
	buf->error = -EFAULT;
	return false;
}

SYSCALL_DEFINE3(getdents64, unsigned int, fd, struct linux_dirent64 __user *, dirent,
		unsigned int, count)
{
	struct getdents_callback64 buf = {
		.ctx.actor = filldir64,
		.count = count,
		.current_dir = dirent,
	};
	struct file *f;
	int error;

	if (!access_ok(dirent, count))
		return -EFAULT;
	f = fget(fd);
	if (!f)
		return -EBADF;
	error = iterate_dir(f, &buf.ctx);
	if (error >= 0)
		error = buf.error;
	if (buf.prev_reclen) {
		struct linux_dirent64 __user *lastdirent =
			(void __user *)((char __user *)buf.current_dir - buf.prev_reclen);

		if (put_user(buf.ctx.pos, &lastdirent->d_off))
			error = -EFAULT;
		else
			error = count - buf.count;
	}
	fput(f);
	return error;
}
