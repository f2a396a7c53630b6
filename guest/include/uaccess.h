/* Access to user memory. Counterpart of include/linux/uaccess.h: access_ok() checks the range,
 * the arch's routines (<asm/uaccess.h>: raw_copy_from_user, raw_copy_to_user, __clear_user,
 * arch_strncpy_from_user, in arch/<arch>/lib/) carry exception-table entries so a fault inside
 * user memory becomes -EFAULT instead of an oops. */
#ifndef _GUEST_UACCESS_H
#define _GUEST_UACCESS_H

#include "kernel.h"
#include "string.h"
#include "sched.h"
#include <asm/memory.h>
#include <asm/uaccess.h>

/* A user range: below TASK_SIZE, and not in the never-mapped first page (so a NULL pointer is
 * -EFAULT as on Linux, where it faults). Zero-length ranges anywhere in user space are fine.
 * Under KERNEL_DS (kernel_read/kernel_write) kernel buffers pass too. */
static inline bool access_ok(const void __user *addr, unsigned long size)
{
	unsigned long a = (unsigned long)addr;
	unsigned long limit = current->addr_limit;

	if (limit == KERNEL_DS)
		return a + size >= a;
	if (a >= limit || size > limit - a)
		return false;
	return size == 0 || a >= USER_LOWEST;
}

static inline unsigned long force_uaccess_begin(void)
{
	unsigned long old = current->addr_limit;

	current->addr_limit = KERNEL_DS;
	return old;
}

static inline void force_uaccess_end(unsigned long old)
{
	current->addr_limit = old;
}

static inline unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left = n;

	if (access_ok(from, n))
		left = raw_copy_from_user(to, from, n);
	if (unlikely(left))
		memset((char *)to + (n - left), 0, left);
	return left;
}

static inline unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	return raw_copy_to_user(to, from, n);
}

static inline unsigned long clear_user(void __user *to, unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	return __clear_user(to, n);
}

/* get_user/put_user: 0 or -EFAULT. */
#define get_user(x, ptr) ({						\
	__typeof__(*(ptr)) __gu_val;					\
	int __gu_err = copy_from_user(&__gu_val, (ptr), sizeof(*(ptr))) ? -EFAULT : 0; \
	(x) = __gu_err ? (__typeof__(*(ptr)))0 : __gu_val;		\
	__gu_err;							\
})

#define put_user(x, ptr) ({						\
	__typeof__(*(ptr)) __pu_val = (x);				\
	copy_to_user((ptr), &__pu_val, sizeof(*(ptr))) ? -EFAULT : 0;	\
})

long strncpy_from_user(char *dst, const char __user *src, long count);

#endif
