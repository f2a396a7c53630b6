/* The contract with the TypeScript half (guest/ABI.md): hypercall numbers, host-backed file
 * system operations and ids, scheduling reasons. src/kernel/abi.ts mirrors these numbers.
 * The addresses of the memory map are per arch, in <asm/memory.h>. No Linux counterpart: this is
 * the para-virtual interface of this emulated machine (like include/xen/interface/xen.h). */
#ifndef _GUEST_ABI_H
#define _GUEST_ABI_H

#include <asm/memory.h>

/* Hypercalls: arguments in the first six argument registers, result in the first. */
#define HVC_BOOT_DONE		1	/* arg0 = pid 1's task_struct */
#define HVC_SCHEDULE		2	/* arg0 = SCHED_* below */
#define HVC_PRINTK		3	/* arg0 = message, arg1 = length */
#define HVC_HOSTFS		4	/* arg0 = HOSTFS_* op, args below */
#define HVC_EXEC		5	/* path, pt_regs, user argv, user envp, file data, size */
#define HVC_PANIC		6	/* arg0 = message (NUL-terminated) */
#define HVC_CALL_RETURN		7	/* end of a call made by TypeScript into the guest */
#define HVC_MM			8	/* arg0 = MM_* op */
#define HVC_TRACEPOINT		9	/* arg0 = struct tracepoint, arg1-arg4 = its arguments */
#define HVC_KERNFS		10	/* arg0 = KERNFS_* op: sysfs nodes the guest makes */

/* HVC_SCHEDULE reasons. */
#define SCHED_EXITED		0	/* the task is a zombie: never resume it */
#define SCHED_WAIT		1	/* TASK_INTERRUPTIBLE: resume once its state is TASK_RUNNING */
#define SCHED_YIELD		2	/* still runnable: sched_yield() */

/* HVC_HOSTFS operations. */
#define HOSTFS_LOOKUP		1	/* fs_id, dir node, name, len -> node or -ENOENT */
#define HOSTFS_GETATTR		2	/* fs_id, node, struct hostfs_attr * -> 0 / -errno */
#define HOSTFS_OPEN		3	/* fs_id, node, open flags -> handle > 0 / -errno */
#define HOSTFS_READ		4	/* handle, buf, count, pos -> bytes / -errno */
#define HOSTFS_WRITE		5	/* handle, buf, count, pos -> bytes / -errno */
#define HOSTFS_GETDENTS		6	/* handle, buf, count, u64 *pos -> bytes of records / 0 */
#define HOSTFS_RELEASE		7	/* handle -> 0 */
#define HOSTFS_READLINK		8	/* fs_id, node, buf, size -> length / -errno */

/* HVC_KERNFS operations: the sysfs tree (TypeScript keeps the nodes, as fs/kernfs does; the
 * guest's kobjects and attributes are their owners). Node 0 is the root of sysfs. */
#define KERNFS_CREATE_DIR	1	/* parent, name, kobj -> node > 0 / -errno */
#define KERNFS_CREATE_FILE	2	/* parent, name, mode, kobj, attr -> node > 0 / -errno */
#define KERNFS_CREATE_LINK	3	/* parent, name, target node -> node > 0 / -errno */

/* Host-backed file system ids; node 1 is the root of each. */
#define HOSTFS_PROC		1
#define HOSTFS_SYSFS		2
#define HOSTFS_DEBUGFS		3
#define HOSTFS_TRACEFS		4
#define HOSTFS_ROOT_NODE	1

/* HVC_MM operations (user page tables live in TypeScript). */
#define MM_BRK			0	/* arg1 = new break (0: query) -> the break */
#define MM_MMAP			1	/* arg1 = length, arg2 = addr hint, arg3 = prot, arg4 = flags */
#define MM_MUNMAP		2	/* arg1 = addr, arg2 = length -> 0 / -errno */

#ifndef __ASSEMBLY__
#include "types.h"

struct hostfs_attr {
	u32 mode;
	u32 pad;
	u64 size;
};
#endif

#endif
