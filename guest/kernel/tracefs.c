/* tracefs: the host-backed file system of the tracing files, with what the kernel itself keeps
 * in it. Counterpart of fs/tracefs/inode.c (one super block for every mount, the kernel's own
 * mount, tracefs_create_dir) and fs/tracefs/event_inode.c (eventfs: the events tree).
 *
 * The files are TypeScript's, served through HVC_HOSTFS like any host-backed file system
 * (fs/hostfs.c). Two kinds of directories are the guest's:
 *  - the directories tracing keeps for its whole life (options, per_cpu, per_cpu/cpu0): pinned
 *    dentries made by tracefs_create_dir, which path walks find in the dcache and never ask
 *    the host about again;
 *  - the events tree: events/, one directory per event system and one per event, each an
 *    eventfs_inode (name, parent, the host node behind) made by eventfs_create_dir when the
 *    tracing layer creates an event (TypeScript calls it, guest/ABI.md) and freed by
 *    eventfs_remove_dir. A lookup in an events directory finds its subdirectories here, with
 *    no hypercall, and only its files at the host; a listing is the host's files followed by
 *    the eventfs children; a directory the host has and eventfs does not is not there. */
#include "fs.h"
#include "mount.h"
#include "tracefs.h"
#include "kobject.h"
#include "slab.h"
#include "string.h"
#include "hypercall.h"

static struct vfsmount *tracefs_mount;
static struct super_block *tracefs_sb;

/* Every events directory, by host node. */
#define EVENTFS_HASH_BITS	6
#define EVENTFS_HASH_SIZE	(1 << EVENTFS_HASH_BITS)

static struct list_head eventfs_hash[EVENTFS_HASH_SIZE];

/* ---- the super block ---- */

/* get_tree_single: the first mount makes the super block, every later one shares it. The
 * kernel's own mount (tracefs_init) keeps it for good, with the pinned directories in it. */
static noinline struct dentry *trace_mount(struct file_system_type *type, int flags,
					   const char *dev_name, void *data)
{
	struct dentry *root;

	if (tracefs_sb) {
		tracefs_sb->s_active++;
		return dget(tracefs_sb->s_root);
	}
	root = hostfs_mount(type, flags, dev_name, data);
	if (!IS_ERR(root))
		tracefs_sb = root->d_sb;
	return root;
}

static void tracefs_kill_sb(struct super_block *sb)
{
	hostfs_kill_sb(sb);
	tracefs_sb = NULL;
}

static struct file_system_type trace_fs_type = {
	.name = "tracefs", .host_id = HOSTFS_TRACEFS, .mount = trace_mount,
	.kill_sb = tracefs_kill_sb,
};

void tracefs_init(void)
{
	struct vfsmount *mnt;

	for (int i = 0; i < EVENTFS_HASH_SIZE; i++)
		INIT_LIST_HEAD(&eventfs_hash[i]);
	/* Where user space mounts it: /sys/kernel/tracing. */
	if (sysfs_create_mount_point(kernel_kobj, "tracing"))
		pr_err("tracefs: cannot create the tracing mount point\n");
	register_filesystem(&trace_fs_type);
	mnt = kern_mount(&trace_fs_type);
	if (IS_ERR(mnt)) {
		pr_err("tracefs: cannot mount: error %ld\n", PTR_ERR(mnt));
		return;
	}
	tracefs_mount = mnt;
}

/* ---- directories tracing keeps ---- */

/* The dentry for name in parent (the root for NULL), which the host must have: -EEXIST if the
 * kernel holds it already. */
static struct dentry *tracefs_start_creating(const char *name, struct dentry *parent)
{
	struct dentry *dentry;

	if (!tracefs_mount)
		return ERR_PTR(-ENODEV);
	if (!parent)
		parent = tracefs_mount->mnt_root;
	dentry = lookup_one_len(name, parent, strlen(name));
	if (IS_ERR(dentry))
		return dentry;
	if (!dentry->d_inode) {
		dput(dentry);
		return ERR_PTR(-ENOENT);
	}
	if (dentry->d_flags & DCACHE_PINNED) {
		dput(dentry);
		return ERR_PTR(-EEXIST);
	}
	return dentry;
}

/* A directory tracing keeps: its dentry, pinned by the reference returned (tracing never gives
 * it back); NULL if the host has no such directory. */
noinline struct dentry *tracefs_create_dir(const char *name, struct dentry *parent)
{
	struct dentry *dentry = tracefs_start_creating(name, parent);

	if (IS_ERR(dentry))
		return NULL;
	if (!d_is_dir(dentry)) {
		dput(dentry);
		return NULL;
	}
	dentry->d_flags |= DCACHE_PINNED;
	return dentry;
}

/* ---- eventfs ---- */


/* Listing positions of an events directory: the host's files first, at the host's positions,
 * then the children from here on. */
#define EVENTFS_CHILD_POS	(1LL << 32)

static struct list_head *eventfs_bucket(unsigned long ino)
{
	return &eventfs_hash[((u32)ino * 0x9e3779b1u) >> (32 - EVENTFS_HASH_BITS)];
}

static struct eventfs_inode *eventfs_find_ino(unsigned long ino)
{
	struct list_head *head = eventfs_bucket(ino);
	struct eventfs_inode *ei;

	if (!head->next)
		return NULL;	/* before tracefs_init */
	list_for_each_entry(ei, head, hash)
		if (ei->ino == ino)
			return ei;
	return NULL;
}

/* The events directory behind a tracefs inode, if it is one. */
struct eventfs_inode *eventfs_find(struct inode *inode)
{
	if (inode->i_sb->s_host_id != HOSTFS_TRACEFS || !S_ISDIR(inode->i_mode))
		return NULL;
	return eventfs_find_ino(inode->i_ino);
}

static struct eventfs_inode *eventfs_find_child(struct eventfs_inode *parent, const char *name,
						unsigned int len)
{
	struct eventfs_inode *ei;

	list_for_each_entry(ei, &parent->children, list)
		if (ei->name_len == len && !memcmp(ei->name, name, len))
			return ei;
	return NULL;
}

/* A new events directory for the host's directory node of that name in parent_ino. */
static struct eventfs_inode *eventfs_alloc(const char *name, unsigned long parent_ino)
{
	size_t len = strlen(name);
	struct hostfs_attr attr;
	struct eventfs_inode *ei;
	long node;
	char *copy;

	if (!len || len > NAME_MAX || strchr(name, '/') || is_dot_dotdot(name, len))
		return ERR_PTR(-EINVAL);
	node = hvc_hostfs(HOSTFS_LOOKUP, HOSTFS_TRACEFS, parent_ino, (unsigned long)name, len, 0);
	if (node < 0)
		return ERR_PTR(node);
	if (hvc_hostfs(HOSTFS_GETATTR, HOSTFS_TRACEFS, node, (unsigned long)&attr, 0, 0) < 0)
		return ERR_PTR(-ENOENT);
	if (!S_ISDIR(attr.mode))
		return ERR_PTR(-ENOTDIR);
	ei = kzalloc(sizeof(*ei), GFP_KERNEL);
	copy = kmalloc(len + 1, GFP_KERNEL);
	if (!ei || !copy) {
		kfree(ei);
		kfree(copy);
		return ERR_PTR(-ENOMEM);
	}
	memcpy(copy, name, len + 1);
	ei->name = copy;
	ei->name_len = len;
	ei->ino = node;
	INIT_LIST_HEAD(&ei->list);
	INIT_LIST_HEAD(&ei->children);
	list_add_tail(&ei->hash, eventfs_bucket(node));
	return ei;
}

/* events/ itself, under parent (the tracefs root for NULL): a pinned directory too. */
noinline struct eventfs_inode *eventfs_create_events_dir(const char *name, struct dentry *parent)
{
	struct dentry *dentry = tracefs_start_creating(name, parent);
	struct eventfs_inode *ei;

	if (IS_ERR(dentry))
		return ERR_CAST(dentry);
	ei = eventfs_alloc(name, dentry->d_parent->d_inode->i_ino);
	if (IS_ERR(ei)) {
		dput(dentry);
		return ei;
	}
	dentry->d_flags |= DCACHE_PINNED;
	return ei;
}

/* A system's directory (parent: events/) or an event's (parent: its system). */
noinline struct eventfs_inode *eventfs_create_dir(const char *name, struct eventfs_inode *parent)
{
	struct eventfs_inode *ei;

	if (!parent)
		return ERR_PTR(-EINVAL);
	if (eventfs_find_child(parent, name, strlen(name)))
		return ERR_PTR(-EEXIST);
	ei = eventfs_alloc(name, parent->ino);
	if (IS_ERR(ei))
		return ei;
	ei->parent = parent;
	list_add_tail(&ei->list, &parent->children);
	return ei;
}

/* The directory and everything below it. Dentries still in use (an open listing, a cwd) go
 * stale: eventfs_revalidate no longer finds them. */
noinline void eventfs_remove_dir(struct eventfs_inode *ei)
{
	struct eventfs_inode *child, *next;

	if (IS_ERR_OR_NULL(ei))
		return;
	list_for_each_entry_safe(child, next, &ei->children, list)
		eventfs_remove_dir(child);
	list_del_init(&ei->list);
	list_del_init(&ei->hash);
	kfree(ei->name);
	kfree(ei);
}

/* ->lookup in an events directory: a subdirectory is ours, a file the host's. */
noinline struct dentry *eventfs_lookup(struct eventfs_inode *ei, struct inode *dir,
				       struct dentry *dentry)
{
	struct eventfs_inode *child = eventfs_find_child(ei, (const char *)dentry->d_name.name,
							 dentry->d_name.len);
	struct inode *inode;
	long node;

	if (child) {
		inode = hostfs_iget(dir->i_sb, child->ino);
	} else {
		node = hostfs_lookup_node(dir, &dentry->d_name);
		if (node == -ENOENT)
			return NULL;
		if (node < 0)
			return ERR_PTR(node);
		inode = hostfs_iget(dir->i_sb, node);
		if (!IS_ERR(inode) && S_ISDIR(inode->i_mode)) {
			iput(inode);	/* not an event of ours (yet, or any more) */
			return NULL;
		}
	}
	if (IS_ERR(inode))
		return ERR_CAST(inode);
	d_instantiate(dentry, inode);
	return NULL;
}

/* ->iterate_shared: the host's files ("." and ".." first), then the subdirectories. */
noinline int eventfs_iterate(struct eventfs_inode *ei, struct file *file, struct dir_context *ctx)
{
	struct eventfs_inode *child;
	loff_t skip;
	int ret;

	if (ctx->pos < EVENTFS_CHILD_POS) {
		ret = hostfs_readdir(file, ctx, true);
		if (ret <= 0)
			return ret;
		ctx->pos = EVENTFS_CHILD_POS;
	}
	skip = ctx->pos - EVENTFS_CHILD_POS;
	list_for_each_entry(child, &ei->children, list) {
		if (skip > 0) {
			skip--;
			continue;
		}
		if (!dir_emit(ctx, child->name, child->name_len, child->ino, DT_DIR))
			return 0;
		ctx->pos++;
	}
	return 0;
}

/* d_revalidate for a tracefs dentry in or of the events tree: 1 valid, 0 stale, -1 not
 * eventfs's to say (the host is asked). */
int eventfs_revalidate(struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;
	struct eventfs_inode *ei, *parent;

	if (inode->i_sb->s_host_id != HOSTFS_TRACEFS)
		return -1;
	parent = eventfs_find(dentry->d_parent->d_inode);
	if (!S_ISDIR(inode->i_mode))
		return -1;	/* a file: the host's */
	ei = eventfs_find_ino(inode->i_ino);
	if (ei)
		return ei->parent == parent && ei->name_len == dentry->d_name.len &&
		       !memcmp(ei->name, dentry->d_name.name, ei->name_len);
	return parent ? 0 : -1;
}
