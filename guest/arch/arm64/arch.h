/* Declarations shared by the arm64 files (arch/arm64/include/asm/exception.h, traps.h). */
#ifndef _ARM64_ARCH_H
#define _ARM64_ARCH_H

#include "types.h"

struct pt_regs;

/* syscall.c */
void do_el0_svc(struct pt_regs *regs);

/* traps.c */
void die(const char *str, struct pt_regs *regs, long err);
void show_regs(struct pt_regs *regs);
__noreturn void __panic_unhandled(struct pt_regs *regs, const char *vector, unsigned long esr);
void bad_el0_sync(struct pt_regs *regs, int reason, unsigned long esr);
void do_el0_undef(struct pt_regs *regs, unsigned long esr);
void do_el0_brk64(struct pt_regs *regs, unsigned long esr);
void do_el1_brk64(unsigned long esr, struct pt_regs *regs);
void arm64_force_sig_fault(int signo, unsigned long far, const char *str, unsigned long esr);

/* fault.c */
void do_mem_abort(unsigned long far, unsigned long esr, struct pt_regs *regs);
void do_sp_pc_abort(unsigned long addr, unsigned long esr, struct pt_regs *regs);

#endif
