/* mmap's protection and flag bits of the asm-generic arches (arm64 among them). Counterpart of
 * include/uapi/asm-generic/mman-common.h (the ones the kernel checks). */
#ifndef _ASM_GENERIC_MMAN_H
#define _ASM_GENERIC_MMAN_H

#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define MAP_TYPE	0x0f
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20

#endif
