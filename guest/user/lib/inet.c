/* inet_ntoa: an IPv4 address as a dotted quad, in a static buffer. Counterpart of musl's
 * src/network/inet_ntoa.c. */
#include <stdio.h>
#include <arpa/inet.h>

char *inet_ntoa(struct in_addr in)
{
	static char buf[16];
	const unsigned char *a = (const unsigned char *)&in.s_addr;

	snprintf(buf, sizeof(buf), "%d.%d.%d.%d", a[0], a[1], a[2], a[3]);
	return buf;
}
