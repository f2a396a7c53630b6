/* The mount tree. Counterpart of fs/namespace.c: struct mount records (parent, mount point,
 * root), lookup_mnt for the path walk, mount(2) for new mounts of a named file system type and
 * umount2(2). The root is a ramfs mounted at boot (init_mount_tree). mount_list holds every
 * mount in mount order; TypeScript reads it for /proc/mounts (ABI.md). */
#include "fs.h"
#include "mount.h"
#include "fs_struct.h"
#include "slab.h"
#include "string.h"
#include "syscalls.h"
#include "uaccess.h"

LIST_HEAD(mount_list);
static struct mount *root_mnt;

struct vfsmount *mntget(struct vfsmount *mnt)
{
	if (mnt)
		real_mount(mnt)->mnt_count++;
	return mnt;
}

static void free_mount(struct mount *mnt)
{
	/* The mount's reference on its root, then the super block's (and the tree below). */
	dput(mnt->mnt.mnt_root);
	deactivate_super(mnt->mnt.mnt_sb);
	kfree(mnt->mnt_devname);
	kfree(mnt);
}

noinline void mntput(struct vfsmount *mnt)
{
	struct mount *m;

	if (!mnt)
		return;
	m = real_mount(mnt);
	if (--m->mnt_count == 0)
		free_mount(m);
}

void path_get(const struct path *path)
{
	mntget(path->mnt);
	dget(path->dentry);
}

void path_put(const struct path *path)
{
	dput(path->dentry);
	mntput(path->mnt);
}

/* The mount on top of path, if any (with a reference). */
noinline struct vfsmount *lookup_mnt(const struct path *path)
{
	struct mount *parent = real_mount(path->mnt);
	struct mount *child;

	list_for_each_entry(child, &parent->mnt_mounts, mnt_child)
		if (child->mnt_mountpoint == path->dentry)
			return mntget(&child->mnt);
	return NULL;
}

static struct mount *alloc_vfsmnt(const char *name)
{
	struct mount *mnt = kzalloc(sizeof(*mnt), GFP_KERNEL);
	size_t len;

	if (!mnt)
		return NULL;
	len = strlen(name) + 1;
	mnt->mnt_devname = kmalloc(len, GFP_KERNEL);
	if (!mnt->mnt_devname) {
		kfree(mnt);
		return NULL;
	}
	memcpy((char *)mnt->mnt_devname, name, len);
	mnt->mnt_count = 1;
	INIT_LIST_HEAD(&mnt->mnt_list);
	INIT_LIST_HEAD(&mnt->mnt_mounts);
	INIT_LIST_HEAD(&mnt->mnt_child);
	return mnt;
}

/* vfs_kern_mount: a new, not yet attached mount of type. */
static struct mount *vfs_kern_mount(struct file_system_type *type, int flags,
				    const char *name, void *data)
{
	struct mount *mnt = alloc_vfsmnt(name ? name : "none");
	struct dentry *root;

	if (!mnt)
		return ERR_PTR(-ENOMEM);
	root = type->mount(type, flags, name, data);
	if (IS_ERR(root)) {
		kfree(mnt->mnt_devname);
		kfree(mnt);
		return ERR_CAST(root);
	}
	mnt->mnt.mnt_root = root;
	mnt->mnt.mnt_sb = root->d_sb;
	mnt->mnt.mnt_flags = (flags & MS_RDONLY) ? MNT_READONLY : 0;
	mnt->mnt_parent = mnt;
	return mnt;
}

/* kern_mount: the kernel's own mount of a file system, attached nowhere (no mount point, not
 * on mount_list): it keeps the super block alive, as tracefs and sockfs need. */
struct vfsmount *kern_mount(struct file_system_type *type)
{
	struct mount *mnt = vfs_kern_mount(type, 0, type->name, NULL);

	if (IS_ERR(mnt))
		return ERR_CAST(mnt);
	return &mnt->mnt;
}

/* attach_mnt: mnt goes on top of mountpoint in parent; the tree holds one reference on each. */
static void attach_mnt(struct mount *mnt, struct mount *parent, struct dentry *mountpoint)
{
	mnt->mnt_parent = parent;
	mnt->mnt_mountpoint = dget(mountpoint);
	mntget(&parent->mnt);
	mountpoint->d_flags |= DCACHE_MOUNTED;
	list_add_tail(&mnt->mnt_child, &parent->mnt_mounts);
	list_add_tail(&mnt->mnt_list, &mount_list);
}

static bool has_mounts_on(struct dentry *dentry)
{
	struct mount *m;

	list_for_each_entry(m, &mount_list, mnt_list)
		if (m->mnt_mountpoint == dentry && m->mnt_parent != m)
			return true;
	return false;
}

static void umount_tree(struct mount *mnt)
{
	struct mount *parent = mnt->mnt_parent;
	struct dentry *mountpoint = mnt->mnt_mountpoint;

	list_del_init(&mnt->mnt_list);
	list_del_init(&mnt->mnt_child);
	mnt->mnt_parent = mnt;
	mnt->mnt_mountpoint = NULL;
	if (!has_mounts_on(mountpoint))
		mountpoint->d_flags &= ~DCACHE_MOUNTED;
	dput(mountpoint);
	mntput(&parent->mnt);
	mntput(&mnt->mnt);	/* the tree's reference */
}

static noinline int do_new_mount(struct path *path, const char *fstype, int sb_flags,
				 const char *name, void *data)
{
	struct file_system_type *type;
	struct mount *mnt;

	if (!fstype)
		return -EINVAL;
	type = get_fs_type(fstype);
	if (!type)
		return -ENODEV;
	if (!d_is_dir(path->dentry))
		return -ENOTDIR;
	mnt = vfs_kern_mount(type, sb_flags, name, data);
	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	attach_mnt(mnt, real_mount(path->mnt), path->dentry);
	return 0;
}

noinline int path_mount(const char *dev_name, struct path *path, const char *type_page,
			unsigned long flags, void *data_page)
{
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if (flags & MS_REMOUNT) {
		/* Nothing to change in our file systems: accepted on a mount root. */
		return path->dentry == path->mnt->mnt_root ? 0 : -EINVAL;
	}
	if (flags & (MS_BIND | MS_MOVE))
		return -EINVAL;
	return do_new_mount(path, type_page, flags & MS_RDONLY, dev_name, data_page);
}

/* Strings for mount(2): NULL stays NULL, otherwise copied in (copy_mount_string). */
static char *copy_mount_string(const void __user *data)
{
	char *s;
	long len;

	if (!data)
		return NULL;
	s = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(s, data, PAGE_SIZE);
	if (len < 0) {
		kfree(s);
		return ERR_PTR(len);
	}
	if (len == PAGE_SIZE) {
		kfree(s);
		return ERR_PTR(-EINVAL);
	}
	return s;
}

SYSCALL_DEFINE5(mount, char __user *, dev_name, char __user *, dir_name,
		char __user *, type, unsigned long, flags, void __user *, data)
{
	char *kernel_type, *kernel_dev;
	struct path path;
	int ret;

	kernel_type = copy_mount_string(type);
	ret = PTR_ERR(kernel_type);
	if (IS_ERR(kernel_type))
		goto out_type;
	kernel_dev = copy_mount_string(dev_name);
	ret = PTR_ERR(kernel_dev);
	if (IS_ERR(kernel_dev))
		goto out_dev;
	/* Options (data) are not interpreted by any of our file systems. */
	ret = user_path_at(AT_FDCWD, dir_name, LOOKUP_FOLLOW, &path);
	if (!ret) {
		ret = path_mount(kernel_dev, &path, kernel_type, flags, NULL);
		path_put(&path);
	}
	kfree(kernel_dev);
out_dev:
	kfree(kernel_type);
out_type:
	return ret;
}

noinline int path_umount(struct path *path, int flags)
{
	struct mount *mnt = real_mount(path->mnt);

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if (path->dentry != path->mnt->mnt_root)
		return -EINVAL;		/* not a mount point */
	if (mnt == root_mnt || mnt->mnt_parent == mnt)
		return -EINVAL;
	if (!list_empty(&mnt->mnt_mounts) && !(flags & MNT_DETACH))
		return -EBUSY;
	/* Busy while anything but the tree and this walk holds it: open files, cwds. */
	if (mnt->mnt_count > 2 && !(flags & MNT_DETACH))
		return -EBUSY;
	umount_tree(mnt);
	return 0;
}

SYSCALL_DEFINE2(umount, char __user *, name, int, flags)
{
	unsigned int lookup_flags = (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	struct path path;
	int ret;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	ret = user_path_at(AT_FDCWD, name, lookup_flags, &path);
	if (ret)
		return ret;
	ret = path_umount(&path, flags);
	path_put(&path);
	return ret;
}

struct vfsmount *root_mount(void)
{
	return &root_mnt->mnt;
}

/* init_mount_tree: a ramfs as "/", the root and cwd of init_task. */
void mnt_init(void)
{
	struct file_system_type *type = get_fs_type("rootfs");
	struct path root;

	if (!type)
		panic("VFS: rootfs is not registered");
	root_mnt = vfs_kern_mount(type, 0, "rootfs", NULL);
	if (IS_ERR(root_mnt))
		panic("VFS: can't mount rootfs: %ld", PTR_ERR(root_mnt));
	list_add_tail(&root_mnt->mnt_list, &mount_list);
	root.mnt = &root_mnt->mnt;
	root.dentry = root_mnt->mnt.mnt_root;
	set_fs_root(&init_fs, &root);
	set_fs_pwd(&init_fs, &root);
}
