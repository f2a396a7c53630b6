/* Wakeup sources: what may wake the system from suspend, with their statistics. Counterpart of
 * include/linux/pm_wakeup.h. */
#ifndef _GUEST_PM_WAKEUP_H
#define _GUEST_PM_WAKEUP_H

#include "device.h"

struct wakeup_source {
	const char *name;
	int id;
	struct wakeup_source *next;	/* the wakeup_sources list */
	s64 total_time;			/* ns, as ktime_t */
	s64 max_time;
	s64 last_time;
	s64 start_prevent_time;
	s64 prevent_sleep_time;
	unsigned long event_count;
	unsigned long active_count;
	unsigned long relax_count;
	unsigned long expire_count;
	unsigned long wakeup_count;
	struct device *dev;		/* wakeup<id> in the wakeup class */
	bool active;
	bool autosleep_enabled;
};

struct wakeup_source *wakeup_source_register(struct device *dev, const char *name);
int wakeup_source_sysfs_add(struct device *parent, struct wakeup_source *ws);
void wakeup_sources_sysfs_init(void);

#endif
