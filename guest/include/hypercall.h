/* Typed wrappers around the hypercalls of guest/ABI.md. No Linux counterpart (compare
 * arch/arm64/include/asm/xen/hypercall.h); the instruction itself is in <asm/hypercall.h>. */
#ifndef _GUEST_HYPERCALL_H
#define _GUEST_HYPERCALL_H

#include "abi.h"
#include <asm/hypercall.h>

struct pt_regs;
struct task_struct;

static __always_inline void hvc_boot_done(struct task_struct *init)
{
	__hypercall(HVC_BOOT_DONE, init, 0, 0, 0, 0, 0);
}

static __always_inline void hvc_schedule(unsigned long why)
{
	__hypercall(HVC_SCHEDULE, why, 0, 0, 0, 0, 0);
}

static __always_inline void hvc_printk(const char *msg, unsigned long len)
{
	__hypercall(HVC_PRINTK, msg, len, 0, 0, 0, 0);
}

static __always_inline long hvc_hostfs(unsigned long op, unsigned long a1, unsigned long a2,
				       unsigned long a3, unsigned long a4, unsigned long a5)
{
	return __hypercall(HVC_HOSTFS, op, a1, a2, a3, a4, a5);
}

static __always_inline long hvc_kernfs(unsigned long op, unsigned long a1, unsigned long a2,
				       unsigned long a3, unsigned long a4, unsigned long a5)
{
	return __hypercall(HVC_KERNFS, op, a1, a2, a3, a4, a5);
}

static __always_inline long hvc_exec(const char *path, struct pt_regs *regs,
				     const void __user *argv, const void __user *envp,
				     const void *data, unsigned long size)
{
	return __hypercall(HVC_EXEC, path, regs, argv, envp, data, size);
}

static __always_inline void hvc_panic(const char *msg)
{
	__hypercall(HVC_PANIC, msg, 0, 0, 0, 0, 0);
}

struct tracepoint;

static __always_inline void hvc_tracepoint(struct tracepoint *tp, unsigned long a0, unsigned long a1,
					   unsigned long a2, unsigned long a3)
{
	__hypercall(HVC_TRACEPOINT, tp, a0, a1, a2, a3, 0);
}

static __always_inline long hvc_mm(unsigned long op, unsigned long a1, unsigned long a2,
				   unsigned long a3, unsigned long a4)
{
	return __hypercall(HVC_MM, op, a1, a2, a3, a4, 0);
}

#endif
