/* The attribute files of an rtc class device: /sys/class/rtc/rtc<N>/{name,date,time,
 * since_epoch,max_user_freq,hctosys,range}. Counterpart of drivers/rtc/sysfs.c; Linux's
 * wakealarm and offset files are left out: Linux hides them for a clock without an alarm
 * interrupt or offset control, and the board's clock has neither. */
#include "rtc.h"
#include "string.h"

int kstrtoul(const char *s, unsigned int base, unsigned long *res);

static ssize_t name_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sprintf(buf, "%s %s\n", dev_driver_string(dev->parent), dev_name(dev->parent));
}
static DEVICE_ATTR_RO(name);

static ssize_t date_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct rtc_time tm;
	ssize_t retval = rtc_read_time(to_rtc_device(dev), &tm);

	if (retval)
		return retval;
	return sprintf(buf, "%ptRd\n", &tm);
}
static DEVICE_ATTR_RO(date);

static ssize_t time_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct rtc_time tm;
	ssize_t retval = rtc_read_time(to_rtc_device(dev), &tm);

	if (retval)
		return retval;
	return sprintf(buf, "%ptRt\n", &tm);
}
static DEVICE_ATTR_RO(time);

static ssize_t since_epoch_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct rtc_time tm;
	ssize_t retval = rtc_read_time(to_rtc_device(dev), &tm);

	if (retval == 0)
		retval = sprintf(buf, "%lld\n", (long long)rtc_tm_to_time64(&tm));
	return retval;
}
static DEVICE_ATTR_RO(since_epoch);

static ssize_t max_user_freq_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sprintf(buf, "%d\n", to_rtc_device(dev)->max_user_freq);
}

static ssize_t max_user_freq_store(struct device *dev, struct device_attribute *attr,
				   const char *buf, size_t n)
{
	unsigned long val;
	int err = kstrtoul(buf, 0, &val);

	if (err)
		return err;
	if (val >= 4096 || val == 0)
		return -EINVAL;
	to_rtc_device(dev)->max_user_freq = (int)val;
	return n;
}
static DEVICE_ATTR_RW(max_user_freq);

/* "1" if this clock set the system time at boot. */
static ssize_t hctosys_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	if (rtc_hctosys_ret == 0 && strcmp(dev_name(&to_rtc_device(dev)->dev), "rtc0") == 0)
		return sprintf(buf, "1\n");
	return sprintf(buf, "0\n");
}
static DEVICE_ATTR_RO(hctosys);

static ssize_t range_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sprintf(buf, "[%lld,%llu]\n", (long long)to_rtc_device(dev)->range_min,
		       (unsigned long long)to_rtc_device(dev)->range_max);
}
static DEVICE_ATTR_RO(range);

static struct attribute *rtc_attrs[] = {
	&dev_attr_name.attr,
	&dev_attr_date.attr,
	&dev_attr_time.attr,
	&dev_attr_since_epoch.attr,
	&dev_attr_max_user_freq.attr,
	&dev_attr_hctosys.attr,
	&dev_attr_range.attr,
	NULL,
};

static umode_t rtc_attr_is_visible(struct kobject *kobj, struct attribute *attr, int n)
{
	struct rtc_device *rtc = to_rtc_device(kobj_to_dev(kobj));
	umode_t mode = attr->mode;

	if (attr == &dev_attr_range.attr && !(rtc->range_max - rtc->range_min))
		mode = 0;
	return mode;
}

static const struct attribute_group rtc_attr_group = {
	.is_visible = rtc_attr_is_visible,
	.attrs = rtc_attrs,
};

static const struct attribute_group *rtc_attr_groups[] = {
	&rtc_attr_group,
	NULL,
};

const struct attribute_group **rtc_get_dev_attribute_groups(void)
{
	return rtc_attr_groups;
}
