/* C halves of the exception vectors: classify by ESR and dispatch. Counterpart of
 * arch/arm64/kernel/entry-common.c. Everything here is noinstr (in .noinstr.text, which
 * kprobes refuse), as in Linux: a probe on the path that handles probe traps would recurse.
 * el0_svc is the system-call entry the issue names; do_el0_svc is in syscall.c. */
#include "kernel.h"
#include "sched.h"
#include "signal.h"
#include <asm/ptrace.h>
#include <asm/esr.h>
#include <asm/sysreg.h>
#include "arch.h"

/* Leaving the kernel towards user space (kernel/entry/common.c exit_to_user_mode_loop): give up
 * the CPU if asked to (need-resched), then act on pending signals. */
static __always_inline void exit_to_user_mode(struct pt_regs *regs)
{
	if (unlikely(need_resched()))
		schedule();
	if (unlikely(signal_pending(current)))
		do_notify_resume(regs);
}

static void noinstr el0_svc(struct pt_regs *regs)
{
	do_el0_svc(regs);
	exit_to_user_mode(regs);
}

static void noinstr el0_da(struct pt_regs *regs, unsigned long esr)
{
	do_mem_abort(read_sysreg(far_el1), esr, regs);
	exit_to_user_mode(regs);
}

static void noinstr el0_inv(struct pt_regs *regs, unsigned long esr)
{
	bad_el0_sync(regs, 0, esr);
	exit_to_user_mode(regs);
}

asmlinkage void noinstr el0t_64_sync_handler(struct pt_regs *regs)
{
	unsigned long esr = read_sysreg(esr_el1);

	switch (ESR_ELx_EC(esr)) {
	case ESR_ELx_EC_SVC64:
		el0_svc(regs);
		break;
	case ESR_ELx_EC_DABT_LOW:
	case ESR_ELx_EC_IABT_LOW:
		el0_da(regs, esr);
		break;
	case ESR_ELx_EC_PC_ALIGN:
	case ESR_ELx_EC_SP_ALIGN:
		do_sp_pc_abort(regs->pc, esr, regs);
		exit_to_user_mode(regs);
		break;
	case ESR_ELx_EC_UNKNOWN:
	case ESR_ELx_EC_ILL:
	case ESR_ELx_EC_SYS64:
	case ESR_ELx_EC_FP_ASIMD:
		do_el0_undef(regs, esr);
		exit_to_user_mode(regs);
		break;
	case ESR_ELx_EC_BRK64:
	case ESR_ELx_EC_BREAKPT_LOW:
	case ESR_ELx_EC_SOFTSTP_LOW:
	case ESR_ELx_EC_WATCHPT_LOW:
		do_el0_brk64(regs, esr);
		exit_to_user_mode(regs);
		break;
	default:
		el0_inv(regs, esr);
	}
}

/* No interrupt controller: the machine raises no interrupts, an IRQ is spurious. */
asmlinkage void noinstr el0t_64_irq_handler(struct pt_regs *regs)
{
	exit_to_user_mode(regs);
}

asmlinkage void noinstr el1h_64_sync_handler(struct pt_regs *regs)
{
	unsigned long esr = read_sysreg(esr_el1);

	switch (ESR_ELx_EC(esr)) {
	case ESR_ELx_EC_DABT_CUR:
	case ESR_ELx_EC_IABT_CUR:
		do_mem_abort(read_sysreg(far_el1), esr, regs);
		break;
	case ESR_ELx_EC_SP_ALIGN:
	case ESR_ELx_EC_PC_ALIGN:
		do_sp_pc_abort(regs->pc, esr, regs);
		break;
	case ESR_ELx_EC_BRK64:
	case ESR_ELx_EC_BREAKPT_CUR:
	case ESR_ELx_EC_SOFTSTP_CUR:
	case ESR_ELx_EC_WATCHPT_CUR:
		do_el1_brk64(esr, regs);
		break;
	case ESR_ELx_EC_UNKNOWN:
	case ESR_ELx_EC_ILL:
	case ESR_ELx_EC_SYS64:
		die("Oops - Undefined instruction", regs, esr);
		break;
	default:
		__panic_unhandled(regs, "64-bit el1h sync", esr);
	}
}

asmlinkage void noinstr el1h_64_irq_handler(struct pt_regs *regs)
{
}

#define UNHANDLED(el, regsize, vector)						\
asmlinkage void noinstr el##_##regsize##_##vector##_handler(struct pt_regs *regs)	\
{										\
	const char *desc = #regsize "-bit " #el " " #vector;			\
	__panic_unhandled(regs, desc, read_sysreg(esr_el1));			\
}

UNHANDLED(el1t, 64, sync)
UNHANDLED(el1t, 64, irq)
UNHANDLED(el1t, 64, fiq)
UNHANDLED(el1t, 64, error)
UNHANDLED(el1h, 64, fiq)
UNHANDLED(el1h, 64, error)
UNHANDLED(el0t, 64, fiq)
UNHANDLED(el0t, 64, error)
UNHANDLED(el0t, 32, sync)
UNHANDLED(el0t, 32, irq)
UNHANDLED(el0t, 32, fiq)
UNHANDLED(el0t, 32, error)
