/* Harness override of asm/hypercall.h: a hypercall is a call into the harness, which plays the
 * TypeScript half (an hvc would be an illegal instruction in a qemu-user process). */
#ifndef _ASM_HYPERCALL_H
#define _ASM_HYPERCALL_H

long harness_hypercall(int imm, unsigned long a0, unsigned long a1, unsigned long a2,
		       unsigned long a3, unsigned long a4, unsigned long a5);

#define __hypercall(imm, a0, a1, a2, a3, a4, a5)					\
	harness_hypercall(imm, (unsigned long)(a0), (unsigned long)(a1), (unsigned long)(a2), \
			  (unsigned long)(a3), (unsigned long)(a4), (unsigned long)(a5))

#endif
