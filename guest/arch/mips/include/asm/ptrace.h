/* struct pt_regs: the registers saved on the kernel stack at exception entry, in the layout of
 * Linux 6.12 for a 32-bit kernel (arch/mips/include/asm/ptrace.h, CONFIG_32BIT: the 32-byte
 * argument save area first), so that TypeScript handlers, fetch args and probes read them at the
 * same offsets as on a real MIPS kernel. The PT_* offsets are what
 * arch/mips/kernel/asm-offsets.c generates; entry.S uses them. */
#ifndef _ASM_PTRACE_H
#define _ASM_PTRACE_H

#define PT_R0		32
#define PT_R(n)		(PT_R0 + 4 * (n))
#define PT_R1		PT_R(1)
#define PT_R2		PT_R(2)
#define PT_R3		PT_R(3)
#define PT_R4		PT_R(4)
#define PT_R5		PT_R(5)
#define PT_R6		PT_R(6)
#define PT_R7		PT_R(7)
#define PT_R8		PT_R(8)
#define PT_R9		PT_R(9)
#define PT_R10		PT_R(10)
#define PT_R11		PT_R(11)
#define PT_R12		PT_R(12)
#define PT_R13		PT_R(13)
#define PT_R14		PT_R(14)
#define PT_R15		PT_R(15)
#define PT_R16		PT_R(16)
#define PT_R17		PT_R(17)
#define PT_R18		PT_R(18)
#define PT_R19		PT_R(19)
#define PT_R20		PT_R(20)
#define PT_R21		PT_R(21)
#define PT_R22		PT_R(22)
#define PT_R23		PT_R(23)
#define PT_R24		PT_R(24)
#define PT_R25		PT_R(25)
#define PT_R26		PT_R(26)
#define PT_R27		PT_R(27)
#define PT_R28		PT_R(28)
#define PT_R29		PT_R(29)
#define PT_R30		PT_R(30)
#define PT_R31		PT_R(31)
#define PT_STATUS	160
#define PT_HI		164
#define PT_LO		168
#define PT_BVADDR	172
#define PT_CAUSE	176
#define PT_EPC		180
#define PT_SIZE		184

#ifndef __ASSEMBLY__
#include "types.h"
#include <asm/mipsregs.h>

struct pt_regs {
	/* Pad bytes for argument save space on the stack. */
	unsigned long pad0[8];

	/* Saved main processor registers. */
	unsigned long regs[32];

	/* Saved special registers. */
	unsigned long cp0_status;
	unsigned long hi;
	unsigned long lo;
	unsigned long cp0_badvaddr;
	unsigned long cp0_cause;
	unsigned long cp0_epc;
	unsigned long __last[0];
} __aligned(8);

_Static_assert(offsetof(struct pt_regs, regs) == PT_R0, "pt_regs.regs");
_Static_assert(offsetof(struct pt_regs, cp0_status) == PT_STATUS, "pt_regs.cp0_status");
_Static_assert(offsetof(struct pt_regs, hi) == PT_HI, "pt_regs.hi");
_Static_assert(offsetof(struct pt_regs, lo) == PT_LO, "pt_regs.lo");
_Static_assert(offsetof(struct pt_regs, cp0_badvaddr) == PT_BVADDR, "pt_regs.cp0_badvaddr");
_Static_assert(offsetof(struct pt_regs, cp0_cause) == PT_CAUSE, "pt_regs.cp0_cause");
_Static_assert(offsetof(struct pt_regs, cp0_epc) == PT_EPC, "pt_regs.cp0_epc");
_Static_assert(sizeof(struct pt_regs) == PT_SIZE, "pt_regs size");

/* Does the saved status say the exception came from user mode (KSU = user)? */
static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->cp0_status & KU_MASK) == KU_USER;
}

static inline unsigned long regs_return_value(const struct pt_regs *regs)
{
	return regs->regs[2];
}

#define instruction_pointer(regs)	((regs)->cp0_epc)
#endif

#endif
