/* Time since boot from the arch counter. Counterpart of kernel/time/timekeeping.c with the
 * arch's clocksource (arm64's arm_arch_timer, 56 bits; mips's csrc-r4k, the 32-bit CP0 Count):
 * no NTP, no suspend. As timekeeping_get_ns() does, each read adds the cycles since the last one
 * within the counter's width (clocksource_delta), so a counter that wraps (Count, every 2^32
 * cycles) still gives a monotonic clock as long as it is read at least once per wrap. The
 * real-time clock is the monotonic one plus an offset, which do_settimeofday64 sets (the RTC's
 * hctosys at boot); the board's RTC starts at the epoch unless the machine is told otherwise,
 * which keeps runs deterministic. */
#include "kernel.h"
#include "time.h"
#include <asm/arch_timer.h>

static u64 cycle_last;		/* the counter at the last read */
static u64 cycles;		/* cycles since boot */
static s64 offs_real;		/* CLOCK_REALTIME - CLOCK_MONOTONIC, in ns */

#define CLOCKSOURCE_MASK(bits)	((bits) < 64 ? (1ULL << (bits)) - 1 : ~0ULL)

noinline u64 ktime_get_ns(void)
{
	u64 now = arch_timer_read_counter();
	u64 cnt, freq = arch_timer_get_cntfrq();

	cycles += (now - cycle_last) & CLOCKSOURCE_MASK(ARCH_TIMER_COUNTER_BITS);
	cycle_last = now;
	cnt = cycles;

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
	s64 ns = (s64)ktime_get_ns() + offs_real;

	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
}

noinline int do_settimeofday64(const struct timespec64 *ts)
{
	if (ts->tv_nsec < 0 || ts->tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	offs_real = ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec - (s64)ktime_get_ns();
	return 0;
}

void timekeeping_init(void)
{
	cycle_last = arch_timer_read_counter();
	cycles = 0;
}
