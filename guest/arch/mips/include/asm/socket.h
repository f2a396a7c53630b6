/* MIPS numbers the socket types its own way, SOCK_DGRAM 1 and SOCK_STREAM 2 (the SVR4 ABI's),
 * so it overrides include/linux/net.h's enum sock_type. Counterpart of
 * arch/mips/include/asm/socket.h. */
#ifndef _ASM_SOCKET_H
#define _ASM_SOCKET_H

#define ARCH_HAS_SOCKET_TYPES 1

#define SOCK_DGRAM	1
#define SOCK_STREAM	2
#define SOCK_RAW	3
#define SOCK_RDM	4
#define SOCK_SEQPACKET	5

#endif
