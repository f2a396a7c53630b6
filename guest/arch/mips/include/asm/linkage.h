/* Assembler symbol helpers: every code symbol gets a type and a size, so kallsyms (TypeScript
 * reads .symtab) knows where each function ends. Counterpart of include/linux/linkage.h and
 * arch/mips/include/asm/asm.h (LEAF/NESTED/END). */
#ifndef _ASM_LINKAGE_H
#define _ASM_LINKAGE_H

#ifdef __ASSEMBLY__
#define SYM_FUNC_START(name)		\
	.globl name;			\
	.balign 4;			\
	.type name, @function;		\
	.ent name;			\
	name:

#define SYM_FUNC_START_LOCAL(name)	\
	.balign 4;			\
	.type name, @function;		\
	.ent name;			\
	name:

#define SYM_FUNC_END(name)		\
	.end name;			\
	.size name, . - name

#define SYM_CODE_START(name)		SYM_FUNC_START(name)
#define SYM_CODE_START_LOCAL(name)	SYM_FUNC_START_LOCAL(name)
#define SYM_CODE_END(name)		SYM_FUNC_END(name)
#endif

#endif
