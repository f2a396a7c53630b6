// The o32 `struct stat64` (104 bytes) that stat64/lstat64/fstat64/fstatat64 fill: the counterpart
// of arch/mips/include/uapi/asm/stat.h (_MIPS_SIM_ABI32), glibc 2.1's layout with its padding.

export const STAT64 = {
  size: 104,
  st_ino: 16, // unsigned long long
  st_mode: 24,
  st_nlink: 28,
  st_uid: 32,
  st_gid: 36,
  st_size: 56, // long long
  st_mtime: 72, // long (32-bit time)
} as const;
