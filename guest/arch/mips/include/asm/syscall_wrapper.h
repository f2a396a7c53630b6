/* MIPS has no system-call wrapper (no CONFIG_ARCH_HAS_SYSCALL_WRAPPER): SYSCALL_DEFINEx makes
 * only
 *   long sys_NAME(typed args...)
 * and sys_call_table points at it. The o32 system-call convention is the o32 C calling
 * convention, so the entry calls it with the user's a0-a3 in a0-a3 and the user's stack words
 * 5 to 8 at sp+16..sp+28 of the call: a 64-bit argument lands in an aligned register pair or
 * stack slot exactly where user space put it. Counterpart of the generic SYSCALL_DEFINEx of
 * include/linux/syscalls.h (which calls the body __do_sys_NAME and inlines it). Included by
 * syscalls.h. */
#ifndef _ASM_SYSCALL_WRAPPER_H
#define _ASM_SYSCALL_WRAPPER_H

#define SYSCALL_DEFINEx(x, name, ...)						\
	long sys_##name(__SC_DECL##x(__VA_ARGS__));				\
	noinline long sys_##name(__SC_DECL##x(__VA_ARGS__))

/* A sys_call_table entry, as handle_sys calls it: four register and four stack words. */
typedef long (*syscall_fn_t)(unsigned long a0, unsigned long a1, unsigned long a2,
			     unsigned long a3, unsigned long a4, unsigned long a5,
			     unsigned long a6, unsigned long a7);

#endif
