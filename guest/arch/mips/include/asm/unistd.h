/* The o32 system calls: numbers 4000 + n (__NR_O32_Linux), with Linux's o32 numbering
 * (arch/mips/kernel/syscalls/syscall_o32.tbl) for every call this kernel serves, and the table
 * entry of each: the sys_* function itself (MIPS has no syscall wrapper), the o32 variants
 * o32 user space uses where they differ from asm-generic (fcntl64, _llseek, stat64 and
 * fstatat64 with MIPS's struct stat64, mmap2, clock_gettime with 32-bit time and
 * clock_gettime64). Counterpart of arch/mips/include/asm/unistd.h and
 * arch/mips/include/generated/uapi/asm/unistd_o32.h; SYSCALL_LIST(X) stands in for
 * syscall_table_o32.h. Numbers not listed return -ENOSYS. */
#ifndef _ASM_UNISTD_H
#define _ASM_UNISTD_H

#define __NR_O32_Linux		4000
#define __NR_O32_Linux_syscalls	463	/* Linux 6.12's o32 table size */
#define __NR_Linux		__NR_O32_Linux
#define __NR_syscalls		__NR_O32_Linux_syscalls
#define NR_syscalls		(__NR_O32_Linux + __NR_O32_Linux_syscalls)

/* Which generic calls exist (arch/mips/include/asm/unistd.h, CONFIG_32BIT). */
#define __ARCH_WANT_NEW_STAT
#define __ARCH_WANT_STAT64
#define __ARCH_WANT_SYS_LLSEEK

#define __NR_exit		(__NR_Linux + 1)
#define __NR_read		(__NR_Linux + 3)
#define __NR_write		(__NR_Linux + 4)
#define __NR_close		(__NR_Linux + 6)
#define __NR_execve		(__NR_Linux + 11)
#define __NR_chdir		(__NR_Linux + 12)
#define __NR_lseek		(__NR_Linux + 19)
#define __NR_getpid		(__NR_Linux + 20)
#define __NR_mount		(__NR_Linux + 21)
#define __NR_getuid		(__NR_Linux + 24)
#define __NR_kill		(__NR_Linux + 37)
#define __NR_dup		(__NR_Linux + 41)
#define __NR_brk		(__NR_Linux + 45)
#define __NR_getgid		(__NR_Linux + 47)
#define __NR_geteuid		(__NR_Linux + 49)
#define __NR_getegid		(__NR_Linux + 50)
#define __NR_umount2		(__NR_Linux + 52)
#define __NR_ioctl		(__NR_Linux + 54)
#define __NR_fcntl		(__NR_Linux + 55)
#define __NR_getppid		(__NR_Linux + 64)
#define __NR_sethostname	(__NR_Linux + 74)
#define __NR_gettimeofday	(__NR_Linux + 78)
#define __NR_mmap		(__NR_Linux + 90)
#define __NR_munmap		(__NR_Linux + 91)
#define __NR_truncate		(__NR_Linux + 92)
#define __NR_ftruncate		(__NR_Linux + 93)
#define __NR_stat		(__NR_Linux + 106)
#define __NR_lstat		(__NR_Linux + 107)
#define __NR_fstat		(__NR_Linux + 108)
#define __NR_wait4		(__NR_Linux + 114)
#define __NR_clone		(__NR_Linux + 120)
#define __NR_uname		(__NR_Linux + 122)
#define __NR_fchdir		(__NR_Linux + 133)
#define __NR__llseek		(__NR_Linux + 140)
#define __NR_readv		(__NR_Linux + 145)
#define __NR_writev		(__NR_Linux + 146)
#define __NR_sched_yield	(__NR_Linux + 162)
#define __NR_accept		(__NR_Linux + 168)
#define __NR_bind		(__NR_Linux + 169)
#define __NR_connect		(__NR_Linux + 170)
#define __NR_getpeername	(__NR_Linux + 171)
#define __NR_getsockname	(__NR_Linux + 172)
#define __NR_listen		(__NR_Linux + 174)
#define __NR_recvfrom		(__NR_Linux + 176)
#define __NR_sendto		(__NR_Linux + 180)
#define __NR_shutdown		(__NR_Linux + 182)
#define __NR_socket		(__NR_Linux + 183)
#define __NR_pread64		(__NR_Linux + 200)
#define __NR_pwrite64		(__NR_Linux + 201)
#define __NR_getcwd		(__NR_Linux + 203)
#define __NR_mmap2		(__NR_Linux + 210)
#define __NR_truncate64		(__NR_Linux + 211)
#define __NR_ftruncate64	(__NR_Linux + 212)
#define __NR_stat64		(__NR_Linux + 213)
#define __NR_lstat64		(__NR_Linux + 214)
#define __NR_fstat64		(__NR_Linux + 215)
#define __NR_getdents64		(__NR_Linux + 219)
#define __NR_fcntl64		(__NR_Linux + 220)
#define __NR_gettid		(__NR_Linux + 222)
#define __NR_exit_group		(__NR_Linux + 246)
#define __NR_set_tid_address	(__NR_Linux + 252)
#define __NR_clock_gettime	(__NR_Linux + 263)
#define __NR_openat		(__NR_Linux + 288)
#define __NR_mkdirat		(__NR_Linux + 289)
#define __NR_mknodat		(__NR_Linux + 290)
#define __NR_fstatat64		(__NR_Linux + 293)
#define __NR_unlinkat		(__NR_Linux + 294)
#define __NR_linkat		(__NR_Linux + 296)
#define __NR_symlinkat		(__NR_Linux + 297)
#define __NR_readlinkat		(__NR_Linux + 298)
#define __NR_faccessat		(__NR_Linux + 300)
#define __NR_dup3		(__NR_Linux + 327)
#define __NR_accept4		(__NR_Linux + 334)
#define __NR_clock_gettime64	(__NR_Linux + 403)

/* X(number, table entry) */
#define SYSCALL_LIST(X) \
	X(__NR_exit, sys_exit) \
	X(__NR_read, sys_read) \
	X(__NR_write, sys_write) \
	X(__NR_close, sys_close) \
	X(__NR_execve, sys_execve) \
	X(__NR_chdir, sys_chdir) \
	X(__NR_lseek, sys_lseek) \
	X(__NR_getpid, sys_getpid) \
	X(__NR_mount, sys_mount) \
	X(__NR_getuid, sys_getuid) \
	X(__NR_kill, sys_kill) \
	X(__NR_dup, sys_dup) \
	X(__NR_brk, sys_brk) \
	X(__NR_getgid, sys_getgid) \
	X(__NR_geteuid, sys_geteuid) \
	X(__NR_getegid, sys_getegid) \
	X(__NR_umount2, sys_umount) \
	X(__NR_ioctl, sys_ioctl) \
	X(__NR_fcntl, sys_fcntl) \
	X(__NR_getppid, sys_getppid) \
	X(__NR_sethostname, sys_sethostname) \
	X(__NR_gettimeofday, sys_gettimeofday) \
	X(__NR_mmap, sys_mips_mmap) \
	X(__NR_munmap, sys_munmap) \
	X(__NR_truncate, sys_truncate) \
	X(__NR_ftruncate, sys_ftruncate) \
	X(__NR_stat, sys_newstat) \
	X(__NR_lstat, sys_newlstat) \
	X(__NR_fstat, sys_newfstat) \
	X(__NR_wait4, sys_wait4) \
	X(__NR_clone, __sys_clone) \
	X(__NR_uname, sys_newuname) \
	X(__NR_fchdir, sys_fchdir) \
	X(__NR__llseek, sys_llseek) \
	X(__NR_readv, sys_readv) \
	X(__NR_writev, sys_writev) \
	X(__NR_sched_yield, sys_sched_yield) \
	X(__NR_accept, sys_accept) \
	X(__NR_bind, sys_bind) \
	X(__NR_connect, sys_connect) \
	X(__NR_getpeername, sys_getpeername) \
	X(__NR_getsockname, sys_getsockname) \
	X(__NR_listen, sys_listen) \
	X(__NR_recvfrom, sys_recvfrom) \
	X(__NR_sendto, sys_sendto) \
	X(__NR_shutdown, sys_shutdown) \
	X(__NR_socket, sys_socket) \
	X(__NR_pread64, sys_pread64) \
	X(__NR_pwrite64, sys_pwrite64) \
	X(__NR_getcwd, sys_getcwd) \
	X(__NR_mmap2, sys_mips_mmap2) \
	X(__NR_truncate64, sys_truncate64) \
	X(__NR_ftruncate64, sys_ftruncate64) \
	X(__NR_stat64, sys_stat64) \
	X(__NR_lstat64, sys_lstat64) \
	X(__NR_fstat64, sys_fstat64) \
	X(__NR_getdents64, sys_getdents64) \
	X(__NR_fcntl64, sys_fcntl64) \
	X(__NR_gettid, sys_gettid) \
	X(__NR_exit_group, sys_exit_group) \
	X(__NR_set_tid_address, sys_set_tid_address) \
	X(__NR_clock_gettime, sys_clock_gettime32) \
	X(__NR_openat, sys_openat) \
	X(__NR_mkdirat, sys_mkdirat) \
	X(__NR_mknodat, sys_mknodat) \
	X(__NR_fstatat64, sys_fstatat64) \
	X(__NR_unlinkat, sys_unlinkat) \
	X(__NR_linkat, sys_linkat) \
	X(__NR_symlinkat, sys_symlinkat) \
	X(__NR_readlinkat, sys_readlinkat) \
	X(__NR_faccessat, sys_faccessat) \
	X(__NR_dup3, sys_dup3) \
	X(__NR_accept4, sys_accept4) \
	X(__NR_clock_gettime64, sys_clock_gettime)

#endif
