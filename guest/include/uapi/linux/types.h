/* The fixed-width types of the kernel's user-space interface, the same on every arch (int-ll64:
 * 64-bit is long long on 64- and 32-bit arches alike), and the big-endian ones of network byte
 * order. Counterpart of include/uapi/linux/types.h and include/uapi/asm-generic/int-ll64.h. */
#ifndef _UAPI_LINUX_TYPES_H
#define _UAPI_LINUX_TYPES_H

typedef unsigned char		__u8;
typedef unsigned short		__u16;
typedef unsigned int		__u32;
typedef unsigned long long	__u64;

typedef __u16			__be16;
typedef __u32			__be32;

#endif
