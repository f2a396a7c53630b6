/* The machine name uname reports: "aarch64". Stand-in for the UTS_MACHINE that arch/arm64/Makefile
 * gives scripts/mkcompile_h (include/generated/compile.h). */
#ifndef _ASM_UTSNAME_H
#define _ASM_UTSNAME_H

#define UTS_MACHINE	"aarch64"

#endif
