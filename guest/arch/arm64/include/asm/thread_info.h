/* struct thread_info: the low-level task flags the exception return path tests and the preempt
 * count with arm64's folded need-resched bit. Counterpart of arch/arm64/include/asm/thread_info.h.
 * Linux puts it first in task_struct (CONFIG_THREAD_INFO_IN_TASK); here it follows the fixed part
 * of the layout (ABI.md). The guest counts no preemption: preempt.count stays 0. */
#ifndef _ASM_THREAD_INFO_H
#define _ASM_THREAD_INFO_H

#include "types.h"

struct thread_info {
	unsigned long flags;		/* low level flags (TIF_*) */
	union {
		u64 preempt_count;	/* 0 => preemptible */
		struct {
			u32 count;
			u32 need_resched;	/* 0 when rescheduling is needed (asm/preempt.h) */
		} preempt;
	};
};

#define TIF_SIGPENDING		0	/* signal pending (the guest keeps task->pending instead) */
#define TIF_NEED_RESCHED	1	/* rescheduling necessary */

#define _TIF_NEED_RESCHED	(1UL << TIF_NEED_RESCHED)

#endif
