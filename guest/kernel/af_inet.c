/* The AF_INET socket family: socket(AF_INET, SOCK_STREAM, 0) and the proto_ops of a stream
 * socket, on top of the loopback TCP of kernel/tcp.c. Counterpart of net/ipv4/af_inet.c
 * (inet_create, inet_bind, inet_listen, inet_accept, inet_stream_connect, inet_getname,
 * inet_sendmsg, inet_recvmsg, inet_shutdown, inet_release). Only SOCK_STREAM/IPPROTO_TCP
 * exists: this kernel has no UDP and no raw sockets. */
#include "net.h"
#include "slab.h"
#include "string.h"

static noinline int inet_create(struct socket *sock, int protocol, int kern)
{
	struct sock *sk;

	if (sock->type != SOCK_STREAM)
		return -ESOCKTNOSUPPORT;	/* no protocol of this type is registered */
	if (protocol != IPPROTO_IP && protocol != IPPROTO_TCP)
		return -EPROTONOSUPPORT;
	sock->state = SS_UNCONNECTED;
	sock->ops = &inet_stream_ops;
	sk = sk_alloc(AF_INET, &tcp_prot);
	if (!sk)
		return -ENOBUFS;
	sock_init_data(sock, sk);
	return 0;
}

static noinline int inet_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (sk) {
		sock->sk = NULL;
		sk->sk_socket = NULL;
		sk->sk_prot->close(sk);
	}
	return 0;
}

/* The addresses this host has: 127.0.0.0/8 and, to bind to, INADDR_ANY. */
static bool inet_addr_is_local(__be32 addr)
{
	return addr == htonl(INADDR_ANY) || (ntohl(addr) >> 24) == 127;
}

static noinline int __inet_bind(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *addr = (struct sockaddr_in *)uaddr;
	unsigned short snum;
	int err;

	if (addr->sin_family != AF_INET) {
		/* Compatibility games: AF_UNSPEC with INADDR_ANY is accepted. */
		if (addr->sin_family != AF_UNSPEC || addr->sin_addr.s_addr != htonl(INADDR_ANY))
			return -EAFNOSUPPORT;
	}
	if (!inet_addr_is_local(addr->sin_addr.s_addr))
		return -EADDRNOTAVAIL;
	snum = ntohs(addr->sin_port);
	if (sk->sk_state != TCP_CLOSE || sk->inet_num)
		return -EINVAL;		/* already bound */
	sk->inet_saddr = addr->sin_addr.s_addr;
	err = sk->sk_prot->get_port(sk, snum);
	if (err) {
		sk->inet_saddr = 0;
		return err;
	}
	sk->inet_daddr = 0;
	sk->inet_dport = 0;
	return 0;
}

static noinline int inet_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	return __inet_bind(sock->sk, uaddr, addr_len);
}

static noinline int inet_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	unsigned char old_state = sk->sk_state;
	int err;

	if (sock->state != SS_UNCONNECTED || sock->type != SOCK_STREAM)
		return -EINVAL;
	if (!((1 << old_state) & (TCPF(TCP_CLOSE) | TCPF(TCP_LISTEN))))
		return -EINVAL;
	sk->sk_max_ack_backlog = backlog < 0 ? 0 : backlog;
	if (old_state != TCP_LISTEN) {
		err = inet_csk_listen_start(sk);
		if (err)
			return err;
	}
	return 0;
}

static noinline int inet_accept(struct socket *sock, struct socket *newsock, int flags)
{
	struct sock *sk1 = sock->sk;
	int err = -EINVAL;
	struct sock *sk2 = sk1->sk_prot->accept(sk1, flags, &err);

	if (!sk2)
		return err;
	sock_graft(sk2, newsock);
	newsock->state = SS_CONNECTED;
	return 0;
}

static noinline int __inet_stream_connect(struct socket *sock, struct sockaddr *uaddr,
					  int addr_len, int flags)
{
	struct sock *sk = sock->sk;
	int err;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	if (uaddr->sa_family == AF_UNSPEC) {
		err = sk->sk_prot->disconnect(sk, flags);
		sock->state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
		return err;
	}
	switch (sock->state) {
	case SS_CONNECTED:
		return -EISCONN;
	case SS_UNCONNECTED:
		if (sk->sk_state != TCP_CLOSE)
			return -EISCONN;
		err = sk->sk_prot->connect(sk, uaddr, addr_len);
		if (err < 0)
			return err;
		/* On loopback the handshake is over before connect returns. */
		sock->state = SS_CONNECTED;
		return 0;
	default:
		return -EINVAL;
	}
}

static noinline int inet_stream_connect(struct socket *sock, struct sockaddr *uaddr,
					int addr_len, int flags)
{
	return __inet_stream_connect(sock, uaddr, addr_len, flags);
}

/* getsockname (peer 0) / getpeername (peer 1): the length of the address. */
static noinline int inet_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (peer) {
		if (!sk->inet_dport || ((1 << sk->sk_state) & (TCPF(TCP_CLOSE) | TCPF(TCP_SYN_SENT))))
			return -ENOTCONN;
		sin->sin_port = sk->inet_dport;
		sin->sin_addr.s_addr = sk->inet_daddr;
	} else {
		sin->sin_port = sk->inet_sport;
		sin->sin_addr.s_addr = sk->inet_saddr;
	}
	return sizeof(*sin);
}

static noinline int inet_sendmsg(struct socket *sock, struct msghdr *msg, size_t size)
{
	return sock->sk->sk_prot->sendmsg(sock->sk, msg, size);
}

static noinline int inet_recvmsg(struct socket *sock, struct msghdr *msg, size_t size, int flags)
{
	return sock->sk->sk_prot->recvmsg(sock->sk, msg, size, flags);
}

static noinline int inet_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	/* SHUT_RD -> RCV_SHUTDOWN, SHUT_WR -> SEND_SHUTDOWN, SHUT_RDWR -> both. */
	how++;
	if ((how & ~SHUTDOWN_MASK) || !how)
		return -EINVAL;
	if (sock->state == SS_CONNECTING)
		sock->state = SS_DISCONNECTING;
	switch (sk->sk_state) {
	case TCP_CLOSE:
		err = -ENOTCONN;
		sk->sk_shutdown |= how;
		break;
	case TCP_LISTEN:
		if (!(how & RCV_SHUTDOWN))
			break;
		err = sk->sk_prot->disconnect(sk, O_NONBLOCK);
		sock->state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
		break;
	default:
		sk->sk_shutdown |= how;
		sk->sk_prot->shutdown(sk, how);
		break;
	}
	wake_up(&sk->sk_wq);
	return err;
}

const struct proto_ops inet_stream_ops = {
	.family		= AF_INET,
	.release	= inet_release,
	.bind		= inet_bind,
	.connect	= inet_stream_connect,
	.accept		= inet_accept,
	.getname	= inet_getname,
	.listen		= inet_listen,
	.shutdown	= inet_shutdown,
	.sendmsg	= inet_sendmsg,
	.recvmsg	= inet_recvmsg,
};

static const struct net_proto_family inet_family_ops = {
	.family = AF_INET,
	.create = inet_create,
};

void inet_init(void)
{
	sock_register(&inet_family_ops);
}
