/* Socket types and SOCK_NONBLOCK (= O_NONBLOCK) of the asm-generic arches. Counterpart of the
 * defaults in musl's include/sys/socket.h. */
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_NONBLOCK 04000
