/* The guest half of the scheduler. Counterpart of kernel/sched/core.c: the run queue and the
 * task state transitions live here, but the choice of the next task and the context switch
 * itself are TypeScript's: schedule() is HVC_SCHEDULE, and the hypercall returns when
 * TypeScript resumes this task (ABI.md). */
#include "sched.h"
#include "syscalls.h"
#include "hypercall.h"
#include "trace/events/sched.h"

/* The scheduler's tracepoints (CREATE_TRACE_POINTS in kernel/sched/core.c). */
DEFINE_TRACE(sched_waking);
DEFINE_TRACE(sched_wakeup);
DEFINE_TRACE(sched_wakeup_new);
DEFINE_TRACE(sched_process_free);
DEFINE_TRACE(sched_process_exit);
DEFINE_TRACE(sched_process_wait);
DEFINE_TRACE(sched_process_fork);
DEFINE_TRACE(sched_process_exec);

struct rq {
	unsigned int nr_running;
	struct list_head queue;		/* runnable tasks, by run_list */
	unsigned long nr_switches;
};

struct rq runqueues = {
	.queue = LIST_HEAD_INIT(runqueues.queue),
};

noinline void activate_task(struct task_struct *p)
{
	if (list_empty(&p->run_list)) {
		list_add_tail(&p->run_list, &runqueues.queue);
		runqueues.nr_running++;
	}
}

noinline void deactivate_task(struct task_struct *p)
{
	if (!list_empty(&p->run_list)) {
		list_del_init(&p->run_list);
		runqueues.nr_running--;
	}
}

/* resched_curr(): the running task is to give up the CPU at its next chance (the return to user
 * mode, or its next schedule()). */
static void resched_curr(void)
{
	set_tsk_need_resched(current);
	set_preempt_need_resched();
}

/* wakeup_preempt(): a task that became runnable may preempt the running one. A new task does:
 * every task here is of one class and weight, and the fair class gives a new task the earlier
 * deadline (half a slice), so it is picked before its parent. */
noinline void wakeup_preempt(struct task_struct *p)
{
	if (p != current)
		resched_curr();
}

/* Make a sleeping task runnable: TypeScript resumes tasks whose state is TASK_RUNNING again. */
noinline int wake_up_process(struct task_struct *p)
{
	if (!(p->__state & TASK_INTERRUPTIBLE))
		return 0;
	trace_sched_waking(p);
	WRITE_ONCE(p->__state, TASK_RUNNING);
	activate_task(p);
	trace_sched_wakeup(p);
	return 1;
}

static noinline void __schedule(unsigned long why)
{
	struct task_struct *prev = current;

	clear_tsk_need_resched(prev);
	clear_preempt_need_resched();
	if (why != SCHED_YIELD)
		deactivate_task(prev);
	runqueues.nr_switches++;
	hvc_schedule(why);
	/* Back on the CPU: whoever resumed us made us runnable. */
	if (prev->__state == TASK_INTERRUPTIBLE) {
		WRITE_ONCE(prev->__state, TASK_RUNNING);
		activate_task(prev);
	}
}

/* Give up the CPU in the state the caller set: EXIT_ZOMBIE (never comes back),
 * TASK_INTERRUPTIBLE (until woken) or TASK_RUNNING (a yield). */
noinline void schedule(void)
{
	unsigned int state = READ_ONCE(current->__state);

	if (state & (EXIT_ZOMBIE | EXIT_DEAD))
		__schedule(SCHED_EXITED);
	else if (state & TASK_INTERRUPTIBLE)
		__schedule(SCHED_WAIT);
	else
		__schedule(SCHED_YIELD);
}

SYSCALL_DEFINE0(sched_yield)
{
	schedule();
	return 0;
}

void sched_init(void)
{
	activate_task(&init_task);
}
