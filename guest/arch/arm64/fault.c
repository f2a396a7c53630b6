/* Memory aborts. Counterpart of arch/arm64/mm/fault.c and arch/arm64/mm/extable.c. User page
 * tables live in TypeScript, so a user-mode abort that reaches the guest is a real fault
 * (SIGSEGV); a kernel-mode abort on a user address inside a uaccess routine is fixed up
 * through __ex_table; anything else is an oops. */
#include "kernel.h"
#include "sched.h"
#include "signal.h"
#include "kprobes.h"
#include <asm/ptrace.h>
#include <asm/memory.h>
#include <asm/extable.h>
#include <asm/esr.h>
#include "arch.h"

const struct exception_table_entry *search_exception_tables(unsigned long addr);

static inline unsigned long get_ex_fixup(const struct exception_table_entry *ex)
{
	return (unsigned long)&ex->fixup + ex->fixup;
}

static bool ex_handler_uaccess_err_zero(const struct exception_table_entry *ex,
					struct pt_regs *regs)
{
	int reg_err = ex->data & 0x1f;
	int reg_zero = (ex->data >> 5) & 0x1f;

	if (reg_err != 31)
		regs->regs[reg_err] = -EFAULT;
	if (reg_zero != 31)
		regs->regs[reg_zero] = 0;
	regs->pc = get_ex_fixup(ex);
	return true;
}

noinline bool fixup_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *ex = search_exception_tables(regs->pc);

	if (!ex)
		return false;
	switch (ex->type) {
	case EX_TYPE_UACCESS_ERR_ZERO:
		return ex_handler_uaccess_err_zero(ex, regs);
	}
	return false;
}

static void __do_kernel_fault(unsigned long addr, unsigned long esr, struct pt_regs *regs)
{
	const char *msg;

	/* A uaccess routine touching a bad user address: resume at its fixup (-EFAULT). */
	if (addr < TASK_SIZE && fixup_exception(regs))
		return;

	if (addr < PAGE_SIZE)
		msg = "NULL pointer dereference";
	else
		msg = "paging request";
	printk(KERN_ALERT "Unable to handle kernel %s at virtual address %016lx\n", msg, addr);
	die("Oops", regs, esr);
}

noinline void do_mem_abort(unsigned long far, unsigned long esr, struct pt_regs *regs)
{
	if (!user_mode(regs)) {
		__do_kernel_fault(far, esr, regs);
		return;
	}
	arm64_force_sig_fault(SIGSEGV, far, "translation fault", esr);
}
NOKPROBE_SYMBOL(do_mem_abort);

noinline void do_sp_pc_abort(unsigned long addr, unsigned long esr, struct pt_regs *regs)
{
	if (!user_mode(regs)) {
		die("SP/PC alignment exception", regs, esr);
		return;
	}
	arm64_force_sig_fault(SIGBUS, addr, "SP/PC alignment exception", esr);
}
NOKPROBE_SYMBOL(do_sp_pc_abort);
