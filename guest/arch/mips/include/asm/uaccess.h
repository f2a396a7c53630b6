/* The mips user-copy routines (arch/mips/lib/copy_user.S here) behind the generic uaccess.h.
 * Counterpart of arch/mips/include/asm/uaccess.h (raw_copy_from_user and raw_copy_to_user over
 * __copy_user, __clear_user, and strncpy_from_user's __strncpy_from_user_asm); here they follow
 * the o32 calling convention (Linux's __copy_user takes and returns its count in a2). Included
 * by uaccess.h. */
#ifndef _ASM_UACCESS_H
#define _ASM_UACCESS_H

#include "types.h"

unsigned long __copy_user(void *to, const void *from, unsigned long n);
unsigned long __clear_user(void __user *addr, unsigned long size);
long __strncpy_from_user_asm(char *dst, const char __user *src, long count);

/* Each returns the number of bytes not copied (0: all done). */
static __always_inline unsigned long raw_copy_from_user(void *to, const void __user *from,
							unsigned long n)
{
	return __copy_user(to, (const void *)from, n);
}

static __always_inline unsigned long raw_copy_to_user(void __user *to, const void *from,
						      unsigned long n)
{
	return __copy_user((void *)to, from, n);
}

/* The string length (without the NUL), count if no NUL came in count bytes, or -EFAULT. */
static __always_inline long arch_strncpy_from_user(char *dst, const char __user *src, long count)
{
	return __strncpy_from_user_asm(dst, src, count);
}

#endif
