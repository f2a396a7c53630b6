/* Device classes: /sys/class/<name>, where each device of the class is linked. Counterpart of
 * drivers/base/class.c (class_register; no class attributes). */
#include "device.h"

extern struct kobject *class_kobj;

int class_register(struct class *cls)
{
	cls->kobj = kobject_create_and_add(cls->name, class_kobj);
	return cls->kobj ? 0 : -ENOMEM;
}
