/* Exception Syndrome Register classes. Counterpart of arch/arm64/include/asm/esr.h. */
#ifndef _ASM_ESR_H
#define _ASM_ESR_H

#define ESR_ELx_EC_SHIFT	26
#define ESR_ELx_EC(esr)		(((esr) >> ESR_ELx_EC_SHIFT) & 0x3f)

#define ESR_ELx_EC_UNKNOWN	0x00
#define ESR_ELx_EC_FP_ASIMD	0x07
#define ESR_ELx_EC_ILL		0x0e
#define ESR_ELx_EC_SVC64	0x15
#define ESR_ELx_EC_HVC64	0x16
#define ESR_ELx_EC_SYS64	0x18
#define ESR_ELx_EC_IABT_LOW	0x20
#define ESR_ELx_EC_IABT_CUR	0x21
#define ESR_ELx_EC_PC_ALIGN	0x22
#define ESR_ELx_EC_DABT_LOW	0x24
#define ESR_ELx_EC_DABT_CUR	0x25
#define ESR_ELx_EC_SP_ALIGN	0x26
#define ESR_ELx_EC_FP_EXC64	0x2c
#define ESR_ELx_EC_SERROR	0x2f
#define ESR_ELx_EC_BREAKPT_LOW	0x30
#define ESR_ELx_EC_BREAKPT_CUR	0x31
#define ESR_ELx_EC_SOFTSTP_LOW	0x32
#define ESR_ELx_EC_SOFTSTP_CUR	0x33
#define ESR_ELx_EC_WATCHPT_LOW	0x34
#define ESR_ELx_EC_WATCHPT_CUR	0x35
#define ESR_ELx_EC_BRK64	0x3c

#define ESR_ELx_BRK64_ISS_COMMENT_MASK	0xffff

/* BRK immediates (arch/arm64/include/asm/brk-imm.h). */
#define KPROBES_BRK_IMM		0x004
#define UPROBES_BRK_IMM		0x005
#define KPROBES_BRK_SS_IMM	0x006
#define KRETPROBES_BRK_IMM	0x007
#define FAULT_BRK_IMM		0x100
#define BUG_BRK_IMM		0x800

#endif
