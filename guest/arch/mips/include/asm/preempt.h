/* The preempt count of the asm-generic arches, MIPS among them: no need-resched bit is folded
 * into it (only TIF_NEED_RESCHED says a reschedule is due), so setting, clearing and testing
 * the folded bit do nothing. Counterpart of include/asm-generic/preempt.h. Included by sched.h
 * after `current`. */
#ifndef _ASM_PREEMPT_H
#define _ASM_PREEMPT_H

#define PREEMPT_ENABLED		(0)

static inline void set_preempt_need_resched(void)
{
}

static inline void clear_preempt_need_resched(void)
{
}

static inline bool test_preempt_need_resched(void)
{
	return false;
}

/* A new task starts preemptible. */
#define init_task_preempt_count(p) do { \
	(p)->thread_info.preempt_count = PREEMPT_ENABLED; \
} while (0)

#endif
