/* The code fields of the break instruction that Linux assigns (do_bp() decodes them from either
 * half of the 20-bit field). Counterpart of arch/mips/include/uapi/asm/break.h. */
#ifndef _ASM_BREAK_H
#define _ASM_BREAK_H

#define BRK_USERBP		0	/* User bp (used by debuggers) */
#define BRK_SSTEPBP		5	/* User bp (used by debuggers) */
#define BRK_OVERFLOW		6	/* Overflow check */
#define BRK_DIVZERO		7	/* Divide by zero check */
#define BRK_RANGE		8	/* Range error check */
#define BRK_BUG			12	/* Used by BUG() */
#define BRK_UPROBE		13	/* uprobes */
#define BRK_UPROBE_XOL		14	/* uprobes, out of line */
#define BRK_MEMU		514	/* Used by FPU emulator */
#define BRK_KPROBE_BP		515	/* Kprobe break */
#define BRK_KPROBE_SSTEPBP	516	/* Kprobe single step software implementation */
#define BRK_MULOVF		1023	/* Multiply overflow */

#endif
