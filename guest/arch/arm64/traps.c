/* Fatal exceptions: oops reports, user-mode faults turned into signals, BRK handling.
 * Counterpart of arch/arm64/kernel/traps.c, debug-monitors.c (the BRK hook path) and
 * process.c (show_regs). Breakpoints of kprobes are handled by TypeScript before they reach
 * the guest's vectors; a BRK that arrives here had no handler: an oops, as in Linux. */
#include "kernel.h"
#include "sched.h"
#include "signal.h"
#include "kprobes.h"
#include "hypercall.h"
#include <asm/ptrace.h>
#include <asm/esr.h>
#include "arch.h"

static int die_counter;

noinline void show_regs(struct pt_regs *regs)
{
	int i;

	printk(KERN_DEFAULT "CPU: 0 PID: %d Comm: %.16s\n", current->pid, current->comm);
	printk(KERN_DEFAULT "pstate: %08llx\n", regs->pstate);
	printk(KERN_DEFAULT "pc : %016llx\n", regs->pc);
	printk(KERN_DEFAULT "lr : %016llx\n", regs->regs[30]);
	printk(KERN_DEFAULT "sp : %016llx\n", regs->sp);
	for (i = 29; i >= 0; i -= 2) {
		if (i == 29)
			printk(KERN_DEFAULT "x29: %016llx x28: %016llx\n", regs->regs[29],
			       regs->regs[28]);
		else if (i > 0)
			printk(KERN_DEFAULT "x%-2d: %016llx x%-2d: %016llx\n", i, regs->regs[i],
			       i - 1, regs->regs[i - 1]);
	}
	printk(KERN_DEFAULT "x0 : %016llx\n", regs->regs[0]);
}

/* An oops: report, then kill the current task (make_task_dead), as Linux's die() does. */
noinline void die(const char *str, struct pt_regs *regs, long err)
{
	printk(KERN_EMERG "Internal error: %s: %016lx [#%d] SMP\n", str, err, ++die_counter);
	show_regs(regs);
	printk(KERN_EMERG "---[ end trace 0000000000000000 ]---\n");
	make_task_dead(SIGSEGV);
}
NOKPROBE_SYMBOL(die);

noinline void __panic_unhandled(struct pt_regs *regs, const char *vector, unsigned long esr)
{
	printk(KERN_CRIT "Unhandled %s exception on CPU0, ESR 0x%016lx\n", vector, esr);
	show_regs(regs);
	panic("Unhandled exception");
}
NOKPROBE_SYMBOL(__panic_unhandled);

static const char *esr_class_str(unsigned long esr)
{
	switch (ESR_ELx_EC(esr)) {
	case ESR_ELx_EC_UNKNOWN:	return "Unknown/Uncategorized";
	case ESR_ELx_EC_FP_ASIMD:	return "ASIMD";
	case ESR_ELx_EC_ILL:		return "PSTATE.IL";
	case ESR_ELx_EC_SVC64:		return "SVC (AArch64)";
	case ESR_ELx_EC_SYS64:		return "MSR/MRS (AArch64)";
	case ESR_ELx_EC_IABT_LOW:	return "IABT (lower EL)";
	case ESR_ELx_EC_IABT_CUR:	return "IABT (current EL)";
	case ESR_ELx_EC_PC_ALIGN:	return "PC Alignment";
	case ESR_ELx_EC_DABT_LOW:	return "DABT (lower EL)";
	case ESR_ELx_EC_DABT_CUR:	return "DABT (current EL)";
	case ESR_ELx_EC_SP_ALIGN:	return "SP Alignment";
	case ESR_ELx_EC_BRK64:		return "BRK (AArch64)";
	default:			return "UNRECOGNIZED EC";
	}
}

/* "prog[pid]: unhandled exception: ..." then the signal (arm64_show_signal). */
noinline void arm64_force_sig_fault(int signo, unsigned long far, const char *str,
				    unsigned long esr)
{
	struct task_struct *tsk = current;

	printk(KERN_INFO "%.16s[%d]: unhandled exception: %s, ESR 0x%016lx, %s at 0x%016lx\n",
	       tsk->comm, tsk->pid, esr_class_str(esr), esr, str, far);
	force_sig(signo);
}

noinline void bad_el0_sync(struct pt_regs *regs, int reason, unsigned long esr)
{
	arm64_force_sig_fault(SIGILL, regs->pc, "Bad EL0 synchronous exception", esr);
}

noinline void do_el0_undef(struct pt_regs *regs, unsigned long esr)
{
	arm64_force_sig_fault(SIGILL, regs->pc, "Oops - Undefined instruction", esr);
}

noinline void do_el0_brk64(struct pt_regs *regs, unsigned long esr)
{
	arm64_force_sig_fault(SIGTRAP, regs->pc, "BRK", esr);
}

/* No break hooks are registered in the guest (kprobes live in TypeScript and take their BRKs
 * before the vectors): an unexpected kernel BRK. call_el1_break_hook's fallback. */
noinline void do_el1_brk64(unsigned long esr, struct pt_regs *regs)
{
	unsigned long comment = esr & ESR_ELx_BRK64_ISS_COMMENT_MASK;

	if (comment == BUG_BRK_IMM)
		die("Oops - BUG", regs, esr);
	else
		die("Oops - BRK", regs, esr);
}
NOKPROBE_SYMBOL(do_el1_brk64);
