/* Open flags and *at() flags. Counterpart of include/uapi/asm-generic/fcntl.h and
 * include/uapi/linux/fcntl.h; the arch overrides come from <asm/fcntl.h> (arm64: O_DIRECTORY and
 * its neighbours; mips: most of them), which asm-generic's #ifndefs let through. */
#ifndef _GUEST_FCNTL_H
#define _GUEST_FCNTL_H

#include <asm/fcntl.h>

#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#ifndef O_CREAT
#define O_CREAT		00000100
#endif
#ifndef O_EXCL
#define O_EXCL		00000200
#endif
#ifndef O_NOCTTY
#define O_NOCTTY	00000400
#endif
#ifndef O_TRUNC
#define O_TRUNC		00001000
#endif
#ifndef O_APPEND
#define O_APPEND	00002000
#endif
#ifndef O_NONBLOCK
#define O_NONBLOCK	00004000
#endif
#ifndef O_DSYNC
#define O_DSYNC		00010000
#endif
#ifndef FASYNC
#define FASYNC		00020000
#endif
#ifndef O_DIRECT
#define O_DIRECT	00040000
#endif
#ifndef O_LARGEFILE
#define O_LARGEFILE	00100000
#endif
#ifndef O_DIRECTORY
#define O_DIRECTORY	00200000
#endif
#ifndef O_NOFOLLOW
#define O_NOFOLLOW	00400000
#endif
#ifndef O_NOATIME
#define O_NOATIME	01000000
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC	02000000
#endif
#ifndef __O_SYNC
#define __O_SYNC	04000000
#endif
#ifndef O_PATH
#define O_PATH		010000000
#endif
#ifndef __O_TMPFILE
#define __O_TMPFILE	020000000
#endif

/* 64-bit kernels treat every file as O_LARGEFILE; 32-bit ones (CONFIG_ARCH_32BIT_OFF_T) do not. */
#define force_o_largefile()	(BITS_PER_LONG != 32)

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	1030
#define FD_CLOEXEC	1

#define AT_FDCWD		-100
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_EACCESS		0x200
#define AT_REMOVEDIR		0x200
#define AT_SYMLINK_FOLLOW	0x400
#define AT_NO_AUTOMOUNT		0x800
#define AT_EMPTY_PATH		0x1000

#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define SEEK_DATA	3
#define SEEK_HOLE	4

#endif
