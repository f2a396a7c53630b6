/* mmap's protection and flag bits on MIPS (MAP_ANONYMOUS 0x0800). Counterpart of
 * arch/mips/include/uapi/asm/mman.h (the ones the kernel checks). */
#ifndef _ASM_MMAN_H
#define _ASM_MMAN_H

#define PROT_READ	0x01
#define PROT_WRITE	0x02
#define PROT_EXEC	0x04
#define MAP_TYPE	0x00f
#define MAP_FIXED	0x010
#define MAP_ANONYMOUS	0x0800

#endif
