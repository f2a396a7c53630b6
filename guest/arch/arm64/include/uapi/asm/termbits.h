/* arm64 struct termios and its bits: the asm-generic ones (arch/arm64 takes asm-generic/termbits.h). */
#ifndef _ASM_TERMBITS_H
#define _ASM_TERMBITS_H

#include <asm-generic/termbits.h>

#endif
