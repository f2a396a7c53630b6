/* arm64's own system calls. Counterpart of arch/arm64/kernel/sys.c: mmap takes its offset in
 * bytes, which must be page-aligned, and passes it on in pages. */
#include "kernel.h"
#include "syscalls.h"
#include <asm/memory.h>

SYSCALL_DEFINE6(mmap, unsigned long, addr, unsigned long, len, unsigned long, prot,
		unsigned long, flags, unsigned long, fd, unsigned long, off)
{
	if (off & ~PAGE_MASK)
		return -EINVAL;
	return ksys_mmap_pgoff(addr, len, prot, flags, fd, off >> PAGE_SHIFT);
}
