/* IPv4 addresses and ports as system calls pass them (bind, connect, accept, getsockname...),
 * shared by the kernel (guest/include/net.h) and the user library (<netinet/in.h>). Counterpart
 * of include/uapi/linux/in.h. */
#ifndef _UAPI_LINUX_IN_H
#define _UAPI_LINUX_IN_H

#include <linux/types.h>

#define IPPROTO_IP	0
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17

struct in_addr {
	__be32 s_addr;
};

struct sockaddr_in {
	unsigned short sin_family;	/* __kernel_sa_family_t: AF_INET */
	__be16 sin_port;
	struct in_addr sin_addr;
	unsigned char __pad[8];		/* to the size of struct sockaddr */
};
#define sin_zero	__pad

#define INADDR_ANY	0x00000000U
#define INADDR_LOOPBACK	0x7f000001U

#endif
