/* The ARM PrimeCell PL031 real-time clock: found on the board by its PrimeCell ID (as the AMBA
 * bus matches devices to drivers), started if stopped, made wakeup-capable and registered as
 * an rtc class device whose time is the data register's seconds. The board gives it no
 * interrupt line, so it has no alarm (as rtc-pl031 without an IRQ). Counterpart of
 * drivers/rtc/rtc-pl031.c and the matching part of drivers/amba/bus.c. */
#include "rtc.h"
#include "slab.h"
#include <asm/io.h>
#include <asm/memory.h>

#define RTC_DR		0x00	/* data: seconds */
#define RTC_CR		0x0c	/* control */
#define RTC_CR_EN	(1 << 0)
#define RTC_IMSC	0x10	/* interrupt mask */

#define AMBA_CID	0xb105f00d
#define PL031_PERIPHID	0x00041031
#define PL031_ID_MASK	0x000fffff

struct pl031_local {
	struct rtc_device *rtc;
	unsigned long base;
};

static struct device_driver pl031_driver = {
	.name = "rtc-pl031",
};

static int pl031_read_time(struct device *dev, struct rtc_time *tm)
{
	struct pl031_local *ldata = dev_get_drvdata(dev);

	rtc_time64_to_tm(readl(ldata->base + RTC_DR), tm);
	return 0;
}

static const struct rtc_class_ops arm_pl031_ops = {
	.read_time = pl031_read_time,
};

static noinline int pl031_probe(struct device *dev, unsigned long base)
{
	struct pl031_local *ldata = kzalloc(sizeof(*ldata), GFP_KERNEL);
	struct rtc_device *rtc;

	if (!ldata)
		return -ENOMEM;
	ldata->base = base;
	dev_set_drvdata(dev, ldata);
	writel(0, base + RTC_IMSC);
	if (!(readl(base + RTC_CR) & RTC_CR_EN))
		writel(RTC_CR_EN, base + RTC_CR);
	device_init_wakeup(dev, true);
	rtc = rtc_allocate_device(dev);
	if (!rtc)
		return -ENOMEM;
	rtc->ops = &arm_pl031_ops;
	rtc->range_max = 0xffffffffULL;	/* a 32-bit seconds counter */
	ldata->rtc = rtc;
	return rtc_register_device(rtc);
}

/* The peripheral and PrimeCell IDs: four registers of one byte each (amba_read_periphid). */
static u32 amba_read_id(unsigned long base, unsigned int offset)
{
	u32 id = 0;

	for (int i = 0; i < 4; i++)
		id |= (readl(base + offset + i * 4) & 0xff) << (i * 8);
	return id;
}

void pl031_init(void)
{
	static struct device adev = { .parent = &platform_bus };
	static char name[24];
	u32 periphid = amba_read_id(PL031_BASE, 0xfe0);
	u32 cid = amba_read_id(PL031_BASE, 0xff0);
	int err;

	if (cid != AMBA_CID || (periphid & PL031_ID_MASK) != PL031_PERIPHID)
		return;		/* no PL031 on this board */
	snprintf(name, sizeof(name), "%lx.pl031", PL031_BUS_ADDR);
	adev.init_name = name;
	adev.driver = &pl031_driver;
	err = device_register(&adev);
	if (!err)
		err = pl031_probe(&adev, PL031_BASE);
	if (err)
		printk(KERN_ERR "rtc-pl031 %s: probe failed: %d\n", name, err);
}
