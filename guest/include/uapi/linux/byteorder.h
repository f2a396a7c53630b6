/* Host to network (big-endian) byte order and back: a swap on little-endian arches (arm64),
 * nothing on big-endian ones (mips). Counterpart of include/uapi/linux/byteorder/little_endian.h
 * and big_endian.h (the arch's <asm/byteorder.h> picks one; here the compiler's byte order). */
#ifndef _UAPI_LINUX_BYTEORDER_H
#define _UAPI_LINUX_BYTEORDER_H

#include <linux/types.h>

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define __cpu_to_be16(x)	((__be16)__builtin_bswap16(x))
#define __cpu_to_be32(x)	((__be32)__builtin_bswap32(x))
#define __be16_to_cpu(x)	((__u16)__builtin_bswap16(x))
#define __be32_to_cpu(x)	((__u32)__builtin_bswap32(x))
#else
#define __cpu_to_be16(x)	((__be16)(x))
#define __cpu_to_be32(x)	((__be32)(x))
#define __be16_to_cpu(x)	((__u16)(x))
#define __be32_to_cpu(x)	((__u32)(x))
#endif

#endif
