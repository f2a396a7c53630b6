/* The VFS objects: dentries, inodes, super blocks, files and their operations. Counterpart of
 * include/linux/fs.h, dcache.h, path.h and namei.h. Layouts of the fields TypeScript reads
 * (%pd/%pD fetch args, /proc/mounts, /proc/PID/fd) are in ABI.md and checked below. */
#ifndef _GUEST_FS_H
#define _GUEST_FS_H

#include "list.h"
#include "stat.h"
#include "fcntl.h"
#include <asm/memory.h>

#define NAME_MAX		255
#define PATH_MAX		4096
#define DNAME_INLINE_LEN	32
#define MAX_RW_COUNT		(INT_MAX & PAGE_MASK)

#define MINORBITS		20
#define MINORMASK		((1U << MINORBITS) - 1)
#define MAJOR(dev)		((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev)		((unsigned int)((dev) & MINORMASK))
#define MKDEV(ma, mi)		(((ma) << MINORBITS) | (mi))

struct inode;
struct dentry;
struct file;
struct super_block;
struct vfsmount;
struct kstat;

struct qstr {
	u32 hash;
	u32 len;
	const unsigned char *name;
};

#define QSTR_INIT(n, l)	{ .hash = 0, .len = (l), .name = (const unsigned char *)(n) }

struct dentry {
	unsigned int d_flags;		/*  0: DCACHE_* */
	int d_count;			/*  4: references (a lockref in Linux) */
	struct dentry *d_parent;	/*  8: itself for a root */
	struct qstr d_name;		/* 16: len at 20, name pointer at 24 */
	struct inode *d_inode;		/* 32: NULL for a negative dentry */
	unsigned char d_iname[DNAME_INLINE_LEN];	/* 40: short names live here */
	struct super_block *d_sb;	/* 72 */
	struct list_head d_child;	/* 80: in the parent's d_subdirs */
	struct list_head d_subdirs;	/* 96: our children */
};

#define DCACHE_UNHASHED		0x0001	/* out of its parent's list: unlinked or stale */
#define DCACHE_PINNED		0x0002	/* held by its file system for good: never stale (tracefs) */
#define DCACHE_MOUNTED		0x10000	/* some mount has this as its mount point */

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

struct iattr {
	unsigned int ia_valid;
	loff_t ia_size;
};
#define ATTR_SIZE	(1 << 3)

struct inode_operations {
	struct dentry *(*lookup)(struct inode *dir, struct dentry *dentry, unsigned int flags);
	int (*create)(struct inode *dir, struct dentry *dentry, umode_t mode, bool excl);
	int (*mkdir)(struct inode *dir, struct dentry *dentry, umode_t mode);
	int (*mknod)(struct inode *dir, struct dentry *dentry, umode_t mode, dev_t dev);
	int (*unlink)(struct inode *dir, struct dentry *dentry);
	int (*rmdir)(struct inode *dir, struct dentry *dentry);
	int (*setattr)(struct dentry *dentry, struct iattr *attr);
	int (*getattr)(const struct path *path, struct kstat *stat);
	int (*revalidate)(struct dentry *dentry);	/* d_revalidate: 1 still valid, 0 stale */
	int (*symlink)(struct inode *dir, struct dentry *dentry, const char *symname);
	int (*link)(struct dentry *old_dentry, struct inode *dir, struct dentry *dentry);
	/* A symbolic link's body (NUL-terminated), valid while the dentry is held. */
	const char *(*get_link)(struct dentry *dentry, struct inode *inode);
};

struct dir_context;
typedef bool (*filldir_t)(struct dir_context *ctx, const char *name, int namlen,
			  loff_t offset, u64 ino, unsigned int d_type);
struct dir_context {
	filldir_t actor;
	loff_t pos;
};

static inline bool dir_emit(struct dir_context *ctx, const char *name, int namelen,
			    u64 ino, unsigned int type)
{
	return ctx->actor(ctx, name, namelen, ctx->pos, ino, type);
}

/* d_type values (include/linux/fs_types.h): the S_IFMT bits shifted down. */
#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12
#define S_DT(mode)	(((mode) & S_IFMT) >> 12)

struct file_operations {
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
	ssize_t (*read)(struct file *file, char __user *buf, size_t count, loff_t *pos);
	ssize_t (*write)(struct file *file, const char __user *buf, size_t count, loff_t *pos);
	int (*iterate_shared)(struct file *file, struct dir_context *ctx);
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	int (*open)(struct inode *inode, struct file *file);
	int (*release)(struct inode *inode, struct file *file);
};

struct inode {
	umode_t i_mode;			/*  0 */
	unsigned short i_flags;		/*  2 */
	unsigned int i_nlink;		/*  4 */
	unsigned long i_ino;		/*  8: for host-backed inodes, the host's node id */
	loff_t i_size;			/* 16 */
	dev_t i_rdev;			/* 24 */
	int i_count;			/* 28 */
	struct super_block *i_sb;	/* 32 */
	const struct inode_operations *i_op;	/* 40 */
	const struct file_operations *i_fop;	/* 48 */
	void *i_private;		/* 56: ramfs file data */
	size_t i_data_size;		/* 64: bytes allocated at i_private */
	uid_t i_uid;
	gid_t i_gid;
	struct timespec64 i_atime, i_mtime, i_ctime;
};

#define S_DEAD		0x10	/* i_flags: a removed directory; nothing may be created in it */
#define IS_DEADDIR(inode)	((inode)->i_flags & S_DEAD)

struct file_system_type {
	const char *name;
	int fs_flags;
	int host_id;			/* HOSTFS_* for host-backed file systems, 0 otherwise */
	struct dentry *(*mount)(struct file_system_type *type, int flags,
				const char *dev_name, void *data);
	void (*kill_sb)(struct super_block *sb);
	struct file_system_type *next;
};

#define FS_REQUIRES_DEV		1
#define FS_USERNS_MOUNT		8

struct super_block {
	struct file_system_type *s_type;	/*  0 */
	struct dentry *s_root;			/*  8 */
	dev_t s_dev;				/* 16 */
	int s_host_id;				/* 20: HOSTFS_* or 0 */
	unsigned long s_magic;			/* 24 */
	unsigned long s_next_ino;		/* 32: ramfs inode numbers */
	int s_active;				/* 40: mounts of this super block */
};

struct file {
	struct path f_path;		/*  0: f_path.dentry at 8 */
	struct inode *f_inode;		/* 16 */
	const struct file_operations *f_op;	/* 24 */
	unsigned int f_flags;		/* 32: O_* */
	unsigned int f_mode;		/* 36: FMODE_* */
	loff_t f_pos;			/* 40 */
	long f_count;			/* 48 */
	void *private_data;		/* 56: host handle for host-backed files */
};

#define FMODE_READ	0x1
#define FMODE_WRITE	0x2
#define FMODE_LSEEK	0x4
#define FMODE_PREAD	0x8
#define FMODE_PWRITE	0x10
#define FMODE_PATH	0x4000
#define FMODE_CAN_READ	0x20000
#define FMODE_CAN_WRITE	0x40000
#define FMODE_OPENED	0x80000
#define FMODE_CREATED	0x100000

#if BITS_PER_LONG == 64	/* arm64's offsets (ABI.md); a 32-bit kernel has its own */
_Static_assert(offsetof(struct dentry, d_parent) == 8, "ABI: dentry.d_parent");
_Static_assert(offsetof(struct dentry, d_name) == 16, "ABI: dentry.d_name");
_Static_assert(offsetof(struct dentry, d_inode) == 32, "ABI: dentry.d_inode");
_Static_assert(offsetof(struct dentry, d_sb) == 72, "ABI: dentry.d_sb");
_Static_assert(offsetof(struct inode, i_ino) == 8, "ABI: inode.i_ino");
_Static_assert(offsetof(struct inode, i_size) == 16, "ABI: inode.i_size");
_Static_assert(offsetof(struct inode, i_sb) == 32, "ABI: inode.i_sb");
_Static_assert(offsetof(struct file, f_path) == 0, "ABI: file.f_path");
_Static_assert(offsetof(struct file, f_inode) == 16, "ABI: file.f_inode");
_Static_assert(offsetof(struct file, f_flags) == 32, "ABI: file.f_flags");
_Static_assert(offsetof(struct file, f_pos) == 40, "ABI: file.f_pos");
_Static_assert(offsetof(struct super_block, s_host_id) == 20, "ABI: super_block.s_host_id");
#endif

/* A file name copied in from user space (include/linux/fs.h). */
struct filename {
	const char *name;		/* 0: points at iname */
	const char __user *uptr;	/* 8: where it came from */
	int refcnt;
	char iname[];
};

static inline bool is_dot_dotdot(const char *name, size_t len)
{
	return len && len <= 2 && name[0] == '.' && (len == 1 || name[1] == '.');
}

static inline bool d_is_dir(const struct dentry *d)
{
	return d->d_inode && S_ISDIR(d->d_inode->i_mode);
}

static inline bool d_is_reg(const struct dentry *d)
{
	return d->d_inode && S_ISREG(d->d_inode->i_mode);
}

static inline bool d_unhashed(const struct dentry *d)
{
	return d->d_flags & DCACHE_UNHASHED;
}

static inline bool d_mountpoint(const struct dentry *d)
{
	return d->d_flags & DCACHE_MOUNTED;
}

static inline struct inode *file_inode(const struct file *f)
{
	return f->f_inode;
}

/* fs/dcache.c */
struct dentry *d_alloc(struct dentry *parent, const struct qstr *name);
struct dentry *d_make_root(struct inode *root_inode);
void d_instantiate(struct dentry *dentry, struct inode *inode);
struct dentry *d_lookup(struct dentry *parent, const struct qstr *name);
void d_delete(struct dentry *dentry);
void d_invalidate(struct dentry *dentry);
struct dentry *dget(struct dentry *dentry);
void dput(struct dentry *dentry);
char *d_path(const struct path *path, char *buf, int buflen);

/* fs/inode.c */
struct inode *new_inode(struct super_block *sb);
void iput(struct inode *inode);
void ihold(struct inode *inode);
void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev);
void inode_init_times(struct inode *inode);
void inode_set_mtime_now(struct inode *inode);
int simple_getattr(const struct path *path, struct kstat *stat);
extern const struct file_operations def_chr_fops;

/* fs/namei.c */
#define LOOKUP_FOLLOW		0x0001
#define LOOKUP_DIRECTORY	0x0002
#define LOOKUP_PARENT		0x0010
#define LOOKUP_EMPTY		0x4000
#define LOOKUP_CREATE		0x0200
#define LOOKUP_EXCL		0x0400

struct filename *getname(const char __user *filename);
struct filename *getname_flags(const char __user *filename, int flags);
struct filename *getname_kernel(const char *filename);
void putname(struct filename *name);
int kern_path(const char *name, unsigned int flags, struct path *path);
struct dentry *lookup_one_len(const char *name, struct dentry *base, int len);
int user_path_at(int dfd, const char __user *name, unsigned int flags, struct path *path);
int filename_lookup(int dfd, struct filename *name, unsigned int flags, struct path *path,
		    struct path *root);
struct open_flags;
struct file *do_filp_open(int dfd, struct filename *pathname, const struct open_flags *op);
int vfs_create(struct inode *dir, struct dentry *dentry, umode_t mode, bool want_excl);
int vfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode);
int vfs_mknod(struct inode *dir, struct dentry *dentry, umode_t mode, dev_t dev);
int vfs_unlink(struct inode *dir, struct dentry *dentry);
int vfs_rmdir(struct inode *dir, struct dentry *dentry);
int vfs_symlink(struct inode *dir, struct dentry *dentry, const char *oldname);
int vfs_link(struct dentry *old_dentry, struct inode *dir, struct dentry *new_dentry);
int vfs_readlink(struct dentry *dentry, char __user *buffer, int buflen);
int do_mkdirat(int dfd, struct filename *name, umode_t mode);
int do_symlinkat(struct filename *from, int newdfd, struct filename *to);
int do_mknodat(int dfd, struct filename *name, umode_t mode, dev_t dev);

/* fs/open.c */
struct open_flags {
	int open_flag;
	umode_t mode;
	int acc_mode;
	int intent;
	int lookup_flags;
};
#define MAY_EXEC	0x1
#define MAY_WRITE	0x2
#define MAY_READ	0x4
#define MAY_OPEN	0x20

struct open_how {
	u64 flags;
	u64 mode;
	u64 resolve;
};

int vfs_open(const struct path *path, struct file *file);
struct file *filp_open(const char *filename, int flags, umode_t mode);
int filp_close(struct file *filp);
long do_sys_openat2(int dfd, const char __user *filename, struct open_how *how);
int do_truncate(struct dentry *dentry, loff_t length);

/* fs/file_table.c */
struct file *alloc_empty_file(int flags);
struct file *get_file(struct file *f);
void fput(struct file *file);

/* fs/read_write.c */
ssize_t vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos);
ssize_t vfs_write(struct file *file, const char __user *buf, size_t count, loff_t *pos);
ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos);
ssize_t kernel_write(struct file *file, const void *buf, size_t count, loff_t *pos);
ssize_t ksys_read(unsigned int fd, char __user *buf, size_t count);
ssize_t ksys_write(unsigned int fd, const char __user *buf, size_t count);
loff_t generic_file_llseek(struct file *file, loff_t offset, int whence);
loff_t generic_file_llseek_size(struct file *file, loff_t offset, int whence, loff_t eof);
loff_t no_llseek(struct file *file, loff_t offset, int whence);
loff_t noop_llseek(struct file *file, loff_t offset, int whence);
ssize_t generic_read_dir(struct file *file, char __user *buf, size_t count, loff_t *pos);

/* fs/readdir.c */
int iterate_dir(struct file *file, struct dir_context *ctx);

/* fs/stat.c */
int vfs_getattr(const struct path *path, struct kstat *stat);
void generic_fillattr(struct inode *inode, struct kstat *stat);

/* fs/filesystems.c */
int register_filesystem(struct file_system_type *fs);
struct file_system_type *get_fs_type(const char *name);

/* fs/super.c part (fs/filesystems.c here) */
struct super_block *sget_anon(struct file_system_type *type);
void deactivate_super(struct super_block *sb);

/* fs/ramfs, fs/hostfs */
void init_ramfs_fs(void);
void init_hostfs(void);
struct dentry *ramfs_mount(struct file_system_type *fs_type, int flags,
			   const char *dev_name, void *data);

/* fs/char_dev.c */
int register_chrdev(unsigned int major, unsigned int minor, const char *name,
		    const struct file_operations *fops);
void chr_dev_init(void);

/* fs/init.c: the kernel's own path operations, used to build the boot tree */
int init_mkdir(const char *pathname, umode_t mode);
int init_mknod(const char *filename, umode_t mode, unsigned int dev);
int init_mount(const char *dev_name, const char *dir_name, const char *type_page,
	       unsigned long flags, void *data_page);
int init_write_file(const char *filename, const char *data, umode_t mode);
int init_chdir(const char *filename);

/* fs/namespace.c, fs/dcache.c */
void vfs_caches_init(void);
void mnt_init(void);

#endif
