/* struct stat on MIPS o32: the kernel's struct stat64 (fstatat64, fstat64: 64-bit inode, size
 * and block count), with its padding. Counterpart of musl's arch/mips/bits/stat.h. */
struct stat {
	unsigned long st_dev;
	long __st_padding1[3];
	unsigned long long st_ino;
	unsigned int st_mode;
	unsigned int st_nlink;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned long st_rdev;
	long __st_padding2[3];
	long long st_size;
	long st_atime;
	long st_atime_nsec;
	long st_mtime;
	long st_mtime_nsec;
	long st_ctime;
	long st_ctime_nsec;
	long st_blksize;
	long __st_padding3;
	long long st_blocks;
};
