/* The signal numbers the library uses, MIPS's. Counterpart of musl's arch/mips/bits/signal.h
 * (its numbers). */
#define SIGABRT 6
#define SIGCHLD 18
