/* A task's root and current directory. Counterpart of fs/fs_struct.c. */
#include "fs_struct.h"
#include "sched.h"
#include "slab.h"

void set_fs_root(struct fs_struct *fs, const struct path *path)
{
	struct path old = fs->root;

	path_get(path);
	fs->root = *path;
	if (old.dentry)
		path_put(&old);
}

void set_fs_pwd(struct fs_struct *fs, const struct path *path)
{
	struct path old = fs->pwd;

	path_get(path);
	fs->pwd = *path;
	if (old.dentry)
		path_put(&old);
}

void get_fs_root(struct fs_struct *fs, struct path *root)
{
	*root = fs->root;
	path_get(root);
}

void get_fs_pwd(struct fs_struct *fs, struct path *pwd)
{
	*pwd = fs->pwd;
	path_get(pwd);
}

struct fs_struct *copy_fs_struct(struct fs_struct *old)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs)
		return NULL;
	fs->users = 1;
	fs->umask = old->umask;
	fs->root = old->root;
	path_get(&fs->root);
	fs->pwd = old->pwd;
	path_get(&fs->pwd);
	return fs;
}

void free_fs_struct(struct fs_struct *fs)
{
	path_put(&fs->root);
	path_put(&fs->pwd);
	if (fs != &init_fs)
		kfree(fs);
}

void exit_fs(struct task_struct *tsk)
{
	struct fs_struct *fs = tsk->fs;

	if (fs) {
		tsk->fs = NULL;
		if (--fs->users == 0)
			free_fs_struct(fs);
	}
}
