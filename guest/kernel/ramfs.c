/* ramfs: the in-memory file system of "/" (and of any tmpfs/ramfs mount). Counterpart of
 * fs/ramfs/inode.c and file-mmu.c, with the dcache-based directory helpers of fs/libfs.c
 * (simple_lookup, simple_link, simple_unlink, simple_rmdir, dcache_readdir, simple_get_link):
 * directories are their dentries' child lists, file data is one growable kmalloc buffer per
 * inode, and a symbolic link's body is a kmalloc'ed string at i_private. */
#include "fs.h"
#include "slab.h"
#include "string.h"
#include "uaccess.h"

#define RAMFS_MAGIC	0x858458f6

static const struct inode_operations ramfs_dir_inode_operations;
static const struct inode_operations ramfs_file_inode_operations;
static const struct inode_operations ramfs_symlink_inode_operations;
static const struct file_operations ramfs_file_operations;
static const struct file_operations simple_dir_operations;

static struct inode *ramfs_get_inode(struct super_block *sb, umode_t mode, dev_t dev)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_ino = sb->s_next_ino++;
	switch (mode & S_IFMT) {
	case S_IFREG:
		inode->i_mode = mode;
		inode->i_op = &ramfs_file_inode_operations;
		inode->i_fop = &ramfs_file_operations;
		break;
	case S_IFDIR:
		inode->i_mode = mode;
		inode->i_op = &ramfs_dir_inode_operations;
		inode->i_fop = &simple_dir_operations;
		inode->i_nlink = 2;	/* "." and the entry in the parent */
		break;
	case S_IFLNK:
		inode->i_mode = mode;
		inode->i_op = &ramfs_symlink_inode_operations;
		break;
	default:
		init_special_inode(inode, mode, dev);
		break;
	}
	return inode;
}

/* New object on a negative dentry; the extra dget pins it in the tree until unlinked. */
static noinline int ramfs_mknod(struct inode *dir, struct dentry *dentry, umode_t mode, dev_t dev)
{
	struct inode *inode = ramfs_get_inode(dir->i_sb, mode, dev);

	if (!inode)
		return -ENOSPC;
	d_instantiate(dentry, inode);
	dget(dentry);
	inode_set_mtime_now(dir);
	return 0;
}

static int ramfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	int retval = ramfs_mknod(dir, dentry, mode | S_IFDIR, 0);

	if (!retval)
		dir->i_nlink++;
	return retval;
}

static int ramfs_create(struct inode *dir, struct dentry *dentry, umode_t mode, bool excl)
{
	return ramfs_mknod(dir, dentry, mode | S_IFREG, 0);
}

/* page_symlink in ramfs: the body lives as long as the inode. */
static noinline int ramfs_symlink(struct inode *dir, struct dentry *dentry, const char *symname)
{
	size_t len = strlen(symname) + 1;
	struct inode *inode;
	char *body;

	if (len > PAGE_SIZE)
		return -ENAMETOOLONG;
	body = kmalloc(len, GFP_KERNEL);
	if (!body)
		return -ENOSPC;
	memcpy(body, symname, len);
	inode = ramfs_get_inode(dir->i_sb, S_IFLNK | S_IRWXUGO, 0);
	if (!inode) {
		kfree(body);
		return -ENOSPC;
	}
	inode->i_private = body;
	inode->i_data_size = len;
	inode->i_size = len - 1;
	d_instantiate(dentry, inode);
	dget(dentry);
	inode_set_mtime_now(dir);
	return 0;
}

static const char *simple_get_link(struct dentry *dentry, struct inode *inode)
{
	return inode->i_private;
}

/* Another name for an existing inode; pinned like any new entry. */
static int simple_link(struct dentry *old_dentry, struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = old_dentry->d_inode;

	inode_set_mtime_now(dir);
	inode->i_ctime = dir->i_mtime;
	inode->i_nlink++;
	ihold(inode);
	d_instantiate(dentry, inode);
	dget(dentry);
	return 0;
}

/* Everything that exists is in the dcache, so a miss means the name does not exist. */
static struct dentry *simple_lookup(struct inode *dir, struct dentry *dentry, unsigned int flags)
{
	if (dentry->d_name.len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	return NULL;
}

static int simple_unlink(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;

	inode->i_nlink--;
	inode->i_ctime = dir->i_mtime;
	inode_set_mtime_now(dir);
	dput(dentry);		/* the pin from ramfs_mknod */
	return 0;
}

static bool simple_empty(struct dentry *dentry)
{
	struct dentry *child;

	list_for_each_entry(child, &dentry->d_subdirs, d_child)
		if (child->d_inode)
			return false;
	return true;
}

static int simple_rmdir(struct inode *dir, struct dentry *dentry)
{
	if (!simple_empty(dentry))
		return -ENOTEMPTY;
	dentry->d_inode->i_nlink--;
	simple_unlink(dir, dentry);
	dir->i_nlink--;
	return 0;
}

/* Make room for size bytes of data, zero-filling what is new. */
static int ramfs_reserve(struct inode *inode, loff_t size)
{
	size_t want;
	char *data;

	if (size <= (loff_t)inode->i_data_size)
		return 0;
	want = inode->i_data_size ? inode->i_data_size : 64;
	while (want < (size_t)size)
		want *= 2;
	data = krealloc(inode->i_private, want, GFP_KERNEL);
	if (!data)
		return -ENOSPC;
	memset(data + inode->i_data_size, 0, want - inode->i_data_size);
	inode->i_private = data;
	inode->i_data_size = want;
	return 0;
}

static int ramfs_setattr(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;

	if (attr->ia_valid & ATTR_SIZE) {
		loff_t size = attr->ia_size;
		int err = ramfs_reserve(inode, size);

		if (err)
			return err;
		/* Bytes past a shrunk end read as zero if the file grows again. */
		if (size < inode->i_size)
			memset((char *)inode->i_private + size, 0, inode->i_size - size);
		inode->i_size = size;
		inode_set_mtime_now(inode);
	}
	return 0;
}

static ssize_t ramfs_file_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct inode *inode = file_inode(file);
	loff_t pos = *ppos;
	size_t n, left;

	if (pos >= inode->i_size)
		return 0;
	n = min_t(size_t, count, inode->i_size - pos);
	left = copy_to_user(buf, (char *)inode->i_private + pos, n);
	if (left == n)
		return -EFAULT;
	n -= left;
	*ppos = pos + n;
	return n;
}

static ssize_t ramfs_file_write(struct file *file, const char __user *buf, size_t count,
				loff_t *ppos)
{
	struct inode *inode = file_inode(file);
	loff_t pos = *ppos;
	size_t left;
	int err;

	if (file->f_flags & O_APPEND)
		pos = inode->i_size;	/* generic_write_checks */
	if (!count)
		return 0;
	err = ramfs_reserve(inode, pos + count);
	if (err)
		return err;
	left = copy_from_user((char *)inode->i_private + pos, buf, count);
	if (left == count)
		return -EFAULT;
	count -= left;
	pos += count;
	if (pos > inode->i_size)
		inode->i_size = pos;
	*ppos = pos;
	return count;
}

/* Directory positions: 0 ".", 1 "..", n >= 2 the (n-2)th child (dcache_readdir). */
static int dcache_readdir(struct file *file, struct dir_context *ctx)
{
	struct dentry *dentry = file->f_path.dentry;
	struct dentry *child;
	loff_t skip;

	if (ctx->pos == 0) {
		if (!dir_emit(ctx, ".", 1, dentry->d_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!dir_emit(ctx, "..", 2, dentry->d_parent->d_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	skip = ctx->pos - 2;
	list_for_each_entry(child, &dentry->d_subdirs, d_child) {
		if (!child->d_inode)
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		if (!dir_emit(ctx, (const char *)child->d_name.name, child->d_name.len,
			      child->d_inode->i_ino, S_DT(child->d_inode->i_mode)))
			return 0;
		ctx->pos++;
	}
	return 0;
}

static loff_t dcache_dir_lseek(struct file *file, loff_t offset, int whence)
{
	switch (whence) {
	case SEEK_CUR:
		offset += file->f_pos;
		break;
	case SEEK_SET:
		break;
	default:
		return -EINVAL;
	}
	if (offset < 0)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

/* d_genocide for kill_litter_super: unpin everything below root, deepest first. */
static void d_genocide(struct dentry *parent)
{
	struct dentry *child, *next;

	list_for_each_entry_safe(child, next, &parent->d_subdirs, d_child) {
		if (!child->d_inode)
			continue;
		d_genocide(child);
		d_delete(child);
		dput(child);
	}
}

static void ramfs_kill_sb(struct super_block *sb)
{
	d_genocide(sb->s_root);
	dput(sb->s_root);
}

static const struct inode_operations ramfs_dir_inode_operations = {
	.lookup = simple_lookup,
	.create = ramfs_create,
	.mkdir = ramfs_mkdir,
	.mknod = ramfs_mknod,
	.unlink = simple_unlink,
	.rmdir = simple_rmdir,
	.symlink = ramfs_symlink,
	.link = simple_link,
	.getattr = simple_getattr,
};

static const struct inode_operations ramfs_symlink_inode_operations = {
	.get_link = simple_get_link,
	.getattr = simple_getattr,
};

static const struct inode_operations ramfs_file_inode_operations = {
	.setattr = ramfs_setattr,
	.getattr = simple_getattr,
};

static const struct file_operations ramfs_file_operations = {
	.llseek = generic_file_llseek,
	.read = ramfs_file_read,
	.write = ramfs_file_write,
};

static const struct file_operations simple_dir_operations = {
	.llseek = dcache_dir_lseek,
	.read = generic_read_dir,
	.iterate_shared = dcache_readdir,
};

/* A fresh, empty tree per mount; the super block keeps one reference on its root and the
 * mount gets another. */
noinline struct dentry *ramfs_mount(struct file_system_type *fs_type, int flags,
				    const char *dev_name, void *data)
{
	struct super_block *sb = sget_anon(fs_type);
	struct inode *inode;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_magic = RAMFS_MAGIC;
	inode = ramfs_get_inode(sb, S_IFDIR | 0755, 0);
	sb->s_root = d_make_root(inode);
	if (!sb->s_root) {
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	return dget(sb->s_root);
}

static struct file_system_type rootfs_fs_type = {
	.name = "rootfs", .mount = ramfs_mount, .kill_sb = ramfs_kill_sb,
};
static struct file_system_type ramfs_fs_type = {
	.name = "ramfs", .mount = ramfs_mount, .kill_sb = ramfs_kill_sb,
};
static struct file_system_type tmpfs_fs_type = {
	.name = "tmpfs", .mount = ramfs_mount, .kill_sb = ramfs_kill_sb,
};

void init_ramfs_fs(void)
{
	register_filesystem(&rootfs_fs_type);
	register_filesystem(&ramfs_fs_type);
	register_filesystem(&tmpfs_fs_type);
}
