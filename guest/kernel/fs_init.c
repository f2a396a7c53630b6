/* The kernel's own path operations on kernel strings, for building the boot tree and its
 * mounts. Counterpart of fs/init.c (init_mkdir, init_mknod, init_mount, init_chdir); the file
 * writer is what init/initramfs.c does with each cpio entry. */
#include "fs.h"
#include "mount.h"
#include "fs_struct.h"
#include "string.h"

int init_mkdir(const char *pathname, umode_t mode)
{
	return do_mkdirat(AT_FDCWD, getname_kernel(pathname), mode);
}

int init_mknod(const char *filename, umode_t mode, unsigned int dev)
{
	return do_mknodat(AT_FDCWD, getname_kernel(filename), mode, dev);
}

int init_mount(const char *dev_name, const char *dir_name, const char *type_page,
	       unsigned long flags, void *data_page)
{
	struct path path;
	int ret;

	ret = kern_path(dir_name, LOOKUP_FOLLOW, &path);
	if (ret)
		return ret;
	ret = path_mount(dev_name, &path, type_page, flags, data_page);
	path_put(&path);
	return ret;
}

int init_chdir(const char *filename)
{
	struct path path;
	int error;

	error = kern_path(filename, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &path);
	if (error)
		return error;
	set_fs_pwd(current->fs, &path);
	path_put(&path);
	return 0;
}

int init_write_file(const char *filename, const char *data, umode_t mode)
{
	struct file *file = filp_open(filename, O_WRONLY | O_CREAT | O_TRUNC, mode);
	size_t len = strlen(data);
	loff_t pos = 0;
	ssize_t written;

	if (IS_ERR(file))
		return PTR_ERR(file);
	written = kernel_write(file, data, len, &pos);
	fput(file);
	if (written < 0)
		return written;
	return (size_t)written == len ? 0 : -EIO;
}
