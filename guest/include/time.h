/* Time: timespec and the clock read from the arch counter. Counterpart of
 * include/linux/time64.h, include/uapi/linux/time.h and timekeeping.h. */
#ifndef _GUEST_TIME_H
#define _GUEST_TIME_H

#include "types.h"

#define NSEC_PER_SEC	1000000000LL
#define NSEC_PER_USEC	1000LL

#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7

struct timespec64 {
	time64_t tv_sec;
	long tv_nsec;
};

/* Nanoseconds since boot, from the virtual counter (the machine's retired-instruction clock). */
u64 ktime_get_ns(void);
void ktime_get_ts64(struct timespec64 *ts);
void ktime_get_real_ts64(struct timespec64 *ts);

#endif
