/* The open flags MIPS defines differently from asm-generic (O_APPEND 0x0008, O_NONBLOCK 0x0080,
 * O_CREAT 0x0100...); O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC, O_PATH... are asm-generic's.
 * Counterpart of arch/mips/include/uapi/asm/fcntl.h. */
#ifndef _ASM_FCNTL_H
#define _ASM_FCNTL_H

#define O_APPEND	0x0008
#define O_DSYNC		0x0010	/* used to be O_SYNC, see below */
#define O_NONBLOCK	0x0080
#define O_CREAT		0x0100	/* not fcntl */
#define O_TRUNC		0x0200	/* not fcntl */
#define O_EXCL		0x0400	/* not fcntl */
#define O_NOCTTY	0x0800	/* not fcntl */
#define FASYNC		0x1000	/* fcntl, for BSD compatibility */
#define O_LARGEFILE	0x2000	/* allow large file opens */
#define __O_SYNC	0x4000
#define O_DIRECT	0x8000	/* direct disk access hint */

#endif
