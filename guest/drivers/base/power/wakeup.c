/* Wakeup sources and devices that may wake the system. device_init_wakeup() marks a device
 * wakeup-capable and gives it a wakeup source named after it, which appears in sysfs as
 * /sys/class/wakeup/wakeup<N>. Counterpart of drivers/base/power/wakeup.c (registration only:
 * the machine never suspends, so no source is ever activated). */
#include "pm_wakeup.h"
#include "slab.h"
#include "string.h"

static struct wakeup_source *wakeup_sources;
static int wakeup_ida;		/* the next id: ida_alloc of wakeup_ida */

static struct wakeup_source *wakeup_source_create(const char *name)
{
	struct wakeup_source *ws = kzalloc(sizeof(*ws), GFP_KERNEL);
	char *copy;

	if (!ws)
		return NULL;
	copy = kmalloc(strlen(name) + 1, GFP_KERNEL);
	if (!copy) {
		kfree(ws);
		return NULL;
	}
	memcpy(copy, name, strlen(name) + 1);
	ws->name = copy;
	ws->id = wakeup_ida++;
	return ws;
}

noinline struct wakeup_source *wakeup_source_register(struct device *dev, const char *name)
{
	struct wakeup_source *ws = wakeup_source_create(name);

	if (!ws)
		return NULL;
	if (dev && wakeup_source_sysfs_add(dev, ws)) {
		kfree(ws->name);
		kfree(ws);
		return NULL;
	}
	ws->next = wakeup_sources;
	wakeup_sources = ws;
	return ws;
}

static int device_wakeup_enable(struct device *dev)
{
	struct wakeup_source *ws;

	if (!dev || !dev->can_wakeup)
		return -EINVAL;
	if (dev->wakeup)
		return -EEXIST;
	ws = wakeup_source_register(dev, dev_name(dev));
	if (!ws)
		return -ENOMEM;
	dev->wakeup = ws;
	return 0;
}

int device_init_wakeup(struct device *dev, bool enable)
{
	if (!dev)
		return -EINVAL;
	if (!enable) {
		dev->can_wakeup = false;
		return 0;
	}
	dev->can_wakeup = true;
	return device_wakeup_enable(dev);
}
