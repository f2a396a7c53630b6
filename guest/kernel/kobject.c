/* Kernel objects: naming, adding to the hierarchy (which makes the sysfs directory and the
 * type's default attribute files), and the plain kobjects made with kobject_create_and_add,
 * whose attributes are kobj_attributes. Counterpart of lib/kobject.c (no reference counting
 * or uevents: nothing the guest adds is ever removed). */
#include "kobject.h"
#include "slab.h"
#include "string.h"

int kobject_set_name_vargs(struct kobject *kobj, const char *fmt, va_list args)
{
	char tmp[64], *name;
	int len = vsnprintf(tmp, sizeof(tmp), fmt, args);

	if (len >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	name = kmalloc(len + 1, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	memcpy(name, tmp, len + 1);
	kobj->name = name;
	return 0;
}

int kobject_set_name(struct kobject *kobj, const char *fmt, ...)
{
	va_list args;
	int err;

	va_start(args, fmt);
	err = kobject_set_name_vargs(kobj, fmt, args);
	va_end(args);
	return err;
}

/* kobject_add_internal: the directory, then the type's default groups in it. */
noinline int kobject_add(struct kobject *kobj, struct kobject *parent)
{
	int err;

	if (!kobj->name || !*kobj->name)
		return -EINVAL;
	kobj->parent = parent;
	err = sysfs_create_dir(kobj);
	if (err) {
		printk(KERN_ERR "kobject_add_internal failed for %s with -%s.\n", kobj->name,
		       err == -EEXIST ? "EEXIST" : "ENOMEM");
		return err;
	}
	if (kobj->ktype && kobj->ktype->default_groups)
		err = sysfs_create_groups(kobj, kobj->ktype->default_groups);
	return err;
}

static ssize_t kobj_attr_show(struct kobject *kobj, struct attribute *attr, char *buf)
{
	struct kobj_attribute *kattr = container_of(attr, struct kobj_attribute, attr);

	return kattr->show ? kattr->show(kobj, kattr, buf) : -EIO;
}

static ssize_t kobj_attr_store(struct kobject *kobj, struct attribute *attr, const char *buf,
			       size_t count)
{
	struct kobj_attribute *kattr = container_of(attr, struct kobj_attribute, attr);

	return kattr->store ? kattr->store(kobj, kattr, buf, count) : -EIO;
}

const struct sysfs_ops kobj_sysfs_ops = {
	.show = kobj_attr_show,
	.store = kobj_attr_store,
};

static const struct kobj_type dynamic_kobj_ktype = {
	.sysfs_ops = &kobj_sysfs_ops,
};

struct kobject *kobject_create_and_add(const char *name, struct kobject *parent)
{
	struct kobject *kobj = kzalloc(sizeof(*kobj), GFP_KERNEL);

	if (!kobj)
		return NULL;
	kobj->ktype = &dynamic_kobj_ktype;
	if (kobject_set_name(kobj, "%s", name) || kobject_add(kobj, parent)) {
		kfree(kobj->name);
		kfree(kobj);
		return NULL;
	}
	return kobj;
}
