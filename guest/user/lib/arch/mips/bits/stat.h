/* struct stat on MIPS o32: the kernel's struct stat64 (fstatat64, fstat64: 64-bit inode, size
 * and block count), with its padding, from the kernel's uapi <asm/stat.h> under the name struct
 * stat; o32's own struct stat (newstat) is left out. Counterpart of musl's
 * arch/mips/bits/stat.h. */
#define __UAPI_DEF_STAT 0
#define stat64 stat
#include <asm/stat.h>
#undef stat64
