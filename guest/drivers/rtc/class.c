/* The rtc class: registering a real-time clock as rtc<N> below its hardware device, and
 * setting the system time from rtc0 when it registers (CONFIG_RTC_HCTOSYS with
 * CONFIG_RTC_HCTOSYS_DEVICE="rtc0"). Counterpart of drivers/rtc/class.c. */
#include "rtc.h"
#include "slab.h"
#include "string.h"
#include "time.h"

#define RTC_HCTOSYS_DEVICE	"rtc0"

static struct class rtc_class = {
	.name = "rtc",
};
static int rtc_ida;
int rtc_hctosys_ret = -ENODEV;

int do_settimeofday64(const struct timespec64 *ts);

/* The system time from the hardware clock, half a second in (the RTC counts whole seconds). */
static void rtc_hctosys(struct rtc_device *rtc)
{
	struct timespec64 tv64 = { .tv_nsec = NSEC_PER_SEC >> 1 };
	struct rtc_time tm;
	int rc = rtc_read_time(rtc, &tm);

	if (rc) {
		dev_err(rtc->dev.parent, "hctosys: unable to read the hardware clock\n");
		rtc_hctosys_ret = rc;
		return;
	}
	tv64.tv_sec = rtc_tm_to_time64(&tm);
	rc = do_settimeofday64(&tv64);
	dev_info(rtc->dev.parent, "setting system clock to %ptR UTC (%lld)\n", &tm,
		 (long long)tv64.tv_sec);
	rtc_hctosys_ret = rc;
}

struct rtc_device *rtc_allocate_device(struct device *parent)
{
	struct rtc_device *rtc = kzalloc(sizeof(*rtc), GFP_KERNEL);

	if (!rtc)
		return NULL;
	device_initialize(&rtc->dev);
	rtc->id = rtc_ida++;
	rtc->max_user_freq = 64;
	rtc->dev.parent = parent;
	rtc->dev.class = &rtc_class;
	rtc->dev.groups = rtc_get_dev_attribute_groups();
	return rtc;
}

noinline int rtc_register_device(struct rtc_device *rtc)
{
	int err;

	if (!rtc->ops)
		return -EINVAL;
	err = dev_set_name(&rtc->dev, "rtc%d", rtc->id);
	if (!err)
		err = device_add(&rtc->dev);
	if (err)
		return err;
	dev_info(rtc->dev.parent, "registered as %s\n", dev_name(&rtc->dev));
	if (!strcmp(dev_name(&rtc->dev), RTC_HCTOSYS_DEVICE))
		rtc_hctosys(rtc);
	return 0;
}

void rtc_init(void)
{
	if (class_register(&rtc_class))
		panic("rtc: cannot register the rtc class");
}
