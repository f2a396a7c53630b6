/* The errno values above 34 as MIPS numbers them (EDEADLK 45, ENOSYS 89, ENOTEMPTY 93, ELOOP 90,
 * the socket errors from 95 and 120 up...), for the names this kernel returns. Counterpart of
 * arch/mips/include/uapi/asm/errno.h. */
#ifndef _ASM_ERRNO_H
#define _ASM_ERRNO_H

#include <asm-generic/errno-base.h>

#define EDEADLK		45
#define ENAMETOOLONG	78
#define ENOLCK		46
#define ENOSYS		89
#define ENOTEMPTY	93
#define ELOOP		90
#define EOVERFLOW	79
#define ENOTSOCK	95
#define EDESTADDRREQ	96
#define EMSGSIZE	97
#define EPROTOTYPE	98
#define ENOPROTOOPT	99
#define EPROTONOSUPPORT	120
#define ESOCKTNOSUPPORT	121
#define EOPNOTSUPP	122
#define EPFNOSUPPORT	123
#define EAFNOSUPPORT	124
#define EADDRINUSE	125
#define EADDRNOTAVAIL	126
#define ENETDOWN	127
#define ENETUNREACH	128
#define ECONNABORTED	130
#define ECONNRESET	131
#define ENOBUFS		132
#define EISCONN		133
#define ENOTCONN	134
#define ETIMEDOUT	145
#define ECONNREFUSED	146
#define EALREADY	149
#define EINPROGRESS	150

#endif
