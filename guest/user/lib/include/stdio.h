/* Formatted output straight to file descriptors (no FILE buffering: each call is one or more
 * write(2)s, so output interleaves deterministically). */
#ifndef _STDIO_H
#define _STDIO_H

#include <stddef.h>
#include <stdarg.h>

#define EOF (-1)

int printf(const char *fmt, ...) __attribute__((__format__(printf, 1, 2)));
int dprintf(int fd, const char *fmt, ...) __attribute__((__format__(printf, 2, 3)));
int vdprintf(int fd, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((__format__(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int puts(const char *s);
int putchar(int c);
void perror(const char *s);

#endif
