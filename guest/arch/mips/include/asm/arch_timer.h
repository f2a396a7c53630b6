/* The CP0 Count register as the kernel's clock. Counterpart of arch/mips/include/asm/time.h
 * (mips_hpt_frequency) and of the r4k clocksource (arch/mips/kernel/csrc-r4k.c:
 * read_c0_count(), CLOCKSOURCE_MASK(32)). On this machine Count
 * follows the virtual clock, one count per nanosecond (a retired instruction is one
 * nanosecond): 1 GHz, so time is deterministic. It wraps every 2^32 ns (4.29 s); timekeeping
 * extends it across one wrap per read. */
#ifndef _ASM_ARCH_TIMER_H
#define _ASM_ARCH_TIMER_H

#include "types.h"
#include <asm/mipsregs.h>

#define ARCH_TIMER_COUNTER_BITS	32

/* mips_hpt_frequency: how fast Count runs here. */
#define MIPS_HPT_FREQUENCY	1000000000UL

static inline u64 arch_timer_read_counter(void)
{
	return read_c0_count();
}

static inline u64 arch_timer_get_cntfrq(void)
{
	return MIPS_HPT_FREQUENCY;
}

#endif
