/* Directory entries: the name cache that is also ramfs's directory structure. Counterpart of
 * fs/dcache.c and fs/d_path.c (d_path, getcwd). A dentry holds a reference on its parent and on
 * its inode; ramfs pins its entries with one extra reference (as simple_mknod's dget does), so
 * they live until unlinked; host-backed entries go away with their last user. */
#include "fs.h"
#include "mount.h"
#include "fs_struct.h"
#include "slab.h"
#include "string.h"
#include "syscalls.h"
#include "uaccess.h"

/* full_name_hash, simplified: the hash only speeds up comparisons. */
static u32 full_name_hash(const unsigned char *name, unsigned int len)
{
	u32 hash = 0;

	while (len--)
		hash = (hash + *name++) * 0x9e3779b1;
	return hash;
}

static struct dentry *__d_alloc(struct super_block *sb, const struct qstr *name)
{
	struct dentry *dentry = kzalloc(sizeof(*dentry), GFP_KERNEL);
	unsigned char *dname;

	if (!dentry)
		return NULL;
	if (name->len < DNAME_INLINE_LEN) {
		dname = dentry->d_iname;
	} else {
		dname = kmalloc(name->len + 1, GFP_KERNEL);
		if (!dname) {
			kfree(dentry);
			return NULL;
		}
	}
	memcpy(dname, name->name, name->len);
	dname[name->len] = '\0';
	dentry->d_name.name = dname;
	dentry->d_name.len = name->len;
	dentry->d_name.hash = full_name_hash(dname, name->len);
	dentry->d_count = 1;
	dentry->d_parent = dentry;
	dentry->d_sb = sb;
	INIT_LIST_HEAD(&dentry->d_child);
	INIT_LIST_HEAD(&dentry->d_subdirs);
	return dentry;
}

noinline struct dentry *d_alloc(struct dentry *parent, const struct qstr *name)
{
	struct dentry *dentry = __d_alloc(parent->d_sb, name);

	if (!dentry)
		return NULL;
	dentry->d_parent = dget(parent);
	list_add_tail(&dentry->d_child, &parent->d_subdirs);
	return dentry;
}

struct dentry *d_make_root(struct inode *root_inode)
{
	static const struct qstr slash = QSTR_INIT("/", 1);
	struct dentry *res;

	if (!root_inode)
		return NULL;
	res = __d_alloc(root_inode->i_sb, &slash);
	if (!res) {
		iput(root_inode);
		return NULL;
	}
	d_instantiate(res, root_inode);
	return res;
}

void d_instantiate(struct dentry *dentry, struct inode *inode)
{
	dentry->d_inode = inode;
}

/* A cached, positive child of parent with this name, with a reference; NULL if none. */
noinline struct dentry *d_lookup(struct dentry *parent, const struct qstr *name)
{
	u32 hash = full_name_hash(name->name, name->len);
	struct dentry *dentry;

	list_for_each_entry(dentry, &parent->d_subdirs, d_child) {
		if (!dentry->d_inode || dentry->d_name.hash != hash ||
		    dentry->d_name.len != name->len)
			continue;
		if (!memcmp(dentry->d_name.name, name->name, name->len))
			return dget(dentry);
	}
	return NULL;
}

/* Out of the parent's list: lookups no longer find it; it lives while referenced. */
static void __d_drop(struct dentry *dentry)
{
	if (!d_unhashed(dentry)) {
		list_del_init(&dentry->d_child);
		dentry->d_flags |= DCACHE_UNHASHED;
	}
}

void d_delete(struct dentry *dentry)
{
	__d_drop(dentry);
}

void d_invalidate(struct dentry *dentry)
{
	__d_drop(dentry);
}

struct dentry *dget(struct dentry *dentry)
{
	if (dentry)
		dentry->d_count++;
	return dentry;
}

static void dentry_free(struct dentry *dentry)
{
	if (dentry->d_name.name != dentry->d_iname)
		kfree(dentry->d_name.name);
	kfree(dentry);
}

noinline void dput(struct dentry *dentry)
{
	while (dentry) {
		struct dentry *parent;

		if (--dentry->d_count > 0)
			return;
		parent = dentry->d_parent;
		__d_drop(dentry);
		if (dentry->d_inode)
			iput(dentry->d_inode);
		dentry_free(dentry);
		if (parent == dentry)
			return;
		dentry = parent;	/* the child's reference on its parent */
	}
}

static int prepend(char **buffer, int *buflen, const char *str, int namelen)
{
	*buflen -= namelen;
	if (*buflen < 0)
		return -ENAMETOOLONG;
	*buffer -= namelen;
	memcpy(*buffer, str, namelen);
	return 0;
}

/* The path of a (mount, dentry) pair from the caller's root, built right to left at the end
 * of buf (prepend_path). Crosses mount points upwards through mnt_mountpoint. */
noinline char *d_path(const struct path *path, char *buf, int buflen)
{
	struct path root = current->fs->root;
	struct dentry *dentry = path->dentry;
	struct mount *mnt = real_mount(path->mnt);
	char *end = buf + buflen;
	bool prepended = false;
	int error = 0;

	if (buflen < 1)
		return ERR_PTR(-ENAMETOOLONG);
	*--end = '\0';
	buflen--;
	if (d_unhashed(dentry) && dentry->d_parent != dentry)
		error = prepend(&end, &buflen, " (deleted)", 10);

	while (!error && !(dentry == root.dentry && &mnt->mnt == root.mnt)) {
		if (dentry == mnt->mnt.mnt_root) {
			struct mount *parent = mnt->mnt_parent;

			if (parent == mnt)
				break;		/* the global root */
			dentry = mnt->mnt_mountpoint;
			mnt = parent;
			continue;
		}
		error = prepend(&end, &buflen, (const char *)dentry->d_name.name,
				dentry->d_name.len);
		if (!error)
			error = prepend(&end, &buflen, "/", 1);
		prepended = true;
		dentry = dentry->d_parent;
	}
	if (!error && !prepended)
		error = prepend(&end, &buflen, "/", 1);
	return error ? ERR_PTR(error) : end;
}

SYSCALL_DEFINE2(getcwd, char __user *, buf, unsigned long, size)
{
	struct path pwd = current->fs->pwd;
	char *page, *cwd;
	unsigned long len;
	long error;

	if (d_unhashed(pwd.dentry) && pwd.dentry->d_parent != pwd.dentry)
		return -ENOENT;
	page = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	cwd = d_path(&pwd, page, PATH_MAX);
	error = PTR_ERR(cwd);
	if (IS_ERR(cwd))
		goto out;
	len = page + PATH_MAX - cwd;	/* with the NUL */
	error = -ERANGE;
	if (len > size)
		goto out;
	error = copy_to_user(buf, cwd, len) ? -EFAULT : (long)len;
out:
	kfree(page);
	return error;
}

void vfs_caches_init(void)
{
	mnt_init();
}
