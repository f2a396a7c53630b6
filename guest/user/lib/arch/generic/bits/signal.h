/* The signal numbers the library uses, asm-generic's. Counterpart of musl's
 * arch/generic/bits/signal.h (its numbers). */
#define SIGABRT 6
#define SIGCHLD 17
