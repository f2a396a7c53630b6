/* struct task_struct, task states and the scheduler entry points. Counterpart of
 * include/linux/sched.h (and sched/task.h, sched/signal.h). The first fields are the fixed
 * layout of guest/ABI.md, which TypeScript reads; the rest is documented there too. */
#ifndef _GUEST_SCHED_H
#define _GUEST_SCHED_H

#include "list.h"
#include "time.h"
#include "signal.h"
#include <asm/memory.h>
#include <asm/thread_info.h>

#define TASK_COMM_LEN		16

/* __state values (ABI.md). */
#define TASK_RUNNING		0x0000
#define TASK_INTERRUPTIBLE	0x0001
#define EXIT_ZOMBIE		0x0010
#define EXIT_DEAD		0x0020
#define TASK_NEW		0x0800

/* flags */
#define PF_EXITING		0x00000004
#define PF_KTHREAD		0x00200000

/* clone flags (include/uapi/linux/sched.h) */
#define CSIGNAL			0x000000ff
#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_PIDFD		0x00001000
#define CLONE_PTRACE		0x00002000
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT		0x00008000
#define CLONE_THREAD		0x00010000
#define CLONE_NEWNS		0x00020000
#define CLONE_SYSVSEM		0x00040000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_DETACHED		0x00400000
#define CLONE_UNTRACED		0x00800000
#define CLONE_CHILD_SETTID	0x01000000

struct files_struct;
struct fs_struct;
struct pt_regs;

/* The offsets are arm64's (LP64); a 32-bit kernel has the same fields in the same order at its
 * own offsets (ABI.md lists mips's). TypeScript takes them from the kernel's BTF. */
struct task_struct {
	void *stack;				/*   0: base of the 16 KiB kernel stack */
	int pid;				/*   8 */
	unsigned int __state;			/*  12: ABI.md "state" */
	char comm[TASK_COMM_LEN];		/*  16 */
	struct task_struct *parent;		/*  32: receives SIGCHLD, wait4()s */
	int exit_code;				/*  40 */
	int tgid;				/*  44 */
	struct files_struct *files;		/*  48 */
	struct fs_struct *fs;			/*  56 */
	/* --- beyond the fixed part; offsets in ABI.md, checked below --- */
	struct task_struct *real_parent;	/*  64 */
	struct list_head tasks;			/*  72: all tasks, headed by init_task.tasks */
	struct list_head children;		/*  88: our children's ->sibling */
	struct list_head sibling;		/* 104 */
	struct list_head run_list;		/* 120: on runqueues.queue while runnable */
	int exit_signal;			/* 136: SIGCHLD, or -1 for threads */
	unsigned int flags;			/* 140: PF_* */
	int __user *clear_child_tid;		/* 144: CLONE_CHILD_CLEARTID / set_tid_address */
	sigset_t pending;			/* 152: pending signals, bit (sig - 1) */
	u64 start_time;				/* 160: ns since boot */
	uid_t uid, euid;			/* 168, 172 */
	gid_t gid, egid;			/* 176, 180 */
	unsigned long clone_flags;		/* 184: flags this task was created with */
	unsigned long addr_limit;		/* 192: USER_DS, or KERNEL_DS inside kernel_read/write */
	struct thread_info thread_info;		/* 200: flags, then the preempt count; read by tracing (ABI.md) */
};

/* The old set_fs() model: uaccess routines accept addresses below addr_limit. Kernel code that
 * reads or writes files into kernel buffers (kernel_read/kernel_write) raises it briefly. */
#define USER_DS		TASK_SIZE
#define KERNEL_DS	(~0UL)

#if BITS_PER_LONG == 64
_Static_assert(offsetof(struct task_struct, pid) == 8, "ABI: task_struct.pid");
_Static_assert(offsetof(struct task_struct, __state) == 12, "ABI: task_struct.state");
_Static_assert(offsetof(struct task_struct, comm) == 16, "ABI: task_struct.comm");
_Static_assert(offsetof(struct task_struct, parent) == 32, "ABI: task_struct.parent");
_Static_assert(offsetof(struct task_struct, exit_code) == 40, "ABI: task_struct.exit_code");
_Static_assert(offsetof(struct task_struct, tgid) == 44, "ABI: task_struct.tgid");
_Static_assert(offsetof(struct task_struct, files) == 48, "ABI: task_struct.files");
_Static_assert(offsetof(struct task_struct, fs) == 56, "ABI: task_struct.fs");
_Static_assert(offsetof(struct task_struct, real_parent) == 64, "ABI: task_struct.real_parent");
_Static_assert(offsetof(struct task_struct, tasks) == 72, "ABI: task_struct.tasks");
_Static_assert(offsetof(struct task_struct, children) == 88, "ABI: task_struct.children");
_Static_assert(offsetof(struct task_struct, sibling) == 104, "ABI: task_struct.sibling");
_Static_assert(offsetof(struct task_struct, exit_signal) == 136, "ABI: task_struct.exit_signal");
_Static_assert(offsetof(struct task_struct, start_time) == 160, "ABI: task_struct.start_time");
_Static_assert(offsetof(struct task_struct, pending) == 152, "ABI: task_struct.pending");
_Static_assert(offsetof(struct task_struct, thread_info) == 200, "ABI: task_struct.thread_info");
#endif

/* Written by TypeScript on every task switch (ABI.md); the guest only reads it. */
extern struct task_struct *current_task;
extern struct task_struct init_task;

static __always_inline struct task_struct *get_current(void)
{
	return READ_ONCE(current_task);
}
#define current get_current()

#include <asm/preempt.h>

/* include/linux/sched.h: the need-resched flag of a task, and of the running one. */
static inline void set_tsk_need_resched(struct task_struct *tsk)
{
	tsk->thread_info.flags |= _TIF_NEED_RESCHED;
}

static inline void clear_tsk_need_resched(struct task_struct *tsk)
{
	tsk->thread_info.flags &= ~_TIF_NEED_RESCHED;
}

static inline bool test_tsk_need_resched(struct task_struct *tsk)
{
	return (READ_ONCE(tsk->thread_info.flags) & _TIF_NEED_RESCHED) != 0;
}

static __always_inline bool need_resched(void)
{
	return test_tsk_need_resched(current);
}

/* The pt_regs an exception from user mode saved at the top of the task's kernel stack
 * (task_pt_regs is the arch's: <asm/processor.h>). */
#define task_stack_page(p)	((p)->stack)
#include <asm/processor.h>
#define current_pt_regs() task_pt_regs(current)

static inline bool thread_group_leader(const struct task_struct *p)
{
	return p->pid == p->tgid;
}

/* kernel/sched.c */
void schedule(void);
int wake_up_process(struct task_struct *p);
void activate_task(struct task_struct *p);
void deactivate_task(struct task_struct *p);
void wakeup_preempt(struct task_struct *p);
void sched_init(void);

/* kernel/fork.c */
struct kernel_clone_args {
	u64 flags;
	int __user *pidfd;
	int __user *child_tid;
	int __user *parent_tid;
	int exit_signal;
	unsigned long stack;
	unsigned long stack_size;
	unsigned long tls;
	const char *name;	/* comm for the new task, NULL: the parent's */
};
pid_t kernel_clone(struct kernel_clone_args *args);
void wake_up_new_task(struct task_struct *p);
void fork_init(void);

/* kernel/exit.c */
__noreturn void do_exit(long code);
__noreturn void do_group_exit(int exit_code);
__noreturn void make_task_dead(int signr);

/* kernel/pid.c */
pid_t alloc_pid(void);
void free_pid(pid_t pid);
struct task_struct *find_task_by_vpid(pid_t nr);
void pid_idr_init(void);

/* kernel/sys.c */
void __set_task_comm(struct task_struct *tsk, const char *from);

/* kernel/signal.c */
int send_sig(int sig, struct task_struct *p);
int force_sig(int sig);
bool signal_pending(const struct task_struct *p);
void do_notify_resume(struct pt_regs *regs);

#endif
