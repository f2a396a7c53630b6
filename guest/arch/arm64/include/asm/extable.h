/* Exception table entries: where a faulting user access resumes. Counterpart of
 * arch/arm64/include/asm/extable.h and asm-extable.h (same relative layout and type numbers). */
#ifndef _ASM_EXTABLE_H
#define _ASM_EXTABLE_H

/* insn and fixup are offsets from the entry's own fields (lib/extable.c). */
#define ARCH_HAS_RELATIVE_EXTABLE

#define EX_TYPE_NONE			0
#define EX_TYPE_UACCESS_ERR_ZERO	2

/* Register numbers to set on a fault: bits 4:0 get -EFAULT, bits 9:5 get zero (31 = none). */
#define EX_DATA_REG_ERR_SHIFT		0
#define EX_DATA_REG_ZERO_SHIFT		5

#ifdef __ASSEMBLY__
	/* An entry for user access "insn" that resumes at "fixup" when it faults. */
	.macro _asm_extable_uaccess, insn, fixup
	.pushsection	__ex_table, "a"
	.balign		4
	.long		(\insn - .)
	.long		(\fixup - .)
	.short		EX_TYPE_UACCESS_ERR_ZERO
	.short		(31 << EX_DATA_REG_ERR_SHIFT) | (31 << EX_DATA_REG_ZERO_SHIFT)
	.popsection
	.endm
#else
#include "types.h"

struct exception_table_entry {
	int insn, fixup;	/* offsets from the field itself */
	short type, data;
};

struct pt_regs;
bool fixup_exception(struct pt_regs *regs);
#endif

#endif
