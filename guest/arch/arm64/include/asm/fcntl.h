/* The open flags arm64 defines differently from asm-generic (arch/arm64/include/uapi/asm/fcntl.h,
 * shared with 32-bit arm). */
#ifndef _ASM_FCNTL_H
#define _ASM_FCNTL_H

#define O_DIRECTORY	 040000
#define O_NOFOLLOW	0100000
#define O_DIRECT	0200000
#define O_LARGEFILE	0400000

#endif
