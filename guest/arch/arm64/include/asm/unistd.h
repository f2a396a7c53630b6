/* arm64's system calls: the asm-generic table. Counterpart of arch/arm64/include/asm/unistd.h
 * and arch/arm64/include/uapi/asm/unistd.h (the __ARCH_WANT_* choices). */
#ifndef _ASM_UNISTD_H
#define _ASM_UNISTD_H

#define __ARCH_WANT_NEW_STAT

#include <asm-generic/unistd.h>

#endif
