/* Mounts. Counterpart of include/linux/mount.h and fs/mount.h (struct mount with the
 * vfsmount embedded). TypeScript walks mount_list for /proc/mounts (offsets in ABI.md). */
#ifndef _GUEST_MOUNT_H
#define _GUEST_MOUNT_H

#include "fs.h"

struct vfsmount {
	struct dentry *mnt_root;	/* root of the mounted tree */
	struct super_block *mnt_sb;
	int mnt_flags;
};

struct mount {
	struct list_head mnt_list;	/*  0: in mount_list, in mount order */
	struct mount *mnt_parent;	/* 16: itself for the root mount */
	struct dentry *mnt_mountpoint;	/* 24: dentry (in the parent) we are mounted on */
	struct vfsmount mnt;		/* 32: mnt_root 32, mnt_sb 40, mnt_flags 48 */
	const char *mnt_devname;	/* 56: "proc", "none", ... */
	int mnt_count;			/* 64: references: the tree, paths, open files */
	struct list_head mnt_mounts;	/* 72: mounts on top of us */
	struct list_head mnt_child;	/* 88: in the parent's mnt_mounts */
};

#if BITS_PER_LONG == 64	/* arm64's offsets (ABI.md); a 32-bit kernel has its own */
_Static_assert(offsetof(struct mount, mnt_parent) == 16, "ABI: mount.mnt_parent");
_Static_assert(offsetof(struct mount, mnt_mountpoint) == 24, "ABI: mount.mnt_mountpoint");
_Static_assert(offsetof(struct mount, mnt) == 32, "ABI: mount.mnt");
_Static_assert(offsetof(struct mount, mnt_devname) == 56, "ABI: mount.mnt_devname");
#endif

#define MNT_READONLY	0x40

/* umount2 flags */
#define MNT_FORCE	0x00000001
#define MNT_DETACH	0x00000002
#define MNT_EXPIRE	0x00000004
#define UMOUNT_NOFOLLOW	0x00000008

/* mount flags (include/uapi/linux/mount.h) */
#define MS_RDONLY	1
#define MS_NOSUID	2
#define MS_NODEV	4
#define MS_NOEXEC	8
#define MS_REMOUNT	32
#define MS_BIND		4096
#define MS_MOVE		8192
#define MS_REC		16384
#define MS_SILENT	32768
#define MS_MGC_VAL	0xC0ED0000
#define MS_MGC_MSK	0xffff0000

static inline struct mount *real_mount(struct vfsmount *mnt)
{
	return container_of(mnt, struct mount, mnt);
}

extern struct list_head mount_list;

struct vfsmount *mntget(struct vfsmount *mnt);
void mntput(struct vfsmount *mnt);
struct vfsmount *lookup_mnt(const struct path *path);
void path_get(const struct path *path);
void path_put(const struct path *path);
int path_mount(const char *dev_name, struct path *path, const char *type_page,
	       unsigned long flags, void *data_page);
int path_umount(struct path *path, int flags);
struct vfsmount *root_mount(void);
struct vfsmount *kern_mount(struct file_system_type *type);

#endif
