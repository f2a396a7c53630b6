/* struct pt_regs: the registers saved on the kernel stack at exception entry, in the layout of
 * Linux 6.12 (arch/arm64/include/asm/ptrace.h), so that TypeScript handlers, fetch args and
 * probes read them at the same offsets as on a real arm64 kernel. The S_* offsets are what
 * arch/arm64/kernel/asm-offsets.c generates; entry.S uses them. */
#ifndef _ASM_PTRACE_H
#define _ASM_PTRACE_H

#define S_X0		0
#define S_LR		240		/* regs[30] */
#define S_SP		248
#define S_PC		256
#define S_PSTATE	264
#define S_ORIG_X0	272
#define S_SYSCALLNO	280
#define S_SDEI_TTBR1	288
#define S_PMR_SAVE	296
#define S_STACKFRAME	304
#define PT_REGS_SIZE	336

#define NO_SYSCALL	(-1)

/* PSTATE.M for the exception levels entry code distinguishes. */
#define PSR_MODE_EL0t	0x00000000
#define PSR_MODE_MASK	0x0000000f

#ifndef __ASSEMBLY__
#include "types.h"

struct pt_regs {
	union {
		struct {
			u64 regs[31];
			u64 sp;
			u64 pc;
			u64 pstate;
		} user_regs;
		struct {
			u64 regs[31];
			u64 sp;
			u64 pc;
			u64 pstate;
		};
	};
	u64 orig_x0;
	s32 syscallno;
	u32 unused2;
	u64 sdei_ttbr1;
	u64 pmr_save;
	u64 stackframe[2];	/* frame record {x29, pc} linking the unwinder across exceptions */
	u64 lockdep_hardirqs;
	u64 exit_rcu;
};

_Static_assert(offsetof(struct pt_regs, sp) == S_SP, "pt_regs.sp");
_Static_assert(offsetof(struct pt_regs, pc) == S_PC, "pt_regs.pc");
_Static_assert(offsetof(struct pt_regs, pstate) == S_PSTATE, "pt_regs.pstate");
_Static_assert(offsetof(struct pt_regs, orig_x0) == S_ORIG_X0, "pt_regs.orig_x0");
_Static_assert(offsetof(struct pt_regs, syscallno) == S_SYSCALLNO, "pt_regs.syscallno");
_Static_assert(offsetof(struct pt_regs, stackframe) == S_STACKFRAME, "pt_regs.stackframe");
_Static_assert(sizeof(struct pt_regs) == PT_REGS_SIZE, "pt_regs size");

static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->pstate & PSR_MODE_MASK) == PSR_MODE_EL0t;
}

static inline unsigned long regs_return_value(const struct pt_regs *regs)
{
	return regs->regs[0];
}

/* The syscall arguments as the __arm64_sys_* wrappers read them. */
#define SC_ARG(regs, n)	((regs)->regs[n])
#endif

#endif
