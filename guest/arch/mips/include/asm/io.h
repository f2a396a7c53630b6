/* MMIO accessors. Counterpart of arch/mips/include/asm/io.h (__raw_readl/__raw_writel: a 32-bit
 * lw/sw of the register, no byte swapping, no barriers: the emulated bus is strongly ordered and
 * its devices take and give register values, not byte lanes). */
#ifndef _ASM_IO_H
#define _ASM_IO_H

#include "types.h"

static inline void writel(u32 val, unsigned long addr)
{
	*(volatile u32 *)addr = val;
}

static inline u32 readl(unsigned long addr)
{
	return *(const volatile u32 *)addr;
}

#endif
