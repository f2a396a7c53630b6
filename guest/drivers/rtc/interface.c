/* Reading an RTC through its driver, with the result checked. Counterpart of
 * drivers/rtc/interface.c (__rtc_read_time, rtc_read_time; no alarms or timers). */
#include "rtc.h"

static int __rtc_read_time(struct rtc_device *rtc, struct rtc_time *tm)
{
	int err;

	if (!rtc->ops || !rtc->ops->read_time)
		return -EINVAL;
	err = rtc->ops->read_time(rtc->dev.parent, tm);
	if (err < 0)
		return err;
	err = rtc_valid_tm(tm);
	if (err < 0)
		printk(KERN_DEBUG "rtc %s: read_time: rtc_time isn't valid\n", dev_name(&rtc->dev));
	return err;
}

noinline int rtc_read_time(struct rtc_device *rtc, struct rtc_time *tm)
{
	return __rtc_read_time(rtc, tm);
}
