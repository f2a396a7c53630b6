/* The arm64 user-copy routines (arch/arm64/lib/copy_user.S here) behind the generic uaccess.h.
 * Counterpart of arch/arm64/include/asm/uaccess.h (raw_copy_from_user, raw_copy_to_user,
 * __clear_user over the __arch_* routines). Included by uaccess.h. */
#ifndef _ASM_UACCESS_H
#define _ASM_UACCESS_H

#include "types.h"

unsigned long __arch_copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long __arch_copy_to_user(void __user *to, const void *from, unsigned long n);
unsigned long __arch_clear_user(void __user *to, unsigned long n);
long __arch_strncpy_from_user(char *dst, const char __user *src, long count);

/* Each returns the number of bytes not copied (0: all done). */
static __always_inline unsigned long raw_copy_from_user(void *to, const void __user *from,
							unsigned long n)
{
	return __arch_copy_from_user(to, from, n);
}

static __always_inline unsigned long raw_copy_to_user(void __user *to, const void *from,
						      unsigned long n)
{
	return __arch_copy_to_user(to, from, n);
}

static __always_inline unsigned long __clear_user(void __user *to, unsigned long n)
{
	return __arch_clear_user(to, n);
}

/* The string length (without the NUL), count if no NUL came in count bytes, or -EFAULT. */
static __always_inline long arch_strncpy_from_user(char *dst, const char __user *src, long count)
{
	return __arch_strncpy_from_user(dst, src, count);
}

#endif
