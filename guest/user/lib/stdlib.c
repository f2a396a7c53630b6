/* Number conversions and sorting. Counterpart of musl's src/stdlib (strtol, atoi, qsort;
 * qsort here is a plain insertion sort, enough for small arrays). */
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;

	while (isspace(*s))
		s++;
	if (*s == '+')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] | 32) == 'x') {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (;; s++) {
		int d;

		if (isdigit(*s))
			d = *s - '0';
		else if (isalpha(*s))
			d = (*s | 32) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;
	}
	if (end)
		*end = (char *)s;
	return v;
}

long strtol(const char *s, char **end, int base)
{
	int neg = 0;

	while (isspace(*s))
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	return neg ? -(long)strtoul(s, end, base) : (long)strtoul(s, end, base);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

static void swap_bytes(char *a, char *b, size_t n)
{
	while (n--) {
		char t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *a = base;

	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp(a + (j - 1) * size, a + j * size) > 0; j--)
			swap_bytes(a + (j - 1) * size, a + j * size, size);
}
