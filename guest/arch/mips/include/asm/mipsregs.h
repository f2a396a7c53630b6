/* Coprocessor 0: the registers the guest reaches with mfc0/mtc0, the Status and Cause fields
 * and the exception codes. Counterpart of arch/mips/include/asm/mipsregs.h (CP0 register
 * numbers, ST0_* and CAUSEF_* bits, EXCCODE_*, read_c0_*()/write_c0_*()). */
#ifndef _ASM_MIPSREGS_H
#define _ASM_MIPSREGS_H

/* CP0 registers: "$n" and, for mfc0/mtc0 with a select, "$n, sel". */
#define CP0_BADVADDR	$8
#define CP0_COUNT	$9
#define CP0_COMPARE	$11
#define CP0_STATUS	$12
#define CP0_CAUSE	$13
#define CP0_EPC		$14
#define CP0_PRID	$15
#define CP0_EBASE	$15, 1
#define CP0_CONFIG	$16

/* Status */
#define ST0_IE		0x00000001
#define ST0_EXL		0x00000002
#define ST0_ERL		0x00000004
#define ST0_KSU		0x00000018
#define KSU_USER	0x00000010
#define KSU_KERNEL	0x00000000
#define KU_MASK		0x00000018
#define KU_USER		0x00000010
#define STATMASK	0x0000001f	/* IE, EXL, ERL, KSU */
#define ST0_IM		0x0000ff00
#define ST0_BEV		0x00400000
#define ST0_CU0		0x10000000
#define ST0_KERNEL_CUMASK ST0_CU0

/* Cause */
#define CAUSEB_EXCCODE	2
#define CAUSEF_EXCCODE	(31 << CAUSEB_EXCCODE)
#define CAUSEB_BD	31
#define CAUSEF_BD	(1U << 31)

/* Cause.ExcCode values */
#define EXCCODE_INT	0	/* Interrupt pending */
#define EXCCODE_MOD	1	/* TLB modified fault */
#define EXCCODE_TLBL	2	/* TLB miss on load or ifetch */
#define EXCCODE_TLBS	3	/* TLB miss on a store */
#define EXCCODE_ADEL	4	/* Address error on a load or ifetch */
#define EXCCODE_ADES	5	/* Address error on a store */
#define EXCCODE_IBE	6	/* Bus error on an ifetch */
#define EXCCODE_DBE	7	/* Bus error on a load or store */
#define EXCCODE_SYS	8	/* System call */
#define EXCCODE_BP	9	/* Breakpoint */
#define EXCCODE_RI	10	/* Reserved instruction exception */
#define EXCCODE_CPU	11	/* Coprocessor unusable */
#define EXCCODE_OV	12	/* Arithmetic overflow */
#define EXCCODE_TR	13	/* Trap instruction */
#define EXCCODE_MSAFPE	14	/* MSA floating point exception */
#define EXCCODE_FPE	15	/* Floating point exception */
#define EXCCODE_WATCH	23	/* Watch address reference */
#define EXCCODE_MCHECK	24	/* Machine check */
#define EXCCODE_THREAD	25	/* Thread exceptions (MT) */
#define EXCCODE_DSPDIS	26	/* DSP disabled exception */

/* PRId */
#define PRID_COMP_MIPS	0x010000
#define PRID_IMP_24K	0x9300

#ifndef __ASSEMBLY__
#include "compiler.h"

#define __read_32bit_c0_register(reg, sel) ({					\
	unsigned int __res;							\
	__asm__ __volatile__("mfc0\t%0, " #reg ", " #sel : "=r"(__res));	\
	__res;									\
})

#define __write_32bit_c0_register(reg, sel, value) do {				\
	__asm__ __volatile__("mtc0\t%z0, " #reg ", " #sel "\n\tehb"		\
			     : : "Jr"((unsigned int)(value)));			\
} while (0)

#define read_c0_badvaddr()	__read_32bit_c0_register($8, 0)
#define read_c0_count()		__read_32bit_c0_register($9, 0)
#define read_c0_status()	__read_32bit_c0_register($12, 0)
#define write_c0_status(val)	__write_32bit_c0_register($12, 0, val)
#define read_c0_cause()		__read_32bit_c0_register($13, 0)
#define read_c0_epc()		__read_32bit_c0_register($14, 0)
#define read_c0_prid()		__read_32bit_c0_register($15, 0)
#define read_c0_ebase()		__read_32bit_c0_register($15, 1)
#define read_c0_config()	__read_32bit_c0_register($16, 0)
#endif

#endif
