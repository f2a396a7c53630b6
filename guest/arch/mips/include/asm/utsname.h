/* The machine name uname reports: "mips" (a 32-bit kernel, either endianness). Stand-in for the
 * UTS_MACHINE that arch/mips/Makefile gives scripts/mkcompile_h (include/generated/compile.h). */
#ifndef _ASM_UTSNAME_H
#define _ASM_UTSNAME_H

#define UTS_MACHINE	"mips"

#endif
