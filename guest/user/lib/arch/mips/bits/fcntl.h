/* The open flags of MIPS. Counterpart of musl's arch/mips/bits/fcntl.h. */
#define O_CREAT 0400
#define O_EXCL 02000
#define O_TRUNC 01000
#define O_APPEND 0010
#define O_NONBLOCK 0200
#define O_DIRECTORY 0200000
#define O_NOFOLLOW 0400000
