/* Character devices: a table from (major, minor) to file operations, consulted when a device
 * inode is opened. Counterpart of fs/char_dev.c (chrdev_open replaces the inode's def_chr_fops
 * by the driver's). */
#include "fs.h"

struct char_device {
	unsigned int major, minor;
	const char *name;
	const struct file_operations *fops;
};

#define MAX_CHRDEVS 16
static struct char_device chrdevs[MAX_CHRDEVS];
static unsigned int nr_chrdevs;

int register_chrdev(unsigned int major, unsigned int minor, const char *name,
		    const struct file_operations *fops)
{
	if (nr_chrdevs >= MAX_CHRDEVS)
		return -EBUSY;
	chrdevs[nr_chrdevs++] = (struct char_device){ major, minor, name, fops };
	return 0;
}

static noinline int chrdev_open(struct inode *inode, struct file *filp)
{
	for (unsigned int i = 0; i < nr_chrdevs; i++) {
		struct char_device *cd = &chrdevs[i];

		if (MKDEV(cd->major, cd->minor) != inode->i_rdev)
			continue;
		filp->f_op = cd->fops;
		return cd->fops->open ? cd->fops->open(inode, filp) : 0;
	}
	return -ENXIO;
}

const struct file_operations def_chr_fops = {
	.open = chrdev_open,
};
