/* Basic kernel types. Counterpart of include/linux/types.h, include/uapi/asm-generic/int-ll64.h,
 * include/uapi/asm-generic/posix_types.h and the freestanding bits of stddef.h/stdarg.h (the guest
 * includes no compiler headers). The same on 64-bit (LP64: arm64) and 32-bit (ILP32: mips o32)
 * kernels: size_t and ptrdiff_t are the compiler's own (__kernel_size_t is unsigned int on 32-bit
 * MIPS, unsigned long on arm64), so printk's %zu/%zd match either way. */
#ifndef _GUEST_TYPES_H
#define _GUEST_TYPES_H

#include "compiler.h"

typedef unsigned char		u8;
typedef unsigned short		u16;
typedef unsigned int		u32;
typedef unsigned long long	u64;
typedef signed char		s8;
typedef short			s16;
typedef int			s32;
typedef long long		s64;

typedef __SIZE_TYPE__		size_t;
typedef __PTRDIFF_TYPE__	ssize_t;
typedef __PTRDIFF_TYPE__	ptrdiff_t;
typedef unsigned long		uintptr_t;
typedef long long		loff_t;
typedef long			off_t;
typedef unsigned short		umode_t;
typedef u32			dev_t;
typedef int			pid_t;
typedef u32			uid_t;
typedef u32			gid_t;
typedef s64			time64_t;
typedef _Bool			bool;

#define true	1
#define false	0
#define NULL	((void *)0)

#define offsetof(t, m)		__builtin_offsetof(t, m)

typedef __builtin_va_list	va_list;
#define va_start(ap, last)	__builtin_va_start(ap, last)
#define va_arg(ap, type)	__builtin_va_arg(ap, type)
#define va_end(ap)		__builtin_va_end(ap)
#define va_copy(d, s)		__builtin_va_copy(d, s)

#define BITS_PER_LONG		(__SIZEOF_LONG__ * 8)
#define ULONG_MAX		(~0UL)
#define LONG_MAX		((long)(ULONG_MAX >> 1))
#define INT_MAX			((int)(~0U >> 1))
#define INT_MIN			(-INT_MAX - 1)
#define LLONG_MAX		((long long)(~0ULL >> 1))
#define UINT_MAX		(~0U)

#endif
