/* Harness override of guest/arch/arm64/include/asm/memory.h: the same map, except that the
 * kernel heap is an array inside the harness process (qemu-user has no kernel half). */
#ifndef _ASM_MEMORY_H
#define _ASM_MEMORY_H

#define KIMAGE_VADDR		0xffff800008000000
#define UART_BASE		0xffff80000b000000
#define PL031_BASE		0xffff80000b001000
#define PL031_BUS_ADDR		0x09010000UL
#define KPROBE_INSN_SLOTS	0xffff80000c000000

#ifndef __ASSEMBLY__
extern char harness_heap_end[];
#define HEAP_END		((unsigned long)harness_heap_end)
#endif

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)		(((x) + PAGE_SIZE - 1) & PAGE_MASK)

#define THREAD_SHIFT		14
#define THREAD_SIZE		(1UL << THREAD_SHIFT)

#define TASK_SIZE		(1UL << 47)
#define USER_LOWEST		PAGE_SIZE

#endif
