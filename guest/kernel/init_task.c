/* The first task (pid 0, "swapper/0") with its stack, files and fs, and current_task.
 * Counterpart of init/init_task.c. init_task.tasks heads the list of all tasks. */
#include "sched.h"
#include "fdtable.h"
#include "fs_struct.h"
#include "signal.h"

/* The boot stack (head.S) is init_task's kernel stack. */
char init_stack[THREAD_SIZE] __aligned(16);

struct files_struct init_files = {
	.count = 1,
};

struct fs_struct init_fs = {
	.users = 1,
	.umask = 0022,
};

struct task_struct init_task = {
	.stack = init_stack,
	.pid = 0,
	.tgid = 0,
	.__state = TASK_RUNNING,
	.comm = "swapper/0",
	.parent = &init_task,
	.real_parent = &init_task,
	.tasks = LIST_HEAD_INIT(init_task.tasks),
	.children = LIST_HEAD_INIT(init_task.children),
	.sibling = LIST_HEAD_INIT(init_task.sibling),
	.run_list = LIST_HEAD_INIT(init_task.run_list),
	.exit_signal = SIGCHLD,
	.flags = PF_KTHREAD,
	.addr_limit = USER_DS,
	.thread_info = { .preempt_count = PREEMPT_ENABLED },
	.files = &init_files,
	.fs = &init_fs,
};

/* Written by TypeScript on each task switch; the guest sets it only during boot. */
struct task_struct *current_task = &init_task;
