/* Sockets: the BSD socket layer and the loopback-only TCP/IPv4 of this kernel. Counterpart of
 * include/linux/net.h (struct socket, proto_ops), include/net/sock.h (struct sock),
 * include/net/inet_sock.h and include/net/tcp_states.h (the addresses are uapi <linux/in.h>'s),
 * reduced to what one machine talking to itself needs: AF_INET stream sockets on 127.0.0.0/8, whose
 * connections are two sockets joined in memory (no packets, no retransmission). */
#ifndef _GUEST_NET_H
#define _GUEST_NET_H

#include "fs.h"
#include "wait.h"
#include <asm/socket.h>
#include <linux/byteorder.h>
#include <linux/in.h>

/* include/linux/byteorder/generic.h */
#define htons(x)	__cpu_to_be16(x)
#define ntohs(x)	__be16_to_cpu(x)
#define htonl(x)	__cpu_to_be32(x)
#define ntohl(x)	__be32_to_cpu(x)

#define AF_UNSPEC	0
#define AF_UNIX		1
#define AF_INET		2
#define AF_INET6	10
#define NPROTO		46	/* AF_MAX */

/* enum sock_type, unless the arch numbers them its own way (MIPS: SOCK_DGRAM 1, SOCK_STREAM 2). */
#ifndef ARCH_HAS_SOCKET_TYPES
#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_RAW	3
#define SOCK_SEQPACKET	5
#endif
#define SOCK_MAX	11
#define SOCK_TYPE_MASK	0xf
#define SOCK_CLOEXEC	O_CLOEXEC
#define SOCK_NONBLOCK	O_NONBLOCK

#define SOMAXCONN	4096

#define MSG_PEEK	0x2
#define MSG_DONTWAIT	0x40
#define MSG_WAITALL	0x100
#define MSG_NOSIGNAL	0x4000

#define SHUT_RD		0
#define SHUT_WR		1
#define SHUT_RDWR	2
#define RCV_SHUTDOWN	1
#define SEND_SHUTDOWN	2
#define SHUTDOWN_MASK	3

/* The local port range (net.ipv4.ip_local_port_range) ephemeral ports come from. */
#define LOCAL_PORT_LOW	32768
#define LOCAL_PORT_HIGH	60999

struct sockaddr {
	u16 sa_family;
	char sa_data[14];
};

/* Big enough for any address a system call passes in (struct __kernel_sockaddr_storage). */
struct sockaddr_storage {
	u16 ss_family;
	char __data[126];
};

/* socket->state */
typedef enum {
	SS_FREE = 0,
	SS_UNCONNECTED,
	SS_CONNECTING,
	SS_CONNECTED,
	SS_DISCONNECTING,
} socket_state;

/* sock->sk_state (include/net/tcp_states.h) */
enum {
	TCP_ESTABLISHED = 1,
	TCP_SYN_SENT,
	TCP_SYN_RECV,
	TCP_FIN_WAIT1,
	TCP_FIN_WAIT2,
	TCP_TIME_WAIT,
	TCP_CLOSE,
	TCP_CLOSE_WAIT,
	TCP_LAST_ACK,
	TCP_LISTEN,
	TCP_CLOSING,
};
#define TCPF(state)	(1 << (state))

struct sock;
struct socket;

/* One send or receive: a user (or, under kernel_read, kernel) buffer. */
struct msghdr {
	void __user *msg_buf;
	size_t msg_len;
	unsigned int msg_flags;		/* MSG_*, with MSG_DONTWAIT for O_NONBLOCK files */
};

struct proto_ops {
	int family;
	int (*release)(struct socket *sock);
	int (*bind)(struct socket *sock, struct sockaddr *uaddr, int addr_len);
	int (*connect)(struct socket *sock, struct sockaddr *uaddr, int addr_len, int flags);
	int (*accept)(struct socket *sock, struct socket *newsock, int flags);
	int (*getname)(struct socket *sock, struct sockaddr *uaddr, int peer);
	int (*listen)(struct socket *sock, int backlog);
	int (*shutdown)(struct socket *sock, int how);
	int (*sendmsg)(struct socket *sock, struct msghdr *msg, size_t len);
	int (*recvmsg)(struct socket *sock, struct msghdr *msg, size_t len, int flags);
};

struct net_proto_family {
	int family;
	int (*create)(struct socket *sock, int protocol, int kern);
};

struct socket {
	socket_state state;
	short type;			/* SOCK_STREAM... */
	struct inode *inode;		/* its sockfs inode, which it lives and dies with */
	struct file *file;
	struct sock *sk;
	const struct proto_ops *ops;
};

/* The transport: what a stream socket's protocol does (struct proto). */
struct proto {
	const char *name;
	int (*connect)(struct sock *sk, struct sockaddr *uaddr, int addr_len);
	int (*disconnect)(struct sock *sk, int flags);
	struct sock *(*accept)(struct sock *sk, int flags, int *err);
	void (*close)(struct sock *sk);
	void (*shutdown)(struct sock *sk, int how);
	int (*sendmsg)(struct sock *sk, struct msghdr *msg, size_t size);
	int (*recvmsg)(struct sock *sk, struct msghdr *msg, size_t len, int flags);
	int (*get_port)(struct sock *sk, unsigned short snum);
	void (*unhash)(struct sock *sk);
};

#define SK_RCVBUF	16384		/* bytes one socket may have waiting to be read */

struct sock {
	unsigned char sk_state;		/* TCP_* */
	unsigned char sk_shutdown;	/* RCV_SHUTDOWN | SEND_SHUTDOWN */
	int sk_err;			/* a pending error (positive errno) */
	int sk_refcnt;			/* the socket (or the accept queue), the peer */
	struct socket *sk_socket;
	const struct proto *sk_prot;
	struct wait_queue_head sk_wq;	/* readers, writers, accept: all wait here */
	/* inet_sock: addresses and ports in network order */
	__be32 inet_saddr;		/* local address (inet_rcv_saddr) */
	__be32 inet_daddr;
	__be16 inet_sport;
	__be16 inet_dport;
	unsigned short inet_num;	/* local port, host order; 0: unbound */
	struct list_head sk_bind_node;	/* on the port table while bound */
	/* listening: connections waiting for accept() (icsk_accept_queue) */
	struct list_head sk_accept_queue;
	struct list_head sk_accept_node;	/* a child on its listener's queue */
	unsigned int sk_ack_backlog;
	unsigned int sk_max_ack_backlog;
	/* established: the other end, and the bytes it sent us */
	struct sock *sk_peer;
	char *sk_rcvbuf_data;		/* SK_RCVBUF bytes, a ring */
	unsigned int sk_rcv_head;	/* first unread byte */
	unsigned int sk_rcv_len;	/* unread bytes */
};

static inline bool sk_acceptq_is_full(const struct sock *sk)
{
	return sk->sk_ack_backlog > sk->sk_max_ack_backlog;
}

/* net/socket.c */
int sock_register(const struct net_proto_family *ops);
struct socket *sock_from_file(struct file *file);
void sock_init(void);

/* net/core/sock.c (in kernel/tcp.c) */
struct sock *sk_alloc(int family, const struct proto *prot);
void sock_hold(struct sock *sk);
void sock_put(struct sock *sk);
void sock_init_data(struct socket *sock, struct sock *sk);
void sock_graft(struct sock *sk, struct socket *parent);

/* net/ipv4 */
extern const struct proto tcp_prot;
extern const struct proto_ops inet_stream_ops;
void inet_init(void);
struct sock *inet_csk_accept(struct sock *sk, int flags, int *err);
int inet_csk_get_port(struct sock *sk, unsigned short snum);
int inet_csk_listen_start(struct sock *sk);

#endif
