/* printf family: one formatter writing through a small sink, used for strings (snprintf) and
 * for file descriptors (printf, dprintf: flushed with write(2) every 256 bytes and at the end).
 * Conversions d i u x X o c s p %, flags - 0 + space #, width and precision (digits or *),
 * length modifiers hh h l ll z t j (ll and j 64-bit on every arch, l, z and t long-sized). Counterpart of musl's src/stdio/vfprintf.c (integer part). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

struct sink {
	char *buf;		/* snprintf: destination; fd: staging buffer */
	size_t size;
	size_t len;		/* characters produced so far */
	int fd;			/* -1 for strings */
	size_t staged;
	int error;
	char stage[256];
};

static void flush(struct sink *s)
{
	size_t off = 0;

	while (off < s->staged) {
		ssize_t n = write(s->fd, s->stage + off, s->staged - off);

		if (n <= 0) {
			s->error = 1;
			break;
		}
		off += n;
	}
	s->staged = 0;
}

static void out(struct sink *s, char c)
{
	if (s->fd >= 0) {
		s->stage[s->staged++] = c;
		if (s->staged == sizeof(s->stage))
			flush(s);
	} else if (s->len + 1 < s->size) {
		s->buf[s->len] = c;
	}
	s->len++;
}

static void pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		out(s, c);
}

enum { LEFT = 1, ZERO = 2, PLUS = 4, SPACE = 8, ALT = 16 };

static void fmt_int(struct sink *s, unsigned long long v, int neg, int base, int upper,
		    int flags, int width, int prec)
{
	char digits[24];
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0, extra = 0;
	char sign = neg ? '-' : (flags & PLUS) ? '+' : (flags & SPACE) ? ' ' : 0;
	const char *prefix = "";

	if (v == 0 && prec == 0)
		n = 0;
	else
		do {
			digits[n++] = set[v % base];
			v /= base;
		} while (v);
	if ((flags & ALT) && base == 16 && n && !(n == 1 && digits[0] == '0'))
		prefix = upper ? "0X" : "0x";
	if ((flags & ALT) && base == 8 && (n == 0 || digits[n - 1] != '0'))
		prefix = "0";
	if (prec > n)
		extra = prec - n;
	width -= n + extra + (sign ? 1 : 0) + (int)strlen(prefix);
	if (!(flags & LEFT) && !((flags & ZERO) && prec < 0))
		pad(s, ' ', width);
	if (sign)
		out(s, sign);
	for (const char *p = prefix; *p; p++)
		out(s, *p);
	if (!(flags & LEFT) && (flags & ZERO) && prec < 0)
		pad(s, '0', width);
	pad(s, '0', extra);
	while (n)
		out(s, digits[--n]);
	if (flags & LEFT)
		pad(s, ' ', width);
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int flags = 0, width = 0, prec = -1, lng = 0;
		unsigned long long v;

		if (*fmt != '%') {
			out(s, *fmt);
			continue;
		}
		for (;;) {
			char c = *++fmt;

			if (c == '-')
				flags |= LEFT;
			else if (c == '0')
				flags |= ZERO;
			else if (c == '+')
				flags |= PLUS;
			else if (c == ' ')
				flags |= SPACE;
			else if (c == '#')
				flags |= ALT;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= LEFT;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + *fmt++ - '0';
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + *fmt++ - '0';
			}
		}
		for (;; fmt++) {
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'h')
				lng--;
			else if (*fmt == 'z' || *fmt == 't')
				lng = 1;	/* size_t and ptrdiff_t are long-sized */
			else if (*fmt == 'j')
				lng = 2;	/* intmax_t is 64-bit */
			else
				break;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			long long x = lng > 1 ? va_arg(ap, long long) :
				      lng > 0 ? va_arg(ap, long) : va_arg(ap, int);

			if (lng == -1)
				x = (short)x;
			else if (lng < -1)
				x = (signed char)x;
			fmt_int(s, x < 0 ? -(unsigned long long)x : (unsigned long long)x, x < 0, 10, 0,
				flags, width, prec);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			v = lng > 1 ? va_arg(ap, unsigned long long) :
			    lng > 0 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			if (lng == -1)
				v = (unsigned short)v;
			else if (lng < -1)
				v = (unsigned char)v;
			fmt_int(s, v, 0, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, *fmt == 'X', flags,
				width, prec);
			break;
		case 'p':
			fmt_int(s, (unsigned long)va_arg(ap, void *), 0, 16, 0, flags | ALT, width, prec);
			break;
		case 'c':
			if (!(flags & LEFT))
				pad(s, ' ', width - 1);
			out(s, (char)va_arg(ap, int));
			if (flags & LEFT)
				pad(s, ' ', width - 1);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			int len;

			if (!str)
				str = "(null)";
			len = prec >= 0 ? (int)strnlen(str, prec) : (int)strlen(str);
			if (!(flags & LEFT))
				pad(s, ' ', width - len);
			for (int i = 0; i < len; i++)
				out(s, str[i]);
			if (flags & LEFT)
				pad(s, ' ', width - len);
			break;
		}
		case '%':
			out(s, '%');
			break;
		case '\0':
			return;
		default:
			out(s, '%');
			out(s, *fmt);
		}
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .buf = buf, .size = size, .fd = -1 };

	format(&s, fmt, ap);
	if (size)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return s.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	struct sink s = { .fd = fd };

	format(&s, fmt, ap);
	flush(&s);
	return s.error ? -1 : (int)s.len;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(STDOUT_FILENO, fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *str)
{
	return dprintf(STDOUT_FILENO, "%s\n", str) < 0 ? EOF : 0;
}

int putchar(int c)
{
	char ch = (char)c;

	return write(STDOUT_FILENO, &ch, 1) == 1 ? (unsigned char)c : EOF;
}

void perror(const char *msg)
{
	if (msg && *msg)
		dprintf(STDERR_FILENO, "%s: %s\n", msg, strerror(errno));
	else
		dprintf(STDERR_FILENO, "%s\n", strerror(errno));
}
