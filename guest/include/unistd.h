/* System call numbers: the arch's table (<asm/unistd.h>: arm64 takes asm-generic's, mips has
 * the o32 numbers, 4000 + n), with SYSCALL_LIST(X) naming each entry this kernel serves and the
 * __ARCH_WANT_* choices of which generic calls exist. Counterpart of include/linux/unistd.h. */
#ifndef _GUEST_UNISTD_H
#define _GUEST_UNISTD_H

#include <asm/unistd.h>

#endif
