/* The generic timer's virtual counter. Counterpart of arch/arm64/include/asm/arch_timer.h.
 * On this machine CNTVCT_EL0 follows the virtual clock (retired instructions), so time is
 * deterministic. */
#ifndef _ASM_ARCH_TIMER_H
#define _ASM_ARCH_TIMER_H

#include "types.h"
#include "sysreg.h"

/* The counter's width (arch_counter_get_width(): at least 56 bits). */
#define ARCH_TIMER_COUNTER_BITS	56

/* QEMU's virt board frequency, used when CNTFRQ_EL0 reads as zero. */
#define ARCH_TIMER_DEFAULT_FREQ	62500000UL

static inline u64 arch_timer_read_counter(void)
{
	__asm__ __volatile__("isb" : : : "memory");
	return read_sysreg(cntvct_el0);
}

static inline u64 arch_timer_get_cntfrq(void)
{
	u64 freq = read_sysreg(cntfrq_el0) & 0xffffffffUL;

	return freq ? freq : ARCH_TIMER_DEFAULT_FREQ;
}

#endif
