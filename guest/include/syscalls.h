/* SYSCALL_DEFINEn: the implementation of a system call is always a real noinline function
 *   long sys_NAME(typed args...)
 * (Linux 6.12, include/linux/syscalls.h, names the body __do_sys_NAME and inlines it; here it
 * stays a separate sys_NAME symbol so that probes on sys_write and friends hit). What
 * sys_call_table points at is the arch's choice, <asm/syscall_wrapper.h>: arm64
 * (CONFIG_ARCH_HAS_SYSCALL_WRAPPER) adds a __arm64_sys_NAME(const struct pt_regs *) that unpacks
 * x0..x5; mips has no wrapper, its table holds sys_NAME itself, called with the o32 arguments. */
#ifndef _GUEST_SYSCALLS_H
#define _GUEST_SYSCALLS_H

#include "kernel.h"
#include <asm/ptrace.h>

#define __SC_DECL0()				void
#define __SC_DECL1(t1, a1)			t1 a1
#define __SC_DECL2(t1, a1, ...)			t1 a1, __SC_DECL1(__VA_ARGS__)
#define __SC_DECL3(t1, a1, ...)			t1 a1, __SC_DECL2(__VA_ARGS__)
#define __SC_DECL4(t1, a1, ...)			t1 a1, __SC_DECL3(__VA_ARGS__)
#define __SC_DECL5(t1, a1, ...)			t1 a1, __SC_DECL4(__VA_ARGS__)
#define __SC_DECL6(t1, a1, ...)			t1 a1, __SC_DECL5(__VA_ARGS__)

/* How SYSCALL_DEFINEx makes a system call's functions is the arch's (syscall_wrapper.h). */
#include <asm/syscall_wrapper.h>

#define SYSCALL_DEFINE0(name)		SYSCALL_DEFINEx(0, name)
#define SYSCALL_DEFINE1(name, ...)	SYSCALL_DEFINEx(1, name, __VA_ARGS__)
#define SYSCALL_DEFINE2(name, ...)	SYSCALL_DEFINEx(2, name, __VA_ARGS__)
#define SYSCALL_DEFINE3(name, ...)	SYSCALL_DEFINEx(3, name, __VA_ARGS__)
#define SYSCALL_DEFINE4(name, ...)	SYSCALL_DEFINEx(4, name, __VA_ARGS__)
#define SYSCALL_DEFINE5(name, ...)	SYSCALL_DEFINEx(5, name, __VA_ARGS__)
#define SYSCALL_DEFINE6(name, ...)	SYSCALL_DEFINEx(6, name, __VA_ARGS__)

/* The ones other kernel code calls directly. */
long sys_close(unsigned int fd);
long sys_dup(unsigned int fildes);
unsigned long ksys_mmap_pgoff(unsigned long addr, unsigned long len, unsigned long prot,
			      unsigned long flags, unsigned long fd, unsigned long pgoff);

#endif
