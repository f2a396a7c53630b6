/* Harness override of guest/arch/<arch>/include/asm/memory.h: the same map, except that the
 * kernel heap is an array inside the harness process (qemu-user has no kernel half). */
#ifndef _ASM_MEMORY_H
#define _ASM_MEMORY_H

#ifdef __ASSEMBLY__
#define _AC(X, Y)		X
#else
#define _AC(X, Y)		X##Y
#endif

#if defined(__aarch64__)
#define KIMAGE_VADDR		0xffff800008000000
#define UART_BASE		0xffff80000b000000
#define PL031_BASE		0xffff80000b001000
#define PL031_BUS_ADDR		0x09010000UL
#define KPROBE_INSN_SLOTS	0xffff80000c000000
#define TASK_SIZE		(1UL << 47)
#elif defined(__mips__)
#define KIMAGE_VADDR		0x80100000
#define UART_BASE		0xbf000000
#define PL031_BASE		0xbf001000
#define PL031_BUS_ADDR		_AC(0x1f001000, UL)
#define KPROBE_INSN_SLOTS	0xbe000000
#define TASK_SIZE		_AC(0x7fff8000, UL)
#endif

#ifndef __ASSEMBLY__
extern char harness_heap_end[];
#define HEAP_END		((unsigned long)harness_heap_end)
#endif

#define PAGE_SHIFT		12
#define PAGE_SIZE		(_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)		(((x) + PAGE_SIZE - 1) & PAGE_MASK)

#define THREAD_SHIFT		14
#define THREAD_SIZE		(_AC(1, UL) << THREAD_SHIFT)

#define USER_LOWEST		PAGE_SIZE

#endif
