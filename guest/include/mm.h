/* The page allocator over the kernel heap and struct page. Counterpart of include/linux/mm.h,
 * mm_types.h and gfp.h (one zone, no highmem, no reclaim). */
#ifndef _GUEST_MM_H
#define _GUEST_MM_H

#include "list.h"
#include <asm/memory.h>

#define MAX_PAGE_ORDER	12	/* largest block: 4096 pages = 16 MiB */

/* One per heap page; head pages of free blocks sit on free_area lists. */
struct page {
	unsigned int flags;
	unsigned int order;		/* buddy order of a free block or a page allocation */
	struct list_head lru;		/* free_area list, or the slab cache's partial list */
	struct kmem_cache *slab_cache;	/* PG_slab pages: their cache */
	void *freelist;			/* PG_slab pages: first free object */
	unsigned int inuse;		/* PG_slab pages: objects handed out */
};

#define PG_buddy	0x1		/* head of a free block */
#define PG_head		0x2		/* head of an allocated block (kmalloc_large) */
#define PG_slab		0x4		/* belongs to a kmem_cache */
#define PG_reserved	0x8		/* mem_map itself */

typedef unsigned int gfp_t;
#define GFP_KERNEL	0x0
#define __GFP_ZERO	0x100

extern unsigned long heap_start, heap_end;

void mem_init(void);
struct page *alloc_pages(gfp_t gfp, unsigned int order);
void __free_pages(struct page *page, unsigned int order);
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
void free_pages(unsigned long addr, unsigned int order);
struct page *virt_to_page(const void *addr);
void *page_address(const struct page *page);
unsigned long nr_free_pages(void);

static inline unsigned int get_order(unsigned long size)
{
	unsigned int order = 0;

	size = (size - 1) >> PAGE_SHIFT;
	while (size) {
		order++;
		size >>= 1;
	}
	return order;
}

#endif
