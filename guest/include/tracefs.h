/* tracefs and its events tree, and the host-backed file system code they build on.
 * Counterpart of include/linux/tracefs.h, fs/tracefs/internal.h (struct eventfs_inode) and the
 * directory part of kernel/trace/trace.h (struct trace_array). The files of tracefs are
 * TypeScript's (HVC_HOSTFS); the directories tracing keeps and the events tree are the guest's
 * (guest/ABI.md "tracefs and eventfs"). */
#ifndef _GUEST_TRACEFS_H
#define _GUEST_TRACEFS_H

#include "fs.h"

/* A directory of the events tree: events/ itself, a system (events/kprobes), or an event
 * (events/kprobes/myprobe). Its files (enable, filter, format, id, trigger...) are the host's,
 * in the host directory node `ino`; its subdirectories are `children`. */
struct eventfs_inode {
	struct list_head	list;		/* in the parent's children */
	struct list_head	children;
	struct list_head	hash;		/* in eventfs_hash, by ino */
	struct eventfs_inode	*parent;	/* NULL for events/ */
	const char		*name;
	unsigned int		name_len;
	unsigned long		ino;		/* the tracefs node behind (HOSTFS_TRACEFS) */
};

/* A tracing instance's directories (only the global one here). TypeScript reads event_dir
 * (ABI.md), the parent of the system directories it adds. */
struct trace_array {
	struct dentry		*dir;		/*  0: NULL: the tracefs root */
	struct dentry		*options;	/*  8 */
	struct dentry		*percpu_dir;	/* 16 */
	struct eventfs_inode	*event_dir;	/* 24 */
	struct dentry		*cpu_dir[NR_CPUS];	/* 32 */
};
#if BITS_PER_LONG == 64	/* arm64's offsets (ABI.md); a 32-bit kernel has its own */
_Static_assert(offsetof(struct trace_array, event_dir) == 24, "ABI: trace_array.event_dir");
#endif

extern struct trace_array global_trace;

/* fs/tracefs.c */
void tracefs_init(void);
struct dentry *tracefs_create_dir(const char *name, struct dentry *parent);
struct eventfs_inode *eventfs_create_events_dir(const char *name, struct dentry *parent);
struct eventfs_inode *eventfs_create_dir(const char *name, struct eventfs_inode *parent);
void eventfs_remove_dir(struct eventfs_inode *ei);
struct eventfs_inode *eventfs_find(struct inode *inode);
struct dentry *eventfs_lookup(struct eventfs_inode *ei, struct inode *dir, struct dentry *dentry);
int eventfs_iterate(struct eventfs_inode *ei, struct file *file, struct dir_context *ctx);
int eventfs_revalidate(struct dentry *dentry);

/* kernel/trace.c */
void tracer_init_tracefs(void);

/* fs/hostfs.c */
struct inode *hostfs_iget(struct super_block *sb, unsigned long node);
long hostfs_lookup_node(struct inode *dir, const struct qstr *name);
int hostfs_readdir(struct file *file, struct dir_context *ctx, bool files_only);
struct dentry *hostfs_mount(struct file_system_type *type, int flags, const char *dev_name,
			    void *data);
void hostfs_kill_sb(struct super_block *sb);

#endif
