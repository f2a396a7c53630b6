/* The tty ioctl numbers of the asm-generic arches (arm64 among them). Counterpart of
 * include/uapi/asm-generic/ioctls.h (the ones the console knows). */
#ifndef _ASM_GENERIC_IOCTLS_H
#define _ASM_GENERIC_IOCTLS_H

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TIOCGPGRP	0x540F
#define TIOCSPGRP	0x5410
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define FIONCLEX	0x5450
#define FIOCLEX		0x5451

#endif
