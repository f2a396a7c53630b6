/* arm64 struct stat: the asm-generic layout (arch/arm64/include/uapi/asm/stat.h). */
#ifndef _ASM_STAT_H
#define _ASM_STAT_H

#include <asm-generic/stat.h>

#endif
