/* open(2) and the *at flags (the arch's O_* values: <bits/fcntl.h>). */
#ifndef _FCNTL_H
#define _FCNTL_H

#include <bits/fcntl.h>

#define O_RDONLY 00
#define O_WRONLY 01
#define O_RDWR 02
#define O_CLOEXEC 02000000

#define AT_FDCWD (-100)
#define AT_REMOVEDIR 0x200
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH 0x1000

#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4

int open(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
int fcntl(int fd, int cmd, ...);

#endif
