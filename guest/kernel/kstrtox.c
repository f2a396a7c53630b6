/* Strict conversion of a string to an unsigned long: the whole string must be the number,
 * one trailing newline allowed (what `echo` writes to a sysfs file). Counterpart of
 * lib/kstrtox.c (kstrtoull with base 0 or 8/10/16, a leading '+' accepted). */
#include "kernel.h"

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long long acc = 0;
	int digits = 0;

	if (*s == '+')
		s++;
	if (base == 0 || base == 16) {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
		    ((s[2] >= '0' && s[2] <= '9') || ((s[2] | 0x20) >= 'a' && (s[2] | 0x20) <= 'f'))) {
			base = 16;
			s += 2;
		} else if (base == 0) {
			base = s[0] == '0' ? 8 : 10;
		}
	}
	for (;; s++, digits++) {
		unsigned int c = (unsigned char)*s, v;

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v = (c | 0x20) - 'a' + 10;
		else
			break;
		if (v >= base)
			break;
		if (acc > (~0ULL - v) / base)
			return -ERANGE;
		acc = acc * base + v;
	}
	if (!digits)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	/* _kstrtoul: on a 32-bit kernel the value must also fit an unsigned long. */
	if (acc != (unsigned long)acc)
		return -ERANGE;
	*res = acc;
	return 0;
}
