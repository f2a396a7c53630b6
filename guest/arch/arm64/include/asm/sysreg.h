/* System register access. Counterpart of arch/arm64/include/asm/sysreg.h (read_sysreg). */
#ifndef _ASM_SYSREG_H
#define _ASM_SYSREG_H

#define read_sysreg(r) ({						\
	unsigned long __val;						\
	__asm__ __volatile__("mrs %0, " __stringify(r) : "=r"(__val));	\
	__val;								\
})

#define write_sysreg(v, r) do {						\
	unsigned long __val = (unsigned long)(v);			\
	__asm__ __volatile__("msr " __stringify(r) ", %x0" : : "rZ"(__val)); \
} while (0)

#endif
