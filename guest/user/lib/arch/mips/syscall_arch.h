/* System-call instruction for mips o32 user programs: number in v0 (4000 + n), arguments a0-a3
 * and the fifth and sixth on the stack at sp+16 and sp+20; the result in v0, with a3 set when
 * it is an error (v0 is then the positive errno), turned into -errno here as the rest of the
 * library expects. Counterpart of musl's arch/mips/syscall_arch.h. */
#ifndef _SYSCALL_ARCH_H
#define _SYSCALL_ARCH_H

/* What the kernel may change besides v0 and a3 (Linux restores only part of the registers on
 * the way out of a system call). */
#define SYSCALL_CLOBBERLIST \
	"$1", "$3", "$10", "$11", "$12", "$13", "$14", "$15", "$24", "$25", "hi", "lo", "memory"

static inline long __syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r4 __asm__("$4") = a;
	register long r5 __asm__("$5") = b;
	register long r6 __asm__("$6") = c;
	register long r7 __asm__("$7") = d;
	register long r8 __asm__("$8") = e;
	register long r9 __asm__("$9") = f;
	register long r2 __asm__("$2");

	__asm__ __volatile__("subu\t$sp, $sp, 32\n\t"
			     "sw\t$8, 16($sp)\n\t"
			     "sw\t$9, 20($sp)\n\t"
			     "addu\t$2, $0, %4\n\t"
			     "syscall\n\t"
			     "addu\t$sp, $sp, 32"
			     : "=&r"(r2), "+r"(r7), "+r"(r8), "+r"(r9)
			     : "ir"(n), "r"(r4), "r"(r5), "r"(r6)
			     : SYSCALL_CLOBBERLIST);
	return r7 && r2 > 0 ? -r2 : r2;
}

/* o32 numbers (arch/mips/kernel/syscalls/syscall_o32.tbl), 4000 + n. */
#define SYS_exit		4001
#define SYS_read		4003
#define SYS_write		4004
#define SYS_close		4006
#define SYS_execve		4011
#define SYS_chdir		4012
#define SYS_lseek		4019
#define SYS_getpid		4020
#define SYS_kill		4037
#define SYS_dup			4041
#define SYS_brk			4045
#define SYS_ioctl		4054
#define SYS_fcntl		4055
#define SYS_getppid		4064
#define SYS_munmap		4091
#define SYS_wait4		4114
#define SYS_clone		4120
#define SYS_uname		4122
#define SYS_accept		4168
#define SYS_bind		4169
#define SYS_connect		4170
#define SYS_getpeername		4171
#define SYS_getsockname		4172
#define SYS_listen		4174
#define SYS_recvfrom		4176
#define SYS_sendto		4180
#define SYS_shutdown		4182
#define SYS_socket		4183
#define SYS_getcwd		4203
#define SYS_mmap		4090
#define SYS_getdents64		4219
#define SYS_exit_group		4246
#define SYS_clock_gettime	4263	/* 32-bit time_t, as this library's struct timespec */
#define SYS_openat		4288
#define SYS_mkdirat		4289
#define SYS_unlinkat		4294
#define SYS_linkat		4296
#define SYS_symlinkat		4297
#define SYS_readlinkat		4298
#define SYS_dup3		4327
#define SYS_accept4		4334

/* The stat calls o32 programs use: the struct stat64 ones (struct stat is that layout, see
 * bits/stat.h), under the names the library calls. */
#define SYS_newfstatat		4293	/* fstatat64 */
#define SYS_fstat		4215	/* fstat64 */

#endif
