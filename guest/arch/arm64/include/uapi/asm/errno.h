/* arm64 uses the asm-generic errno numbering. Counterpart of the asm-generic errno.h that
 * arch/arm64 takes through include/uapi/asm/Kbuild. */
#ifndef _ASM_ERRNO_H
#define _ASM_ERRNO_H

#include <asm-generic/errno.h>

#endif
