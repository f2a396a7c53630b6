/* The buddy page allocator over the kernel heap (__heap_start .. HEAP_END, ABI.md).
 * Counterpart of mm/page_alloc.c and mm/mm_init.c: one zone, free lists per order, blocks
 * split on allocation and merged with their buddy on free. struct page entries (mem_map) sit
 * at the start of the heap itself. */
#include "mm.h"
#include "string.h"
#include "kprobes.h"

unsigned long heap_start, heap_end;
static struct page *mem_map;
static unsigned long nr_pages;
static unsigned long free_pages_count;

struct free_area {
	struct list_head free_list;
	unsigned long nr_free;
};
static struct free_area free_area[MAX_PAGE_ORDER + 1];

static inline unsigned long page_to_idx(const struct page *page)
{
	return page - mem_map;
}

void *page_address(const struct page *page)
{
	return (void *)(heap_start + (page_to_idx(page) << PAGE_SHIFT));
}

struct page *virt_to_page(const void *addr)
{
	unsigned long a = (unsigned long)addr;

	if (a < heap_start || a >= heap_end)
		return NULL;
	return &mem_map[(a - heap_start) >> PAGE_SHIFT];
}

static void add_to_free_area(struct page *page, unsigned int order)
{
	page->flags = PG_buddy;
	page->order = order;
	list_add(&page->lru, &free_area[order].free_list);
	free_area[order].nr_free++;
}

static void del_from_free_area(struct page *page, unsigned int order)
{
	list_del_init(&page->lru);
	page->flags &= ~PG_buddy;
	free_area[order].nr_free--;
}

noinline struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	unsigned int current_order;
	struct page *page;

	if (order > MAX_PAGE_ORDER)
		return NULL;
	for (current_order = order; current_order <= MAX_PAGE_ORDER; current_order++) {
		if (list_empty(&free_area[current_order].free_list))
			continue;
		page = list_first_entry(&free_area[current_order].free_list, struct page, lru);
		del_from_free_area(page, current_order);
		/* Split: the upper halves go back on the lower free lists (expand()). */
		while (current_order > order) {
			current_order--;
			add_to_free_area(page + (1UL << current_order), current_order);
		}
		page->flags = 0;
		page->order = order;
		free_pages_count -= 1UL << order;
		if (gfp & __GFP_ZERO)
			memset(page_address(page), 0, PAGE_SIZE << order);
		return page;
	}
	return NULL;
}

noinline void __free_pages(struct page *page, unsigned int order)
{
	unsigned long idx = page_to_idx(page);

	free_pages_count += 1UL << order;
	while (order < MAX_PAGE_ORDER) {
		unsigned long buddy_idx = idx ^ (1UL << order);
		struct page *buddy;

		if (buddy_idx >= nr_pages)
			break;
		buddy = &mem_map[buddy_idx];
		if (!(buddy->flags & PG_buddy) || buddy->order != order)
			break;
		del_from_free_area(buddy, order);
		idx &= buddy_idx;
		order++;
	}
	add_to_free_area(&mem_map[idx], order);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}

unsigned long nr_free_pages(void)
{
	return free_pages_count;
}

/* mem_init: carve mem_map from the bottom of the heap, free everything above it. */
void mem_init(void)
{
	unsigned long map_pages, idx;
	unsigned int order;

	heap_start = (unsigned long)__heap_start;
	heap_end = HEAP_END;
	nr_pages = (heap_end - heap_start) >> PAGE_SHIFT;
	mem_map = (struct page *)heap_start;
	map_pages = DIV_ROUND_UP(nr_pages * sizeof(struct page), PAGE_SIZE);
	memset(mem_map, 0, map_pages * PAGE_SIZE);

	for (order = 0; order <= MAX_PAGE_ORDER; order++)
		INIT_LIST_HEAD(&free_area[order].free_list);
	for (idx = 0; idx < map_pages; idx++) {
		INIT_LIST_HEAD(&mem_map[idx].lru);
		mem_map[idx].flags = PG_reserved;
	}

	/* Free the rest in the largest naturally aligned blocks that fit. */
	idx = map_pages;
	while (idx < nr_pages) {
		order = MAX_PAGE_ORDER;
		while (order && ((idx & ((1UL << order) - 1)) || idx + (1UL << order) > nr_pages))
			order--;
		INIT_LIST_HEAD(&mem_map[idx].lru);
		add_to_free_area(&mem_map[idx], order);
		free_pages_count += 1UL << order;
		idx += 1UL << order;
	}
	printk(KERN_INFO "Memory: %luK/%luK available (heap %0*lx-%0*lx)\n",
	       free_pages_count << (PAGE_SHIFT - 10), nr_pages << (PAGE_SHIFT - 10),
	       (int)(2 * sizeof(long)), heap_start, (int)(2 * sizeof(long)), heap_end);
}
