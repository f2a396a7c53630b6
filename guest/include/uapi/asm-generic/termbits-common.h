/* The termios flag bits every arch numbers alike. Counterpart of
 * include/uapi/asm-generic/termbits-common.h (c_iflag, c_cflag); the c_lflag bits every arch
 * shares are here too, the two MIPS numbers differently (TOSTOP, IEXTEN) left to termbits.h. */
#ifndef _ASM_GENERIC_TERMBITS_COMMON_H
#define _ASM_GENERIC_TERMBITS_COMMON_H

/* c_iflag, c_cflag */
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
#define ECHOCTL		0x00200
#define ECHOPRT		0x00400
#define ECHOKE		0x00800

#endif
