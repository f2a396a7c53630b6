/* Offsets the assembler files need, checked against the C structures by _Static_asserts in
 * arch/mips/setup.c. Counterpart of the generated include/generated/asm-offsets.h
 * (arch/mips/kernel/asm-offsets.c: TI_FLAGS, here from the task_struct, which holds the
 * thread_info). */
#ifndef _ASM_ASM_OFFSETS_H
#define _ASM_ASM_OFFSETS_H

#define TASK_TI_FLAGS		144	/* offsetof(struct task_struct, thread_info.flags) */
#define TASK_TI_SYSCALL		152	/* offsetof(struct task_struct, thread_info.syscall) */

#endif
