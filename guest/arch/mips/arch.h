/* Declarations shared by the mips files (arch/mips/include/asm/traps.h, ptrace.h's
 * die_if_kernel). */
#ifndef _MIPS_ARCH_H
#define _MIPS_ARCH_H

#include "kernel.h"
#include <asm/ptrace.h>

/* setup.c */
const char *cpu_name_string(void);

/* traps.c */
__noreturn void die(const char *str, struct pt_regs *regs);
void show_regs(struct pt_regs *regs);
void do_trap_or_bp(struct pt_regs *regs, unsigned int code, const char *str);

static inline void die_if_kernel(const char *str, struct pt_regs *regs)
{
	if (unlikely(!user_mode(regs)))
		die(str, regs);
}

/* The exception handlers entry.S calls. */
asmlinkage void do_ade(struct pt_regs *regs);
asmlinkage void do_be(struct pt_regs *regs);
asmlinkage void do_bp(struct pt_regs *regs);
asmlinkage void do_ri(struct pt_regs *regs);
asmlinkage void do_cpu(struct pt_regs *regs);
asmlinkage void do_ov(struct pt_regs *regs);
asmlinkage void do_tr(struct pt_regs *regs);
asmlinkage void do_reserved(struct pt_regs *regs);
/* fault.c */
asmlinkage void do_page_fault(struct pt_regs *regs, unsigned long write, unsigned long address);
/* syscall.c */
asmlinkage void do_syscall(struct pt_regs *regs);

/* The stack pointer an exception from user mode starts with (entry.S): TypeScript writes it on
 * every task switch, the current task's stack top less 32 bytes. */
extern unsigned long kernelsp[NR_CPUS];

#endif
