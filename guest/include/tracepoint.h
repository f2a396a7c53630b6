/* Tracepoints: static trace sites in the kernel's code. Each is a struct tracepoint whose key
 * TypeScript sets while a probe is attached to it (a trace event of it is enabled); a site tests
 * the key and, when it is set, makes the HVC_TRACEPOINT hypercall with the tracepoint and up to
 * four arguments, and TypeScript runs the probes (guest/ABI.md "Tracepoints"). Counterpart of
 * include/linux/tracepoint.h (struct tracepoint, DEFINE_TRACE, __DO_TRACE): the static key is
 * the key word, the static call of the probes is the hypercall. */
#ifndef _GUEST_TRACEPOINT_H
#define _GUEST_TRACEPOINT_H

#include "kernel.h"
#include "hypercall.h"

struct tracepoint {
	const char *name;	/* the tracepoint's name, as its trace event is called */
	int key;		/* nonzero while probes are attached (static_key_enabled) */
};

#define DECLARE_TRACEPOINT(tp)	extern struct tracepoint __tracepoint_##tp
#define DEFINE_TRACE(tp)	struct tracepoint __tracepoint_##tp = { .name = #tp }

#define __DO_TRACE(tp, a0, a1, a2, a3)						\
	do {									\
		if (unlikely(READ_ONCE(__tracepoint_##tp.key)))			\
			hvc_tracepoint(&__tracepoint_##tp, (unsigned long)(a0),	\
				       (unsigned long)(a1), (unsigned long)(a2),	\
				       (unsigned long)(a3));			\
	} while (0)

#endif
