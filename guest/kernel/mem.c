/* /dev/null and /dev/zero. Counterpart of drivers/char/mem.c. */
#include "fs.h"
#include "uaccess.h"

#define MEM_MAJOR 1

static ssize_t read_null(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	return 0;
}

static ssize_t write_null(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	return count;
}

static loff_t null_lseek(struct file *file, loff_t offset, int orig)
{
	return file->f_pos = 0;
}

static ssize_t read_zero(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	size_t left = clear_user(buf, count);

	if (left == count && count)
		return -EFAULT;
	return count - left;
}

static const struct file_operations null_fops = {
	.llseek = null_lseek,
	.read = read_null,
	.write = write_null,
};

static const struct file_operations zero_fops = {
	.llseek = null_lseek,
	.read = read_zero,
	.write = write_null,
};

void chr_dev_init(void)
{
	register_chrdev(MEM_MAJOR, 3, "null", &null_fops);
	register_chrdev(MEM_MAJOR, 5, "zero", &zero_fops);
}
