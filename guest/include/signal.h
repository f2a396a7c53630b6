/* Signals: the arch's numbers and signal set (<asm/signal.h>: MIPS numbers most of them
 * differently from asm-generic, and has 128) and the set operations. Counterpart of
 * include/linux/signal.h and include/linux/signal_types.h. The guest has no handlers: a signal's
 * default action applies when the task next returns to user mode (kernel/signal.c). */
#ifndef _GUEST_SIGNAL_H
#define _GUEST_SIGNAL_H

#include "types.h"
#include <asm/signal.h>

/* The bit of sig (1.._NSIG) in its word of a sigset_t. */
#define sigmask(sig)	(1UL << (((sig) - 1) % _NSIG_BPW))

static inline void sigaddset(sigset_t *set, int sig)
{
	set->sig[(sig - 1) / _NSIG_BPW] |= sigmask(sig);
}

static inline void sigdelset(sigset_t *set, int sig)
{
	set->sig[(sig - 1) / _NSIG_BPW] &= ~sigmask(sig);
}

static inline bool sigismember(const sigset_t *set, int sig)
{
	return (set->sig[(sig - 1) / _NSIG_BPW] & sigmask(sig)) != 0;
}

static inline void sigemptyset(sigset_t *set)
{
	for (int i = 0; i < _NSIG_WORDS; i++)
		set->sig[i] = 0;
}

static inline bool sigisemptyset(const sigset_t *set)
{
	for (int i = 0; i < _NSIG_WORDS; i++)
		if (set->sig[i])
			return false;
	return true;
}

/* The lowest signal in a non-empty set (next_signal() without the synchronous-first rule). */
static inline int sigset_first(const sigset_t *set)
{
	for (int i = 0; i < _NSIG_WORDS; i++)
		if (set->sig[i])
			return i * _NSIG_BPW + __builtin_ctzl(set->sig[i]) + 1;
	return 0;
}

#endif
