/* Harness override of guest/arch/mips/include/asm/mipsregs.h: the same constants, but the CP0
 * registers a qemu-user process cannot read (mfc0 is a kernel-mode instruction) are the
 * emulated machine's values. */
#ifndef _HARNESS_ASM_MIPSREGS_H
#define _HARNESS_ASM_MIPSREGS_H

#include_next <asm/mipsregs.h>

#ifndef __ASSEMBLY__
#undef read_c0_prid
#define read_c0_prid()		(PRID_COMP_MIPS | PRID_IMP_24K)
#endif

#endif
