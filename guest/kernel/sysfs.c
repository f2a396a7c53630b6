/* sysfs: the directories of kobjects, their attribute files and links. The nodes themselves
 * are kept by TypeScript (HVC_KERNFS, guest/ABI.md), as fs/kernfs keeps them in Linux; a read
 * of an attribute file comes back into the guest as a call of sysfs_kf_seq_show, a write as
 * sysfs_kf_write, which dispatch to the kobject type's show and store. Counterpart of
 * fs/sysfs/dir.c, file.c, group.c and symlink.c. */
#include "kobject.h"
#include "hypercall.h"
#include "slab.h"
#include "string.h"

static unsigned long sysfs_parent_kn(struct kobject *parent)
{
	return parent ? parent->kn : 0;	/* 0: the root of sysfs */
}

noinline int sysfs_create_dir(struct kobject *kobj)
{
	long kn;

	if (kobj->parent && !kobj->parent->kn)
		return -ENOENT;
	kn = hvc_kernfs(KERNFS_CREATE_DIR, sysfs_parent_kn(kobj->parent),
			(unsigned long)kobj->name, (unsigned long)kobj, 0, 0);
	if (kn < 0)
		return kn;
	kobj->kn = kn;
	return 0;
}

static int sysfs_add_file_mode(unsigned long parent_kn, struct kobject *kobj,
			       const struct attribute *attr, umode_t mode)
{
	long kn = hvc_kernfs(KERNFS_CREATE_FILE, parent_kn, (unsigned long)attr->name, mode,
			     (unsigned long)kobj, (unsigned long)attr);

	return kn < 0 ? kn : 0;
}

noinline int sysfs_create_file(struct kobject *kobj, const struct attribute *attr)
{
	if (!kobj->kn)
		return -EINVAL;
	return sysfs_add_file_mode(kobj->kn, kobj, attr, attr->mode);
}

/* A named group is a subdirectory of the kobject's (same kobject behind its files). */
noinline int sysfs_create_group(struct kobject *kobj, const struct attribute_group *grp)
{
	unsigned long kn = kobj->kn;
	int i, err;

	if (!kn)
		return -EINVAL;
	if (grp->name) {
		long sub = hvc_kernfs(KERNFS_CREATE_DIR, kn, (unsigned long)grp->name,
				      (unsigned long)kobj, 0, 0);

		if (sub < 0)
			return sub;
		kn = sub;
	}
	for (i = 0; grp->attrs && grp->attrs[i]; i++) {
		struct attribute *attr = grp->attrs[i];
		umode_t mode = attr->mode;

		if (grp->is_visible) {
			mode = grp->is_visible(kobj, attr, i);
			if (!mode)
				continue;
		}
		err = sysfs_add_file_mode(kn, kobj, attr, mode);
		if (err)
			return err;
	}
	return 0;
}

int sysfs_create_groups(struct kobject *kobj, const struct attribute_group **groups)
{
	int err = 0;

	for (; groups && *groups && !err; groups++)
		err = sysfs_create_group(kobj, *groups);
	return err;
}

noinline int sysfs_create_link(struct kobject *kobj, struct kobject *target, const char *name)
{
	long kn;

	if (!target->kn)
		return -ENOENT;
	kn = hvc_kernfs(KERNFS_CREATE_LINK, sysfs_parent_kn(kobj), (unsigned long)name,
			target->kn, 0, 0);
	return kn < 0 ? kn : 0;
}

/* An empty directory where another file system is mounted (/sys/kernel/tracing). */
int sysfs_create_mount_point(struct kobject *parent, const char *name)
{
	long kn = hvc_kernfs(KERNFS_CREATE_DIR, sysfs_parent_kn(parent), (unsigned long)name, 0,
			     0, 0);

	return kn < 0 ? kn : 0;
}

int sysfs_emit(char *buf, const char *fmt, ...)
{
	va_list args;
	int len;

	va_start(args, fmt);
	len = vscnprintf(buf, PAGE_SIZE, fmt, args);
	va_end(args);
	return len;
}

/* A read of an attribute file, called by TypeScript with a zeroed page: what show() wrote
 * there, its length or -errno. A show that overruns the page is a kernel bug (Linux warns). */
noinline ssize_t sysfs_kf_seq_show(struct kobject *kobj, struct attribute *attr, char *buf)
{
	const struct sysfs_ops *ops = kobj->ktype ? kobj->ktype->sysfs_ops : NULL;
	ssize_t count;

	if (!ops || !ops->show)
		return -EIO;
	count = ops->show(kobj, attr, buf);
	if (count < 0)
		return count;
	if (count >= (ssize_t)PAGE_SIZE) {
		printk(KERN_WARNING "fill_read_buffer: %pS returned bad count\n", ops->show);
		count = PAGE_SIZE - 1;
	}
	return count;
}

/* A write to an attribute file: the bytes in a NUL-terminated kernel buffer. */
noinline ssize_t sysfs_kf_write(struct kobject *kobj, struct attribute *attr, const char *buf,
				size_t count)
{
	const struct sysfs_ops *ops = kobj->ktype ? kobj->ktype->sysfs_ops : NULL;

	if (!count)
		return 0;
	if (!ops || !ops->store)
		return -EIO;
	return ops->store(kobj, attr, buf, count);
}
