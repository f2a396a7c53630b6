/* Where a task's user registers are saved. Counterpart of arch/mips/include/asm/processor.h
 * (__KSTK_TOS, task_pt_regs): MIPS leaves 32 bytes free at the very top of the kernel stack, so
 * the struct pt_regs of an exception from user mode sits just below them. kernelsp (ABI.md), the
 * stack pointer the exception entry takes from user mode, is that top minus 32. Included by
 * sched.h. */
#ifndef _ASM_PROCESSOR_H
#define _ASM_PROCESSOR_H

#define __KSTK_TOS(tsk)	((unsigned long)task_stack_page(tsk) + THREAD_SIZE - 32 - \
			 sizeof(struct pt_regs))
#define task_pt_regs(tsk)	((struct pt_regs *)__KSTK_TOS(tsk))

#endif
