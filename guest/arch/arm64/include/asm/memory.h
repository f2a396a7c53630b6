/* The arm64 memory map of guest/ABI.md. Counterpart of arch/arm64/include/asm/memory.h
 * (KIMAGE_VADDR, TASK_SIZE) and of the device-tree addresses of a real board. */
#ifndef _ASM_MEMORY_H
#define _ASM_MEMORY_H

#define KIMAGE_VADDR		0xffff800008000000
#define HEAP_END		0xffff80000a000000	/* end of the kernel heap */
#define UART_BASE		0xffff80000b000000	/* PL011 */
#define PL031_BASE		0xffff80000b001000	/* PL031 real-time clock */
#define PL031_BUS_ADDR		0x09010000UL		/* its address on the board (QEMU virt) */
#define KPROBE_INSN_SLOTS	0xffff80000c000000	/* written by TypeScript only */

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)		(((x) + PAGE_SIZE - 1) & PAGE_MASK)

#define THREAD_SHIFT		14
#define THREAD_SIZE		(1UL << THREAD_SHIFT)	/* 16 KiB kernel stacks */

/* User addresses: below 2^47. The machine keeps addresses as their low 48 bits, so bit 47
 * tells the kernel half from the user half (ABI.md): user space is 47 bits, as on x86-64.
 * Nothing is ever mapped in the first page, so access_ok() rejects it without relying on a
 * fault (the guest has no page tables). */
#define TASK_SIZE		(1UL << 47)
#define USER_LOWEST		PAGE_SIZE

#endif
