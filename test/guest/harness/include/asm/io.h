/* Harness override of asm/io.h: the UART's and the RTC's registers are simulated by the harness. */
#ifndef _ASM_IO_H
#define _ASM_IO_H

#include "types.h"

void harness_mmio_write(unsigned long addr, u32 val);
u32 harness_mmio_read(unsigned long addr);

static inline void writel(u32 val, unsigned long addr)
{
	harness_mmio_write(addr, val);
}

static inline u32 readl(unsigned long addr)
{
	return harness_mmio_read(addr);
}

#endif
