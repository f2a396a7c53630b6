/* The arm64 hypercall instruction: "hvc #imm", arguments x0-x5, result x0.
 * Counterpart of arch/arm64/include/asm/xen/hypercall.h + the SMCCC helpers. */
#ifndef _ASM_HYPERCALL_H
#define _ASM_HYPERCALL_H

#include "compiler.h"

/* All six argument registers are in/out operands: the host only promises x0, so the compiler
 * must not assume the others survive. "memory": the host reads and writes guest memory. */
#define __hypercall(imm, a0, a1, a2, a3, a4, a5) ({				\
	register unsigned long __x0 __asm__("x0") = (unsigned long)(a0);	\
	register unsigned long __x1 __asm__("x1") = (unsigned long)(a1);	\
	register unsigned long __x2 __asm__("x2") = (unsigned long)(a2);	\
	register unsigned long __x3 __asm__("x3") = (unsigned long)(a3);	\
	register unsigned long __x4 __asm__("x4") = (unsigned long)(a4);	\
	register unsigned long __x5 __asm__("x5") = (unsigned long)(a5);	\
	__asm__ __volatile__("hvc #" __stringify(imm)				\
			     : "+r"(__x0), "+r"(__x1), "+r"(__x2), "+r"(__x3),	\
			       "+r"(__x4), "+r"(__x5)				\
			     : : "memory");					\
	(long)__x0;								\
})

#endif
