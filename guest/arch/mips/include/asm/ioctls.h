/* The MIPS tty ioctl numbers: TCGETS 0x540d..., and the window and process-group ones in the
 * BSD 't' group with MIPS's _IOR/_IOW encoding (_IOC_READ 2, _IOC_WRITE 4 in bits 31..29).
 * Counterpart of arch/mips/include/uapi/asm/ioctls.h and ioctl.h. */
#ifndef _ASM_IOCTLS_H
#define _ASM_IOCTLS_H

#define TCGETS		0x540d
#define TCSETS		0x540e
#define TCSETSW		0x540f
#define TCSETSF		0x5410
#define TIOCSWINSZ	0x80087467	/* _IOW('t', 103, struct winsize) */
#define TIOCGWINSZ	0x40087468	/* _IOR('t', 104, struct winsize) */
#define TIOCSPGRP	0x80047476	/* _IOW('t', 118, int) */
#define TIOCGPGRP	0x40047477	/* _IOR('t', 119, int) */
#define FIONCLEX	0x6602
#define FIOCLEX		0x6601

#endif
