/* The terminal settings of the asm-generic arches (arm64 among them): struct termios, the
 * indices of c_cc and the flag bits the console's defaults use. Counterpart of
 * include/uapi/asm-generic/termbits.h. */
#ifndef _ASM_GENERIC_TERMBITS_H
#define _ASM_GENERIC_TERMBITS_H

#define NCCS 19
struct termios {
	unsigned int c_iflag;
	unsigned int c_oflag;
	unsigned int c_cflag;
	unsigned int c_lflag;
	unsigned char c_line;
	unsigned char c_cc[NCCS];
};

/* c_cc indices */
#define VINTR		 0
#define VQUIT		 1
#define VERASE		 2
#define VKILL		 3
#define VEOF		 4
#define VTIME		 5
#define VMIN		 6
#define VSWTC		 7
#define VSTART		 8
#define VSTOP		 9
#define VSUSP		10
#define VEOL		11
#define VREPRINT	12
#define VDISCARD	13
#define VWERASE		14
#define VLNEXT		15
#define VEOL2		16

#include <asm-generic/termbits-common.h>

/* c_lflag bits MIPS numbers the other way round */
#define TOSTOP		0x00100
#define IEXTEN		0x08000

#endif
