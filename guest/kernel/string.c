/* String and memory primitives. Counterpart of lib/string.c (arm64 and mips Linux use assembly
 * versions from arch/<arch>/lib; plain C, a word at a time, is enough here). gcc may emit calls
 * to memcpy, memset, memmove and memcmp for structure copies, so these names are required. */
#include "string.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Word copies when both are aligned: user buffers and file data are copied a lot. */
	if ((((unsigned long)d | (unsigned long)s) & (sizeof(long) - 1)) == 0) {
		while (n >= sizeof(long)) {
			*(unsigned long *)d = *(const unsigned long *)s;
			d += sizeof(long);
			s += sizeof(long);
			n -= sizeof(long);
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	d += n;
	s += n;
	while (n--)
		*--d = *--s;
	return dst;
}

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	if (((unsigned long)p & (sizeof(long) - 1)) == 0) {
		unsigned long v = (unsigned char)c;

		v |= v << 8;
		v |= v << 16;
		if (BITS_PER_LONG > 32)
			v |= v << 16 << 16;
		while (n >= sizeof(long)) {
			*(unsigned long *)p = v;
			p += sizeof(long);
			n -= sizeof(long);
		}
	}
	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	unsigned char c1, c2;

	do {
		c1 = *a++;
		c2 = *b++;
		if (c1 != c2)
			return c1 < c2 ? -1 : 1;
	} while (c1);
	return 0;
}

int strncmp(const char *a, const char *b, size_t n)
{
	unsigned char c1, c2;

	while (n--) {
		c1 = *a++;
		c2 = *b++;
		if (c1 != c2)
			return c1 < c2 ? -1 : 1;
		if (!c1)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s != (char)c; s++)
		if (!*s)
			return NULL;
	return (char *)s;
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	do {
		if (*s == (char)c)
			last = s;
	} while (*s++);
	return (char *)last;
}

/* Copy with truncation: the length copied, or -E2BIG when src did not fit. */
ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t i;

	if (!size)
		return -E2BIG;
	for (i = 0; i < size; i++) {
		dst[i] = src[i];
		if (!src[i])
			return i;
	}
	dst[size - 1] = '\0';
	return -E2BIG;
}
