/* User memory system calls. The user address space (page tables, the program break, the
 * mappings) is kept by TypeScript, so after checking the arguments as Linux does
 * (mm/mmap.c, mm/nommu.c's validation order) these forward to HVC_MM (ABI.md). Counterpart of
 * mm/mmap.c (brk, ksys_mmap_pgoff, munmap). */
#include "sched.h"
#include "syscalls.h"
#include "hypercall.h"
#include "fdtable.h"
#include "uapi.h"

/* The break moves to brk if it can; the result is the break in either case (mm/mmap.c). */
SYSCALL_DEFINE1(brk, unsigned long, brk)
{
	return hvc_mm(MM_BRK, brk, 0, 0, 0);
}

/* The arch's mmap system calls (arm64's mmap, mips's mips_mmap and mips_mmap2) check their
 * offset and come here with it in pages. */
noinline unsigned long ksys_mmap_pgoff(unsigned long addr, unsigned long len, unsigned long prot,
				       unsigned long flags, unsigned long fd, unsigned long pgoff)
{
	if (!len)
		return -EINVAL;
	if (PAGE_ALIGN(len) < len || PAGE_ALIGN(len) > TASK_SIZE)
		return -ENOMEM;
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
	case MAP_PRIVATE:
	case MAP_SHARED_VALIDATE:
		break;
	default:
		return -EINVAL;
	}
	if (!(flags & MAP_ANONYMOUS)) {
		/* File mappings would need the page cache; none of our file systems has mmap. */
		struct file *file = fget(fd);

		if (!file)
			return -EBADF;
		fput(file);
		return -ENODEV;
	}
	return hvc_mm(MM_MMAP, PAGE_ALIGN(len), addr, prot, flags);
}

SYSCALL_DEFINE2(munmap, unsigned long, addr, size_t, len)
{
	if ((addr & ~PAGE_MASK) || addr > TASK_SIZE || len > TASK_SIZE - addr)
		return -EINVAL;
	if (!len)
		return -EINVAL;
	return hvc_mm(MM_MUNMAP, addr, PAGE_ALIGN(len), 0, 0);
}
