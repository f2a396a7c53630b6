/* System-call instruction for arm64 user programs: number in x8, arguments x0-x5, result x0
 * (negative errno on failure). Counterpart of musl's arch/aarch64/syscall_arch.h. */
#ifndef _SYSCALL_ARCH_H
#define _SYSCALL_ARCH_H

static inline long __syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ __volatile__("svc #0"
			     : "+r"(x0)
			     : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			     : "memory", "cc");
	return x0;
}

/* asm-generic numbers (include/uapi/asm-generic/unistd.h) */
#define SYS_getcwd		17
#define SYS_dup			23
#define SYS_dup3		24
#define SYS_fcntl		25
#define SYS_ioctl		29
#define SYS_mkdirat		34
#define SYS_unlinkat		35
#define SYS_symlinkat		36
#define SYS_linkat		37
#define SYS_chdir		49
#define SYS_openat		56
#define SYS_close		57
#define SYS_getdents64		61
#define SYS_lseek		62
#define SYS_read		63
#define SYS_write		64
#define SYS_readlinkat		78
#define SYS_newfstatat		79
#define SYS_fstat		80
#define SYS_exit		93
#define SYS_exit_group		94
#define SYS_clock_gettime	113
#define SYS_kill		129
#define SYS_uname		160
#define SYS_getpid		172
#define SYS_getppid		173
#define SYS_socket		198
#define SYS_bind		200
#define SYS_listen		201
#define SYS_accept		202
#define SYS_connect		203
#define SYS_getsockname		204
#define SYS_getpeername		205
#define SYS_sendto		206
#define SYS_recvfrom		207
#define SYS_shutdown		210
#define SYS_brk			214
#define SYS_munmap		215
#define SYS_clone		220
#define SYS_execve		221
#define SYS_mmap		222
#define SYS_accept4		242
#define SYS_wait4		260

#endif
