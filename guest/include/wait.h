/* Wait queues: tasks sleeping until something happens to an object (a socket's data, its
 * accept queue). Counterpart of include/linux/wait.h. A sleeper sets TASK_INTERRUPTIBLE, checks
 * its condition, and calls schedule(); whoever makes the condition true calls wake_up(), which
 * sets the sleepers TASK_RUNNING again (guest/ABI.md "Tasks"). */
#ifndef _GUEST_WAIT_H
#define _GUEST_WAIT_H

#include "list.h"

struct task_struct;

struct wait_queue_head {
	struct list_head head;
};

struct wait_queue_entry {
	struct task_struct *task;
	struct list_head entry;
};

#define DEFINE_WAIT(name)	struct wait_queue_entry name = { .task = current, \
				  .entry = LIST_HEAD_INIT((name).entry) }

static inline void init_waitqueue_head(struct wait_queue_head *wq)
{
	INIT_LIST_HEAD(&wq->head);
}

static inline bool waitqueue_active(const struct wait_queue_head *wq)
{
	return !list_empty(&wq->head);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *wait, int state);
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *wait);
void wake_up(struct wait_queue_head *wq);

#endif
