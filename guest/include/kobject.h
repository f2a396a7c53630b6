/* Kernel objects and their sysfs attributes. Counterpart of include/linux/kobject.h and
 * include/linux/sysfs.h (the subset the guest's devices use): a kobject is a named directory
 * in sysfs with a type that says how its attribute files are shown and stored. */
#ifndef _GUEST_KOBJECT_H
#define _GUEST_KOBJECT_H

#include "kernel.h"

struct kobject;

struct attribute {
	const char *name;
	umode_t mode;
};

/* A set of attribute files; is_visible may hide one (mode 0) or change its mode. */
struct attribute_group {
	const char *name;		/* a subdirectory, or NULL for the kobject's own directory */
	umode_t (*is_visible)(struct kobject *kobj, struct attribute *attr, int n);
	struct attribute **attrs;
};

struct sysfs_ops {
	ssize_t (*show)(struct kobject *kobj, struct attribute *attr, char *buf);
	ssize_t (*store)(struct kobject *kobj, struct attribute *attr, const char *buf, size_t count);
};

struct kobj_type {
	const struct sysfs_ops *sysfs_ops;
	const struct attribute_group **default_groups;
};

struct kobject {
	const char *name;
	struct kobject *parent;
	const struct kobj_type *ktype;
	unsigned long kn;		/* its sysfs directory: the host's kernfs node, 0 until added */
};

/* An attribute of a plain kobject (kobj_sysfs_ops dispatches to these). */
struct kobj_attribute {
	struct attribute attr;
	ssize_t (*show)(struct kobject *kobj, struct kobj_attribute *attr, char *buf);
	ssize_t (*store)(struct kobject *kobj, struct kobj_attribute *attr, const char *buf,
			 size_t count);
};

extern const struct sysfs_ops kobj_sysfs_ops;
extern struct kobject *kernel_kobj;	/* /sys/kernel */

__printf(2, 3) int kobject_set_name(struct kobject *kobj, const char *fmt, ...);
int kobject_set_name_vargs(struct kobject *kobj, const char *fmt, va_list args);
int kobject_add(struct kobject *kobj, struct kobject *parent);
struct kobject *kobject_create_and_add(const char *name, struct kobject *parent);
static inline const char *kobject_name(const struct kobject *kobj)
{
	return kobj->name;
}

/* fs/sysfs */
int sysfs_create_dir(struct kobject *kobj);
int sysfs_create_file(struct kobject *kobj, const struct attribute *attr);
int sysfs_create_group(struct kobject *kobj, const struct attribute_group *grp);
int sysfs_create_groups(struct kobject *kobj, const struct attribute_group **groups);
int sysfs_create_link(struct kobject *kobj, struct kobject *target, const char *name);
int sysfs_create_mount_point(struct kobject *parent, const char *name);
__printf(2, 3) int sysfs_emit(char *buf, const char *fmt, ...);

#endif
