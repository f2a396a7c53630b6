/* The initial file system tree, made at boot in the root ramfs. Counterpart of
 * init/initramfs.c (populate_rootfs unpacks a built-in cpio archive; here the archive is this
 * table). /bin starts empty: TypeScript adds the shell's command files. */
#include "fs.h"
#include "fs_struct.h"
#include "kernel.h"

struct initramfs_entry {
	const char *path;
	umode_t mode;
	unsigned int major, minor;	/* character devices */
	const char *data;		/* regular files */
};

static const struct initramfs_entry initramfs[] = {
	{ "/bin", S_IFDIR | 0755 },
	{ "/dev", S_IFDIR | 0755 },
	{ "/dev/console", S_IFCHR | 0600, 5, 1 },
	{ "/dev/tty", S_IFCHR | 0666, 5, 0 },
	{ "/dev/null", S_IFCHR | 0666, 1, 3 },
	{ "/dev/zero", S_IFCHR | 0666, 1, 5 },
	{ "/etc", S_IFDIR | 0755 },
	{ "/etc/hostname", S_IFREG | 0644, 0, 0, "kprobe\n" },
	{ "/etc/passwd", S_IFREG | 0644, 0, 0, "root:x:0:0:root:/root:/bin/sh\n" },
	{ "/etc/os-release", S_IFREG | 0644, 0, 0,
	  "PRETTY_NAME=\"kprobe guest (Linux 6.12)\"\n"
	  "NAME=\"kprobe\"\n"
	  "ID=kprobe\n"
	  "VERSION_ID=\"0.1\"\n" },
	{ "/home", S_IFDIR | 0755 },
	{ "/home/user", S_IFDIR | 0755 },
	{ "/proc", S_IFDIR | 0555 },
	{ "/root", S_IFDIR | 0700 },
	{ "/root/blog", S_IFDIR | 0755 },
	{ "/root/blog/hello.md", S_IFREG | 0644, 0, 0,
	  "# kprobe: dynamic anchor with self-defined handler\n" },
	{ "/root/dockerfile", S_IFREG | 0644, 0, 0,
	  "FROM debian:12\n"
	  "RUN apt-get update && apt-get install -y gcc-aarch64-linux-gnu qemu-user-static\n"
	  "CMD [\"/bin/sh\"]\n" },
	{ "/sys", S_IFDIR | 0555 },
	{ "/tmp", S_IFDIR | 01777 },
};

void populate_rootfs(void)
{
	int old_umask = current->fs->umask;

	current->fs->umask = 0;		/* modes exactly as listed */
	for (unsigned int i = 0; i < ARRAY_SIZE(initramfs); i++) {
		const struct initramfs_entry *e = &initramfs[i];
		int err;

		if (S_ISDIR(e->mode))
			err = init_mkdir(e->path, e->mode & S_IALLUGO);
		else if (S_ISCHR(e->mode))
			err = init_mknod(e->path, e->mode, MKDEV(e->major, e->minor));
		else
			err = init_write_file(e->path, e->data, e->mode & S_IALLUGO);
		if (err)
			printk(KERN_ERR "initramfs: %s: error %d\n", e->path, err);
	}
	current->fs->umask = old_umask;
}
