/* Ending tasks. Counterpart of kernel/exit.c: do_exit closes the files, drops the fs, records
 * the exit code, reparents the children to init, becomes a zombie, wakes a waiting parent and
 * schedules away for good; wait4 reaps zombie children. */
#include "sched.h"
#include "slab.h"
#include "syscalls.h"
#include "uaccess.h"
#include "fdtable.h"
#include "fs_struct.h"
#include "signal.h"
#include "uapi.h"
#include "trace/events/sched.h"

extern struct list_head dead_tasks;
void release_dead_tasks(void);

/* Free a reaped task: out of every list, pid and memory released. */
static void release_task(struct task_struct *p)
{
	list_del(&p->tasks);
	list_del(&p->sibling);
	deactivate_task(p);
	free_pid(p->pid);
	p->__state = EXIT_DEAD;
	trace_sched_process_free(p);
	free_pages((unsigned long)p->stack, THREAD_SHIFT - PAGE_SHIFT);
	kfree(p);
}

/* Children of an exiting task go to the child reaper, pid 1 (find_new_reaper). */
static void forget_original_parent(struct task_struct *father)
{
	struct task_struct *reaper = find_task_by_vpid(1);
	struct task_struct *p, *n;
	bool zombie = false;

	if (!reaper || reaper == father)
		return;
	list_for_each_entry_safe(p, n, &father->children, sibling) {
		p->real_parent = reaper;
		p->parent = reaper;
		list_move_tail(&p->sibling, &reaper->children);
		if (p->__state == EXIT_ZOMBIE)
			zombie = true;
	}
	if (zombie)
		wake_up_process(reaper);
}

static void exit_notify(struct task_struct *tsk)
{
	forget_original_parent(tsk);
	deactivate_task(tsk);
	if (tsk->exit_signal == -1) {
		/* A thread reaps itself; its memory is freed later by another task. */
		list_del(&tsk->sibling);
		free_pid(tsk->pid);
		list_move_tail(&tsk->tasks, &dead_tasks);
		WRITE_ONCE(tsk->__state, EXIT_DEAD);
		return;
	}
	WRITE_ONCE(tsk->__state, EXIT_ZOMBIE);
	/* do_notify_parent: SIGCHLD's default action is to ignore it; a parent in wait4 wakes. */
	wake_up_process(tsk->parent);
}

noinline void do_exit(long code)
{
	struct task_struct *tsk = current;

	if (unlikely(tsk->pid == 0))
		panic("Attempted to kill the idle task!");
	if (unlikely(tsk->pid == 1))
		panic("Attempted to kill init! exitcode=0x%08x", (int)code);
	if (unlikely(tsk->flags & PF_EXITING)) {
		printk(KERN_ALERT "Fixing recursive fault but reboot is needed!\n");
		WRITE_ONCE(tsk->__state, EXIT_DEAD);
		for (;;)
			schedule();
	}
	tsk->flags |= PF_EXITING;

	/* mm_release: CLONE_CHILD_CLEARTID's word is cleared (futex wake has no waiters here). */
	if (tsk->clear_child_tid) {
		put_user(0, tsk->clear_child_tid);
		tsk->clear_child_tid = NULL;
	}

	tsk->exit_code = code;
	trace_sched_process_exit(tsk);
	exit_files(tsk);
	exit_fs(tsk);
	exit_notify(tsk);
	schedule();
	panic("do_exit: task %d was resumed after exit", tsk->pid);
}

/* Ends every thread of the group: the others get SIGKILL and die on their way out. */
noinline void do_group_exit(int exit_code)
{
	struct task_struct *p;

	list_for_each_entry(p, &init_task.tasks, tasks) {
		if (p != current && p->tgid == current->tgid && !(p->flags & PF_EXITING))
			send_sig(SIGKILL, p);
	}
	do_exit(exit_code);
}

noinline void make_task_dead(int signr)
{
	do_exit(signr);
}

SYSCALL_DEFINE1(exit, int, error_code)
{
	do_exit((error_code & 0xff) << 8);
}

SYSCALL_DEFINE1(exit_group, int, error_code)
{
	do_group_exit((error_code & 0xff) << 8);
}

struct wait_opts {
	pid_t wo_pid;
	int wo_flags;
	int __user *wo_stat;
	struct rusage __user *wo_rusage;
};

static bool eligible_child(const struct wait_opts *wo, const struct task_struct *p)
{
	if (wo->wo_pid > 0 && p->pid != wo->wo_pid)
		return false;
	if (wo->wo_pid < -1 && p->tgid != -wo->wo_pid)
		return false;
	/* Threads (exit_signal -1) are only waited for with __WALL/__WCLONE. */
	if (p->exit_signal != SIGCHLD && !(wo->wo_flags & (__WALL | __WCLONE)))
		return false;
	return true;
}

static int wait_task_zombie(struct wait_opts *wo, struct task_struct *p)
{
	pid_t pid = p->pid;

	if (wo->wo_stat && put_user(p->exit_code, wo->wo_stat))
		return -EFAULT;
	if (wo->wo_rusage && clear_user(wo->wo_rusage, sizeof(struct rusage)))
		return -EFAULT;
	release_task(p);
	return pid;
}

/* 0: eligible children but none ready; > 0: reaped; -ECHILD: none at all. */
static int do_wait_thread(struct wait_opts *wo, struct task_struct *tsk)
{
	struct task_struct *p;
	int ret = -ECHILD;

	list_for_each_entry(p, &tsk->children, sibling) {
		if (!eligible_child(wo, p))
			continue;
		if (p->__state == EXIT_ZOMBIE)
			return wait_task_zombie(wo, p);
		ret = 0;
	}
	return ret;
}

static noinline long do_wait(struct wait_opts *wo)
{
	long ret;

	/* pid_nr(wo_pid): the child waited for, 0 for any. */
	trace_sched_process_wait(wo->wo_pid > 0 ? wo->wo_pid : 0);
	for (;;) {
		release_dead_tasks();
		/* Sleep-state first, then check: a child exiting in between wakes us. */
		WRITE_ONCE(current->__state, TASK_INTERRUPTIBLE);
		ret = do_wait_thread(wo, current);
		if (ret != 0 || (wo->wo_flags & WNOHANG))
			break;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		schedule();
	}
	WRITE_ONCE(current->__state, TASK_RUNNING);
	return ret;
}

noinline long kernel_wait4(pid_t upid, int __user *stat_addr, int options,
			   struct rusage __user *ru)
{
	struct wait_opts wo = {
		.wo_pid = upid == 0 ? -1 : upid,	/* 0: our process group = everyone here */
		.wo_flags = options,
		.wo_stat = stat_addr,
		.wo_rusage = ru,
	};

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	return do_wait(&wo);
}

SYSCALL_DEFINE4(wait4, pid_t, upid, int __user *, stat_addr, int, options,
		struct rusage __user *, ru)
{
	if (upid == INT_MIN)
		return -ESRCH;
	return kernel_wait4(upid, stat_addr, options, ru);
}
