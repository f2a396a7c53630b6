/* Creating tasks. Counterpart of kernel/fork.c: kernel_clone -> copy_process (a new task_struct,
 * a pid, a kernel stack from the heap, the file table and fs duplicated or shared, linked into
 * the task list and its parent's children, TASK_NEW) -> wake_up_new_task (TASK_RUNNING, on the
 * run queue). TypeScript creates the child's user context (registers, address space) after the
 * clone system call returns (ABI.md). */
#include "sched.h"
#include "slab.h"
#include "string.h"
#include "syscalls.h"
#include "uaccess.h"
#include "fdtable.h"
#include "fs_struct.h"
#include "signal.h"
#include "trace/events/sched.h"

#define CLONE_NEW_MASK	0x7e020080UL	/* CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME */
#define NUMA_NO_NODE	(-1)

struct pid;

/* Exited threads (exit_signal == -1) reap themselves but cannot free the stack they are
 * running on: they wait here until another task passes through fork or wait. */
LIST_HEAD(dead_tasks);

static void free_task(struct task_struct *tsk)
{
	free_pages((unsigned long)tsk->stack, THREAD_SHIFT - PAGE_SHIFT);
	kfree(tsk);
}

void release_dead_tasks(void)
{
	struct task_struct *p, *n;

	list_for_each_entry_safe(p, n, &dead_tasks, tasks) {
		if (p == current)
			continue;
		list_del(&p->tasks);
		trace_sched_process_free(p);
		free_task(p);
	}
}

static struct task_struct *dup_task_struct(struct task_struct *orig)
{
	struct task_struct *tsk = kmalloc(sizeof(*tsk), GFP_KERNEL);
	void *stack;

	if (!tsk)
		return NULL;
	/* alloc_thread_stack_node: 16 KiB, naturally aligned (an order-2 block). */
	stack = (void *)__get_free_pages(GFP_KERNEL, THREAD_SHIFT - PAGE_SHIFT);
	if (!stack) {
		kfree(tsk);
		return NULL;
	}
	*tsk = *orig;
	tsk->stack = stack;
	clear_tsk_need_resched(tsk);
	return tsk;
}

static int copy_files(unsigned long clone_flags, struct task_struct *tsk)
{
	struct files_struct *oldf = current->files;

	if (!oldf)
		return 0;
	if (clone_flags & CLONE_FILES) {
		oldf->count++;
		return 0;
	}
	tsk->files = dup_fd(oldf);
	return tsk->files ? 0 : -ENOMEM;
}

static int copy_fs(unsigned long clone_flags, struct task_struct *tsk)
{
	struct fs_struct *fs = current->fs;

	if (clone_flags & CLONE_FS) {
		fs->users++;
		return 0;
	}
	tsk->fs = copy_fs_struct(fs);
	return tsk->fs ? 0 : -ENOMEM;
}

/* Linux 6.12's signature, so that probes see args in x3 as on a real kernel. */
static noinline struct task_struct *copy_process(struct pid *pid, int trace, int node,
						 struct kernel_clone_args *args)
{
	u64 clone_flags = args->flags;
	struct task_struct *p;
	int retval;
	pid_t nr;

	if ((clone_flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return ERR_PTR(-EINVAL);
	if ((clone_flags & CLONE_THREAD) && !(clone_flags & CLONE_SIGHAND))
		return ERR_PTR(-EINVAL);
	if ((clone_flags & CLONE_SIGHAND) && !(clone_flags & CLONE_VM))
		return ERR_PTR(-EINVAL);
	/* No namespaces in this kernel: as Linux built without CONFIG_*_NS. */
	if (clone_flags & CLONE_NEW_MASK)
		return ERR_PTR(-EINVAL);

	p = dup_task_struct(current);
	if (!p)
		return ERR_PTR(-ENOMEM);

	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	INIT_LIST_HEAD(&p->run_list);
	INIT_LIST_HEAD(&p->tasks);
	p->flags &= ~(PF_KTHREAD | PF_EXITING);
	p->__state = TASK_NEW;
	init_task_preempt_count(p);		/* sched_fork() */
	sigemptyset(&p->pending);
	p->exit_code = 0;
	p->clone_flags = clone_flags;
	p->addr_limit = USER_DS;
	p->start_time = ktime_get_ns();
	p->clear_child_tid = (clone_flags & CLONE_CHILD_CLEARTID) ? args->child_tid : NULL;
	if (args->name)
		__set_task_comm(p, args->name);

	retval = copy_files(clone_flags, p);
	if (retval)
		goto bad_fork_free;
	retval = copy_fs(clone_flags, p);
	if (retval)
		goto bad_fork_cleanup_files;

	nr = alloc_pid();
	if (nr < 0) {
		retval = nr;
		goto bad_fork_cleanup_fs;
	}
	p->pid = nr;
	if (clone_flags & CLONE_THREAD) {
		p->tgid = current->tgid;
		p->exit_signal = -1;
	} else {
		p->tgid = nr;
		p->exit_signal = args->exit_signal;
	}

	if (clone_flags & (CLONE_PARENT | CLONE_THREAD))
		p->real_parent = current->real_parent;
	else
		p->real_parent = current;
	p->parent = p->real_parent;

	list_add_tail(&p->sibling, &p->real_parent->children);
	list_add_tail(&p->tasks, &init_task.tasks);
	return p;

bad_fork_cleanup_fs:
	exit_fs(p);
bad_fork_cleanup_files:
	exit_files(p);
bad_fork_free:
	free_task(p);
	return ERR_PTR(retval);
}

/* The new task becomes runnable and preempts its parent (need-resched); TypeScript will give it
 * the CPU. */
noinline void wake_up_new_task(struct task_struct *p)
{
	WRITE_ONCE(p->__state, TASK_RUNNING);
	activate_task(p);
	trace_sched_wakeup_new(p);
	wakeup_preempt(p);
}

noinline pid_t kernel_clone(struct kernel_clone_args *args)
{
	u64 clone_flags = args->flags;
	struct task_struct *p;
	pid_t nr;

	release_dead_tasks();
	p = copy_process(NULL, 0, NUMA_NO_NODE, args);
	if (IS_ERR(p))
		return PTR_ERR(p);
	trace_sched_process_fork(current, p);
	nr = p->pid;
	if (clone_flags & CLONE_PARENT_SETTID)
		put_user(nr, args->parent_tid);
	wake_up_new_task(p);
	return nr;
}

/* arm64 and mips have CONFIG_CLONE_BACKWARDS: clone(flags, newsp, parent_tid, tls, child_tid). */
SYSCALL_DEFINE5(clone, unsigned long, clone_flags, unsigned long, newsp,
		int __user *, parent_tidptr, unsigned long, tls, int __user *, child_tidptr)
{
	struct kernel_clone_args args = {
		.flags = clone_flags & ~CSIGNAL,
		.pidfd = parent_tidptr,
		.child_tid = child_tidptr,
		.parent_tid = parent_tidptr,
		.exit_signal = clone_flags & CSIGNAL,
		.stack = newsp,
		.tls = tls,
	};

	return kernel_clone(&args);
}

SYSCALL_DEFINE1(set_tid_address, int __user *, tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}
