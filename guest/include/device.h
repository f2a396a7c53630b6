/* The driver model: devices, their drivers and classes, and device attributes. Counterpart of
 * include/linux/device.h, device/class.h, device/driver.h and platform_device.h (the subset
 * the guest's devices use). */
#ifndef _GUEST_DEVICE_H
#define _GUEST_DEVICE_H

#include "kobject.h"

struct device;
struct wakeup_source;

struct device_driver {
	const char *name;
};

struct class {
	const char *name;
	const struct attribute_group **dev_groups;
	struct kobject *kobj;		/* /sys/class/<name>, once registered */
};

struct device {
	struct kobject kobj;
	struct device *parent;
	const char *init_name;
	const struct class *class;
	const struct device_driver *driver;
	const struct attribute_group **groups;
	void *driver_data;
	struct kobject *class_dir;	/* <parent>/<class name>, made by device_add */
	bool can_wakeup;
	struct wakeup_source *wakeup;
};

struct device_attribute {
	struct attribute attr;
	ssize_t (*show)(struct device *dev, struct device_attribute *attr, char *buf);
	ssize_t (*store)(struct device *dev, struct device_attribute *attr, const char *buf,
			 size_t count);
};

#define __ATTR(_name, _mode, _show, _store) \
	{ .attr = { .name = #_name, .mode = _mode }, .show = _show, .store = _store }
#define DEVICE_ATTR_RO(_name) \
	struct device_attribute dev_attr_##_name = __ATTR(_name, 0444, _name##_show, NULL)
#define DEVICE_ATTR_RW(_name) \
	struct device_attribute dev_attr_##_name = __ATTR(_name, 0644, _name##_show, _name##_store)

static inline struct device *kobj_to_dev(struct kobject *kobj)
{
	return container_of(kobj, struct device, kobj);
}

static inline const char *dev_name(const struct device *dev)
{
	return dev->init_name ? dev->init_name : kobject_name(&dev->kobj);
}

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

extern struct device platform_bus;	/* /sys/devices/platform */

const char *dev_driver_string(const struct device *dev);
__printf(2, 3) int dev_set_name(struct device *dev, const char *fmt, ...);
void device_initialize(struct device *dev);
int device_add(struct device *dev);
int device_register(struct device *dev);
struct device *device_create_with_groups(const struct class *cls, struct device *parent,
					 void *drvdata, const struct attribute_group **groups,
					 const char *fmt, ...);
int class_register(struct class *cls);

/* drivers/base/power/wakeup.c */
int device_init_wakeup(struct device *dev, bool enable);
static inline bool device_can_wakeup(const struct device *dev)
{
	return dev->can_wakeup;
}

void driver_init(void);

#endif
