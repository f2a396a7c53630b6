/* The open flags of arm64: asm-generic's, but O_DIRECTORY and O_NOFOLLOW as 32-bit arm has them.
 * Counterpart of musl's arch/aarch64/bits/fcntl.h. */
#define O_CREAT 0100
#define O_EXCL 0200
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_NONBLOCK 04000
#define O_DIRECTORY 040000
#define O_NOFOLLOW 0100000
