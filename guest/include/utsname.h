/* The system's name. Counterpart of include/linux/utsname.h (init_uts_ns in init/version.c). */
#ifndef _GUEST_UTSNAME_H
#define _GUEST_UTSNAME_H

#include "uapi.h"
#include <asm/utsname.h>	/* UTS_MACHINE */

#define UTS_SYSNAME	"Linux"
#define UTS_RELEASE	"6.12.0-kprobe"
#define UTS_VERSION	"#1 SMP PREEMPT"
#define UTS_NODENAME	"kprobe"
#define UTS_DOMAINNAME	"(none)"

struct uts_namespace {
	struct new_utsname name;
};

extern struct uts_namespace init_uts_ns;
extern const char linux_banner[];
extern const char linux_proc_banner[];

static inline struct new_utsname *utsname(void)
{
	return &init_uts_ns.name;
}

#endif
