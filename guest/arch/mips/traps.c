/* Exceptions other than system calls and page faults: the handler table the general vector
 * dispatches through, oops reports, and user-mode exceptions turned into signals. Counterpart of
 * arch/mips/kernel/traps.c (exception_handlers, die, show_regs, do_bp, do_tr, do_ri, do_cpu,
 * do_ov, do_be, do_reserved) and unaligned.c (do_ade). Breakpoints of kprobes (break 515/516)
 * and the kretprobe trampoline's probe are handled by TypeScript before they reach the vector;
 * a break that arrives here had no handler, as in Linux when notify_die() finds none. */
#include "kernel.h"
#include "sched.h"
#include "signal.h"
#include "kprobes.h"
#include "uaccess.h"
#include <asm/ptrace.h>
#include <asm/mipsregs.h>
#include <asm/branch.h>
#include <asm/break.h>
#include <asm/extable.h>
#include "arch.h"

/* The entry.S handlers, by Cause.ExcCode (trap_init()'s set_except_vector calls, made once
 * here). */
extern asmlinkage void handle_int(void);
extern asmlinkage void handle_tlbm(void);
extern asmlinkage void handle_tlbl(void);
extern asmlinkage void handle_tlbs(void);
extern asmlinkage void handle_adel(void);
extern asmlinkage void handle_ades(void);
extern asmlinkage void handle_ibe(void);
extern asmlinkage void handle_dbe(void);
extern asmlinkage void handle_sys(void);
extern asmlinkage void handle_bp(void);
extern asmlinkage void handle_ri(void);
extern asmlinkage void handle_cpu(void);
extern asmlinkage void handle_ov(void);
extern asmlinkage void handle_tr(void);
extern asmlinkage void handle_reserved(void);

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
unsigned long exception_handlers[32] = {
	[0 ... 31] = (unsigned long)handle_reserved,
	[EXCCODE_INT] = (unsigned long)handle_int,
	[EXCCODE_MOD] = (unsigned long)handle_tlbm,
	[EXCCODE_TLBL] = (unsigned long)handle_tlbl,
	[EXCCODE_TLBS] = (unsigned long)handle_tlbs,
	[EXCCODE_ADEL] = (unsigned long)handle_adel,
	[EXCCODE_ADES] = (unsigned long)handle_ades,
	[EXCCODE_IBE] = (unsigned long)handle_ibe,
	[EXCCODE_DBE] = (unsigned long)handle_dbe,
	[EXCCODE_SYS] = (unsigned long)handle_sys,
	[EXCCODE_BP] = (unsigned long)handle_bp,
	[EXCCODE_RI] = (unsigned long)handle_ri,
	[EXCCODE_CPU] = (unsigned long)handle_cpu,
	[EXCCODE_OV] = (unsigned long)handle_ov,
	[EXCCODE_TR] = (unsigned long)handle_tr,
};
#pragma GCC diagnostic pop

static int die_counter;

/* __show_regs(): the registers as MIPS Linux prints them (k0/k1 left blank). */
noinline void show_regs(struct pt_regs *regs)
{
	const int field = 2 * sizeof(unsigned long);
	unsigned int cause = regs->cp0_cause;
	unsigned int exccode;
	char line[64];
	int i, n = 0;

	printk(KERN_DEFAULT "CPU: 0 PID: %d Comm: %.16s\n", current->pid, current->comm);
	for (i = 0; i < 32;) {
		if ((i % 4) == 0)
			n = scnprintf(line, sizeof(line), "$%2d   :", i);
		if (i == 0)
			n += scnprintf(line + n, sizeof(line) - n, " %0*lx", field, 0UL);
		else if (i == 26 || i == 27)
			n += scnprintf(line + n, sizeof(line) - n, " %*s", field, "");
		else
			n += scnprintf(line + n, sizeof(line) - n, " %0*lx", field, regs->regs[i]);
		i++;
		if ((i % 4) == 0)
			printk(KERN_DEFAULT "%s\n", line);
	}
	printk(KERN_DEFAULT "Hi    : %0*lx\n", field, regs->hi);
	printk(KERN_DEFAULT "Lo    : %0*lx\n", field, regs->lo);
	printk(KERN_DEFAULT "epc   : %0*lx\n", field, regs->cp0_epc);
	printk(KERN_DEFAULT "ra    : %0*lx\n", field, regs->regs[31]);
	printk(KERN_DEFAULT "Status: %08x	%s%s%s%s\n", (u32)regs->cp0_status,
	       (regs->cp0_status & ST0_KSU) == KSU_USER ? "USER " :
	       (regs->cp0_status & ST0_KSU) == KSU_KERNEL ? "KERNEL " : "BAD_MODE ",
	       regs->cp0_status & ST0_ERL ? "ERL " : "", regs->cp0_status & ST0_EXL ? "EXL " : "",
	       regs->cp0_status & ST0_IE ? "IE " : "");
	exccode = (cause & CAUSEF_EXCCODE) >> CAUSEB_EXCCODE;
	printk(KERN_DEFAULT "Cause : %08x (ExcCode %02x)\n", cause, exccode);
	if (1 <= exccode && exccode <= 5)
		printk(KERN_DEFAULT "BadVA : %0*lx\n", field, regs->cp0_badvaddr);
	printk(KERN_DEFAULT "PrId  : %08x (%s)\n", read_c0_prid(), cpu_name_string());
}

/* An oops: report, then kill the current task (make_task_dead), as Linux's die() does. */
noinline void die(const char *str, struct pt_regs *regs)
{
	printk(KERN_EMERG "%s[#%d]:\n", str, ++die_counter);
	show_regs(regs);
	printk(KERN_DEFAULT "Process %s (pid: %d, threadinfo=%p, task=%p)\n", current->comm,
	       current->pid, &current->thread_info, current);
	printk(KERN_EMERG "---[ end trace 0000000000000000 ]---\n");
	make_task_dead(SIGSEGV);
}
NOKPROBE_SYMBOL(die);

/* The instruction at the exception (__get_inst32: from user memory for a user exception). */
static int get_inst32(u32 *opcode, const struct pt_regs *regs)
{
	u32 *epc = (u32 *)exception_epc(regs);

	if (user_mode(regs))
		return get_user(*opcode, (u32 __user *)epc);
	*opcode = *epc;
	return 0;
}

noinline void do_trap_or_bp(struct pt_regs *regs, unsigned int code, const char *str)
{
	char b[40];

	/* A short test says that IRIX 5.3 sends SIGTRAP for all trap insns, even for trap and
	 * break codes that indicate arithmetic failures (Linux's comment). */
	switch (code) {
	case BRK_OVERFLOW:
	case BRK_DIVZERO:
		scnprintf(b, sizeof(b), "%s instruction in kernel code", str);
		die_if_kernel(b, regs);
		force_sig(SIGFPE);
		break;
	case BRK_BUG:
		die_if_kernel("Kernel bug detected", regs);
		force_sig(SIGTRAP);
		break;
	case BRK_MEMU:
		die_if_kernel("Math emu break/trap", regs);
		force_sig(SIGTRAP);
		break;
	default:
		scnprintf(b, sizeof(b), "%s instruction in kernel code", str);
		die_if_kernel(b, regs);
		force_sig(SIGTRAP);
	}
}
NOKPROBE_SYMBOL(do_trap_or_bp);

asmlinkage noinline void do_bp(struct pt_regs *regs)
{
	unsigned int opcode, bcode;

	if (get_inst32(&opcode, regs)) {
		force_sig(SIGSEGV);
		return;
	}
	bcode = (opcode >> 6) & ((1 << 20) - 1);
	/* There is the ancient bug in the MIPS assemblers that the break code starts left to
	 * bit 16 instead to bit 6 in the opcode. Gas is bug-compatible, but not always, grrr...
	 * We handle both cases with a simple heuristics. --macro (Linux's comment) */
	if (bcode >= (1 << 10))
		bcode = ((bcode & ((1 << 10) - 1)) << 10) | (bcode >> 10);
	/* BRK_KPROBE_BP, BRK_KPROBE_SSTEPBP, BRK_UPROBE*: notify_die() would offer them to
	 * kprobes and uprobes, which are TypeScript's and have seen them before the vector. */
	do_trap_or_bp(regs, bcode, "Break");
}
NOKPROBE_SYMBOL(do_bp);

#define OPCODE 0xfc000000

asmlinkage noinline void do_tr(struct pt_regs *regs)
{
	u32 opcode, tcode = 0;

	if (get_inst32(&opcode, regs)) {
		force_sig(SIGSEGV);
		return;
	}
	/* Immediate versions don't provide a code. */
	if (!(opcode & OPCODE))
		tcode = (opcode >> 6) & ((1 << 10) - 1);
	do_trap_or_bp(regs, tcode, "Trap");
}
NOKPROBE_SYMBOL(do_tr);

/* Reserved instruction: the CPU runs rdhwr, sync and ll/sc itself, so there is nothing to
 * emulate; hypcall from user mode lands here too. */
asmlinkage noinline void do_ri(struct pt_regs *regs)
{
	die_if_kernel("Reserved instruction in kernel code", regs);
	force_sig(SIGILL);
}
NOKPROBE_SYMBOL(do_ri);

/* Coprocessor unusable: no FPU and no FPU emulator (CONFIG_MIPS_FP_SUPPORT off), and CP0 is the
 * kernel's. */
asmlinkage noinline void do_cpu(struct pt_regs *regs)
{
	die_if_kernel("do_cpu invoked from kernel context!", regs);
	force_sig(SIGILL);
}
NOKPROBE_SYMBOL(do_cpu);

asmlinkage noinline void do_ov(struct pt_regs *regs)
{
	die_if_kernel("Integer overflow", regs);
	force_sig(SIGFPE);
}
NOKPROBE_SYMBOL(do_ov);

/* Address error: a misaligned access, or user mode reaching above kuseg. There is no
 * emulation of unaligned accesses (as with TIF_FIXADE clear): a kernel access inside a uaccess
 * routine is fixed up, anything else is SIGBUS, or an oops in the kernel. */
asmlinkage noinline void do_ade(struct pt_regs *regs)
{
	/* Did we catch a fault trying to load an instruction? */
	if (regs->cp0_badvaddr == regs->cp0_epc)
		goto sigbus;
	if (!user_mode(regs) && fixup_exception(regs))
		return;
sigbus:
	die_if_kernel("Kernel unaligned instruction access", regs);
	force_sig(SIGBUS);
}
NOKPROBE_SYMBOL(do_ade);

/* Bus error: this machine's bus never reports one. */
asmlinkage noinline void do_be(struct pt_regs *regs)
{
	const int field = 2 * sizeof(unsigned long);
	int data = regs->cp0_cause & 4;

	printk(KERN_ALERT "%s bus error, epc == %0*lx, ra == %0*lx\n", data ? "Data" : "Instruction",
	       field, regs->cp0_epc, field, regs->regs[31]);
	die_if_kernel("Oops", regs);
	force_sig(SIGBUS);
}
NOKPROBE_SYMBOL(do_be);

asmlinkage noinline void do_reserved(struct pt_regs *regs)
{
	/* Game over - no way to handle this if it ever occurs. Most probably caused by a new
	 * unknown cpu type or after another deadly hard/software error (Linux's comment). */
	show_regs(regs);
	panic("Caught reserved exception %ld - should not happen.",
	      (regs->cp0_cause & 0x7f) >> 2);
}
NOKPROBE_SYMBOL(do_reserved);
