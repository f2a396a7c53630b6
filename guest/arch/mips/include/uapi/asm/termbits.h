/* The MIPS terminal settings: struct termios with 23 control characters, the MIPS order of their
 * indices (VMIN 4, VEOF 16...) and the flag bits the console's defaults use (IEXTEN 0x100 and
 * TOSTOP 0x8000, swapped from asm-generic). Counterpart of arch/mips/include/uapi/asm/termbits.h. */
#ifndef _ASM_TERMBITS_H
#define _ASM_TERMBITS_H

#define NCCS 23
struct termios {
	unsigned int c_iflag;		/* input mode flags */
	unsigned int c_oflag;		/* output mode flags */
	unsigned int c_cflag;		/* control mode flags */
	unsigned int c_lflag;		/* local mode flags */
	unsigned char c_line;		/* line discipline */
	unsigned char c_cc[NCCS];	/* control characters */
};

/* c_cc indices */
#define VINTR		 0
#define VQUIT		 1
#define VERASE		 2
#define VKILL		 3
#define VMIN		 4
#define VTIME		 5
#define VEOL2		 6
#define VSWTC		 7
#define VSTART		 8
#define VSTOP		 9
#define VSUSP		10
#define VREPRINT	12
#define VDISCARD	13
#define VWERASE		14
#define VLNEXT		15
#define VEOF		16
#define VEOL		17

#include <asm-generic/termbits-common.h>

/* c_lflag bits MIPS numbers its own way */
#define TOSTOP		0x08000
#define IEXTEN		0x00100

#endif
