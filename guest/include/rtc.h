/* Real-time clocks: broken-down time, the rtc class device and a driver's operations.
 * Counterpart of include/linux/rtc.h and include/uapi/linux/rtc.h (the subset used). */
#ifndef _GUEST_RTC_H
#define _GUEST_RTC_H

#include "device.h"

struct rtc_time {
	int tm_sec;
	int tm_min;
	int tm_hour;
	int tm_mday;
	int tm_mon;		/* 0..11 */
	int tm_year;		/* years since 1900 */
	int tm_wday;
	int tm_yday;
	int tm_isdst;
};

struct rtc_class_ops {
	int (*read_time)(struct device *dev, struct rtc_time *tm);
	int (*set_time)(struct device *dev, struct rtc_time *tm);
};

struct rtc_device {
	struct device dev;
	int id;
	const struct rtc_class_ops *ops;
	int max_user_freq;
	time64_t range_min;
	u64 range_max;
};

static inline struct rtc_device *to_rtc_device(struct device *dev)
{
	return container_of(dev, struct rtc_device, dev);
}

#define dev_info(dev, fmt, ...) \
	printk(KERN_INFO "%s %s: " fmt, dev_driver_string(dev), dev_name(dev), ##__VA_ARGS__)
#define dev_err(dev, fmt, ...) \
	printk(KERN_ERR "%s %s: " fmt, dev_driver_string(dev), dev_name(dev), ##__VA_ARGS__)

/* drivers/rtc/lib.c */
void rtc_time64_to_tm(time64_t time, struct rtc_time *tm);
time64_t rtc_tm_to_time64(const struct rtc_time *tm);
int rtc_valid_tm(const struct rtc_time *tm);
/* drivers/rtc/interface.c */
int rtc_read_time(struct rtc_device *rtc, struct rtc_time *tm);
/* drivers/rtc/class.c */
void rtc_init(void);
struct rtc_device *rtc_allocate_device(struct device *parent);
int rtc_register_device(struct rtc_device *rtc);
extern int rtc_hctosys_ret;
/* drivers/rtc/sysfs.c */
const struct attribute_group **rtc_get_dev_attribute_groups(void);
/* drivers/rtc/rtc-pl031.c */
void pl031_init(void);

#endif
