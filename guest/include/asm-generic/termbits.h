/* The terminal settings of the asm-generic arches (arm64 among them): struct termios, the
 * indices of c_cc and the flag bits the console's defaults use. Counterpart of
 * include/uapi/asm-generic/termbits.h and termbits-common.h. */
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
#define TOSTOP		0x00100
#define ECHOCTL		0x00200
#define ECHOPRT		0x00400
#define ECHOKE		0x00800
#define IEXTEN		0x08000

#endif
