/* Compiler attributes and the kernel's annotation macros.
 * Counterpart of include/linux/compiler_types.h, compiler_attributes.h and the parts of
 * include/asm-generic/kprobes.h and include/linux/instrumentation.h the guest needs. */
#ifndef _GUEST_COMPILER_H
#define _GUEST_COMPILER_H

#define __always_inline		inline __attribute__((__always_inline__))
/* noclone as well as noinline: without it gcc -O2 emits specialised copies such as
 * "copy_process.constprop.0", and the function named in kallsyms would not be the one that
 * runs, so a probe on the plain name would never hit. */
#define noinline		__attribute__((__noinline__, __noclone__))
#define __noclone		__attribute__((__noclone__))
#define __noreturn		__attribute__((__noreturn__))
#define __used			__attribute__((__used__))
#define __maybe_unused		__attribute__((__unused__))
#define __section(s)		__attribute__((__section__(s)))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __packed		__attribute__((__packed__))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __weak			__attribute__((__weak__))
#define __no_icf		__attribute__((__no_icf__))
#define asmlinkage

/* Address-space marker for pointers into user memory (sparse's __user in Linux). */
#define __user

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define barrier()		__asm__ __volatile__("" : : : "memory")

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

/* Code that must not be instrumented: its own section, which kprobes refuse
 * (kernel/kprobes.c adds __noinstr_text_start..__noinstr_text_end to the blacklist). */
#define noinstr			noinline __section(".noinstr.text")

#endif
