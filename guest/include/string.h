/* Kernel string and memory functions. Counterpart of include/linux/string.h (lib/string.c). */
#ifndef _GUEST_STRING_H
#define _GUEST_STRING_H

#include "types.h"
#include "errno.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
ssize_t strscpy(char *dst, const char *src, size_t size);

/* The last component of a path, as used for task->comm (include/linux/string.h). */
static inline const char *kbasename(const char *path)
{
	const char *tail = strrchr(path, '/');

	return tail ? tail + 1 : path;
}

#endif
