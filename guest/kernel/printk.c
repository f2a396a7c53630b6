/* printk: format the message and hand it to TypeScript with HVC_PRINTK, which keeps the log
 * (dmesg) and shows it on the console by level. Counterpart of kernel/printk/printk.c; the
 * ring buffer lives on the host side. The level prefix (KERN_SOH + digit) is passed through. */
#include "kernel.h"
#include "hypercall.h"

#define PRINTK_MAX_LEN	1024	/* LOG_LINE_MAX */

noinline int vprintk_emit(const char *fmt, va_list args)
{
	/* On the stack, not static: printk may nest (a probe handler called from TypeScript while
	 * a message is being formatted). */
	char text[PRINTK_MAX_LEN];
	int len = vscnprintf(text, sizeof(text), fmt, args);

	hvc_printk(text, len);
	return len;
}

int vprintk(const char *fmt, va_list args)
{
	return vprintk_emit(fmt, args);
}

noinline int _printk(const char *fmt, ...)
{
	va_list args;
	int r;

	va_start(args, fmt);
	r = vprintk_emit(fmt, args);
	va_end(args);
	return r;
}
