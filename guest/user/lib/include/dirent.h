/* Directory entries as getdents64(2) returns them. */
#ifndef _DIRENT_H
#define _DIRENT_H

#include <stddef.h>
#include <stdint.h>

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

#define DT_UNKNOWN 0
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

ssize_t getdents64(int fd, void *buf, size_t count);

#endif
