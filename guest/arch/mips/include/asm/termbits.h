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

/* c_iflag, c_cflag (termbits-common.h: the same on every arch) */
#define ICRNL		0x100
#define IXON		0x400
#define B38400		0x0000000f
#define CS8		0x00000030
#define CREAD		0x00000080

/* c_lflag */
#define ISIG		0x00001
#define ICANON		0x00002
#define ECHO		0x00008
#define ECHOE		0x00010
#define ECHOK		0x00020
#define ECHONL		0x00040
#define NOFLSH		0x00080
#define IEXTEN		0x00100
#define ECHOCTL		0x00200
#define ECHOPRT		0x00400
#define ECHOKE		0x00800
#define TOSTOP		0x08000

#endif
