/* Devices in sysfs: /sys/devices and the platform bus in it, adding a device (its directory
 * under its parent, or under a class's glue directory there, its attribute groups, the links
 * a class device gets), and device attributes' show and store. Counterpart of
 * drivers/base/core.c and drivers/base/platform.c's platform_bus (no buses, no uevents, no
 * removal: nothing the guest registers goes away). */
#include "device.h"
#include "slab.h"
#include "string.h"

static struct kobject *devices_kobj;	/* /sys/devices */
struct kobject *class_kobj;		/* /sys/class: drivers/base/class.c */

struct device platform_bus = {
	.init_name = "platform",
};

static ssize_t dev_attr_show(struct kobject *kobj, struct attribute *attr, char *buf)
{
	struct device_attribute *dev_attr = container_of(attr, struct device_attribute, attr);

	return dev_attr->show ? dev_attr->show(kobj_to_dev(kobj), dev_attr, buf) : -EIO;
}

static ssize_t dev_attr_store(struct kobject *kobj, struct attribute *attr, const char *buf,
			      size_t count)
{
	struct device_attribute *dev_attr = container_of(attr, struct device_attribute, attr);

	return dev_attr->store ? dev_attr->store(kobj_to_dev(kobj), dev_attr, buf, count) : -EIO;
}

static const struct sysfs_ops dev_sysfs_ops = {
	.show = dev_attr_show,
	.store = dev_attr_store,
};

static const struct kobj_type device_ktype = {
	.sysfs_ops = &dev_sysfs_ops,
};

/* The driver's name if one is bound; a device with neither driver nor bus has "". */
const char *dev_driver_string(const struct device *dev)
{
	return dev->driver ? dev->driver->name : "";
}

int dev_set_name(struct device *dev, const char *fmt, ...)
{
	va_list args;
	int err;

	va_start(args, fmt);
	err = kobject_set_name_vargs(&dev->kobj, fmt, args);
	va_end(args);
	return err;
}

void device_initialize(struct device *dev)
{
	dev->kobj.ktype = &device_ktype;
}

/* A class device below a real parent lives in a directory named after the class
 * (<parent>/rtc/rtc0): get_device_parent's glue directories, one per parent and class. */
struct glue_dir {
	const struct device *parent;
	const struct class *class;
	struct kobject *kobj;
	struct glue_dir *next;
};
static struct glue_dir *glue_dirs;

static struct kobject *get_device_parent(struct device *dev)
{
	struct glue_dir *g;

	if (!dev->parent)
		return devices_kobj;
	if (!dev->class)
		return &dev->parent->kobj;
	for (g = glue_dirs; g; g = g->next)
		if (g->parent == dev->parent && g->class == dev->class)
			return g->kobj;
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return ERR_PTR(-ENOMEM);
	g->kobj = kobject_create_and_add(dev->class->name, &dev->parent->kobj);
	if (!g->kobj) {
		kfree(g);
		return ERR_PTR(-ENOMEM);
	}
	g->parent = dev->parent;
	g->class = dev->class;
	g->next = glue_dirs;
	glue_dirs = g;
	return g->kobj;
}

/* /sys/class/<class>/<dev> and the device's own "subsystem" and "device" links. */
static int device_add_class_symlinks(struct device *dev)
{
	int err;

	if (!dev->class)
		return 0;
	err = sysfs_create_link(&dev->kobj, dev->class->kobj, "subsystem");
	if (!err && dev->parent)
		err = sysfs_create_link(&dev->kobj, &dev->parent->kobj, "device");
	if (!err)
		err = sysfs_create_link(dev->class->kobj, &dev->kobj, dev_name(dev));
	return err;
}

noinline int device_add(struct device *dev)
{
	struct kobject *parent;
	int err;

	if (dev->init_name) {
		err = dev_set_name(dev, "%s", dev->init_name);
		if (err)
			return err;
		dev->init_name = NULL;
	}
	if (!dev->kobj.name)
		return -EINVAL;
	parent = get_device_parent(dev);
	if (IS_ERR(parent))
		return PTR_ERR(parent);
	err = kobject_add(&dev->kobj, parent);
	if (!err && dev->class)
		err = sysfs_create_groups(&dev->kobj, dev->class->dev_groups);
	if (!err)
		err = sysfs_create_groups(&dev->kobj, dev->groups);
	if (!err)
		err = device_add_class_symlinks(dev);
	if (err)
		printk(KERN_ERR "device: '%s': device_add failed: %d\n", dev_name(dev), err);
	return err;
}

int device_register(struct device *dev)
{
	device_initialize(dev);
	return device_add(dev);
}

struct device *device_create_with_groups(const struct class *cls, struct device *parent,
					 void *drvdata, const struct attribute_group **groups,
					 const char *fmt, ...)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	va_list args;
	int err;

	if (!dev)
		return ERR_PTR(-ENOMEM);
	device_initialize(dev);
	dev->class = cls;
	dev->parent = parent;
	dev->groups = groups;
	dev_set_drvdata(dev, drvdata);
	va_start(args, fmt);
	err = kobject_set_name_vargs(&dev->kobj, fmt, args);
	va_end(args);
	if (!err)
		err = device_add(dev);
	if (err) {
		kfree(dev);
		return ERR_PTR(err);
	}
	return dev;
}

/* driver_init: the roots of the device model, before any device registers. */
void driver_init(void)
{
	devices_kobj = kobject_create_and_add("devices", NULL);
	class_kobj = kobject_create_and_add("class", NULL);
	if (!devices_kobj || !class_kobj || device_register(&platform_bus))
		panic("driver_init: cannot create /sys/devices");
}
