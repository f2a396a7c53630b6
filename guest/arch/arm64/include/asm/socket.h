/* arm64 has no socket constants of its own: the socket types are include/linux/net.h's.
 * Counterpart of arch/arm64/include/uapi/asm/socket.h (asm-generic/socket.h). */
#ifndef _ASM_SOCKET_H
#define _ASM_SOCKET_H

#endif
