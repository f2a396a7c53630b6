/* System call numbers: the asm-generic table arm64 uses (include/uapi/asm-generic/unistd.h),
 * for the calls this kernel implements. SYSCALL_LIST feeds sys_call_table in
 * arch/<arch>/syscall.c; numbers not listed return -ENOSYS. */
#ifndef _GUEST_UNISTD_H
#define _GUEST_UNISTD_H

#define __NR_getcwd		17
#define __NR_dup		23
#define __NR_dup3		24
#define __NR_fcntl		25
#define __NR_ioctl		29
#define __NR_mknodat		33
#define __NR_mkdirat		34
#define __NR_unlinkat		35
#define __NR_umount2		39
#define __NR_mount		40
#define __NR_truncate		45
#define __NR_ftruncate		46
#define __NR_faccessat		48
#define __NR_chdir		49
#define __NR_fchdir		50
#define __NR_openat		56
#define __NR_close		57
#define __NR_getdents64		61
#define __NR_lseek		62
#define __NR_read		63
#define __NR_write		64
#define __NR_readv		65
#define __NR_writev		66
#define __NR_pread64		67
#define __NR_pwrite64		68
#define __NR_newfstatat		79
#define __NR_fstat		80
#define __NR_exit		93
#define __NR_exit_group		94
#define __NR_set_tid_address	96
#define __NR_clock_gettime	113
#define __NR_sched_yield	124
#define __NR_kill		129
#define __NR_uname		160
#define __NR_sethostname	161
#define __NR_gettimeofday	169
#define __NR_getpid		172
#define __NR_getppid		173
#define __NR_getuid		174
#define __NR_geteuid		175
#define __NR_getgid		176
#define __NR_getegid		177
#define __NR_gettid		178
#define __NR_brk		214
#define __NR_munmap		215
#define __NR_clone		220
#define __NR_execve		221
#define __NR_mmap		222
#define __NR_wait4		260

#define __NR_syscalls		463	/* Linux 6.12's table size */

#define SYSCALL_LIST(X)				\
	X(__NR_getcwd, getcwd)			\
	X(__NR_dup, dup)			\
	X(__NR_dup3, dup3)			\
	X(__NR_fcntl, fcntl)			\
	X(__NR_ioctl, ioctl)			\
	X(__NR_mknodat, mknodat)		\
	X(__NR_mkdirat, mkdirat)		\
	X(__NR_unlinkat, unlinkat)		\
	X(__NR_umount2, umount)			\
	X(__NR_mount, mount)			\
	X(__NR_truncate, truncate)		\
	X(__NR_ftruncate, ftruncate)		\
	X(__NR_faccessat, faccessat)		\
	X(__NR_chdir, chdir)			\
	X(__NR_fchdir, fchdir)			\
	X(__NR_openat, openat)			\
	X(__NR_close, close)			\
	X(__NR_getdents64, getdents64)		\
	X(__NR_lseek, lseek)			\
	X(__NR_read, read)			\
	X(__NR_write, write)			\
	X(__NR_readv, readv)			\
	X(__NR_writev, writev)			\
	X(__NR_pread64, pread64)		\
	X(__NR_pwrite64, pwrite64)		\
	X(__NR_newfstatat, newfstatat)		\
	X(__NR_fstat, newfstat)			\
	X(__NR_exit, exit)			\
	X(__NR_exit_group, exit_group)		\
	X(__NR_set_tid_address, set_tid_address) \
	X(__NR_clock_gettime, clock_gettime)	\
	X(__NR_sched_yield, sched_yield)	\
	X(__NR_kill, kill)			\
	X(__NR_uname, newuname)			\
	X(__NR_sethostname, sethostname)	\
	X(__NR_gettimeofday, gettimeofday)	\
	X(__NR_getpid, getpid)			\
	X(__NR_getppid, getppid)		\
	X(__NR_getuid, getuid)			\
	X(__NR_geteuid, geteuid)		\
	X(__NR_getgid, getgid)			\
	X(__NR_getegid, getegid)		\
	X(__NR_gettid, gettid)			\
	X(__NR_brk, brk)			\
	X(__NR_munmap, munmap)			\
	X(__NR_clone, clone)			\
	X(__NR_execve, execve)			\
	X(__NR_mmap, mmap)			\
	X(__NR_wait4, wait4)

#endif
