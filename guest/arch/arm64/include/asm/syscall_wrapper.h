/* The arm64 system-call wrapper: SYSCALL_DEFINEx makes
 *   long __arm64_sys_NAME(const struct pt_regs *regs)  - what sys_call_table points at; it
 *                                                        unpacks x0..x5 with the C types,
 *   long sys_NAME(typed args...)                        - the implementation.
 * Counterpart of arch/arm64/include/asm/syscall_wrapper.h (CONFIG_ARCH_HAS_SYSCALL_WRAPPER).
 * Included by syscalls.h. */
#ifndef _ASM_SYSCALL_WRAPPER_H
#define _ASM_SYSCALL_WRAPPER_H

#include <asm/ptrace.h>

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

/* A sys_call_table entry. */
typedef long (*syscall_fn_t)(const struct pt_regs *regs);

#endif
