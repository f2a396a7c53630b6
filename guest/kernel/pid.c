/* Process ids: a bitmap allocator that hands out ids cyclically from the last one, wrapping to
 * RESERVED_PIDS like Linux's idr_alloc_cyclic in alloc_pid(). Counterpart of kernel/pid.c. */
#include "sched.h"

#define PID_MAX_DEFAULT	32768
#define RESERVED_PIDS	300

static unsigned long pidmap[PID_MAX_DEFAULT / BITS_PER_LONG];
static pid_t last_pid;

static inline bool pid_used(pid_t nr)
{
	return pidmap[nr / BITS_PER_LONG] & (1UL << (nr % BITS_PER_LONG));
}

noinline pid_t alloc_pid(void)
{
	pid_t nr = last_pid;
	int tries;

	for (tries = 0; tries < PID_MAX_DEFAULT; tries++) {
		nr++;
		if (nr >= PID_MAX_DEFAULT)
			nr = RESERVED_PIDS;
		if (!pid_used(nr)) {
			pidmap[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
			last_pid = nr;
			return nr;
		}
	}
	return -EAGAIN;
}

noinline void free_pid(pid_t nr)
{
	if (nr > 0 && nr < PID_MAX_DEFAULT)
		pidmap[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

noinline struct task_struct *find_task_by_vpid(pid_t nr)
{
	struct task_struct *p;

	if (nr == 0)
		return &init_task;
	list_for_each_entry(p, &init_task.tasks, tasks)
		if (p->pid == nr)
			return p;
	return NULL;
}

void pid_idr_init(void)
{
	pidmap[0] |= 1;		/* pid 0 is init_task's */
	last_pid = 0;
}
