/* The registry of file system types and anonymous super blocks. Counterpart of
 * fs/filesystems.c (register_filesystem, get_fs_type) and the parts of fs/super.c that
 * in-memory file systems use (sget with set_anon_super, deactivate_super). */
#include "fs.h"
#include "slab.h"
#include "string.h"

static struct file_system_type *file_systems;
static unsigned int next_anon_minor = 1;

int register_filesystem(struct file_system_type *fs)
{
	struct file_system_type **p;

	for (p = &file_systems; *p; p = &(*p)->next)
		if (!strcmp((*p)->name, fs->name))
			return -EBUSY;
	fs->next = NULL;
	*p = fs;
	return 0;
}

noinline struct file_system_type *get_fs_type(const char *name)
{
	struct file_system_type *fs;

	for (fs = file_systems; fs; fs = fs->next)
		if (!strcmp(fs->name, name))
			return fs;
	return NULL;
}

/* A new super block with an anonymous device number (major 0), as set_anon_super gives. */
struct super_block *sget_anon(struct file_system_type *type)
{
	struct super_block *sb = kzalloc(sizeof(*sb), GFP_KERNEL);

	if (!sb)
		return NULL;
	sb->s_type = type;
	sb->s_dev = MKDEV(0, next_anon_minor++);
	sb->s_host_id = type->host_id;
	sb->s_next_ino = 1;
	sb->s_active = 1;
	return sb;
}

void deactivate_super(struct super_block *sb)
{
	if (--sb->s_active == 0) {
		if (sb->s_type->kill_sb)
			sb->s_type->kill_sb(sb);
		kfree(sb);
	}
}
