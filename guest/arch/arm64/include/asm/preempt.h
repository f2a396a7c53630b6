/* The need-resched bit arm64 folds into the preempt count, inverted: preempt.need_resched is 0
 * while rescheduling is needed, so that one 64-bit compare with zero answers "preempt now?".
 * Counterpart of arch/arm64/include/asm/preempt.h. Included by sched.h after `current`. */
#ifndef _ASM_PREEMPT_H
#define _ASM_PREEMPT_H

#define PREEMPT_NEED_RESCHED	BIT(32)
#define PREEMPT_ENABLED		(PREEMPT_NEED_RESCHED)

static inline void set_preempt_need_resched(void)
{
	current->thread_info.preempt.need_resched = 0;
}

static inline void clear_preempt_need_resched(void)
{
	current->thread_info.preempt.need_resched = 1;
}

static inline bool test_preempt_need_resched(void)
{
	return !READ_ONCE(current->thread_info.preempt.need_resched);
}

/* A new task starts preemptible, without a pending reschedule. */
#define init_task_preempt_count(p) do { \
	(p)->thread_info.preempt_count = PREEMPT_ENABLED; \
} while (0)

#endif
