/* The arch-independent half of the oracle programs' freestanding runtime: the fixed-width types,
 * the few libc functions GCC may call on its own (memcpy, memset, ...), buffered output with
 * hex32, and rt_start, which runs main and flushes. Each arch's rt.h defines u64, s64 and size_t
 * for its ABI and the sys_write/sys_exit system calls, includes this file, then adds what depends
 * on the word size (hex64, show, opaque, VALS, mix) and its _start. No Linux counterpart. */
#ifndef RT_COMMON_H
#define RT_COMMON_H

typedef unsigned int u32;
typedef int s32;
typedef unsigned short u16;
typedef short s16;
typedef unsigned char u8;
typedef signed char s8;

#define NOINLINE __attribute__((noinline))
#define USED __attribute__((used))

USED void *memcpy(void *d, const void *s, size_t n)
{
	u8 *dp = d;
	const u8 *sp = s;
	while (n--)
		*dp++ = *sp++;
	return d;
}

USED void *memmove(void *d, const void *s, size_t n)
{
	u8 *dp = d;
	const u8 *sp = s;
	if (dp < sp) {
		while (n--)
			*dp++ = *sp++;
	} else {
		while (n--)
			dp[n] = sp[n];
	}
	return d;
}

USED void *memset(void *d, int c, size_t n)
{
	u8 *dp = d;
	while (n--)
		*dp++ = (u8)c;
	return d;
}

USED int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

USED size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

static char out_buf[4096];
static unsigned out_len;

static NOINLINE void flush(void)
{
	if (out_len)
		sys_write(1, out_buf, out_len);
	out_len = 0;
}

static void putch(char c)
{
	if (out_len == sizeof(out_buf))
		flush();
	out_buf[out_len++] = c;
}

static void puts_(const char *s)
{
	while (*s)
		putch(*s++);
}

static void hex32(u32 v)
{
	for (int i = 28; i >= 0; i -= 4)
		putch("0123456789abcdef"[(v >> i) & 15]);
}

int main(void);

/* Called by _start; its result is the exit status. */
USED int rt_start(void)
{
	int status = main();
	flush();
	return status;
}

#endif
