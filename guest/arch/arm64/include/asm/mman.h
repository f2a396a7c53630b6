/* arm64 mmap bits: the asm-generic ones (arch/arm64/include/uapi/asm/mman.h). */
#ifndef _ASM_MMAN_H
#define _ASM_MMAN_H

#include <asm-generic/mman.h>

#endif
