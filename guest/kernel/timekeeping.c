/* Time since boot from the arch counter. Counterpart of kernel/time/timekeeping.c with the
 * arm_arch_timer clocksource: no NTP, no suspend; the real-time clock is the monotonic one
 * from the epoch (the machine has no RTC), which keeps runs deterministic. */
#include "time.h"
#include <asm/arch_timer.h>

static u64 boot_counter;

noinline u64 ktime_get_ns(void)
{
	u64 cnt = arch_timer_read_counter() - boot_counter;
	u64 freq = arch_timer_get_cntfrq();

	/* Split so that cnt * 1e9 cannot overflow: whole seconds, then the remainder. */
	return (cnt / freq) * NSEC_PER_SEC + ((cnt % freq) * NSEC_PER_SEC) / freq;
}

void ktime_get_ts64(struct timespec64 *ts)
{
	u64 ns = ktime_get_ns();

	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
}

void ktime_get_real_ts64(struct timespec64 *ts)
{
	ktime_get_ts64(ts);
}

void timekeeping_init(void)
{
	boot_counter = arch_timer_read_counter();
}
