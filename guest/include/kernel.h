/* Helpers every kernel file uses. Counterpart of include/linux/kernel.h, minmax.h,
 * container_of.h, align.h and err.h. */
#ifndef _GUEST_KERNEL_H
#define _GUEST_KERNEL_H

#include "types.h"
#include "errno.h"

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define BIT(n)			(1UL << (n))

#define NR_CPUS			1	/* CONFIG_NR_CPUS: the machine has one CPU */

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)

/* Error pointers: the top 4095 values of the address space encode -errno. */
#define MAX_ERRNO		4095
#define IS_ERR_VALUE(x)		unlikely((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error)		{ return (void *)error; }
static inline long PTR_ERR(const void *ptr)	{ return (long)ptr; }
static inline bool IS_ERR(const void *ptr)	{ return IS_ERR_VALUE((unsigned long)ptr); }
static inline void *ERR_CAST(const void *ptr)	{ return (void *)ptr; }
static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR_VALUE((unsigned long)ptr);
}

#include "printk.h"

/* BUG(): a kernel bug the guest cannot recover from. */
#define BUG() panic("kernel BUG at %s:%d!", __func__, __LINE__)
#define BUG_ON(c) do { if (unlikely(c)) BUG(); } while (0)

#endif
