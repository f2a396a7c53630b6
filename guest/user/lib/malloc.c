/* malloc and free over the program break. Every block has a 16-byte header with its size and
 * a "free" bit; blocks tile the heap from its start to the break, so malloc walks them first
 * fit, merging runs of free neighbours on the way, and grows the break (sbrk) when nothing
 * fits. Counterpart in spirit of musl's old malloc (src/malloc/lite_malloc.c + brk expansion). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdint.h>

#define ALIGNMENT	16
#define HDR		16
#define FREE_BIT	1UL
#define GROW		(64 * 1024)

struct block {
	size_t size;		/* whole block, header included; low bit = free */
	size_t pad;
};

static char *heap_start, *heap_end;

static inline size_t bsize(const struct block *b)
{
	return b->size & ~FREE_BIT;
}

static inline struct block *next_block(struct block *b)
{
	return (struct block *)((char *)b + bsize(b));
}

static int grow(size_t need)
{
	size_t inc = need > GROW ? (need + GROW - 1) / GROW * GROW : GROW;
	char *p;
	struct block *b;

	if (!heap_start) {
		p = sbrk(0);
		/* Start on an aligned address. */
		size_t adj = (ALIGNMENT - ((uintptr_t)p & (ALIGNMENT - 1))) & (ALIGNMENT - 1);

		if (adj && sbrk(adj) == (void *)-1)
			return -1;
		heap_start = heap_end = p + adj;
	}
	p = sbrk(inc);
	if (p == (void *)-1)
		return -1;
	b = (struct block *)heap_end;
	b->size = inc | FREE_BIT;
	heap_end += inc;
	return 0;
}

void *malloc(size_t size)
{
	size_t need;

	if (size > (size_t)-1 / 2)
		return NULL;
	need = (size + HDR + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1);
	for (int attempt = 0; attempt < 2; attempt++) {
		struct block *b = (struct block *)heap_start;

		while ((char *)b < heap_end) {
			if (b->size & FREE_BIT) {
				/* Merge following free blocks into this one. */
				struct block *n = next_block(b);

				while ((char *)n < heap_end && (n->size & FREE_BIT)) {
					b->size += bsize(n);
					n = next_block(b);
				}
				if (bsize(b) >= need) {
					size_t rest = bsize(b) - need;

					if (rest >= HDR + ALIGNMENT) {
						struct block *r = (struct block *)((char *)b + need);

						r->size = rest | FREE_BIT;
						b->size = need;
					} else {
						b->size = bsize(b);
					}
					return (char *)b + HDR;
				}
			}
			b = next_block(b);
		}
		if (grow(need) < 0)
			return NULL;
	}
	return NULL;
}

void free(void *p)
{
	if (p)
		((struct block *)((char *)p - HDR))->size |= FREE_BIT;
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > (size_t)-1 / size)
		return NULL;
	p = malloc(n * size);
	return p ? memset(p, 0, n * size) : NULL;
}

void *realloc(void *p, size_t size)
{
	size_t old;
	void *n;

	if (!p)
		return malloc(size);
	old = bsize((struct block *)((char *)p - HDR)) - HDR;
	if (size <= old)
		return p;
	n = malloc(size);
	if (!n)
		return NULL;
	memcpy(n, p, old);
	free(p);
	return n;
}
