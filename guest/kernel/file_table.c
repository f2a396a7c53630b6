/* struct file: allocation and the reference count whose last put releases the file.
 * Counterpart of fs/file_table.c. */
#include "fs.h"
#include "mount.h"
#include "slab.h"

noinline struct file *alloc_empty_file(int flags)
{
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return ERR_PTR(-ENFILE);
	f->f_count = 1;
	f->f_flags = flags;
	return f;
}

struct file *get_file(struct file *f)
{
	f->f_count++;
	return f;
}

/* The last reference: the driver's release, then the path (dentry, mount) is let go. */
static noinline void __fput(struct file *file)
{
	if (file->f_mode & FMODE_OPENED) {
		if (file->f_op && file->f_op->release)
			file->f_op->release(file->f_inode, file);
		path_put(&file->f_path);
	}
	kfree(file);
}

noinline void fput(struct file *file)
{
	if (file && --file->f_count == 0)
		__fput(file);
}
