/* Wait queues. Counterpart of kernel/sched/wait.c (prepare_to_wait, finish_wait, __wake_up):
 * on one CPU without preemption, no locks are needed; the state set here is what TypeScript
 * looks at before resuming a sleeping task. */
#include "sched.h"
#include "wait.h"

noinline void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *wait,
			      int state)
{
	if (list_empty(&wait->entry))
		list_add_tail(&wait->entry, &wq->head);
	WRITE_ONCE(current->__state, state);
}

noinline void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *wait)
{
	WRITE_ONCE(current->__state, TASK_RUNNING);
	if (!list_empty(&wait->entry))
		list_del_init(&wait->entry);
}

/* Every sleeper becomes runnable; each re-checks its condition and may sleep again. */
noinline void wake_up(struct wait_queue_head *wq)
{
	struct wait_queue_entry *wait;

	list_for_each_entry(wait, &wq->head, entry)
		wake_up_process(wait->task);
}
