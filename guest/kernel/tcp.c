/* TCP over loopback: the transport under AF_INET stream sockets. Counterpart of the parts of
 * net/core/sock.c (sk_alloc, sock_init_data, sock_graft, sk_wait_data), net/ipv4/tcp.c
 * (tcp_sendmsg, tcp_recvmsg, tcp_close, tcp_shutdown, tcp_disconnect), net/ipv4/tcp_ipv4.c
 * (tcp_v4_connect), net/ipv4/inet_connection_sock.c (inet_csk_get_port, inet_csk_accept,
 * inet_csk_listen_start/stop) and net/ipv4/inet_hashtables.c (the bound and listening sockets)
 * that a machine talking only to itself needs. Only 127.0.0.0/8 exists, and there are no
 * packets: connect() finds the listener by port, makes the server's end of the connection at
 * once (what the three-way handshake and the SYN queue do) and queues it for accept(); sent
 * bytes go straight into the other end's receive ring. Blocking calls sleep on the socket's
 * wait queue (guest/ABI.md "Tasks"). */
#include "net.h"
#include "sched.h"
#include "signal.h"
#include "slab.h"
#include "string.h"
#include "uaccess.h"

/* Every bound socket (bind, listen, connect's autobind), in bind order: the port table. */
static LIST_HEAD(tcp_bound_socks);
static unsigned int port_rover;		/* where the next ephemeral port search starts */

/* ---- struct sock ---- */

noinline struct sock *sk_alloc(int family, const struct proto *prot)
{
	struct sock *sk = kzalloc(sizeof(*sk), GFP_KERNEL);

	if (!sk)
		return NULL;
	sk->sk_rcvbuf_data = kmalloc(SK_RCVBUF, GFP_KERNEL);
	if (!sk->sk_rcvbuf_data) {
		kfree(sk);
		return NULL;
	}
	sk->sk_prot = prot;
	sk->sk_refcnt = 1;
	sk->sk_state = TCP_CLOSE;
	init_waitqueue_head(&sk->sk_wq);
	INIT_LIST_HEAD(&sk->sk_bind_node);
	INIT_LIST_HEAD(&sk->sk_accept_queue);
	INIT_LIST_HEAD(&sk->sk_accept_node);
	return sk;
}

void sock_hold(struct sock *sk)
{
	sk->sk_refcnt++;
}

static void sk_free(struct sock *sk)
{
	kfree(sk->sk_rcvbuf_data);
	kfree(sk);
}

noinline void sock_put(struct sock *sk)
{
	if (--sk->sk_refcnt == 0)
		sk_free(sk);
}

void sock_init_data(struct socket *sock, struct sock *sk)
{
	sock->sk = sk;
	sk->sk_socket = sock;
}

/* An accepted connection gets its socket. */
void sock_graft(struct sock *sk, struct socket *parent)
{
	parent->sk = sk;
	sk->sk_socket = parent;
}

static void sk_wake(struct sock *sk)
{
	if (sk)
		wake_up(&sk->sk_wq);
}

/* sock_intr_errno: no system call is restarted here, so an interrupted wait is -EINTR. */
static int sock_intr_errno(void)
{
	return -EINTR;
}

/* ---- addresses and ports ---- */

static bool ipv4_is_loopback(__be32 addr)
{
	return (ntohl(addr) >> 24) == 127;
}

/* ipv4_rcv_saddr_equal: could sockets bound to these two addresses take each other's
 * connections on one port? Yes when they are equal or either is INADDR_ANY. */
static bool ipv4_rcv_saddr_equal(__be32 sk1_rcv_saddr, __be32 sk2_rcv_saddr)
{
	if (!sk1_rcv_saddr || !sk2_rcv_saddr)
		return true;
	return sk1_rcv_saddr == sk2_rcv_saddr;
}

/* Is snum taken for sk's address? (sk itself is not bound yet.) */
static bool inet_csk_bind_conflict(const struct sock *sk, unsigned short snum)
{
	__be32 rcv_saddr = sk->inet_saddr;
	struct sock *sk2;

	list_for_each_entry(sk2, &tcp_bound_socks, sk_bind_node)
		if (sk2->inet_num == snum && ipv4_rcv_saddr_equal(rcv_saddr, sk2->inet_saddr))
			return true;
	return false;
}

/* ->get_port: bind sk to snum, or to the next free ephemeral port for 0. */
noinline int inet_csk_get_port(struct sock *sk, unsigned short snum)
{
	unsigned int range = LOCAL_PORT_HIGH - LOCAL_PORT_LOW + 1;

	if (!snum) {
		unsigned int i;

		for (i = 0; i < range; i++) {
			unsigned short port = LOCAL_PORT_LOW + (port_rover + i) % range;

			if (!inet_csk_bind_conflict(sk, port)) {
				snum = port;
				break;
			}
		}
		if (!snum)
			return -EADDRINUSE;
		port_rover = (snum - LOCAL_PORT_LOW + 1) % range;
	} else if (inet_csk_bind_conflict(sk, snum)) {
		return -EADDRINUSE;
	}
	sk->inet_num = snum;
	sk->inet_sport = htons(snum);
	list_add_tail(&sk->sk_bind_node, &tcp_bound_socks);
	return 0;
}

/* ->unhash: off the port table (the port is free again: no TIME_WAIT here). */
static void inet_unhash(struct sock *sk)
{
	list_del_init(&sk->sk_bind_node);
}

/* __inet_lookup_listener: who listens on daddr:hnum (bound to daddr, or to INADDR_ANY)? */
static struct sock *inet_lookup_listener(__be32 daddr, unsigned short hnum)
{
	struct sock *sk;

	list_for_each_entry(sk, &tcp_bound_socks, sk_bind_node)
		if (sk->sk_state == TCP_LISTEN && sk->inet_num == hnum &&
		    (!sk->inet_saddr || sk->inet_saddr == daddr))
			return sk;
	return NULL;
}

/* ---- listening and accepting ---- */

noinline int inet_csk_listen_start(struct sock *sk)
{
	int err;

	sk->sk_ack_backlog = 0;
	sk->sk_state = TCP_LISTEN;
	if (!sk->inet_num) {
		err = sk->sk_prot->get_port(sk, 0);
		if (err) {
			sk->sk_state = TCP_CLOSE;
			return err;
		}
	}
	return 0;
}

/* The connections nobody accepted: closed, so that their clients see the end. */
static void inet_csk_listen_stop(struct sock *sk)
{
	while (!list_empty(&sk->sk_accept_queue)) {
		struct sock *child = list_first_entry(&sk->sk_accept_queue, struct sock,
						      sk_accept_node);

		list_del_init(&child->sk_accept_node);
		sk->sk_ack_backlog--;
		child->sk_prot->close(child);
	}
}

static noinline int inet_csk_wait_for_connect(struct sock *sk, bool nonblock)
{
	DEFINE_WAIT(wait);
	int err = 0;

	for (;;) {
		prepare_to_wait(&sk->sk_wq, &wait, TASK_INTERRUPTIBLE);
		if (!list_empty(&sk->sk_accept_queue))
			break;
		err = -EINVAL;
		if (sk->sk_state != TCP_LISTEN)
			break;
		err = -EAGAIN;
		if (nonblock)
			break;
		err = sock_intr_errno();
		if (signal_pending(current))
			break;
		schedule();
		err = 0;
	}
	finish_wait(&sk->sk_wq, &wait);
	return err;
}

/* ->accept: the oldest established connection, waiting for one unless O_NONBLOCK. */
noinline struct sock *inet_csk_accept(struct sock *sk, int flags, int *err)
{
	struct sock *newsk;
	int error = -EINVAL;

	if (sk->sk_state != TCP_LISTEN)
		goto out_err;
	if (list_empty(&sk->sk_accept_queue)) {
		error = inet_csk_wait_for_connect(sk, flags & O_NONBLOCK);
		if (error)
			goto out_err;
	}
	newsk = list_first_entry(&sk->sk_accept_queue, struct sock, sk_accept_node);
	list_del_init(&newsk->sk_accept_node);
	sk->sk_ack_backlog--;
	*err = 0;
	return newsk;
out_err:
	*err = error;
	return NULL;
}

/* ---- connecting ---- */

/* tcp_v4_connect: the handshake with a listener on this machine, done at once. The server's
 * end (tcp_create_openreq_child) is queued on the listener for accept(). */
static noinline int tcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	__be32 daddr = usin->sin_addr.s_addr;
	unsigned short dport = ntohs(usin->sin_port);
	struct sock *listener, *child;
	int err;

	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	if (usin->sin_family != AF_INET)
		return -EAFNOSUPPORT;
	if (!daddr)
		daddr = htonl(INADDR_LOOPBACK);	/* connecting to INADDR_ANY means this host */
	if (!ipv4_is_loopback(daddr))
		return -ENETUNREACH;
	if (!sk->inet_saddr)
		sk->inet_saddr = daddr;		/* the source address of the route: loopback */
	if (!sk->inet_num) {
		err = sk->sk_prot->get_port(sk, 0);
		if (err)
			return err;
	}
	sk->inet_daddr = daddr;
	sk->inet_dport = usin->sin_port;

	listener = dport ? inet_lookup_listener(daddr, dport) : NULL;
	if (!listener || sk_acceptq_is_full(listener))
		return -ECONNREFUSED;	/* an RST, or a SYN dropped for good */
	child = sk_alloc(AF_INET, listener->sk_prot);
	if (!child)
		return -ENOBUFS;
	child->sk_state = TCP_ESTABLISHED;
	child->inet_saddr = daddr;
	child->inet_num = listener->inet_num;
	child->inet_sport = listener->inet_sport;
	child->inet_daddr = sk->inet_saddr;
	child->inet_dport = sk->inet_sport;
	/* Each end holds the other. */
	child->sk_peer = sk;
	sock_hold(sk);
	sk->sk_peer = child;
	sock_hold(child);
	sk->sk_state = TCP_ESTABLISHED;
	list_add_tail(&child->sk_accept_node, &listener->sk_accept_queue);
	listener->sk_ack_backlog++;
	sk_wake(listener);
	return 0;
}

/* The other end goes away: we read what is left, then the end of the stream. */
static void tcp_peer_gone(struct sock *sk)
{
	struct sock *peer = sk->sk_peer;

	if (!peer)
		return;
	sk->sk_peer = NULL;
	peer->sk_peer = NULL;
	peer->sk_shutdown |= RCV_SHUTDOWN;
	if (peer->sk_state == TCP_ESTABLISHED)
		peer->sk_state = TCP_CLOSE_WAIT;
	sk_wake(peer);
	sock_put(peer);		/* our hold on it */
	sock_put(sk);		/* its hold on us */
}

/* ->disconnect (connect(AF_UNSPEC), shutdown(SHUT_RD) of a listener): back to TCP_CLOSE. */
static noinline int tcp_disconnect(struct sock *sk, int flags)
{
	if (sk->sk_state == TCP_LISTEN)
		inet_csk_listen_stop(sk);
	tcp_peer_gone(sk);
	sk->sk_state = TCP_CLOSE;
	sk->sk_shutdown = 0;
	sk->sk_rcv_head = sk->sk_rcv_len = 0;
	sk->inet_daddr = 0;
	sk->inet_dport = 0;
	sk_wake(sk);
	return 0;
}

static noinline void tcp_close(struct sock *sk)
{
	sk->sk_shutdown = SHUTDOWN_MASK;
	if (sk->sk_state == TCP_LISTEN)
		inet_csk_listen_stop(sk);
	tcp_peer_gone(sk);
	sk->sk_state = TCP_CLOSE;
	sk->sk_prot->unhash(sk);
	sk_wake(sk);
	sock_put(sk);		/* the socket's (or the accept queue's) reference */
}

static noinline void tcp_shutdown(struct sock *sk, int how)
{
	if ((how & SEND_SHUTDOWN) && sk->sk_peer) {
		sk->sk_peer->sk_shutdown |= RCV_SHUTDOWN;	/* our FIN */
		sk_wake(sk->sk_peer);
	}
	sk_wake(sk);
}

/* ---- sending and receiving ---- */

/* Room left in a receive ring. */
static unsigned int tcp_rcv_space(const struct sock *sk)
{
	return SK_RCVBUF - sk->sk_rcv_len;
}

/* A send that cannot go on: -EPIPE comes with SIGPIPE (sk_stream_error). */
static int sk_stream_error(int flags, int err)
{
	if (err == -EPIPE && !(flags & MSG_NOSIGNAL))
		send_sig(SIGPIPE, current);
	return err;
}

/* Up to len bytes from the user into peer's ring; bytes copied or -EFAULT. */
static long tcp_copy_to_peer(struct sock *peer, const char __user *from, size_t len)
{
	size_t done = 0;

	len = min_t(size_t, len, tcp_rcv_space(peer));
	while (done < len) {
		unsigned int tail = (peer->sk_rcv_head + peer->sk_rcv_len) % SK_RCVBUF;
		size_t chunk = min_t(size_t, len - done, SK_RCVBUF - tail);

		if (copy_from_user(peer->sk_rcvbuf_data + tail, from + done, chunk))
			return done ? (long)done : -EFAULT;
		peer->sk_rcv_len += chunk;
		done += chunk;
	}
	return done;
}

noinline int tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)
{
	const char __user *from = msg->msg_buf;
	bool nonblock = msg->msg_flags & MSG_DONTWAIT;
	DEFINE_WAIT(wait);
	size_t copied = 0;
	int err = 0;

	if (!((1 << sk->sk_state) & (TCPF(TCP_ESTABLISHED) | TCPF(TCP_CLOSE_WAIT))))
		return sk_stream_error(msg->msg_flags, -EPIPE);
	while (copied < size) {
		struct sock *peer = sk->sk_peer;
		long n;

		if (sk->sk_err) {
			err = -sk->sk_err;
			break;
		}
		if ((sk->sk_shutdown & SEND_SHUTDOWN) || !peer || (peer->sk_shutdown & RCV_SHUTDOWN)) {
			err = -EPIPE;
			break;
		}
		if (tcp_rcv_space(peer)) {
			n = tcp_copy_to_peer(peer, from + copied, size - copied);
			if (n < 0) {
				err = n;
				break;
			}
			copied += n;
			sk_wake(peer);
			continue;
		}
		/* sk_stream_wait_memory: the reader wakes us when it frees room. */
		err = -EAGAIN;
		if (nonblock)
			break;
		err = sock_intr_errno();
		if (signal_pending(current))
			break;
		prepare_to_wait(&sk->sk_wq, &wait, TASK_INTERRUPTIBLE);
		if (sk->sk_peer == peer && !tcp_rcv_space(peer) && !(peer->sk_shutdown & RCV_SHUTDOWN))
			schedule();
		finish_wait(&sk->sk_wq, &wait);
		err = 0;
	}
	if (copied)
		return copied;
	return sk_stream_error(msg->msg_flags, err);
}

/* sk_wait_data: sleep until there is something to read or nothing more will come. */
static noinline void sk_wait_data(struct sock *sk)
{
	DEFINE_WAIT(wait);

	prepare_to_wait(&sk->sk_wq, &wait, TASK_INTERRUPTIBLE);
	if (!sk->sk_rcv_len && !(sk->sk_shutdown & RCV_SHUTDOWN) && !sk->sk_err)
		schedule();
	finish_wait(&sk->sk_wq, &wait);
}

noinline int tcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int flags)
{
	char __user *to = msg->msg_buf;
	bool nonblock = flags & MSG_DONTWAIT;
	size_t copied = 0;

	if (sk->sk_state == TCP_LISTEN)
		return -ENOTCONN;
	while (!copied) {
		if (sk->sk_rcv_len) {
			size_t n = min_t(size_t, len, sk->sk_rcv_len);
			unsigned int head = sk->sk_rcv_head;

			while (copied < n) {
				size_t chunk = min_t(size_t, n - copied, SK_RCVBUF - head);

				if (copy_to_user(to + copied, sk->sk_rcvbuf_data + head, chunk))
					return copied ? (int)copied : -EFAULT;
				copied += chunk;
				head = (head + chunk) % SK_RCVBUF;
			}
			if (!(flags & MSG_PEEK)) {
				sk->sk_rcv_head = head;
				sk->sk_rcv_len -= copied;
				sk_wake(sk->sk_peer);	/* a writer waiting for room */
			}
			break;
		}
		if (!len)
			break;
		if (sk->sk_err)
			return -sk->sk_err;
		if (sk->sk_shutdown & RCV_SHUTDOWN)
			break;			/* the end of the stream */
		if (sk->sk_state == TCP_CLOSE)
			return -ENOTCONN;	/* never connected */
		if (nonblock)
			return -EAGAIN;
		if (signal_pending(current))
			return sock_intr_errno();
		sk_wait_data(sk);
	}
	return copied;
}

const struct proto tcp_prot = {
	.name		= "TCP",
	.connect	= tcp_v4_connect,
	.disconnect	= tcp_disconnect,
	.accept		= inet_csk_accept,
	.close		= tcp_close,
	.shutdown	= tcp_shutdown,
	.sendmsg	= tcp_sendmsg,
	.recvmsg	= tcp_recvmsg,
	.get_port	= inet_csk_get_port,
	.unhash		= inet_unhash,
};
