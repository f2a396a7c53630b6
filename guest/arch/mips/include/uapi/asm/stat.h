/* The o32 struct stat (newstat, newlstat, newfstat) and struct stat64 (stat64, lstat64, fstat64,
 * fstatat64), with MIPS's padding. Counterpart of arch/mips/include/uapi/asm/stat.h
 * (_MIPS_SIM == _MIPS_SIM_ABI32). */
#ifndef _ASM_STAT_H
#define _ASM_STAT_H

/* A C library whose struct stat is another layout defines __UAPI_DEF_STAT 0 before including
 * this, as with Linux's include/uapi/linux/libc-compat.h (the user library's <bits/stat.h>: its
 * struct stat is struct stat64's layout). */
#ifndef __UAPI_DEF_STAT
#define __UAPI_DEF_STAT 1
#endif

#if __UAPI_DEF_STAT
struct stat {			/* 144 bytes */
	unsigned int st_dev;
	long st_pad1[3];	/* Reserved for network id */
	unsigned long st_ino;
	unsigned int st_mode;
	unsigned int st_nlink;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned int st_rdev;
	long st_pad2[2];
	long st_size;
	long st_pad3;
	long st_atime;
	long st_atime_nsec;
	long st_mtime;
	long st_mtime_nsec;
	long st_ctime;
	long st_ctime_nsec;
	long st_blksize;
	long st_blocks;
	long st_pad4[14];
};
_Static_assert(sizeof(struct stat) == 144, "struct stat");
#endif

/* This matches struct stat64 in glibc2.1, hence the absolutely insane amounts of padding around
 * dev_t's (the comment of Linux's header). */
struct stat64 {			/* 104 bytes */
	unsigned long st_dev;
	unsigned long st_pad0[3];	/* Reserved for st_dev expansion */
	unsigned long long st_ino;
	unsigned int st_mode;
	unsigned int st_nlink;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned long st_rdev;
	unsigned long st_pad1[3];	/* Reserved for st_rdev expansion */
	long long st_size;
	long st_atime;
	unsigned long st_atime_nsec;	/* Reserved for st_atime expansion */
	long st_mtime;
	unsigned long st_mtime_nsec;	/* Reserved for st_mtime expansion */
	long st_ctime;
	unsigned long st_ctime_nsec;	/* Reserved for st_ctime expansion */
	unsigned long st_blksize;
	unsigned long st_pad2;
	long long st_blocks;
};
_Static_assert(sizeof(struct stat64) == 104, "struct stat64");

#endif
