/* strncpy_from_user: the range check around the arch routine. Counterpart of
 * lib/strncpy_from_user.c: the copy may not run past the end of user space, and a string that
 * would is -EFAULT, as on Linux. */
#include "uaccess.h"

noinline long strncpy_from_user(char *dst, const char __user *src, long count)
{
	unsigned long addr = (unsigned long)src;
	unsigned long limit = current->addr_limit;
	long max, res;

	if (count <= 0)
		return 0;
	if (limit == KERNEL_DS)
		return arch_strncpy_from_user(dst, src, count);
	if (addr < USER_LOWEST || addr >= limit)
		return -EFAULT;
	max = (limit - addr < (unsigned long)count) ? (long)(limit - addr) : count;
	res = arch_strncpy_from_user(dst, src, max);
	if (res == max && max < count)
		return -EFAULT;
	return res;
}
