/* MMIO accessors. Counterpart of arch/arm64/include/asm/io.h (the relaxed forms: the emulated
 * bus is strongly ordered, no barriers needed). */
#ifndef _ASM_IO_H
#define _ASM_IO_H

#include "types.h"

static inline void writel(u32 val, unsigned long addr)
{
	__asm__ __volatile__("str %w0, [%1]" : : "rZ"(val), "r"(addr) : "memory");
}

static inline u32 readl(unsigned long addr)
{
	u32 val;

	__asm__ __volatile__("ldr %w0, [%1]" : "=r"(val) : "r"(addr) : "memory");
	return val;
}

#endif
