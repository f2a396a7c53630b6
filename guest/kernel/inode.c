/* In-memory inodes. Counterpart of fs/inode.c (new_inode, iput, init_special_inode) and the
 * attribute helpers of fs/libfs.c and fs/stat.c. An inode is freed with its last reference;
 * for ramfs that is when it is unlinked and no longer open. */
#include "fs.h"
#include "slab.h"
#include "string.h"

static void inode_now(struct timespec64 *ts)
{
	ktime_get_real_ts64(ts);
}

void inode_init_times(struct inode *inode)
{
	inode_now(&inode->i_mtime);
	inode->i_atime = inode->i_mtime;
	inode->i_ctime = inode->i_mtime;
}

void inode_set_mtime_now(struct inode *inode)
{
	inode_now(&inode->i_mtime);
	inode->i_ctime = inode->i_mtime;
}

noinline struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode = kzalloc(sizeof(*inode), GFP_KERNEL);

	if (!inode)
		return NULL;
	inode->i_sb = sb;
	inode->i_count = 1;
	inode->i_nlink = 1;
	inode_init_times(inode);
	return inode;
}

void ihold(struct inode *inode)
{
	inode->i_count++;
}

/* evict(): the last reference is gone; ramfs data goes with it. */
static void evict(struct inode *inode)
{
	kfree(inode->i_private);
	kfree(inode);
}

noinline void iput(struct inode *inode)
{
	if (inode && --inode->i_count == 0)
		evict(inode);
}

void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev)
{
	inode->i_mode = mode;
	if (S_ISCHR(mode)) {
		inode->i_fop = &def_chr_fops;
		inode->i_rdev = rdev;
	}
}

void generic_fillattr(struct inode *inode, struct kstat *stat)
{
	stat->dev = inode->i_sb->s_dev;
	stat->ino = inode->i_ino;
	stat->mode = inode->i_mode;
	stat->nlink = inode->i_nlink;
	stat->uid = inode->i_uid;
	stat->gid = inode->i_gid;
	stat->rdev = inode->i_rdev;
	stat->size = inode->i_size;
	stat->atime = inode->i_atime;
	stat->mtime = inode->i_mtime;
	stat->ctime = inode->i_ctime;
	stat->blksize = PAGE_SIZE;
	stat->blocks = (inode->i_size + 511) >> 9;
}

int simple_getattr(const struct path *path, struct kstat *stat)
{
	generic_fillattr(path->dentry->d_inode, stat);
	return 0;
}
