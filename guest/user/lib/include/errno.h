/* errno and its values (the kernel's uapi <asm/errno.h>: the arch's numbering). */
#ifndef _ERRNO_H
#define _ERRNO_H

extern int errno;

#include <asm/errno.h>

#endif
