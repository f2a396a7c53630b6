/* kmalloc/kfree. Counterpart of include/linux/slab.h. */
#ifndef _GUEST_SLAB_H
#define _GUEST_SLAB_H

#include "mm.h"

#define KMALLOC_MIN_SIZE	16
#define KMALLOC_MAX_CACHE_SIZE	2048	/* larger requests take whole pages */

void kmem_cache_init(void);
void *kmalloc(size_t size, gfp_t flags);
void *krealloc(const void *p, size_t new_size, gfp_t flags);
void kfree(const void *object);
size_t ksize(const void *p);

static inline void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

#endif
