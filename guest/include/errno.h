/* errno values exactly as Linux returns them: the shared 1..34 and the arch's own numbering of
 * the rest (<asm/errno.h>), plus the kernel-internal ones. Counterpart of include/linux/errno.h
 * and include/uapi/linux/errno.h. */
#ifndef _GUEST_ERRNO_H
#define _GUEST_ERRNO_H

#include <asm/errno.h>

/* Kernel-internal: never seen by user space (include/linux/errno.h). */
#define ERESTARTSYS	512

#endif
