/* socket: TCP over loopback in one process. A listener bound to 127.0.0.1 on an ephemeral port
 * (port 0, then getsockname), a client connected to it (on loopback the handshake is done when
 * connect returns, so no second process is needed), accept, a message each way, the end of the
 * stream after close, non-blocking accept and read (EAGAIN), and the errors Linux gives for
 * misuse. Ports are never printed (the kernel picks them): only how they relate. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

static int fails = 0;

static void check(const char *what, long got, long want)
{
	if (got != want) {
		printf("FAIL %s: got %ld, want %ld (errno %d)\n", what, got, want, errno);
		fails++;
	}
}

/* errno by name: the numbers differ between arches (ENOTEMPTY is 39 on arm64, 93 on mips). */
static const char *errname(int e)
{
	const char *name = strerrorname_np(e);

	return e == 0 ? "0" : name ? name : "?";
}

#define EXPECT_ERRNO(what, call)					\
	do {								\
		errno = 0;						\
		long __r = (long)(call);				\
		printf("%-40s -> %ld errno %s (%s)\n", what, __r, errname(errno),	\
		       strerror(errno));					\
	} while (0)

static struct sockaddr_in loopback(unsigned short port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sin;
}

int main(void)
{
	struct sockaddr_in addr = loopback(0), srv, local, peer, got;
	socklen_t len;
	char buf[64];
	int ls, c, a, fl;
	long n;

	ls = socket(AF_INET, SOCK_STREAM, 0);
	printf("socket: %s\n", ls >= 0 ? "ok" : "failed");
	check("bind 127.0.0.1:0", bind(ls, (struct sockaddr *)&addr, sizeof(addr)), 0);
	len = sizeof(srv);
	check("getsockname", getsockname(ls, (struct sockaddr *)&srv, &len), 0);
	printf("bound: family %d, address %s, port chosen %s, addrlen %u\n", srv.sin_family,
	       inet_ntoa(srv.sin_addr), srv.sin_port ? "yes" : "no", len);
	check("listen", listen(ls, 4), 0);

	/* Nothing has connected yet: a non-blocking accept says so. */
	fcntl(ls, F_SETFL, O_NONBLOCK);
	EXPECT_ERRNO("accept, O_NONBLOCK listener, empty queue", accept4(ls, NULL, NULL, 0));
	fcntl(ls, F_SETFL, 0);

	c = socket(AF_INET, SOCK_STREAM, 0);
	check("connect", connect(c, (struct sockaddr *)&srv, sizeof(srv)), 0);
	len = sizeof(local);
	check("client getsockname", getsockname(c, (struct sockaddr *)&local, &len), 0);
	len = sizeof(got);
	check("client getpeername", getpeername(c, (struct sockaddr *)&got, &len), 0);
	printf("client: local %s, peer is the listener %s\n", inet_ntoa(local.sin_addr),
	       got.sin_port == srv.sin_port && got.sin_addr.s_addr == srv.sin_addr.s_addr ? "yes" : "no");

	len = sizeof(peer);
	a = accept4(ls, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	printf("accept4 flags: O_NONBLOCK %d, FD_CLOEXEC %d\n", (fcntl(a, F_GETFL) & O_NONBLOCK) != 0,
	       fcntl(a, F_GETFD) == 1);
	fcntl(a, F_SETFL, fcntl(a, F_GETFL) & ~O_NONBLOCK);
	printf("accept: %s, addrlen %u, peer %s, peer port is the client's %s\n", a >= 0 ? "ok" : "failed",
	       len, inet_ntoa(peer.sin_addr), peer.sin_port == local.sin_port ? "yes" : "no");
	len = sizeof(got);
	check("accepted getsockname", getsockname(a, (struct sockaddr *)&got, &len), 0);
	printf("accepted: local port is the listener's %s\n", got.sin_port == srv.sin_port ? "yes" : "no");

	n = write(c, "ping", 4);
	printf("client write %ld\n", n);
	n = read(a, buf, sizeof(buf));
	printf("server read %ld: %.*s\n", n, (int)(n > 0 ? n : 0), buf);
	n = send(a, "pong!", 5, 0);
	printf("server send %ld\n", n);
	n = recv(c, buf, 2, MSG_PEEK);
	printf("client peek %ld: %.*s\n", n, (int)(n > 0 ? n : 0), buf);
	n = recv(c, buf, sizeof(buf), 0);
	printf("client recv %ld: %.*s\n", n, (int)(n > 0 ? n : 0), buf);

	/* Nothing more to read: non-blocking, EAGAIN. */
	fl = fcntl(a, F_GETFL);
	fcntl(a, F_SETFL, fl | O_NONBLOCK);
	EXPECT_ERRNO("read with nothing sent, O_NONBLOCK", read(a, buf, sizeof(buf)));
	fcntl(a, F_SETFL, fl);

	/* The client says it is done writing: the server reads the rest, then the end. */
	write(c, "last words", 10);
	check("shutdown(SHUT_WR)", shutdown(c, SHUT_WR), 0);
	n = read(a, buf, sizeof(buf));
	printf("server read %ld: %.*s\n", n, (int)(n > 0 ? n : 0), buf);
	printf("server read after the end: %ld\n", (long)read(a, buf, sizeof(buf)));
	n = write(a, "bye", 3);
	printf("server write after the client's shutdown %ld\n", n);
	n = read(c, buf, sizeof(buf));
	printf("client read %ld: %.*s\n", n, (int)(n > 0 ? n : 0), buf);
	close(a);
	printf("client read after the server closed: %ld\n", (long)read(c, buf, sizeof(buf)));
	close(c);

	printf("errors:\n");
	EXPECT_ERRNO("socket(AF_INET, SOCK_SEQPACKET, 0)", socket(AF_INET, SOCK_SEQPACKET, 0));
	EXPECT_ERRNO("socket(AF_INET, SOCK_STREAM, 17)", socket(AF_INET, SOCK_STREAM, 17));
	EXPECT_ERRNO("socket(1234, SOCK_STREAM, 0)", socket(1234, SOCK_STREAM, 0));
	c = socket(AF_INET, SOCK_STREAM, 0);
	EXPECT_ERRNO("bind to the listener's port", bind(c, (struct sockaddr *)&srv, sizeof(srv)));
	EXPECT_ERRNO("bind with a short address", bind(c, (struct sockaddr *)&addr, 4));
	EXPECT_ERRNO("read an unconnected socket", read(c, buf, sizeof(buf)));
	EXPECT_ERRNO("getpeername unconnected", getpeername(c, (struct sockaddr *)&got, &len));
	EXPECT_ERRNO("accept on a socket not listening", accept(c, NULL, NULL));
	EXPECT_ERRNO("send unconnected, MSG_NOSIGNAL", send(c, "x", 1, MSG_NOSIGNAL));
	EXPECT_ERRNO("shutdown unconnected", shutdown(c, SHUT_RDWR));
	close(c);
	EXPECT_ERRNO("accept on a file", accept(0 + open("/", O_RDONLY), NULL, NULL));
	EXPECT_ERRNO("listen on a bad fd", listen(99, 1));
	close(ls);
	c = socket(AF_INET, SOCK_STREAM, 0);
	EXPECT_ERRNO("connect after the listener closed", connect(c, (struct sockaddr *)&srv, sizeof(srv)));
	close(c);
	printf("%s\n", fails ? "some checks failed" : "all checks passed");
	return fails != 0;
}
