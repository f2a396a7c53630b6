/* Where a task's user registers are saved. Counterpart of arch/arm64/include/asm/processor.h
 * (task_pt_regs): the struct pt_regs an exception from EL0 saves at the very top of the task's
 * kernel stack. Included by sched.h. */
#ifndef _ASM_PROCESSOR_H
#define _ASM_PROCESSOR_H

#define task_pt_regs(p) \
	((struct pt_regs *)((unsigned long)task_stack_page(p) + THREAD_SIZE) - 1)

#endif
