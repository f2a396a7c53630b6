// open(2)/*at(2) flags, file-type bits and directory-entry types: the counterpart of
// include/uapi/asm-generic/fcntl.h (with arm64's O_DIRECTORY), include/uapi/linux/stat.h and the
// DT_* values of include/linux/fs_types.h. The asm-generic values are those arm64, x86_64, arm
// and ppc share for the flags used here; mips numbers several of them differently.

export const AT_FDCWD = -100;
export const AT_REMOVEDIR = 0x200;
export const AT_EMPTY_PATH = 0x1000;

export const O_ACCMODE = 3;
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
/** arm64's value (asm-generic has 0o200000). */
export const O_DIRECTORY = 0o40000;
export const O_CLOEXEC = 0o2000000;

export const F_GETFD = 1;
export const F_DUPFD_CLOEXEC = 1030;

export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFCHR = 0o020000;
export const S_IFBLK = 0o060000;
export const S_IFIFO = 0o010000;
export const S_IFLNK = 0o120000;
export const S_IFSOCK = 0o140000;

export const DT_CHR = 2;
export const DT_DIR = 4;
export const DT_REG = 8;
export const DT_LNK = 10;
