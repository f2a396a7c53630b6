/* arm64 tty ioctl numbers: the asm-generic ones (arch/arm64 takes asm-generic/ioctls.h). */
#ifndef _ASM_IOCTLS_H
#define _ASM_IOCTLS_H

#include <asm-generic/ioctls.h>

#endif
