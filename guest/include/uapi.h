/* Structures and constants user space sees. Counterpart of include/linux/dirent.h,
 * include/uapi/linux/utsname.h, uio.h, time_types.h, resource.h, wait.h and mman.h; the arch's
 * layouts and numbers (struct stat, termios and the tty ioctls, mmap flags) come from its
 * <asm/stat.h>, <asm/termbits.h>, <asm/ioctls.h> and <asm/mman.h>. */
#ifndef _GUEST_UAPI_H
#define _GUEST_UAPI_H

#include "types.h"

/* struct stat (and, on 32-bit arches, struct stat64): the arch's layout. */
#include <asm/stat.h>

struct linux_dirent64 {
	u64 d_ino;
	s64 d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

#define __NEW_UTS_LEN 64
struct new_utsname {
	char sysname[__NEW_UTS_LEN + 1];
	char nodename[__NEW_UTS_LEN + 1];
	char release[__NEW_UTS_LEN + 1];
	char version[__NEW_UTS_LEN + 1];
	char machine[__NEW_UTS_LEN + 1];
	char domainname[__NEW_UTS_LEN + 1];
};

struct iovec {
	void __user *iov_base;
	size_t iov_len;
};
#define UIO_MAXIOV	1024

struct __kernel_timespec {
	s64 tv_sec;
	long long tv_nsec;
};

/* The 32-bit time of the old system calls of 32-bit arches (clock_gettime32). */
struct old_timespec32 {
	s32 tv_sec;
	s32 tv_nsec;
};

struct __kernel_old_timeval {
	long tv_sec;
	long tv_usec;
};

struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

struct rusage {			/* 144 bytes on 64-bit, 72 on 32-bit; this kernel keeps no usage, wait4 reports zeros */
	struct __kernel_old_timeval ru_utime;
	struct __kernel_old_timeval ru_stime;
	long ru_fields[14];
};

/* struct termios, its bits and the tty ioctl numbers: the arch's. */
#include <asm/termbits.h>
#include <asm/ioctls.h>

struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

/* wait4 options */
#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define WCONTINUED	0x00000008
#define __WNOTHREAD	0x20000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000

/* mmap: the arch's protection and flag bits (<asm/mman.h>), the mapping types of
 * include/uapi/linux/mman.h */
#include <asm/mman.h>
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_SHARED_VALIDATE 0x03

#endif
