/* IPv4 addresses and ports: the kernel's uapi <linux/in.h> (struct in_addr, struct sockaddr_in,
 * IPPROTO_*, INADDR_*), with the C library's names and byte-order functions. */
#ifndef _NETINET_IN_H
#define _NETINET_IN_H

#include <stdint.h>
#include <sys/socket.h>
#include <linux/byteorder.h>
#include <linux/in.h>

typedef uint16_t in_port_t;
typedef uint32_t in_addr_t;

static inline uint16_t htons(uint16_t v) { return __cpu_to_be16(v); }
static inline uint16_t ntohs(uint16_t v) { return __be16_to_cpu(v); }
static inline uint32_t htonl(uint32_t v) { return __cpu_to_be32(v); }
static inline uint32_t ntohl(uint32_t v) { return __be32_to_cpu(v); }

#endif
