/* Address conversion: inet_ntoa's dotted quad. */
#ifndef _ARPA_INET_H
#define _ARPA_INET_H

#include <netinet/in.h>

char *inet_ntoa(struct in_addr in);

#endif
