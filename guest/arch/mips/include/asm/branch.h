/* Where an exception really happened. Counterpart of arch/mips/include/asm/branch.h
 * (delay_slot, exception_epc): an exception in a branch delay slot reports the branch in EPC
 * with Cause.BD set, the faulting instruction being the next one. */
#ifndef _ASM_BRANCH_H
#define _ASM_BRANCH_H

#include <asm/ptrace.h>

static inline int delay_slot(const struct pt_regs *regs)
{
	return (regs->cp0_cause & CAUSEF_BD) != 0;
}

static inline unsigned long exception_epc(const struct pt_regs *regs)
{
	if (!delay_slot(regs))
		return regs->cp0_epc;
	return regs->cp0_epc + 4;
}

#endif
