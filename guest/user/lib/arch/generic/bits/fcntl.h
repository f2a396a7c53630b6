/* The open flags of the asm-generic arches. Counterpart of musl's arch/generic/bits/fcntl.h. */
#define O_CREAT 0100
#define O_EXCL 0200
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_NONBLOCK 04000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW 0400000
