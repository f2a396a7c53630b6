/* Wakeup statistics in sysfs: each wakeup source as a device wakeup<N> of the "wakeup" class,
 * below the device it belongs to, with its name, counts and times. Counterpart of
 * drivers/base/power/wakeup_stats.c. */
#include "pm_wakeup.h"
#include "time.h"

static struct class wakeup_class = {
	.name = "wakeup",
};

static s64 ktime_to_ms(s64 ns)
{
	return ns / 1000000;
}

#define wakeup_attr(_name)						\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct wakeup_source *ws = dev_get_drvdata(dev);		\
									\
	return sysfs_emit(buf, "%lu\n", ws->_name);			\
}									\
static DEVICE_ATTR_RO(_name)

wakeup_attr(active_count);
wakeup_attr(event_count);
wakeup_attr(wakeup_count);
wakeup_attr(expire_count);

static ssize_t active_time_ms_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct wakeup_source *ws = dev_get_drvdata(dev);
	s64 active_time = ws->active ? (s64)ktime_get_ns() - ws->last_time : 0;

	return sysfs_emit(buf, "%lld\n", ktime_to_ms(active_time));
}
static DEVICE_ATTR_RO(active_time_ms);

static ssize_t total_time_ms_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct wakeup_source *ws = dev_get_drvdata(dev);
	s64 total_time = ws->total_time;

	if (ws->active)
		total_time += (s64)ktime_get_ns() - ws->last_time;
	return sysfs_emit(buf, "%lld\n", ktime_to_ms(total_time));
}
static DEVICE_ATTR_RO(total_time_ms);

static ssize_t max_time_ms_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct wakeup_source *ws = dev_get_drvdata(dev);
	s64 max_time = ws->max_time;

	if (ws->active && (s64)ktime_get_ns() - ws->last_time > max_time)
		max_time = (s64)ktime_get_ns() - ws->last_time;
	return sysfs_emit(buf, "%lld\n", ktime_to_ms(max_time));
}
static DEVICE_ATTR_RO(max_time_ms);

static ssize_t last_change_ms_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct wakeup_source *ws = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%lld\n", ktime_to_ms(ws->last_time));
}
static DEVICE_ATTR_RO(last_change_ms);

static ssize_t name_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct wakeup_source *ws = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", ws->name);
}
static DEVICE_ATTR_RO(name);

static ssize_t prevent_suspend_time_ms_show(struct device *dev, struct device_attribute *attr,
					    char *buf)
{
	struct wakeup_source *ws = dev_get_drvdata(dev);
	s64 prevent_sleep_time = ws->prevent_sleep_time;

	if (ws->active && ws->autosleep_enabled)
		prevent_sleep_time += (s64)ktime_get_ns() - ws->start_prevent_time;
	return sysfs_emit(buf, "%lld\n", ktime_to_ms(prevent_sleep_time));
}
static DEVICE_ATTR_RO(prevent_suspend_time_ms);

static struct attribute *wakeup_source_attrs[] = {
	&dev_attr_name.attr,
	&dev_attr_active_count.attr,
	&dev_attr_event_count.attr,
	&dev_attr_wakeup_count.attr,
	&dev_attr_expire_count.attr,
	&dev_attr_active_time_ms.attr,
	&dev_attr_total_time_ms.attr,
	&dev_attr_max_time_ms.attr,
	&dev_attr_last_change_ms.attr,
	&dev_attr_prevent_suspend_time_ms.attr,
	NULL,
};

static const struct attribute_group wakeup_source_group = {
	.attrs = wakeup_source_attrs,
};

static const struct attribute_group *wakeup_source_groups[] = {
	&wakeup_source_group,
	NULL,
};

int wakeup_source_sysfs_add(struct device *parent, struct wakeup_source *ws)
{
	struct device *dev = device_create_with_groups(&wakeup_class, parent, ws,
						       wakeup_source_groups, "wakeup%d", ws->id);

	if (IS_ERR(dev))
		return PTR_ERR(dev);
	ws->dev = dev;
	return 0;
}

void wakeup_sources_sysfs_init(void)
{
	if (class_register(&wakeup_class))
		panic("wakeup: cannot register the wakeup class");
}
