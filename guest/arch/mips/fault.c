/* Page faults. Counterpart of arch/mips/mm/fault.c (do_page_fault, __do_page_fault) and
 * arch/mips/mm/extable.c (fixup_exception). User page tables live in TypeScript, which maps
 * pages before the CPU needs them, so a TLB exception that reaches the guest is a real fault:
 * SIGSEGV from user mode; from kernel mode a uaccess routine touching a bad user address is
 * fixed up through __ex_table (-EFAULT); anything else is an oops. */
#include "kernel.h"
#include "sched.h"
#include "signal.h"
#include "kprobes.h"
#include <asm/ptrace.h>
#include <asm/memory.h>
#include <asm/extable.h>
#include <asm/branch.h>
#include "arch.h"

const struct exception_table_entry *search_exception_tables(unsigned long addr);

noinline int fixup_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *fixup;

	fixup = search_exception_tables(exception_epc(regs));
	if (fixup) {
		regs->cp0_epc = fixup->nextinsn;
		return 1;
	}
	return 0;
}

static noinline void __do_page_fault(struct pt_regs *regs, unsigned long write,
				     unsigned long address)
{
	struct task_struct *tsk = current;
	const int field = sizeof(unsigned long) * 2;

	/* User mode accesses just cause a SIGSEGV (bad_area_nosemaphore). */
	if (user_mode(regs)) {
		printk(KERN_INFO "do_page_fault(): sending SIGSEGV to %s for invalid %s %0*lx\n",
		       tsk->comm, write ? "write access to" : "read access from", field, address);
		printk(KERN_INFO "epc = %0*lx\n", field, regs->cp0_epc);
		printk(KERN_INFO "ra  = %0*lx\n", field, regs->regs[31]);
		force_sig(SIGSEGV);
		return;
	}

	/* no_context: are we prepared to handle this kernel fault? */
	if (address < TASK_SIZE && fixup_exception(regs))
		return;

	/* Oops. The kernel tried to access some bad page. We'll have to terminate things with
	 * extreme prejudice (Linux's comment). */
	printk(KERN_ALERT "CPU 0 Unable to handle kernel paging request at virtual address %0*lx, "
	       "epc == %0*lx, ra == %0*lx\n", field, address, field, regs->cp0_epc, field,
	       regs->regs[31]);
	die("Oops", regs);
}
NOKPROBE_SYMBOL(__do_page_fault);

asmlinkage noinline void do_page_fault(struct pt_regs *regs, unsigned long write,
				       unsigned long address)
{
	__do_page_fault(regs, write, address);
}
NOKPROBE_SYMBOL(do_page_fault);
