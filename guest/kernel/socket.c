/* The BSD socket layer: sockets as files, and the socket system calls. Counterpart of
 * net/socket.c: sockfs (the kernel-mounted file system whose inodes sockets are), sock_alloc,
 * sock_alloc_file, sock_release, the file operations (read and write are sock_recvmsg and
 * sock_sendmsg, close is sock_release), and sys_socket -> __sys_socket -> sock_create ->
 * the family's ->create, __sys_bind, __sys_listen, __sys_accept4, __sys_connect,
 * __sys_getsockname, __sys_getpeername, __sys_sendto, __sys_recvfrom, __sys_shutdown. */
#include "net.h"
#include "mount.h"
#include "fdtable.h"
#include "sched.h"
#include "slab.h"
#include "string.h"
#include "syscalls.h"
#include "uaccess.h"

#define SOCKFS_MAGIC	0x534F434B

static const struct net_proto_family *net_families[NPROTO];
static struct vfsmount *sock_mnt;
static int somaxconn = SOMAXCONN;	/* net.core.somaxconn */

/* ---- sockfs ---- */

static struct dentry *sockfs_mount(struct file_system_type *type, int flags,
				   const char *dev_name, void *data)
{
	struct super_block *sb = sget_anon(type);
	struct inode *root;
	struct dentry *dentry;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_magic = SOCKFS_MAGIC;
	root = new_inode(sb);
	if (!root) {
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	root->i_ino = sb->s_next_ino++;
	root->i_mode = S_IFDIR | 0600;
	dentry = d_make_root(root);
	if (!dentry) {
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	sb->s_root = dentry;
	return dget(dentry);
}

/* Not registered: sockfs cannot be mounted from user space (SB_NOUSER). */
static struct file_system_type sock_fs_type = {
	.name = "sockfs",
	.mount = sockfs_mount,
};

/* ---- struct socket ---- */

/* A socket and its sockfs inode; the socket is the inode's i_private and is freed with it. */
static noinline struct socket *sock_alloc(void)
{
	struct inode *inode = new_inode(sock_mnt->mnt_sb);
	struct socket *sock;

	if (!inode)
		return NULL;
	sock = kzalloc(sizeof(*sock), GFP_KERNEL);
	if (!sock) {
		iput(inode);
		return NULL;
	}
	inode->i_ino = sock_mnt->mnt_sb->s_next_ino++;
	inode->i_mode = S_IFSOCK | S_IRWXUGO;
	inode->i_private = sock;
	sock->inode = inode;
	sock->state = SS_UNCONNECTED;
	return sock;
}

/* The protocol lets go of it; the socket itself goes with its inode (the file's last
 * reference, or here when it never got a file). */
static noinline void sock_release(struct socket *sock)
{
	if (sock->ops) {
		sock->ops->release(sock);
		sock->ops = NULL;
	}
	sock->state = SS_FREE;
	if (!sock->file) {
		iput(sock->inode);
		return;
	}
	sock->file = NULL;
}

static ssize_t sock_read_iter(struct file *file, char __user *buf, size_t count, loff_t *ppos);
static ssize_t sock_write_iter(struct file *file, const char __user *buf, size_t count,
			       loff_t *ppos);

static int sock_close(struct inode *inode, struct file *file)
{
	sock_release(file->private_data);
	return 0;
}

static const struct file_operations socket_file_ops = {
	.llseek = no_llseek,
	.read = sock_read_iter,
	.write = sock_write_iter,
	.release = sock_close,
};

struct socket *sock_from_file(struct file *file)
{
	return file->f_op == &socket_file_ops ? file->private_data : NULL;
}

/* A file for the socket (alloc_file_pseudo): its dentry, "socket:[ino]", in sockfs. */
static noinline struct file *sock_alloc_file(struct socket *sock, int flags)
{
	char name[32];
	struct qstr q;
	struct dentry *dentry;
	struct file *file;

	q.len = snprintf(name, sizeof(name), "socket:[%lu]", sock->inode->i_ino);
	q.name = (const unsigned char *)name;
	dentry = d_alloc(sock_mnt->mnt_root, &q);
	if (!dentry) {
		sock_release(sock);
		return ERR_PTR(-ENOMEM);
	}
	file = alloc_empty_file(O_RDWR | (flags & O_NONBLOCK));
	if (IS_ERR(file)) {
		dput(dentry);
		sock_release(sock);
		return file;
	}
	d_instantiate(dentry, sock->inode);	/* the dentry now holds the inode */
	file->f_path.mnt = mntget(sock_mnt);
	file->f_path.dentry = dentry;
	file->f_inode = sock->inode;
	file->f_op = &socket_file_ops;
	file->f_mode = FMODE_READ | FMODE_WRITE | FMODE_CAN_READ | FMODE_CAN_WRITE | FMODE_OPENED;
	file->private_data = sock;
	sock->file = file;
	return file;
}

static int sock_map_fd(struct socket *sock, int flags)
{
	struct file *newfile;
	int fd = get_unused_fd_flags(flags);

	if (fd < 0) {
		sock_release(sock);
		return fd;
	}
	newfile = sock_alloc_file(sock, flags);
	if (IS_ERR(newfile)) {
		put_unused_fd(fd);
		return PTR_ERR(newfile);
	}
	fd_install(fd, newfile);
	return fd;
}

/* The socket behind fd, holding the file in *filep: -EBADF, -ENOTSOCK. */
static struct socket *sockfd_lookup(int fd, struct file **filep, int *err)
{
	struct file *file = fget(fd);
	struct socket *sock;

	*err = -EBADF;
	if (!file)
		return NULL;
	sock = sock_from_file(file);
	if (!sock) {
		*err = -ENOTSOCK;
		fput(file);
		return NULL;
	}
	*filep = file;
	return sock;
}

/* ---- addresses between user space and the kernel ---- */

static int move_addr_to_kernel(void __user *uaddr, int ulen, struct sockaddr_storage *kaddr)
{
	if (ulen < 0 || ulen > (int)sizeof(struct sockaddr_storage))
		return -EINVAL;
	if (ulen == 0)
		return 0;
	if (copy_from_user(kaddr, uaddr, ulen))
		return -EFAULT;
	return 0;
}

/* As much of the address as fits; *ulen becomes its full length. */
static int move_addr_to_user(struct sockaddr_storage *kaddr, int klen, void __user *uaddr,
			     int __user *ulen)
{
	int len;

	if (get_user(len, ulen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (len > klen)
		len = klen;
	if (len && copy_to_user(uaddr, kaddr, len))
		return -EFAULT;
	return put_user(klen, ulen);
}

/* ---- sending and receiving ---- */

static noinline int sock_sendmsg(struct socket *sock, struct msghdr *msg)
{
	if (!sock->sk)
		return -ENOTCONN;
	return sock->ops->sendmsg(sock, msg, msg->msg_len);
}

static noinline int sock_recvmsg(struct socket *sock, struct msghdr *msg, int flags)
{
	if (!sock->sk)
		return -ENOTCONN;
	return sock->ops->recvmsg(sock, msg, msg->msg_len, flags);
}

static ssize_t sock_read_iter(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct socket *sock = file->private_data;
	struct msghdr msg = {
		.msg_buf = buf,
		.msg_len = count,
		.msg_flags = (file->f_flags & O_NONBLOCK) ? MSG_DONTWAIT : 0,
	};

	if (!count)
		return 0;
	return sock_recvmsg(sock, &msg, msg.msg_flags);
}

static ssize_t sock_write_iter(struct file *file, const char __user *buf, size_t count,
			       loff_t *ppos)
{
	struct socket *sock = file->private_data;
	struct msghdr msg = {
		.msg_buf = (void __user *)buf,
		.msg_len = count,
		.msg_flags = (file->f_flags & O_NONBLOCK) ? MSG_DONTWAIT : 0,
	};

	return sock_sendmsg(sock, &msg);
}

/* ---- creating ---- */

int sock_register(const struct net_proto_family *ops)
{
	if (ops->family < 0 || ops->family >= NPROTO)
		return -ENOBUFS;
	if (net_families[ops->family])
		return -EEXIST;
	net_families[ops->family] = ops;
	return 0;
}

static noinline int __sock_create(int family, int type, int protocol, struct socket **res,
				  int kern)
{
	const struct net_proto_family *pf;
	struct socket *sock;
	int err;

	if (family < 0 || family >= NPROTO)
		return -EAFNOSUPPORT;
	if (type < 0 || type >= SOCK_MAX)
		return -EINVAL;
	pf = net_families[family];
	if (!pf)
		return -EAFNOSUPPORT;
	sock = sock_alloc();
	if (!sock)
		return -ENFILE;
	sock->type = type;
	err = pf->create(sock, protocol, kern);
	if (err < 0) {
		sock->ops = NULL;
		sock_release(sock);
		return err;
	}
	*res = sock;
	return 0;
}

static int sock_create(int family, int type, int protocol, struct socket **res)
{
	return __sock_create(family, type, protocol, res, 0);
}

noinline int __sys_socket(int family, int type, int protocol)
{
	struct socket *sock;
	int flags = type & ~SOCK_TYPE_MASK;
	int retval;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	type &= SOCK_TYPE_MASK;
	retval = sock_create(family, type, protocol, &sock);
	if (retval < 0)
		return retval;
	return sock_map_fd(sock, flags & (O_CLOEXEC | O_NONBLOCK));
}

SYSCALL_DEFINE3(socket, int, family, int, type, int, protocol)
{
	return __sys_socket(family, type, protocol);
}

/* ---- the calls on a socket ---- */

noinline int __sys_bind(int fd, struct sockaddr __user *umyaddr, int addrlen)
{
	struct sockaddr_storage address;
	struct file *file;
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &file, &err);
	if (!sock)
		return err;
	memset(&address, 0, sizeof(address));
	err = move_addr_to_kernel(umyaddr, addrlen, &address);
	if (!err)
		err = sock->ops->bind(sock, (struct sockaddr *)&address, addrlen);
	fput(file);
	return err;
}

SYSCALL_DEFINE3(bind, int, fd, struct sockaddr __user *, umyaddr, int, addrlen)
{
	return __sys_bind(fd, umyaddr, addrlen);
}

noinline int __sys_listen(int fd, int backlog)
{
	struct file *file;
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &file, &err);
	if (!sock)
		return err;
	if ((unsigned int)backlog > (unsigned int)somaxconn)
		backlog = somaxconn;
	err = sock->ops->listen(sock, backlog);
	fput(file);
	return err;
}

SYSCALL_DEFINE2(listen, int, fd, int, backlog)
{
	return __sys_listen(fd, backlog);
}

/* do_accept: the new connection's socket and file, before it gets a descriptor. */
static noinline struct file *do_accept(struct file *file, int flags,
				       struct sockaddr __user *upeer_sockaddr,
				       int __user *upeer_addrlen)
{
	struct socket *sock = sock_from_file(file), *newsock;
	struct sockaddr_storage address;
	struct file *newfile;
	int err, len;

	newsock = sock_alloc();
	if (!newsock)
		return ERR_PTR(-ENFILE);
	newsock->type = sock->type;
	newsock->ops = sock->ops;
	newfile = sock_alloc_file(newsock, flags);
	if (IS_ERR(newfile))
		return newfile;
	/* Whether to wait is the listener's O_NONBLOCK; accept4's flags are the new file's. */
	err = sock->ops->accept(sock, newsock, file->f_flags & O_NONBLOCK);
	if (err < 0)
		goto out_fd;
	if (upeer_sockaddr) {
		len = newsock->ops->getname(newsock, (struct sockaddr *)&address, 2);
		if (len < 0) {
			err = -ECONNABORTED;
			goto out_fd;
		}
		err = move_addr_to_user(&address, len, upeer_sockaddr, upeer_addrlen);
		if (err < 0)
			goto out_fd;
	}
	return newfile;
out_fd:
	fput(newfile);
	return ERR_PTR(err);
}

noinline int __sys_accept4(int fd, struct sockaddr __user *upeer_sockaddr,
			   int __user *upeer_addrlen, int flags)
{
	struct file *file, *newfile;
	struct socket *sock;
	int err, newfd;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	sock = sockfd_lookup(fd, &file, &err);
	if (!sock)
		return err;
	newfd = get_unused_fd_flags(flags);
	if (newfd < 0) {
		fput(file);
		return newfd;
	}
	newfile = do_accept(file, flags, upeer_sockaddr, upeer_addrlen);
	if (IS_ERR(newfile)) {
		put_unused_fd(newfd);
		newfd = PTR_ERR(newfile);
	} else {
		fd_install(newfd, newfile);
	}
	fput(file);
	return newfd;
}

SYSCALL_DEFINE4(accept4, int, fd, struct sockaddr __user *, upeer_sockaddr,
		int __user *, upeer_addrlen, int, flags)
{
	return __sys_accept4(fd, upeer_sockaddr, upeer_addrlen, flags);
}

SYSCALL_DEFINE3(accept, int, fd, struct sockaddr __user *, upeer_sockaddr,
		int __user *, upeer_addrlen)
{
	return __sys_accept4(fd, upeer_sockaddr, upeer_addrlen, 0);
}

noinline int __sys_connect(int fd, struct sockaddr __user *uservaddr, int addrlen)
{
	struct sockaddr_storage address;
	struct file *file;
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &file, &err);
	if (!sock)
		return err;
	memset(&address, 0, sizeof(address));
	err = move_addr_to_kernel(uservaddr, addrlen, &address);
	if (!err)
		err = sock->ops->connect(sock, (struct sockaddr *)&address, addrlen, file->f_flags);
	fput(file);
	return err;
}

SYSCALL_DEFINE3(connect, int, fd, struct sockaddr __user *, uservaddr, int, addrlen)
{
	return __sys_connect(fd, uservaddr, addrlen);
}

static noinline int do_getname(int fd, struct sockaddr __user *usockaddr,
			       int __user *usockaddr_len, int peer)
{
	struct sockaddr_storage address;
	struct file *file;
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &file, &err);
	if (!sock)
		return err;
	err = sock->ops->getname(sock, (struct sockaddr *)&address, peer);
	if (err >= 0)
		err = move_addr_to_user(&address, err, usockaddr, usockaddr_len);
	fput(file);
	return err;
}

noinline int __sys_getsockname(int fd, struct sockaddr __user *usockaddr,
			       int __user *usockaddr_len)
{
	return do_getname(fd, usockaddr, usockaddr_len, 0);
}

noinline int __sys_getpeername(int fd, struct sockaddr __user *usockaddr,
			       int __user *usockaddr_len)
{
	return do_getname(fd, usockaddr, usockaddr_len, 1);
}

SYSCALL_DEFINE3(getsockname, int, fd, struct sockaddr __user *, usockaddr,
		int __user *, usockaddr_len)
{
	return __sys_getsockname(fd, usockaddr, usockaddr_len);
}

SYSCALL_DEFINE3(getpeername, int, fd, struct sockaddr __user *, usockaddr,
		int __user *, usockaddr_len)
{
	return __sys_getpeername(fd, usockaddr, usockaddr_len);
}

/* A stream socket is connected: a destination address, if any, is ignored as TCP does. */
noinline int __sys_sendto(int fd, void __user *buff, size_t len, unsigned int flags,
			  struct sockaddr __user *addr, int addr_len)
{
	struct msghdr msg = { .msg_buf = buff, .msg_len = len };
	struct file *file;
	struct socket *sock;
	int err;

	if (len > MAX_RW_COUNT)
		len = msg.msg_len = MAX_RW_COUNT;
	if (!access_ok(buff, len))
		return -EFAULT;
	sock = sockfd_lookup(fd, &file, &err);
	if (!sock)
		return err;
	if (file->f_flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	msg.msg_flags = flags;
	err = sock_sendmsg(sock, &msg);
	fput(file);
	return err;
}

SYSCALL_DEFINE6(sendto, int, fd, void __user *, buff, size_t, len, unsigned int, flags,
		struct sockaddr __user *, addr, int, addr_len)
{
	return __sys_sendto(fd, buff, len, flags, addr, addr_len);
}

/* A stream has no source address per message: *addr_len becomes 0. */
noinline int __sys_recvfrom(int fd, void __user *ubuf, size_t size, unsigned int flags,
			    struct sockaddr __user *addr, int __user *addr_len)
{
	struct msghdr msg = { .msg_buf = ubuf, .msg_len = size };
	struct file *file;
	struct socket *sock;
	int err;

	if (size > MAX_RW_COUNT)
		size = msg.msg_len = MAX_RW_COUNT;
	if (!access_ok(ubuf, size))
		return -EFAULT;
	sock = sockfd_lookup(fd, &file, &err);
	if (!sock)
		return err;
	if (file->f_flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	msg.msg_flags = flags;
	err = sock_recvmsg(sock, &msg, flags);
	if (err >= 0 && addr && put_user(0, addr_len))
		err = -EFAULT;
	fput(file);
	return err;
}

SYSCALL_DEFINE6(recvfrom, int, fd, void __user *, ubuf, size_t, size, unsigned int, flags,
		struct sockaddr __user *, addr, int __user *, addr_len)
{
	return __sys_recvfrom(fd, ubuf, size, flags, addr, addr_len);
}

noinline int __sys_shutdown(int fd, int how)
{
	struct file *file;
	struct socket *sock;
	int err;

	sock = sockfd_lookup(fd, &file, &err);
	if (!sock)
		return err;
	err = sock->ops->shutdown(sock, how);
	fput(file);
	return err;
}

SYSCALL_DEFINE2(shutdown, int, fd, int, how)
{
	return __sys_shutdown(fd, how);
}

/* sock_init: sockfs mounted for the kernel, then the families (inet_init). */
void sock_init(void)
{
	struct vfsmount *mnt = kern_mount(&sock_fs_type);

	if (IS_ERR(mnt))
		panic("sock_init: cannot mount sockfs: %ld", PTR_ERR(mnt));
	sock_mnt = mnt;
	inet_init();
}
