/* /sys/kernel: the kobject other subsystems hang their directories on (tracefs and debugfs
 * make their mount points in it). Counterpart of kernel/ksysfs.c, without its attributes. */
#include "kobject.h"

struct kobject *kernel_kobj;

void ksysfs_init(void)
{
	kernel_kobj = kobject_create_and_add("kernel", NULL);
	if (!kernel_kobj)
		panic("ksysfs: cannot create /sys/kernel");
}
