/* Functions for probe tests to hit, called by TypeScript through host_call_return (ABI.md).
 * Counterpart of the targets in lib/test_kprobes.c (KUnit suite kprobes_test: kprobe_target,
 * kprobe_target2, kprobe_recursed_target and the stack-trace targets) and of
 * kprobe_trace_selftest_target in kernel/trace/trace_kprobe.c (the boot-time self test of
 * kprobe events). noinline + __no_icf: kprobe_target and kprobe_recursed_target have the same
 * body, and gcc's identical-code folding would otherwise turn one into a jump to the other. */
#include "kernel.h"

#define div_factor 3

noinline __no_icf u32 kprobe_target(u32 value)
{
	return (value / div_factor);
}

noinline __no_icf u32 kprobe_target2(u32 value)
{
	return (value / div_factor) + 1;
}

noinline __no_icf u32 kprobe_recursed_target(u32 value)
{
	return (value / div_factor);
}

/* Return addresses seen by the stack-trace targets, for the test to compare with a
 * backtrace taken in a kretprobe handler. */
unsigned long target_return_address[2];

noinline __no_icf unsigned long kprobe_stacktrace_internal_target(u32 value)
{
	if (!target_return_address[0])
		target_return_address[0] = (unsigned long)__builtin_return_address(0);
	return kprobe_target(value);
}

noinline __no_icf unsigned long kprobe_stacktrace_target(u32 value)
{
	if (!target_return_address[1])
		target_return_address[1] = (unsigned long)__builtin_return_address(0);
	kprobe_stacktrace_internal_target(value);
	return kprobe_target(value);
}

noinline __no_icf unsigned long kprobe_stacktrace_driver(u32 value)
{
	kprobe_stacktrace_target(value);
	/* Using the return address keeps this a real frame. */
	return (unsigned long)__builtin_return_address(0);
}

noinline __no_icf int kprobe_trace_selftest_target(int a1, int a2, int a3, int a4, int a5, int a6)
{
	return a1 + a2 + a3 + a4 + a5 + a6;
}
