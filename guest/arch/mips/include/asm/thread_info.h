/* struct thread_info: the low-level task flags the exception return path tests, the preempt
 * count and the number of the current system call. Counterpart of
 * arch/mips/include/asm/thread_info.h, reduced: no task pointer, TLS value, cpu or regs (the
 * guest's `current` is the global current_task, and set_thread_area is not served). Linux puts it
 * first in task_struct (CONFIG_THREAD_INFO_IN_TASK); here it follows the fixed part of the layout
 * (ABI.md). The guest counts no preemption: preempt_count stays 0. */
#ifndef _ASM_THREAD_INFO_H
#define _ASM_THREAD_INFO_H

#ifndef __ASSEMBLY__
#include "types.h"

struct thread_info {
	unsigned long flags;		/* low level flags (TIF_*) */
	int preempt_count;		/* 0 => preemptible, <0 => BUG */
	long syscall;			/* syscall number (do_syscall stores it) */
};
#endif

#define TIF_SIGPENDING		1	/* signal pending (the guest keeps task->pending instead) */
#define TIF_NEED_RESCHED	2	/* rescheduling necessary */

#define _TIF_NEED_RESCHED	(1 << TIF_NEED_RESCHED)

#endif
