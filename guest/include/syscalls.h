/* SYSCALL_DEFINEn: each system call is a pair of real functions, as the issue asks:
 *   long __arm64_sys_NAME(const struct pt_regs *regs)  - what sys_call_table points at; it
 *                                                        unpacks x0..x5 with the C types,
 *   long sys_NAME(typed args...)                        - the implementation.
 * Linux 6.12 (include/linux/syscalls.h, arch/arm64/include/asm/syscall_wrapper.h) names the
 * body __do_sys_NAME and inlines it; here it stays a separate noinline sys_NAME symbol so that
 * probes on sys_write and friends hit. */
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

#define __SC_REGS0()
#define __SC_REGS1(t1, a1)			(t1)regs->regs[0]
#define __SC_REGS2(t1, a1, t2, a2)		__SC_REGS1(t1, a1), (t2)regs->regs[1]
#define __SC_REGS3(t1, a1, t2, a2, t3, a3)	__SC_REGS2(t1, a1, t2, a2), (t3)regs->regs[2]
#define __SC_REGS4(t1, a1, t2, a2, t3, a3, t4, a4) \
	__SC_REGS3(t1, a1, t2, a2, t3, a3), (t4)regs->regs[3]
#define __SC_REGS5(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) \
	__SC_REGS4(t1, a1, t2, a2, t3, a3, t4, a4), (t5)regs->regs[4]
#define __SC_REGS6(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) \
	__SC_REGS5(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5), (t6)regs->regs[5]

#define SYSCALL_DEFINEx(x, name, ...)						\
	long sys_##name(__SC_DECL##x(__VA_ARGS__));				\
	asmlinkage long __arm64_sys_##name(const struct pt_regs *regs);	\
	noinline asmlinkage long __arm64_sys_##name(const struct pt_regs *regs)	\
	{									\
		return sys_##name(__SC_REGS##x(__VA_ARGS__));			\
	}									\
	noinline long sys_##name(__SC_DECL##x(__VA_ARGS__))

#define SYSCALL_DEFINE0(name)		SYSCALL_DEFINEx(0, name)
#define SYSCALL_DEFINE1(name, ...)	SYSCALL_DEFINEx(1, name, __VA_ARGS__)
#define SYSCALL_DEFINE2(name, ...)	SYSCALL_DEFINEx(2, name, __VA_ARGS__)
#define SYSCALL_DEFINE3(name, ...)	SYSCALL_DEFINEx(3, name, __VA_ARGS__)
#define SYSCALL_DEFINE4(name, ...)	SYSCALL_DEFINEx(4, name, __VA_ARGS__)
#define SYSCALL_DEFINE5(name, ...)	SYSCALL_DEFINEx(5, name, __VA_ARGS__)
#define SYSCALL_DEFINE6(name, ...)	SYSCALL_DEFINEx(6, name, __VA_ARGS__)

typedef long (*syscall_fn_t)(const struct pt_regs *regs);

/* The ones other kernel code calls directly. */
long sys_close(unsigned int fd);
long sys_dup(unsigned int fildes);

#endif
