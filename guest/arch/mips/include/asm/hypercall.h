/* The mips hypercall instruction: "hypcall code" (the VZ ASE's, 0x42000028 | code << 11), in
 * kernel mode; arguments a0-a3, t0, t1 (the first six o32 argument words, registers for all of
 * them), result v0. Counterpart of arch/mips/include/asm/kvm_para.h (kvm_hypercall*, which use
 * the same instruction). */
#ifndef _ASM_HYPERCALL_H
#define _ASM_HYPERCALL_H

#include "compiler.h"

/* The six argument registers are in/out operands: the host only promises v0, so the compiler
 * must not assume they survive. "memory": the host reads and writes guest memory. */
#define __hypercall(imm, a0, a1, a2, a3, a4, a5) ({				\
	register unsigned long __a0 __asm__("$4") = (unsigned long)(a0);	\
	register unsigned long __a1 __asm__("$5") = (unsigned long)(a1);	\
	register unsigned long __a2 __asm__("$6") = (unsigned long)(a2);	\
	register unsigned long __a3 __asm__("$7") = (unsigned long)(a3);	\
	register unsigned long __t0 __asm__("$8") = (unsigned long)(a4);	\
	register unsigned long __t1 __asm__("$9") = (unsigned long)(a5);	\
	register unsigned long __v0 __asm__("$2");				\
	__asm__ __volatile__(".set\tpush\n\t.set\tvirt\n\t"			\
			     "hypcall\t" __stringify(imm) "\n\t.set\tpop"	\
			     : "=r"(__v0), "+r"(__a0), "+r"(__a1), "+r"(__a2),	\
			       "+r"(__a3), "+r"(__t0), "+r"(__t1)		\
			     : : "memory");					\
	(long)__v0;								\
})

#endif
