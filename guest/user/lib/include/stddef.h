/* Freestanding stddef.h of the guest's tiny C library: the compiler's own size types (unsigned
 * long on LP64 arm64, unsigned int on ILP32 mips). */
#ifndef _STDDEF_H
#define _STDDEF_H

typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ssize_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
#define NULL ((void *)0)
#define offsetof(t, m) __builtin_offsetof(t, m)

#endif
