/* Exception table entries: where a faulting user access resumes. Counterpart of
 * arch/mips/include/asm/extable.h: absolute addresses, the faulting instruction and the one to
 * continue at (no ARCH_HAS_RELATIVE_EXTABLE). */
#ifndef _ASM_EXTABLE_H
#define _ASM_EXTABLE_H

#ifdef __ASSEMBLY__
	/* An entry for user access "insn" that resumes at "fixup" when it faults. */
	.macro _asm_extable_uaccess, insn, fixup
	.pushsection	__ex_table, "a"
	.balign		4
	.word		\insn, \fixup
	.popsection
	.endm
#else
#include "types.h"

struct exception_table_entry {
	unsigned long insn;
	unsigned long nextinsn;
};

struct pt_regs;
int fixup_exception(struct pt_regs *regs);
#endif

#endif
