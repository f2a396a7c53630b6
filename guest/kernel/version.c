/* The kernel's name and version: init_uts_ns for uname, linux_banner printed at boot,
 * linux_proc_banner for /proc/version (TypeScript formats it from the same strings).
 * Counterpart of init/version.c and init/version-timestamp.c. LINUX_COMPILER comes from
 * build.sh (the compiler's own --version line); there is no build timestamp, so the image is
 * reproducible. */
#include "utsname.h"

#ifndef LINUX_COMPILER
#define LINUX_COMPILER "gcc"
#endif
#define LINUX_COMPILE_BY	"kprobe"
#define LINUX_COMPILE_HOST	"kprobe"

struct uts_namespace init_uts_ns = {
	.name = {
		.sysname = UTS_SYSNAME,
		.nodename = UTS_NODENAME,
		.release = UTS_RELEASE,
		.version = UTS_VERSION,
		.machine = UTS_MACHINE,
		.domainname = UTS_DOMAINNAME,
	},
};

const char linux_banner[] =
	"Linux version " UTS_RELEASE " (" LINUX_COMPILE_BY "@" LINUX_COMPILE_HOST ") ("
	LINUX_COMPILER ") " UTS_VERSION "\n";

const char linux_proc_banner[] =
	"%s version %s (" LINUX_COMPILE_BY "@" LINUX_COMPILE_HOST ") (" LINUX_COMPILER ") %s\n";
