/* Root and current directory of a task. Counterpart of include/linux/fs_struct.h. */
#ifndef _GUEST_FS_STRUCT_H
#define _GUEST_FS_STRUCT_H

#include "mount.h"
#include "sched.h"

struct fs_struct {
	int users;		/*  0: tasks sharing it (CLONE_FS) */
	int umask;		/*  4 */
	struct path root;	/*  8: mnt 8, dentry 16 */
	struct path pwd;	/* 24: mnt 24, dentry 32 */
};

#if BITS_PER_LONG == 64	/* arm64's offsets (ABI.md); a 32-bit kernel has its own */
_Static_assert(offsetof(struct fs_struct, root) == 8, "ABI: fs_struct.root");
_Static_assert(offsetof(struct fs_struct, pwd) == 24, "ABI: fs_struct.pwd");
#endif

extern struct fs_struct init_fs;

struct fs_struct *copy_fs_struct(struct fs_struct *old);
void free_fs_struct(struct fs_struct *fs);
void exit_fs(struct task_struct *tsk);
void set_fs_root(struct fs_struct *fs, const struct path *path);
void set_fs_pwd(struct fs_struct *fs, const struct path *path);
void get_fs_root(struct fs_struct *fs, struct path *root);
void get_fs_pwd(struct fs_struct *fs, struct path *pwd);

#endif
