/* The mips memory map of guest/ABI.md. Counterpart of arch/mips/include/asm/addrspace.h and
 * processor.h (kseg0, TASK_SIZE) and of the board addresses a MIPS machine's device tree would
 * give. The CPU has no TLB: kseg0 and up (0x80000000..) is the kernel half, used directly, and
 * kuseg (below 0x80000000) the current task's user address space. */
#ifndef _ASM_MEMORY_H
#define _ASM_MEMORY_H

/* Constants usable from C and from the assembler (include/uapi/linux/const.h's _AC). */
#ifdef __ASSEMBLY__
#define _AC(X, Y)		X
#else
#define _AC(X, Y)		X##Y
#endif

#define KIMAGE_VADDR		0x80100000		/* kernel image (_text), in kseg0 */
#define HEAP_END		0x82000000		/* end of the kernel heap */
#define UART_BASE		0xbf000000		/* PL011, in kseg1 */
#define PL031_BASE		0xbf001000		/* PL031 real-time clock */
#define PL031_BUS_ADDR		_AC(0x1f001000, UL)		/* its physical address (kseg1 - 0xa0000000) */
#define KPROBE_INSN_SLOTS	0xbe000000		/* written by TypeScript only */

#define PAGE_SHIFT		12
#define PAGE_SIZE		(_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)		(((x) + PAGE_SIZE - 1) & PAGE_MASK)

#define THREAD_SHIFT		14
#define THREAD_SIZE		(_AC(1, UL) << THREAD_SHIFT)	/* 16 KiB kernel stacks */

/* User addresses: kuseg below 0x80000000, less the last 32 KiB (TASK_SIZE32 of a 64-bit MIPS
 * kernel; a 32-bit Linux kernel uses 0x80000000), so that an access of up to 32 KiB past any
 * accepted pointer still stays in kuseg. Nothing is ever mapped in the first page, so
 * access_ok() rejects it without relying on a fault. */
#define TASK_SIZE		_AC(0x7fff8000, UL)
#define USER_LOWEST		PAGE_SIZE

#endif
