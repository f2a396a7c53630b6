/* The scheduler's tracepoints: the calls at the places kernel/sched/core.c, kernel/fork.c,
 * kernel/exit.c and fs/exec.c trace, with the arguments of Linux's TP_PROTO. Counterpart of
 * include/trace/events/sched.h; what each event records (TP_STRUCT__entry, TP_fast_assign,
 * TP_printk) is TypeScript's (src/tracing/trace-sched.ts). sched_switch is traced by TypeScript,
 * which switches tasks (ABI.md). */
#ifndef _TRACE_SCHED_H
#define _TRACE_SCHED_H

#include "tracepoint.h"

struct task_struct;

DECLARE_TRACEPOINT(sched_waking);
DECLARE_TRACEPOINT(sched_wakeup);
DECLARE_TRACEPOINT(sched_wakeup_new);
DECLARE_TRACEPOINT(sched_process_free);
DECLARE_TRACEPOINT(sched_process_exit);
DECLARE_TRACEPOINT(sched_process_wait);
DECLARE_TRACEPOINT(sched_process_fork);
DECLARE_TRACEPOINT(sched_process_exec);

/* try_to_wake_up(), before the task is made runnable. */
static inline void trace_sched_waking(struct task_struct *p)
{
	__DO_TRACE(sched_waking, p, 0, 0, 0);
}

/* ttwu_do_activate(): the task is runnable. */
static inline void trace_sched_wakeup(struct task_struct *p)
{
	__DO_TRACE(sched_wakeup, p, 0, 0, 0);
}

/* wake_up_new_task(): a new task is runnable. */
static inline void trace_sched_wakeup_new(struct task_struct *p)
{
	__DO_TRACE(sched_wakeup_new, p, 0, 0, 0);
}

/* delayed_put_task_struct(): a reaped task is freed. */
static inline void trace_sched_process_free(struct task_struct *p)
{
	__DO_TRACE(sched_process_free, p, 0, 0, 0);
}

/* do_exit(). */
static inline void trace_sched_process_exit(struct task_struct *p)
{
	__DO_TRACE(sched_process_exit, p, 0, 0, 0);
}

/* do_wait(): the pid waited for (-1: any child). */
static inline void trace_sched_process_wait(pid_t pid)
{
	__DO_TRACE(sched_process_wait, (long)pid, 0, 0, 0);
}

/* kernel_clone(): the new task, before it is woken. */
static inline void trace_sched_process_fork(struct task_struct *parent, struct task_struct *child)
{
	__DO_TRACE(sched_process_fork, parent, child, 0, 0);
}

/* exec_binprm(): a program was executed; filename as the caller gave it. */
static inline void trace_sched_process_exec(struct task_struct *p, pid_t old_pid, const char *filename)
{
	__DO_TRACE(sched_process_exec, p, (long)old_pid, filename, 0);
}

#endif
