/* Formatted output into a buffer. Counterpart of lib/vsprintf.c: flags - 0 + space #, width and
 * precision (digits or *), length modifiers hh h l ll z t, conversions d i u o x X c s p %.
 * %p prints the raw address in 2 * sizeof(void *) hex digits (16 on arm64, 8 on mips), as %px
 * and as Linux does with no_hash_pointers;
 * %ptR prints a struct rtc_time (%ptRd its date, %ptRt its time); other %p extensions are not
 * interpreted (the letter is consumed). */
#include "kernel.h"
#include "string.h"
#include "rtc.h"

#define ZEROPAD	1
#define SIGN	2
#define PLUS	4
#define SPACE	8
#define LEFT	16
#define SPECIAL	32
#define SMALL	64

struct printf_spec {
	unsigned int flags;
	int field_width;
	int precision;
	int base;
};

/* Emit one character: count it always, store it only while there is room. */
static inline void put(char **buf, char *end, char c)
{
	if (*buf < end)
		**buf = c;
	(*buf)++;
}

static void number(char **buf, char *end, unsigned long long num, struct printf_spec spec)
{
	static const char digits[] = "0123456789ABCDEF";
	char tmp[24];
	char sign = 0;
	char locase = (spec.flags & SMALL) ? 0x20 : 0;
	int i = 0, width = spec.field_width, precision = spec.precision;
	int prefix = 0;

	if (spec.flags & SIGN) {
		if ((long long)num < 0) {
			sign = '-';
			num = -(long long)num;
		} else if (spec.flags & PLUS) {
			sign = '+';
		} else if (spec.flags & SPACE) {
			sign = ' ';
		}
	}
	if (sign)
		width--;
	if ((spec.flags & SPECIAL) && num) {
		if (spec.base == 16)
			prefix = 2;
		else if (spec.base == 8)
			prefix = 1;
		width -= prefix;
	}

	if (num == 0 && precision != 0) {
		tmp[i++] = '0';
	} else {
		while (num) {
			tmp[i++] = digits[num % spec.base] | locase;
			num /= spec.base;
		}
	}
	if (precision < i)
		precision = i;
	width -= precision;

	if (!(spec.flags & (ZEROPAD | LEFT)))
		while (width-- > 0)
			put(buf, end, ' ');
	if (sign)
		put(buf, end, sign);
	if (prefix) {
		put(buf, end, '0');
		if (prefix == 2)
			put(buf, end, 'X' | locase);
	}
	if (!(spec.flags & LEFT)) {
		char c = (spec.flags & ZEROPAD) ? '0' : ' ';

		while (width-- > 0)
			put(buf, end, c);
	}
	while (i < precision--)
		put(buf, end, '0');
	while (i-- > 0)
		put(buf, end, tmp[i]);
	while (width-- > 0)
		put(buf, end, ' ');
}

static void string(char **buf, char *end, const char *s, struct printf_spec spec)
{
	int len, width = spec.field_width;

	if (!s)
		s = "(null)";
	len = strnlen(s, spec.precision < 0 ? ~0UL : (size_t)spec.precision);
	if (!(spec.flags & LEFT))
		while (len < width--)
			put(buf, end, ' ');
	for (int i = 0; i < len; i++)
		put(buf, end, s[i]);
	while (len < width--)
		put(buf, end, ' ');
}

static int skip_atoi(const char **s)
{
	int i = 0;

	while (**s >= '0' && **s <= '9')
		i = i * 10 + *((*s)++) - '0';
	return i;
}

noinline /* %ptR: "YYYY-MM-DDTHH:MM:SS"; with d the date only, with t the time only. */
static void rtc_str(char **buf, char *end, const struct rtc_time *tm, const char **fmt)
{
	bool have_date = true, have_time = true;
	char tmp[32];
	int n = 0;

	if ((*fmt)[1] == 'd') {
		have_time = false;
		(*fmt)++;
	} else if ((*fmt)[1] == 't') {
		have_date = false;
		(*fmt)++;
	}
	if (have_date)
		n += snprintf(tmp + n, sizeof(tmp) - n, "%04d-%02d-%02d", tm->tm_year + 1900,
			      tm->tm_mon + 1, tm->tm_mday);
	if (have_date && have_time)
		tmp[n++] = 'T';
	if (have_time)
		n += snprintf(tmp + n, sizeof(tmp) - n, "%02d:%02d:%02d", tm->tm_hour, tm->tm_min,
			      tm->tm_sec);
	for (int i = 0; i < n; i++)
		put(buf, end, tmp[i]);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	char *str = buf, *end = buf + size;

	/* sprintf() passes INT_MAX: on a 32-bit kernel buf + size wraps; end is then the top of
	 * the address space, as Linux's vsnprintf makes it. */
	if (end < buf)
		end = (char *)-1;

	for (; *fmt; fmt++) {
		struct printf_spec spec = { .field_width = -1, .precision = -1, .base = 10 };
		int qualifier = 0;
		unsigned long long num;

		if (*fmt != '%') {
			put(&str, end, *fmt);
			continue;
		}

		/* flags */
		for (;;) {
			fmt++;
			if (*fmt == '-')
				spec.flags |= LEFT;
			else if (*fmt == '+')
				spec.flags |= PLUS;
			else if (*fmt == ' ')
				spec.flags |= SPACE;
			else if (*fmt == '#')
				spec.flags |= SPECIAL;
			else if (*fmt == '0')
				spec.flags |= ZEROPAD;
			else
				break;
		}

		if (*fmt >= '0' && *fmt <= '9') {
			spec.field_width = skip_atoi(&fmt);
		} else if (*fmt == '*') {
			fmt++;
			spec.field_width = va_arg(args, int);
			if (spec.field_width < 0) {
				spec.field_width = -spec.field_width;
				spec.flags |= LEFT;
			}
		}

		if (*fmt == '.') {
			fmt++;
			if (*fmt >= '0' && *fmt <= '9') {
				spec.precision = skip_atoi(&fmt);
			} else if (*fmt == '*') {
				fmt++;
				spec.precision = va_arg(args, int);
			} else {
				spec.precision = 0;
			}
			if (spec.precision < 0)
				spec.precision = 0;
		}

		/* length: 'H' for hh, 'L' for ll */
		if (*fmt == 'h') {
			qualifier = 'h';
			if (*++fmt == 'h') {
				qualifier = 'H';
				fmt++;
			}
		} else if (*fmt == 'l') {
			qualifier = 'l';
			if (*++fmt == 'l') {
				qualifier = 'L';
				fmt++;
			}
		} else if (*fmt == 'z' || *fmt == 't') {
			qualifier = 'l';
			fmt++;
		}

		switch (*fmt) {
		case 'c': {
			int width = spec.field_width;

			if (!(spec.flags & LEFT))
				while (--width > 0)
					put(&str, end, ' ');
			put(&str, end, (char)va_arg(args, int));
			while (--width > 0)
				put(&str, end, ' ');
			continue;
		}
		case 's':
			string(&str, end, va_arg(args, const char *), spec);
			continue;
		case 'p':
			if (fmt[1] == 't' && fmt[2] == 'R') {
				fmt += 2;
				rtc_str(&str, end, va_arg(args, const struct rtc_time *), &fmt);
				continue;
			}
			/* Consume an extension letter (%px, %pK, ...): printed raw in any case. */
			while ((fmt[1] >= 'a' && fmt[1] <= 'z') || (fmt[1] >= 'A' && fmt[1] <= 'Z'))
				fmt++;
			spec.flags |= SMALL | ZEROPAD;
			if (spec.field_width < 0)
				spec.field_width = 2 * sizeof(void *);
			spec.base = 16;
			number(&str, end, (unsigned long)va_arg(args, void *), spec);
			continue;
		case '%':
			put(&str, end, '%');
			continue;
		case 'o':
			spec.base = 8;
			break;
		case 'x':
			spec.flags |= SMALL;
			spec.base = 16;
			break;
		case 'X':
			spec.base = 16;
			break;
		case 'd':
		case 'i':
			spec.flags |= SIGN;
			break;
		case 'u':
			break;
		default:
			/* Unknown conversion: print it as written. */
			put(&str, end, '%');
			if (*fmt)
				put(&str, end, *fmt);
			else
				fmt--;
			continue;
		}

		if (spec.flags & LEFT)
			spec.flags &= ~ZEROPAD;
		if (spec.precision >= 0)
			spec.flags &= ~ZEROPAD;

		switch (qualifier) {
		case 'L':
			num = va_arg(args, unsigned long long);
			break;
		case 'l':
			num = va_arg(args, unsigned long);
			if (spec.flags & SIGN)
				num = (long)num;
			break;
		case 'h':
			num = (unsigned short)va_arg(args, int);
			if (spec.flags & SIGN)
				num = (short)num;
			break;
		case 'H':
			num = (unsigned char)va_arg(args, int);
			if (spec.flags & SIGN)
				num = (signed char)num;
			break;
		default:
			num = va_arg(args, unsigned int);
			if (spec.flags & SIGN)
				num = (int)num;
		}
		number(&str, end, num, spec);
	}

	if (size > 0) {
		if (str < end)
			*str = '\0';
		else
			end[-1] = '\0';
	}
	return str - buf;
}

/* Like vsnprintf, but returns what was stored (without the NUL). */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	int i = vsnprintf(buf, size, fmt, args);

	if (likely((size_t)i < size))
		return i;
	return size ? size - 1 : 0;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int i;

	va_start(args, fmt);
	i = vsnprintf(buf, size, fmt, args);
	va_end(args);
	return i;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int i;

	va_start(args, fmt);
	i = vscnprintf(buf, size, fmt, args);
	va_end(args);
	return i;
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list args;
	int i;

	va_start(args, fmt);
	i = vsnprintf(buf, INT_MAX, fmt, args);
	va_end(args);
	return i;
}
