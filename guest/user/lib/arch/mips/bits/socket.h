/* MIPS numbers the socket types the SVR4 way, and its O_NONBLOCK (SOCK_NONBLOCK) is 0200.
 * Counterpart of musl's arch/mips/bits/socket.h. */
#define SOCK_STREAM 2
#define SOCK_DGRAM 1
#define SOCK_NONBLOCK 0200
