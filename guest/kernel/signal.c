/* Signals, reduced to default actions: this kernel installs no user handlers, so a signal
 * either does nothing (SIGCHLD, SIGCONT, SIGURG, SIGWINCH; the stop signals too, as there is no
 * job control) or terminates the task with the signal number as its wait status, which
 * happens when it next returns to user mode or is woken from a wait. Counterpart of
 * kernel/signal.c (kill, send_sig, force_sig) and arch/<arch>/kernel/signal.c
 * (do_notify_resume). */
#include "sched.h"
#include "syscalls.h"
#include "signal.h"
#include <asm/ptrace.h>

static bool sig_ignored_by_default(int sig)
{
	switch (sig) {
	case SIGCHLD:
	case SIGCONT:
	case SIGURG:
	case SIGWINCH:
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return true;
	}
	return false;
}

static noinline int send_signal_locked(int sig, struct task_struct *t, bool force)
{
	if (t->__state & (EXIT_ZOMBIE | EXIT_DEAD))
		return 0;
	if (sig_ignored_by_default(sig))
		return 0;
	/* Init only gets the signals it asked for (SIGNAL_UNKILLABLE): it asks for none. */
	if (t->pid == 1 && !force)
		return 0;
	sigaddset(&t->pending, sig);
	wake_up_process(t);
	return 0;
}

bool signal_pending(const struct task_struct *p)
{
	return !sigisemptyset(&p->pending);
}

noinline int send_sig(int sig, struct task_struct *p)
{
	return send_signal_locked(sig, p, false);
}

/* A fault the task caused: always delivered, even to init. */
noinline int force_sig(int sig)
{
	return send_signal_locked(sig, current, true);
}

static int kill_pid_info(int sig, pid_t pid)
{
	struct task_struct *p = find_task_by_vpid(pid);

	if (!p || pid == 0)
		return -ESRCH;
	if (sig)
		send_sig(sig, p);
	return 0;
}

SYSCALL_DEFINE2(kill, pid_t, pid, int, sig)
{
	struct task_struct *p;
	int count = 0;

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (pid > 0)
		return kill_pid_info(sig, pid);
	/* No process groups: 0 is the caller's own process, -N the process N. */
	if (pid == 0)
		return kill_pid_info(sig, current->tgid);
	if (pid != -1)
		return kill_pid_info(sig, -pid);
	/* -1: everyone we may signal, except init and ourselves. */
	list_for_each_entry(p, &init_task.tasks, tasks) {
		if (p->pid > 1 && p->tgid != current->tgid) {
			count++;
			if (sig)
				send_sig(sig, p);
		}
	}
	return count ? 0 : -ESRCH;
}

/* On the way back to user mode with a signal pending: its default action kills the task,
 * SIGKILL first, then the lowest number. */
noinline void do_notify_resume(struct pt_regs *regs)
{
	sigset_t *pending = &current->pending;
	int sig;

	if (sigisemptyset(pending))
		return;
	if (sigismember(pending, SIGKILL))
		sig = SIGKILL;
	else
		sig = sigset_first(pending);
	sigemptyset(pending);
	do_group_exit(sig);
}
