/* arm64 uses the asm-generic signal numbers (SIGCHLD 17, SIGBUS 7...) and a 64-signal set.
 * Counterpart of arch/arm64/include/uapi/asm/signal.h. */
#ifndef _ASM_SIGNAL_H
#define _ASM_SIGNAL_H

#include <asm-generic/signal.h>

#endif
