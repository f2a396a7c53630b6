/* System-call dispatch. Counterpart of arch/arm64/kernel/syscall.c (do_el0_svc, el0_svc_common,
 * invoke_syscall) and arch/arm64/kernel/sys.c (sys_call_table). The table holds the
 * __arm64_sys_* wrappers that SYSCALL_DEFINEn generates next to each system call; each takes
 * the struct pt_regs and calls sys_NAME with x0..x5. */
#include "kernel.h"
#include "syscalls.h"
#include "unistd.h"
#include "sched.h"
#include <asm/ptrace.h>
#include "arch.h"

/* Declarations of every wrapper in the table. */
#define __SYSCALL_DECL(nr, name) asmlinkage long __arm64_sys_##name(const struct pt_regs *regs);
SYSCALL_LIST(__SYSCALL_DECL)

/* Numbers this kernel does not implement (kernel/sys_ni.c). */
asmlinkage noinline long __arm64_sys_ni_syscall(const struct pt_regs *regs)
{
	return -ENOSYS;
}

#define __SYSCALL_ENTRY(nr, name) [nr] = __arm64_sys_##name,

/* GCC's range initializer fills every slot first; the listed calls then override theirs. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
const syscall_fn_t sys_call_table[__NR_syscalls] = {
	[0 ... __NR_syscalls - 1] = __arm64_sys_ni_syscall,
	SYSCALL_LIST(__SYSCALL_ENTRY)
};
#pragma GCC diagnostic pop

static noinline long __invoke_syscall(struct pt_regs *regs, syscall_fn_t syscall_fn)
{
	return syscall_fn(regs);
}

/* Looks the number up and stores the result in x0 of the saved registers, which ret_to_user
 * restores. */
static noinline void invoke_syscall(struct pt_regs *regs, unsigned int scno,
				    unsigned int sc_nr, const syscall_fn_t syscall_table[])
{
	long ret;

	if (scno < sc_nr)
		ret = __invoke_syscall(regs, syscall_table[scno]);
	else
		ret = __arm64_sys_ni_syscall(regs);

	regs->regs[0] = ret;
}

static noinline void el0_svc_common(struct pt_regs *regs, int scno, int sc_nr,
				    const syscall_fn_t syscall_table[])
{
	/* orig_x0 keeps the first argument, which the return value overwrites. */
	regs->orig_x0 = regs->regs[0];
	regs->syscallno = scno;
	invoke_syscall(regs, scno, sc_nr, syscall_table);
}

noinline void do_el0_svc(struct pt_regs *regs)
{
	/* arm64: the number is in x8. */
	el0_svc_common(regs, regs->regs[8], __NR_syscalls, sys_call_table);
}
