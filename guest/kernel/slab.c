/* kmalloc/kfree: power-of-two object caches carved from single pages, and whole-page blocks
 * for anything larger than 2 KiB (kernel stacks, file data). Counterpart of mm/slab_common.c
 * and mm/slub.c in spirit: per-cache partial slab lists and a free list threaded through the
 * free objects of each slab page. */
#include "slab.h"
#include "string.h"

struct kmem_cache {
	const char *name;
	unsigned int size;
	struct list_head partial;	/* slab pages with at least one free object */
	unsigned long nr_slabs;
};

static struct kmem_cache kmalloc_caches[] = {
	{ "kmalloc-16", 16 },
	{ "kmalloc-32", 32 },
	{ "kmalloc-64", 64 },
	{ "kmalloc-128", 128 },
	{ "kmalloc-256", 256 },
	{ "kmalloc-512", 512 },
	{ "kmalloc-1k", 1024 },
	{ "kmalloc-2k", 2048 },
};

void kmem_cache_init(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(kmalloc_caches); i++)
		INIT_LIST_HEAD(&kmalloc_caches[i].partial);
}

static struct kmem_cache *kmalloc_slab(size_t size)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(kmalloc_caches); i++)
		if (size <= kmalloc_caches[i].size)
			return &kmalloc_caches[i];
	return NULL;
}

static struct page *new_slab(struct kmem_cache *s)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	char *base, *p;
	unsigned int n = PAGE_SIZE / s->size;

	if (!page)
		return NULL;
	base = page_address(page);
	/* Thread the free list through the objects, first to last. */
	for (unsigned int i = 0; i < n; i++) {
		p = base + i * s->size;
		*(void **)p = (i + 1 < n) ? p + s->size : NULL;
	}
	page->flags = PG_slab;
	page->slab_cache = s;
	page->freelist = base;
	page->inuse = 0;
	list_add(&page->lru, &s->partial);
	s->nr_slabs++;
	return page;
}

static void *slab_alloc(struct kmem_cache *s)
{
	struct page *page;
	void *object;

	if (list_empty(&s->partial)) {
		if (!new_slab(s))
			return NULL;
	}
	page = list_first_entry(&s->partial, struct page, lru);
	object = page->freelist;
	page->freelist = *(void **)object;
	page->inuse++;
	if (!page->freelist)
		list_del_init(&page->lru);	/* full: off the partial list */
	return object;
}

static void slab_free(struct page *page, void *object)
{
	struct kmem_cache *s = page->slab_cache;
	bool was_full = page->freelist == NULL;

	*(void **)object = page->freelist;
	page->freelist = object;
	page->inuse--;
	if (page->inuse == 0) {
		/* Empty: give the page back. */
		if (!was_full)
			list_del_init(&page->lru);
		page->flags = 0;
		page->slab_cache = NULL;
		page->freelist = NULL;
		s->nr_slabs--;
		__free_pages(page, 0);
		return;
	}
	if (was_full)
		list_add(&page->lru, &s->partial);
}

noinline void *kmalloc(size_t size, gfp_t flags)
{
	struct kmem_cache *s;
	void *p;

	if (size == 0)
		size = 1;
	s = kmalloc_slab(size);
	if (s) {
		p = slab_alloc(s);
		if (p && (flags & __GFP_ZERO))
			memset(p, 0, s->size);
		return p;
	}
	/* kmalloc_large: whole pages, the order remembered in the head page. */
	{
		unsigned int order = get_order(size);
		struct page *page = alloc_pages(flags, order);

		if (!page)
			return NULL;
		page->flags = PG_head;
		return page_address(page);
	}
}

size_t ksize(const void *p)
{
	struct page *page = virt_to_page(p);

	if (!page)
		return 0;
	if (page->flags & PG_slab)
		return page->slab_cache->size;
	return PAGE_SIZE << page->order;
}

noinline void kfree(const void *object)
{
	struct page *page;

	if (!object)
		return;
	page = virt_to_page(object);
	if (!page) {
		printk(KERN_WARNING "kfree: %p is not in the kernel heap\n", object);
		return;
	}
	if (page->flags & PG_slab) {
		slab_free(page, (void *)object);
	} else if (page->flags & PG_head) {
		page->flags = 0;
		__free_pages(page, page->order);
	} else {
		printk(KERN_WARNING "kfree: %p was not allocated\n", object);
	}
}

void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	size_t old_size;
	void *n;

	if (!p)
		return kmalloc(new_size, flags);
	old_size = ksize(p);
	if (new_size <= old_size)
		return (void *)p;
	n = kmalloc(new_size, flags);
	if (!n)
		return NULL;
	memcpy(n, p, old_size);
	if (flags & __GFP_ZERO)
		memset((char *)n + old_size, 0, ksize(n) - old_size);
	kfree(p);
	return n;
}
