/* Host-backed file systems: proc, sysfs, debugfs and tracefs, whose contents TypeScript
 * serves. Every inode is a (fs_id, node_id) pair; lookups, attributes, opens, reads, writes and
 * directory listings are HVC_HOSTFS operations (ABI.md). The guest keeps only the dentries in
 * use (mount points, open files, cwds) and revalidates cached ones against the host, because
 * the host's tree changes under it (probe events appear and go). Symbolic links (sysfs's) are
 * the host's too: their bodies come from HOSTFS_READLINK. Two exceptions, both tracefs's
 * (fs/tracefs.c): the directories tracing keeps are pinned dentries, never stale, and the
 * directories of the events tree are the guest's own eventfs_inodes, which answer lookups and
 * list themselves without asking the host. Counterpart of the VFS side of fs/proc, fs/sysfs
 * (kernfs), fs/debugfs and fs/tracefs; compare fs/fuse for the same idea. */
#include "fs.h"
#include "tracefs.h"
#include "kobject.h"
#include "slab.h"
#include "string.h"
#include "uapi.h"
#include "hypercall.h"

#define PROC_SUPER_MAGIC	0x9fa0
#define SYSFS_MAGIC		0x62656572
#define DEBUGFS_MAGIC		0x64626720
#define TRACEFS_MAGIC		0x74726163

static const struct inode_operations hostfs_dir_iops;
static const struct inode_operations hostfs_file_iops;
static const struct inode_operations hostfs_link_iops;
static const struct file_operations hostfs_dir_fops;
static const struct file_operations hostfs_file_fops;

static long hostfs_handle(const struct file *file)
{
	return (long)file->private_data;
}

static int hostfs_refresh(struct inode *inode)
{
	struct hostfs_attr attr;
	long err;

	err = hvc_hostfs(HOSTFS_GETATTR, inode->i_sb->s_host_id, inode->i_ino,
			 (unsigned long)&attr, 0, 0);
	if (err < 0)
		return err;
	if (!(attr.mode & S_IFMT))
		attr.mode |= S_IFREG;
	inode->i_mode = attr.mode;
	inode->i_size = attr.size;
	return 0;
}

struct inode *hostfs_iget(struct super_block *sb, unsigned long node)
{
	struct inode *inode = new_inode(sb);
	int err;

	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_ino = node;
	err = hostfs_refresh(inode);
	if (err) {
		iput(inode);
		return ERR_PTR(err);
	}
	if (S_ISDIR(inode->i_mode)) {
		inode->i_op = &hostfs_dir_iops;
		inode->i_fop = &hostfs_dir_fops;
		inode->i_nlink = 2;
	} else if (S_ISLNK(inode->i_mode)) {
		inode->i_op = &hostfs_link_iops;
	} else {
		inode->i_op = &hostfs_file_iops;
		inode->i_fop = &hostfs_file_fops;
	}
	return inode;
}

long hostfs_lookup_node(struct inode *dir, const struct qstr *name)
{
	return hvc_hostfs(HOSTFS_LOOKUP, dir->i_sb->s_host_id, dir->i_ino,
			  (unsigned long)name->name, name->len, 0);
}

static noinline struct dentry *hostfs_lookup(struct inode *dir, struct dentry *dentry,
					     unsigned int flags)
{
	struct eventfs_inode *ei = eventfs_find(dir);
	long node;
	struct inode *inode;

	if (ei)
		return eventfs_lookup(ei, dir, dentry);
	node = hostfs_lookup_node(dir, &dentry->d_name);
	if (node == -ENOENT)
		return NULL;		/* negative */
	if (node < 0)
		return ERR_PTR(node);
	inode = hostfs_iget(dir->i_sb, node);
	if (IS_ERR(inode))
		return ERR_CAST(inode);
	d_instantiate(dentry, inode);
	return NULL;
}

/* d_revalidate: does the host still have this name, as the same node? A pinned directory is
 * the file system's own and stays; the events tree answers for its directories itself. */
static int hostfs_revalidate(struct dentry *dentry)
{
	long node;
	int valid;

	if (dentry->d_flags & DCACHE_PINNED)
		return 1;
	valid = eventfs_revalidate(dentry);
	if (valid >= 0)
		return valid;
	node = hostfs_lookup_node(dentry->d_parent->d_inode, &dentry->d_name);
	return node > 0 && (unsigned long)node == dentry->d_inode->i_ino;
}

static int hostfs_getattr(const struct path *path, struct kstat *stat)
{
	struct inode *inode = path->dentry->d_inode;
	int err = hostfs_refresh(inode);

	if (err)
		return err;
	generic_fillattr(inode, stat);
	return 0;
}

static noinline int hostfs_open(struct inode *inode, struct file *file)
{
	long handle = hvc_hostfs(HOSTFS_OPEN, inode->i_sb->s_host_id, inode->i_ino,
				 file->f_flags, 0, 0);

	if (handle < 0)
		return handle;
	file->private_data = (void *)handle;
	return 0;
}

static int hostfs_release(struct inode *inode, struct file *file)
{
	hvc_hostfs(HOSTFS_RELEASE, hostfs_handle(file), 0, 0, 0, 0);
	return 0;
}

/* The buffer goes to the host as is: a user address of the current task (or a kernel one
 * under kernel_read); the host checks it and returns -EFAULT for a bad one. */
static noinline ssize_t hostfs_read(struct file *file, char __user *buf, size_t count,
				    loff_t *ppos)
{
	long ret = hvc_hostfs(HOSTFS_READ, hostfs_handle(file), (unsigned long)buf, count,
			      *ppos, 0);

	if (ret > 0)
		*ppos += ret;
	return ret;
}

static noinline ssize_t hostfs_write(struct file *file, const char __user *buf, size_t count,
				     loff_t *ppos)
{
	long ret = hvc_hostfs(HOSTFS_WRITE, hostfs_handle(file), (unsigned long)buf, count,
			      *ppos, 0);

	if (ret > 0)
		*ppos += ret;
	return ret;
}

static loff_t hostfs_llseek(struct file *file, loff_t offset, int whence)
{
	struct inode *inode = file_inode(file);

	if (whence == SEEK_END || whence == SEEK_DATA || whence == SEEK_HOLE)
		hostfs_refresh(inode);
	return generic_file_llseek_size(file, offset, whence, inode->i_size);
}

static loff_t hostfs_dir_llseek(struct file *file, loff_t offset, int whence)
{
	return generic_file_llseek_size(file, offset, whence, LLONG_MAX);
}

/* The host writes linux_dirent64 records into a kernel page; each goes through the
 * dir_context so that getdents64 formats it like any other directory's. A record's d_off is
 * the position after it, so stopping half way resumes at the right entry. With files_only,
 * subdirectories are left out (but "." and ".."): the events tree lists its own. Returns 1
 * at the end of the host's listing, 0 when the caller's buffer is full, or -errno. */
int hostfs_readdir(struct file *file, struct dir_context *ctx, bool files_only)
{
	char *page = kmalloc(PAGE_SIZE, GFP_KERNEL);
	int ret = 1;

	if (!page)
		return -ENOMEM;
	for (;;) {
		u64 start = ctx->pos, pos = start;
		long n = hvc_hostfs(HOSTFS_GETDENTS, hostfs_handle(file), (unsigned long)page,
				    PAGE_SIZE, (unsigned long)&pos, 0);
		long off = 0;

		if (n < 0) {
			ret = n;
			break;
		}
		if (n == 0)
			break;
		while (off + (long)offsetof(struct linux_dirent64, d_name) < n) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(page + off);
			int maxlen = d->d_reclen - offsetof(struct linux_dirent64, d_name);
			int len;

			if (d->d_reclen == 0 || off + d->d_reclen > n || maxlen <= 0) {
				ret = 0;
				goto out;	/* malformed: stop where we are */
			}
			len = strnlen(d->d_name, maxlen);
			if (!(files_only && d->d_type == DT_DIR && !is_dot_dotdot(d->d_name, len)) &&
			    !dir_emit(ctx, d->d_name, len, d->d_ino, d->d_type)) {
				ret = 0;
				goto out;
			}
			ctx->pos = d->d_off;
			off += d->d_reclen;
		}
		if (pos == start)
			break;		/* the host did not advance: do not loop */
		ctx->pos = pos;
	}
out:
	kfree(page);
	return ret;
}

static noinline int hostfs_iterate(struct file *file, struct dir_context *ctx)
{
	struct eventfs_inode *ei = eventfs_find(file_inode(file));
	int ret;

	if (ei)
		return eventfs_iterate(ei, file, ctx);
	ret = hostfs_readdir(file, ctx, false);
	return ret < 0 ? ret : 0;
}

static const struct inode_operations hostfs_dir_iops = {
	.lookup = hostfs_lookup,
	.getattr = hostfs_getattr,
	.revalidate = hostfs_revalidate,
};

static const struct inode_operations hostfs_file_iops = {
	.getattr = hostfs_getattr,
	.revalidate = hostfs_revalidate,
};

/* A link's body, read from the host once and kept with the inode (freed with it). */
static const char *hostfs_get_link(struct dentry *dentry, struct inode *inode)
{
	char *body;
	long n;

	if (inode->i_private)
		return inode->i_private;
	body = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!body)
		return ERR_PTR(-ENOMEM);
	n = hvc_hostfs(HOSTFS_READLINK, inode->i_sb->s_host_id, inode->i_ino,
		       (unsigned long)body, PATH_MAX - 1, 0);
	if (n < 0) {
		kfree(body);
		return ERR_PTR(n);
	}
	body[n] = '\0';
	inode->i_private = body;
	return body;
}

static const struct inode_operations hostfs_link_iops = {
	.get_link = hostfs_get_link,
	.getattr = hostfs_getattr,
	.revalidate = hostfs_revalidate,
};

static const struct file_operations hostfs_dir_fops = {
	.llseek = hostfs_dir_llseek,
	.read = generic_read_dir,
	.iterate_shared = hostfs_iterate,
	.open = hostfs_open,
	.release = hostfs_release,
};

static const struct file_operations hostfs_file_fops = {
	.llseek = hostfs_llseek,
	.read = hostfs_read,
	.write = hostfs_write,
	.open = hostfs_open,
	.release = hostfs_release,
};

void hostfs_kill_sb(struct super_block *sb)
{
	dput(sb->s_root);
}

noinline struct dentry *hostfs_mount(struct file_system_type *type, int flags,
				     const char *dev_name, void *data)
{
	struct super_block *sb = sget_anon(type);
	struct inode *root;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	switch (type->host_id) {
	case HOSTFS_PROC:	sb->s_magic = PROC_SUPER_MAGIC; break;
	case HOSTFS_SYSFS:	sb->s_magic = SYSFS_MAGIC; break;
	case HOSTFS_DEBUGFS:	sb->s_magic = DEBUGFS_MAGIC; break;
	case HOSTFS_TRACEFS:	sb->s_magic = TRACEFS_MAGIC; break;
	}
	root = hostfs_iget(sb, HOSTFS_ROOT_NODE);
	if (IS_ERR(root)) {
		kfree(sb);
		return ERR_CAST(root);
	}
	sb->s_root = d_make_root(root);
	if (!sb->s_root) {
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	return dget(sb->s_root);
}

static struct file_system_type proc_fs_type = {
	.name = "proc", .host_id = HOSTFS_PROC, .mount = hostfs_mount, .kill_sb = hostfs_kill_sb,
};
static struct file_system_type sysfs_fs_type = {
	.name = "sysfs", .host_id = HOSTFS_SYSFS, .mount = hostfs_mount, .kill_sb = hostfs_kill_sb,
};
static struct file_system_type debugfs_fs_type = {
	.name = "debugfs", .host_id = HOSTFS_DEBUGFS, .mount = hostfs_mount,
	.kill_sb = hostfs_kill_sb,
};

void init_hostfs(void)
{
	/* debugfs_init: its mount point, /sys/kernel/debug. */
	if (sysfs_create_mount_point(kernel_kobj, "debug"))
		printk(KERN_ERR "debugfs: cannot create the debug mount point\n");
	register_filesystem(&proc_fs_type);
	register_filesystem(&sysfs_fs_type);
	register_filesystem(&debugfs_fs_type);
}
