/* Identity and information system calls: uname, sethostname, the pid/uid family,
 * clock_gettime (and clock_gettime32 on 32-bit arches) and gettimeofday. Counterpart of
 * kernel/sys.c, kernel/time/posix-timers.c (clock_gettime) and kernel/time/time.c
 * (gettimeofday). Everyone is root here. */
#include "sched.h"
#include "syscalls.h"
#include "uaccess.h"
#include "utsname.h"
#include "string.h"

SYSCALL_DEFINE1(newuname, struct new_utsname __user *, name)
{
	if (copy_to_user(name, utsname(), sizeof(*name)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(sethostname, char __user *, name, int, len)
{
	char tmp[__NEW_UTS_LEN];

	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	if (copy_from_user(tmp, name, len))
		return -EFAULT;
	memcpy(utsname()->nodename, tmp, len);
	memset(utsname()->nodename + len, 0, sizeof(utsname()->nodename) - len);
	return 0;
}

SYSCALL_DEFINE0(getpid)
{
	return current->tgid;
}

SYSCALL_DEFINE0(gettid)
{
	return current->pid;
}

SYSCALL_DEFINE0(getppid)
{
	return current->real_parent->tgid;
}

SYSCALL_DEFINE0(getuid)
{
	return current->uid;
}

SYSCALL_DEFINE0(geteuid)
{
	return current->euid;
}

SYSCALL_DEFINE0(getgid)
{
	return current->gid;
}

SYSCALL_DEFINE0(getegid)
{
	return current->egid;
}

/* The clocks of posix-timers.c's clock table (its clock_get_timespec methods). */
static __always_inline int kclock_get_timespec(int which_clock, struct timespec64 *ts)
{
	switch (which_clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		ktime_get_real_ts64(ts);
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		/* One CPU that never idles: CPU time is time since boot as well. */
		ktime_get_ts64(ts);
		return 0;
	}
	return -EINVAL;
}

SYSCALL_DEFINE2(clock_gettime, int, which_clock, struct __kernel_timespec __user *, tp)
{
	struct timespec64 ts;
	struct __kernel_timespec kts;

	if (kclock_get_timespec(which_clock, &ts))
		return -EINVAL;
	kts.tv_sec = ts.tv_sec;
	kts.tv_nsec = ts.tv_nsec;
	if (copy_to_user(tp, &kts, sizeof(kts)))
		return -EFAULT;
	return 0;
}

#if BITS_PER_LONG == 32		/* CONFIG_COMPAT_32BIT_TIME */
/* The 32-bit time_t clock_gettime of 32-bit arches (o32's clock_gettime; clock_gettime64 is the
 * one above). */
SYSCALL_DEFINE2(clock_gettime32, int, which_clock, struct old_timespec32 __user *, tp)
{
	struct timespec64 ts;
	struct old_timespec32 ots;

	if (kclock_get_timespec(which_clock, &ts))
		return -EINVAL;
	ots.tv_sec = ts.tv_sec;
	ots.tv_nsec = ts.tv_nsec;
	if (copy_to_user(tp, &ots, sizeof(ots)))
		return -EFAULT;
	return 0;
}
#endif

SYSCALL_DEFINE2(gettimeofday, struct __kernel_old_timeval __user *, tv,
		struct timezone __user *, tz)
{
	if (tv) {
		struct timespec64 ts;
		struct __kernel_old_timeval ktv;

		ktime_get_real_ts64(&ts);
		ktv.tv_sec = ts.tv_sec;
		ktv.tv_usec = ts.tv_nsec / NSEC_PER_USEC;
		if (copy_to_user(tv, &ktv, sizeof(ktv)))
			return -EFAULT;
	}
	if (tz) {
		struct timezone ktz = { 0, 0 };

		if (copy_to_user(tz, &ktz, sizeof(ktz)))
			return -EFAULT;
	}
	return 0;
}
