/* panic(): the machine stops. Counterpart of kernel/panic.c: the message is printed with the
 * "Kernel panic - not syncing:" prefix, then HVC_PANIC hands it to TypeScript, which halts. */
#include "kernel.h"
#include "hypercall.h"

noinline void panic(const char *fmt, ...)
{
	static char buf[256];
	va_list args;

	va_start(args, fmt);
	vscnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", buf);
	for (;;)
		hvc_panic(buf);
}
