/* Path names: copying them in (getname), walking them (link_path_walk with ".", "..", mount
 * crossings and symbolic links), opening the last component (do_filp_open, with O_CREAT/O_EXCL/
 * O_TRUNC/O_DIRECTORY/O_NOFOLLOW), and the directory operations mkdirat, mknodat, unlinkat,
 * symlinkat, linkat, readlinkat. Counterpart of fs/namei.c; the error for each case is the one
 * Linux returns. Symbolic links are followed as Linux does: always in the middle of a path, at
 * its end with LOOKUP_FOLLOW; at most MAXSYMLINKS (40) links per walk and MAX_NESTED_LINKS
 * nested inside one another, -ELOOP beyond. */
#include "fs.h"
#include "mount.h"
#include "fs_struct.h"
#include "fdtable.h"
#include "slab.h"
#include "string.h"
#include "syscalls.h"
#include "uaccess.h"

enum { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };

#define MAXSYMLINKS		40	/* links followed in one walk (include/linux/namei.h) */
#define MAX_NESTED_LINKS	8	/* links being walked inside one another */

struct nameidata {
	struct path path;		/* where the walk is */
	struct qstr last;		/* the final component, not yet walked */
	struct path root;
	unsigned int flags;
	int last_type;
	int dfd;
	struct filename *name;
	struct dentry *link;		/* the trailing link being followed: pins its body */
	unsigned int depth;		/* nested links being walked */
	unsigned int total_link_count;
};

/* What path_openat's last step needs besides nd. */
struct open_state {
	struct file *file;
	const struct open_flags *op;
};

/* ---- file names ---- */

noinline struct filename *getname_flags(const char __user *filename, int flags)
{
	struct filename *result;
	long len;

	result = kmalloc(offsetof(struct filename, iname) + PATH_MAX, GFP_KERNEL);
	if (!result)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(result->iname, filename, PATH_MAX);
	if (len < 0) {
		kfree(result);
		return ERR_PTR(len);
	}
	if (len == PATH_MAX) {
		kfree(result);
		return ERR_PTR(-ENAMETOOLONG);
	}
	if (len == 0 && !(flags & LOOKUP_EMPTY)) {
		kfree(result);
		return ERR_PTR(-ENOENT);
	}
	result->name = result->iname;
	result->uptr = filename;
	result->refcnt = 1;
	return result;
}

noinline struct filename *getname(const char __user *filename)
{
	return getname_flags(filename, 0);
}

struct filename *getname_kernel(const char *filename)
{
	size_t len = strlen(filename) + 1;
	struct filename *result;

	if (len > PATH_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	result = kmalloc(offsetof(struct filename, iname) + len, GFP_KERNEL);
	if (!result)
		return ERR_PTR(-ENOMEM);
	memcpy(result->iname, filename, len);
	result->name = result->iname;
	result->uptr = NULL;
	result->refcnt = 1;
	return result;
}

void putname(struct filename *name)
{
	if (IS_ERR_OR_NULL(name))
		return;
	if (--name->refcnt == 0)
		kfree(name);
}

/* ---- walking ---- */

static void set_nameidata(struct nameidata *nd, int dfd, struct filename *name)
{
	memset(nd, 0, sizeof(*nd));
	nd->dfd = dfd;
	nd->name = name;
}

static void terminate_walk(struct nameidata *nd)
{
	if (nd->link) {
		dput(nd->link);
		nd->link = NULL;
	}
	if (nd->path.dentry) {
		path_put(&nd->path);
		nd->path.dentry = NULL;
		nd->path.mnt = NULL;
	}
	if (nd->root.dentry) {
		path_put(&nd->root);
		nd->root.dentry = NULL;
	}
}

static int path_init(struct nameidata *nd, unsigned int flags)
{
	const char *s = nd->name->name;

	nd->flags = flags;
	get_fs_root(current->fs, &nd->root);
	if (*s == '/') {
		nd->path = nd->root;
		path_get(&nd->path);
		return 0;
	}
	if (nd->dfd == AT_FDCWD) {
		get_fs_pwd(current->fs, &nd->path);
		return 0;
	}
	{
		struct file *f = fget(nd->dfd);
		int err = 0;

		if (!f)
			return -EBADF;
		if (*s && !d_is_dir(f->f_path.dentry))
			err = -ENOTDIR;
		else {
			nd->path = f->f_path;
			path_get(&nd->path);
		}
		fput(f);
		return err;
	}
}

/* Descend through everything mounted on path (follow_mount/traverse_mounts). */
static void traverse_mounts(struct path *path)
{
	while (d_mountpoint(path->dentry)) {
		struct vfsmount *mounted = lookup_mnt(path);

		if (!mounted)
			break;
		dput(path->dentry);
		mntput(path->mnt);
		path->mnt = mounted;
		path->dentry = dget(mounted->mnt_root);
	}
}

/* Move nd to dentry (a reference we own) in the same mount, then onto anything mounted there. */
static void step_into(struct nameidata *nd, struct dentry *dentry)
{
	dput(nd->path.dentry);
	nd->path.dentry = dentry;
	traverse_mounts(&nd->path);
}

static bool path_equal(const struct path *a, const struct path *b)
{
	return a->dentry == b->dentry && a->mnt == b->mnt;
}

/* "..": stays at the process root, climbs out of mounts, then goes to the parent. */
static int follow_dotdot(struct nameidata *nd)
{
	for (;;) {
		struct mount *mnt;

		if (path_equal(&nd->path, &nd->root))
			return 0;
		if (nd->path.dentry != nd->path.mnt->mnt_root)
			break;
		mnt = real_mount(nd->path.mnt);
		if (mnt->mnt_parent == mnt)
			return 0;	/* the global root: ".." of "/" is "/" */
		{
			struct path up = { &mnt->mnt_parent->mnt, mnt->mnt_mountpoint };

			path_get(&up);
			path_put(&nd->path);
			nd->path = up;
		}
	}
	step_into(nd, dget(nd->path.dentry->d_parent));
	return 0;
}

/* A cached child; host-backed ones are checked against the host first (d_revalidate). */
static struct dentry *lookup_fast(struct dentry *parent, const struct qstr *name)
{
	struct dentry *dentry = d_lookup(parent, name);

	if (dentry && dentry->d_inode->i_op && dentry->d_inode->i_op->revalidate &&
	    !d_mountpoint(dentry) && !dentry->d_inode->i_op->revalidate(dentry)) {
		d_invalidate(dentry);
		dput(dentry);
		dentry = NULL;
	}
	return dentry;
}

/* Ask the file system: a new dentry, negative if the name does not exist. */
static struct dentry *lookup_slow(struct dentry *parent, const struct qstr *name,
				  unsigned int flags)
{
	struct inode *dir = parent->d_inode;
	struct dentry *dentry, *old;

	if (!dir->i_op || !dir->i_op->lookup)
		return ERR_PTR(-ENOTDIR);
	/* Don't create child dentries in a dead directory. */
	if (IS_DEADDIR(dir))
		return ERR_PTR(-ENOENT);
	dentry = d_alloc(parent, name);
	if (!dentry)
		return ERR_PTR(-ENOMEM);
	old = dir->i_op->lookup(dir, dentry, flags);
	if (old) {
		dput(dentry);
		dentry = old;
	}
	return dentry;
}

/* lookup_one_qstr_excl/__lookup_hash: the dentry for name in base, positive or negative. */
static struct dentry *lookup_hash(const struct qstr *name, struct dentry *base, unsigned int flags)
{
	struct dentry *dentry;

	if (!d_is_dir(base))
		return ERR_PTR(-ENOTDIR);
	dentry = lookup_fast(base, name);
	if (dentry)
		return dentry;
	return lookup_slow(base, name, flags);
}

/* lookup_one_len: the child of base called name (one component, no "." or "..", nothing
 * followed), positive or negative, with a reference; for kernel code that makes its own
 * entries (tracefs). */
struct dentry *lookup_one_len(const char *name, struct dentry *base, int len)
{
	struct qstr this = QSTR_INIT(name, len);

	if (!len || (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.'))))
		return ERR_PTR(-EACCES);
	for (int i = 0; i < len; i++)
		if (name[i] == '/' || !name[i])
			return ERR_PTR(-EACCES);
	return lookup_hash(&this, base, 0);
}

static inline bool d_is_symlink(const struct dentry *d)
{
	return d->d_inode && S_ISLNK(d->d_inode->i_mode);
}

/* The body of a link about to be followed (pick_link + get_link): counts it against
 * MAXSYMLINKS; an absolute body restarts the walk at the root (nd_jump_root). The body belongs
 * to the link's inode, which the caller keeps pinned through the link's dentry. */
static const char *get_link(struct nameidata *nd, struct dentry *link)
{
	struct inode *inode = link->d_inode;
	const char *body;

	if (++nd->total_link_count > MAXSYMLINKS)
		return ERR_PTR(-ELOOP);
	if (!inode->i_op || !inode->i_op->get_link)
		return ERR_PTR(-EINVAL);
	body = inode->i_op->get_link(link, inode);
	if (IS_ERR(body))
		return body;
	if (!*body)
		return ERR_PTR(-ENOENT);
	if (*body == '/') {
		path_put(&nd->path);
		nd->path = nd->root;
		path_get(&nd->path);
	}
	return body;
}

/* One component. A symbolic link to be followed is not stepped into: it comes back in *linkp
 * (with a reference) and the result is 1, nd->path staying on the link's directory. */
static int walk_component(struct nameidata *nd, const struct qstr *name, int type, bool follow,
			  struct dentry **linkp)
{
	struct dentry *dentry;

	if (type == LAST_DOT || type == LAST_ROOT)
		return 0;
	if (type == LAST_DOTDOT)
		return follow_dotdot(nd);
	dentry = lookup_hash(name, nd->path.dentry, nd->flags);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	if (!dentry->d_inode) {
		dput(dentry);
		return -ENOENT;
	}
	if (follow && d_is_symlink(dentry)) {
		*linkp = dentry;
		return 1;
	}
	step_into(nd, dentry);
	return 0;
}

static int link_path_walk(const char *name, struct nameidata *nd);

/* A link in the middle of a path: its whole body is walked from where the link is, a link at
 * the end of the body being followed in turn (without nesting deeper), and the walk of the
 * outer path goes on from where the body ended. A "dir/" body's trailing slash matters for the
 * body only. */
static noinline int walk_nested_link(struct nameidata *nd, struct dentry *link)
{
	unsigned int saved_flags = nd->flags;
	int err;

	if (nd->depth >= MAX_NESTED_LINKS) {
		dput(link);
		return -ELOOP;
	}
	nd->depth++;
	do {
		const char *body = get_link(nd, link);
		struct dentry *next = NULL;

		if (IS_ERR(body)) {
			err = PTR_ERR(body);
		} else {
			nd->flags = saved_flags & ~LOOKUP_DIRECTORY;
			err = link_path_walk(body, nd);
			if (!err)
				err = walk_component(nd, &nd->last, nd->last_type, true, &next);
			if (!err && (nd->flags & LOOKUP_DIRECTORY) && !d_is_dir(nd->path.dentry))
				err = -ENOTDIR;
		}
		dput(link);
		link = next;
	} while (err > 0);
	nd->depth--;
	nd->flags = saved_flags;
	return err;
}

/* Walk every component but the last, which is left in nd->last / nd->last_type. */
static noinline int link_path_walk(const char *name, struct nameidata *nd)
{
	while (*name == '/')
		name++;
	if (!*name) {
		nd->last_type = LAST_ROOT;
		return 0;
	}
	for (;;) {
		struct qstr this = QSTR_INIT(name, 0);
		struct dentry *link;
		int type = LAST_NORM, err;
		bool slash = false;

		while (name[this.len] && name[this.len] != '/')
			this.len++;
		if (this.len > NAME_MAX)
			return -ENAMETOOLONG;
		if (name[0] == '.' && this.len == 1)
			type = LAST_DOT;
		else if (name[0] == '.' && name[1] == '.' && this.len == 2)
			type = LAST_DOTDOT;
		name += this.len;
		while (*name == '/') {
			name++;
			slash = true;
		}
		if (!*name) {
			nd->last = this;
			nd->last_type = type;
			if (slash)
				nd->flags |= LOOKUP_DIRECTORY;	/* "name/" must be a directory */
			return 0;
		}
		err = walk_component(nd, &this, type, true, &link);
		if (err > 0)
			err = walk_nested_link(nd, link);
		if (err)
			return err;
		if (!d_is_dir(nd->path.dentry))
			return -ENOTDIR;
	}
}

/* The trailing link found by the last lookup replaces the one before (whose body nd->last may
 * have pointed into). */
static void set_trailing_link(struct nameidata *nd, struct dentry *link)
{
	if (nd->link)
		dput(nd->link);
	nd->link = link;
}

/* The last component; 1 if it is a link to follow (LOOKUP_FOLLOW), held in nd->link. */
static int lookup_last(struct nameidata *nd)
{
	struct dentry *link;
	int err;

	if (nd->last_type == LAST_NORM) {
		err = walk_component(nd, &nd->last, LAST_NORM, nd->flags & LOOKUP_FOLLOW, &link);
		if (err > 0)
			set_trailing_link(nd, link);
		return err;
	}
	if (nd->last_type == LAST_DOTDOT)
		return follow_dotdot(nd);
	return 0;
}

/* Walk a whole name; a link at its end is followed (trailing_symlink) until the end is not one. */
static int path_walk_all(struct nameidata *nd, int (*last)(struct nameidata *, void *), void *arg)
{
	const char *s = nd->name->name;
	int err;

	for (;;) {
		err = link_path_walk(s, nd);
		if (!err)
			err = last(nd, arg);
		if (err <= 0)
			return err;
		s = get_link(nd, nd->link);
		if (IS_ERR(s))
			return PTR_ERR(s);
	}
}

static int lookup_last_cb(struct nameidata *nd, void *unused)
{
	return lookup_last(nd);
}

static int path_lookupat(struct nameidata *nd, unsigned int flags, struct path *path)
{
	int err = path_init(nd, flags);

	if (!err)
		err = path_walk_all(nd, lookup_last_cb, NULL);
	if (!err && (nd->flags & LOOKUP_DIRECTORY) && !d_is_dir(nd->path.dentry))
		err = -ENOTDIR;
	if (!err) {
		*path = nd->path;
		nd->path.dentry = NULL;
		nd->path.mnt = NULL;
	}
	terminate_walk(nd);
	return err;
}

noinline int filename_lookup(int dfd, struct filename *name, unsigned int flags,
			     struct path *path, struct path *root)
{
	struct nameidata nd;

	if (IS_ERR(name))
		return PTR_ERR(name);
	set_nameidata(&nd, dfd, name);
	return path_lookupat(&nd, flags, path);
}

int kern_path(const char *name, unsigned int flags, struct path *path)
{
	struct filename *filename = getname_kernel(name);
	int ret = filename_lookup(AT_FDCWD, filename, flags, path, NULL);

	putname(filename);
	return ret;
}

int user_path_at(int dfd, const char __user *name, unsigned int flags, struct path *path)
{
	struct filename *filename = getname_flags(name, flags);
	int ret = filename_lookup(dfd, filename, flags, path, NULL);

	putname(filename);
	return ret;
}

/* The parent directory of name and its last component (which points into name). */
static int filename_parentat(int dfd, struct filename *name, unsigned int flags,
			     struct path *parent, struct qstr *last, int *type)
{
	struct nameidata nd;
	int err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	set_nameidata(&nd, dfd, name);
	err = path_init(&nd, flags | LOOKUP_PARENT);
	if (!err)
		err = link_path_walk(name->name, &nd);
	if (!err) {
		*parent = nd.path;
		*last = nd.last;
		*type = nd.last_type;
		nd.path.dentry = NULL;
		nd.path.mnt = NULL;
	}
	terminate_walk(&nd);
	return err;
}

/* ---- creating, removing ---- */

/* may_create: nothing new in a removed directory. */
static int may_create(struct inode *dir, struct dentry *child)
{
	if (child->d_inode)
		return -EEXIST;
	if (IS_DEADDIR(dir))
		return -ENOENT;
	return 0;
}

noinline int vfs_create(struct inode *dir, struct dentry *dentry, umode_t mode, bool want_excl)
{
	int error = may_create(dir, dentry);

	if (error)
		return error;
	if (!dir->i_op->create)
		return -EACCES;
	mode &= S_IALLUGO;
	mode |= S_IFREG;
	return dir->i_op->create(dir, dentry, mode, want_excl);
}

noinline int vfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	int error = may_create(dir, dentry);

	if (error)
		return error;
	if (!dir->i_op->mkdir)
		return -EPERM;
	mode &= (S_IRWXUGO | S_ISVTX);
	return dir->i_op->mkdir(dir, dentry, mode);
}

noinline int vfs_mknod(struct inode *dir, struct dentry *dentry, umode_t mode, dev_t dev)
{
	int error = may_create(dir, dentry);

	if (error)
		return error;
	if (!dir->i_op->mknod)
		return -EPERM;
	return dir->i_op->mknod(dir, dentry, mode, dev);
}

noinline int vfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	int error;

	if (!d_is_dir(dentry))
		return -ENOTDIR;
	if (!dir->i_op->rmdir)
		return -EPERM;
	if (d_mountpoint(dentry))
		return -EBUSY;
	error = dir->i_op->rmdir(dir, dentry);
	if (!error) {
		dentry->d_inode->i_flags |= S_DEAD;
		d_delete(dentry);
	}
	return error;
}

noinline int vfs_unlink(struct inode *dir, struct dentry *dentry)
{
	int error;

	if (d_is_dir(dentry))
		return -EISDIR;
	if (!dir->i_op->unlink)
		return -EPERM;
	if (d_mountpoint(dentry))
		return -EBUSY;
	error = dir->i_op->unlink(dir, dentry);
	if (!error)
		d_delete(dentry);
	return error;
}

/* The negative dentry a new object will take, in *path's directory (filename_create). */
static struct dentry *filename_create(int dfd, struct filename *name, struct path *path,
				      unsigned int lookup_flags)
{
	bool is_dir = lookup_flags & LOOKUP_DIRECTORY;
	struct dentry *dentry;
	struct qstr last;
	int type, err;

	err = filename_parentat(dfd, name, 0, path, &last, &type);
	if (err)
		return ERR_PTR(err);
	/* "/", "." and ".." always exist. */
	if (type != LAST_NORM) {
		path_put(path);
		return ERR_PTR(-EEXIST);
	}
	dentry = lookup_hash(&last, path->dentry, LOOKUP_CREATE | LOOKUP_EXCL);
	if (IS_ERR(dentry))
		goto fail;
	err = -EEXIST;
	if (dentry->d_inode)
		goto fail_dput;
	/* "foo/" can only name a directory to be created. */
	err = -ENOENT;
	if (!is_dir && last.name[last.len])
		goto fail_dput;
	return dentry;
fail_dput:
	dput(dentry);
	dentry = ERR_PTR(err);
fail:
	path_put(path);
	return dentry;
}

static void done_path_create(struct path *path, struct dentry *dentry)
{
	dput(dentry);
	path_put(path);
}

noinline int do_mkdirat(int dfd, struct filename *name, umode_t mode)
{
	struct dentry *dentry;
	struct path path;
	int error;

	dentry = filename_create(dfd, name, &path, LOOKUP_DIRECTORY);
	error = PTR_ERR(dentry);
	if (!IS_ERR(dentry)) {
		mode &= ~current->fs->umask;
		error = vfs_mkdir(path.dentry->d_inode, dentry, mode);
		done_path_create(&path, dentry);
	}
	putname(name);
	return error;
}

SYSCALL_DEFINE3(mkdirat, int, dfd, const char __user *, pathname, umode_t, mode)
{
	return do_mkdirat(dfd, getname(pathname), mode);
}

noinline int do_mknodat(int dfd, struct filename *name, umode_t mode, dev_t dev)
{
	struct dentry *dentry;
	struct path path;
	int error;

	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFDIR:
		putname(name);
		return -EPERM;
	default:
		putname(name);
		return -EINVAL;
	}
	dentry = filename_create(dfd, name, &path, 0);
	error = PTR_ERR(dentry);
	if (!IS_ERR(dentry)) {
		struct inode *dir = path.dentry->d_inode;

		mode &= ~current->fs->umask | S_IFMT;
		if ((mode & S_IFMT) == 0 || S_ISREG(mode))
			error = vfs_create(dir, dentry, mode, true);
		else
			error = vfs_mknod(dir, dentry, mode, dev);
		done_path_create(&path, dentry);
	}
	putname(name);
	return error;
}

/* The user dev_t of mknod is the "new" encoding (include/linux/kdev_t.h new_decode_dev). */
SYSCALL_DEFINE4(mknodat, int, dfd, const char __user *, filename, umode_t, mode,
		unsigned int, dev)
{
	unsigned int major = (dev & 0xfff00) >> 8;
	unsigned int minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);

	return do_mknodat(dfd, getname(filename), mode, MKDEV(major, minor));
}

static noinline int do_rmdir(int dfd, struct filename *name)
{
	struct dentry *dentry;
	struct path path;
	struct qstr last;
	int type, error;

	error = filename_parentat(dfd, name, 0, &path, &last, &type);
	if (error)
		goto exit;
	switch (type) {
	case LAST_DOTDOT:
		error = -ENOTEMPTY;
		goto exit_path;
	case LAST_DOT:
		error = -EINVAL;
		goto exit_path;
	case LAST_ROOT:
		error = -EBUSY;
		goto exit_path;
	}
	dentry = lookup_hash(&last, path.dentry, 0);
	error = PTR_ERR(dentry);
	if (IS_ERR(dentry))
		goto exit_path;
	error = -ENOENT;
	if (dentry->d_inode)
		error = vfs_rmdir(path.dentry->d_inode, dentry);
	dput(dentry);
exit_path:
	path_put(&path);
exit:
	putname(name);
	return error;
}

static noinline int do_unlinkat(int dfd, struct filename *name)
{
	struct dentry *dentry;
	struct path path;
	struct qstr last;
	int type, error;

	error = filename_parentat(dfd, name, 0, &path, &last, &type);
	if (error)
		goto exit;
	error = -EISDIR;
	if (type != LAST_NORM)
		goto exit_path;
	dentry = lookup_hash(&last, path.dentry, 0);
	error = PTR_ERR(dentry);
	if (IS_ERR(dentry))
		goto exit_path;
	if (last.name[last.len]) {
		/* "name/": whatever it is, it cannot be unlinked as a file. */
		error = !dentry->d_inode ? -ENOENT : d_is_dir(dentry) ? -EISDIR : -ENOTDIR;
	} else if (!dentry->d_inode) {
		error = -ENOENT;
	} else {
		error = vfs_unlink(path.dentry->d_inode, dentry);
	}
	dput(dentry);
exit_path:
	path_put(&path);
exit:
	putname(name);
	return error;
}

SYSCALL_DEFINE3(unlinkat, int, dfd, const char __user *, pathname, int, flag)
{
	if ((flag & ~AT_REMOVEDIR) != 0)
		return -EINVAL;
	if (flag & AT_REMOVEDIR)
		return do_rmdir(dfd, getname(pathname));
	return do_unlinkat(dfd, getname(pathname));
}

/* ---- symbolic and hard links ---- */

noinline int vfs_symlink(struct inode *dir, struct dentry *dentry, const char *oldname)
{
	int error = may_create(dir, dentry);

	if (error)
		return error;
	if (!dir->i_op->symlink)
		return -EPERM;
	return dir->i_op->symlink(dir, dentry, oldname);
}

noinline int do_symlinkat(struct filename *from, int newdfd, struct filename *to)
{
	struct dentry *dentry;
	struct path path;
	int error;

	if (IS_ERR(from)) {
		error = PTR_ERR(from);
		goto out;
	}
	dentry = filename_create(newdfd, to, &path, 0);
	error = PTR_ERR(dentry);
	if (!IS_ERR(dentry)) {
		error = vfs_symlink(path.dentry->d_inode, dentry, from->name);
		done_path_create(&path, dentry);
	}
out:
	putname(to);
	putname(from);
	return error;
}

SYSCALL_DEFINE3(symlinkat, const char __user *, oldname, int, newdfd,
		const char __user *, newname)
{
	return do_symlinkat(getname(oldname), newdfd, getname(newname));
}

noinline int vfs_link(struct dentry *old_dentry, struct inode *dir, struct dentry *new_dentry)
{
	struct inode *inode = old_dentry->d_inode;
	int error = may_create(dir, new_dentry);

	if (error)
		return error;
	if (dir->i_sb != inode->i_sb)
		return -EXDEV;
	if (S_ISDIR(inode->i_mode))
		return -EPERM;
	if (!dir->i_op->link)
		return -EPERM;
	if (inode->i_nlink == 0)
		return -ENOENT;		/* unlinked while we looked */
	return dir->i_op->link(old_dentry, dir, new_dentry);
}

static noinline int do_linkat(int olddfd, struct filename *old, int newdfd,
			      struct filename *new, int flags)
{
	struct path old_path, new_path;
	struct dentry *new_dentry;
	int how = 0, error;

	if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) {
		error = -EINVAL;
		goto out_putnames;
	}
	if (flags & AT_SYMLINK_FOLLOW)
		how |= LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		how |= LOOKUP_EMPTY;
	error = filename_lookup(olddfd, old, how, &old_path, NULL);
	if (error)
		goto out_putnames;
	new_dentry = filename_create(newdfd, new, &new_path, 0);
	error = PTR_ERR(new_dentry);
	if (IS_ERR(new_dentry))
		goto out_putpath;
	error = -EXDEV;
	if (old_path.mnt != new_path.mnt)
		goto out_dput;
	error = vfs_link(old_path.dentry, new_path.dentry->d_inode, new_dentry);
out_dput:
	done_path_create(&new_path, new_dentry);
out_putpath:
	path_put(&old_path);
out_putnames:
	putname(old);
	putname(new);
	return error;
}

SYSCALL_DEFINE5(linkat, int, olddfd, const char __user *, oldname, int, newdfd,
		const char __user *, newname, int, flags)
{
	return do_linkat(olddfd, getname_flags(oldname, (flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0),
			 newdfd, getname(newname), flags);
}

/* The link's body, not NUL-terminated, cut to buflen; its length. */
noinline int vfs_readlink(struct dentry *dentry, char __user *buffer, int buflen)
{
	struct inode *inode = dentry->d_inode;
	const char *link;
	int len;

	if (!S_ISLNK(inode->i_mode) || !inode->i_op || !inode->i_op->get_link)
		return -EINVAL;
	link = inode->i_op->get_link(dentry, inode);
	if (IS_ERR(link))
		return PTR_ERR(link);
	len = strlen(link);
	if (len > buflen)
		len = buflen;
	if (copy_to_user(buffer, link, len))
		return -EFAULT;
	return len;
}

static noinline int do_readlinkat(int dfd, const char __user *pathname, char __user *buf,
				  int bufsiz)
{
	struct path path;
	int error;

	if (bufsiz <= 0)
		return -EINVAL;
	error = user_path_at(dfd, pathname, LOOKUP_EMPTY, &path);
	if (error)
		return error;
	error = vfs_readlink(path.dentry, buf, bufsiz);
	path_put(&path);
	return error;
}

SYSCALL_DEFINE4(readlinkat, int, dfd, const char __user *, pathname, char __user *, buf,
		int, bufsiz)
{
	return do_readlinkat(dfd, pathname, buf, bufsiz);
}

/* ---- opening ---- */

/* The last component of an open: look it up, or create it for O_CREAT. 1: it is a link to
 * follow (not with O_NOFOLLOW, nor with O_CREAT | O_EXCL), held in nd->link. */
static int open_last_lookups(struct nameidata *nd, void *arg)
{
	struct file *file = ((struct open_state *)arg)->file;
	const struct open_flags *op = ((struct open_state *)arg)->op;
	int open_flag = op->open_flag;
	struct dentry *dir = nd->path.dentry;
	struct dentry *dentry;
	int error;

	if (nd->last_type != LAST_NORM)
		return lookup_last(nd);

	if (!(open_flag & O_CREAT))
		return lookup_last(nd);

	/* O_CREAT of "name/" */
	if (nd->flags & LOOKUP_DIRECTORY)
		return -EISDIR;
	dentry = lookup_hash(&nd->last, dir, LOOKUP_CREATE);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	if (!dentry->d_inode) {
		umode_t mode = op->mode & ~current->fs->umask;

		error = vfs_create(dir->d_inode, dentry, mode, open_flag & O_EXCL);
		if (error) {
			dput(dentry);
			return error;
		}
		file->f_mode |= FMODE_CREATED;
	} else if (d_is_symlink(dentry) && !(open_flag & O_EXCL) &&
		   (nd->flags & LOOKUP_FOLLOW)) {
		/* An existing link: open (or create) what it points to. */
		set_trailing_link(nd, dentry);
		return 1;
	}
	step_into(nd, dentry);
	return 0;
}

static int may_open(const struct path *path, int acc_mode, int flag)
{
	struct inode *inode = path->dentry->d_inode;

	/* The link itself is only for O_PATH (with O_NOFOLLOW); anything else is a loop. */
	if (S_ISLNK(inode->i_mode) && !(flag & O_PATH))
		return -ELOOP;
	if (S_ISDIR(inode->i_mode) && (acc_mode & MAY_WRITE))
		return -EISDIR;
	return 0;
}

static int do_open(struct nameidata *nd, struct file *file, const struct open_flags *op)
{
	int open_flag = op->open_flag;
	bool do_truncate_file;
	int error;

	if (open_flag & O_CREAT) {
		if ((open_flag & O_EXCL) && !(file->f_mode & FMODE_CREATED))
			return -EEXIST;
		if (d_is_dir(nd->path.dentry))
			return -EISDIR;
	}
	if ((nd->flags & LOOKUP_DIRECTORY) && !d_is_dir(nd->path.dentry))
		return -ENOTDIR;
	do_truncate_file = (open_flag & O_TRUNC) && d_is_reg(nd->path.dentry) &&
			   !(file->f_mode & FMODE_CREATED);
	error = may_open(&nd->path, op->acc_mode, open_flag);
	if (!error)
		error = vfs_open(&nd->path, file);
	if (!error && do_truncate_file)
		error = do_truncate(nd->path.dentry, 0);
	return error;
}

static struct file *path_openat(struct nameidata *nd, const struct open_flags *op,
				unsigned int flags)
{
	struct open_state state;
	struct file *file;
	int error;

	file = alloc_empty_file(op->open_flag);
	if (IS_ERR(file))
		return file;
	state.file = file;
	state.op = op;
	error = path_init(nd, flags);
	if (!error)
		error = path_walk_all(nd, open_last_lookups, &state);
	if (!error)
		error = do_open(nd, file, op);
	terminate_walk(nd);
	if (error) {
		fput(file);
		return ERR_PTR(error);
	}
	return file;
}

noinline struct file *do_filp_open(int dfd, struct filename *pathname, const struct open_flags *op)
{
	struct nameidata nd;

	set_nameidata(&nd, dfd, pathname);
	return path_openat(&nd, op, op->lookup_flags);
}
