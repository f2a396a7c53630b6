/* A test harness for the guest kernel's C code: the generic kernel (every guest/kernel C file) and the
 * arch's system-call table, linked into an ordinary static Linux program for that arch (arm64 or
 * mips) that plays the TypeScript half (hypercalls, the UART, host-backed file systems, task
 * switching by hand) and runs under qemu-user (qemu-aarch64-static, qemu-mips-static). System
 * calls go through the arch's C entry with a pt_regs, exactly the path the exception entry takes
 * (arm64's do_el0_svc, mips's do_syscall); the results are checked against what Linux returns.
 * The checks are the same on both arches; what Linux itself does differently per arch (numbers,
 * struct stat64 on 32-bit, the O_LARGEFILE of 64-bit kernels, addresses) is in the per-arch
 * section below. No Linux counterpart (compare KUnit under UML: kernel code run as a user
 * process). */
#include "kernel.h"
#include "sched.h"
#include "fs.h"
#include "fdtable.h"
#include "fs_struct.h"
#include "mount.h"
#include "slab.h"
#include "string.h"
#include "uapi.h"
#include "unistd.h"
#include "abi.h"
#include "signal.h"
#include "tracefs.h"
#include "net.h"
#include "kobject.h"
#include "utsname.h"
#include <asm/ptrace.h>

void start_kernel(void);
u32 kprobe_target(u32 v);
u32 kprobe_target2(u32 v);
u32 kprobe_recursed_target(u32 v);
int kprobe_trace_selftest_target(int a1, int a2, int a3, int a4, int a5, int a6);

long host_syscall(long nr, long a0, long a1, long a2);

/* ---- what differs per arch ---- */

#if defined(__aarch64__)
void do_el0_svc(struct pt_regs *regs);

#define HOST_NR_write		64	/* the qemu-user process's own system calls */
#define HOST_NR_exit_group	94
#define harness_stat		stat	/* what newfstatat and fstat fill */
#define MMAP_TOP		0x7f0000000000UL	/* where the harness's mmap hands out memory */
#define PL031_NAME		"9010000.pl031"
#define ULONG_MAX_STR		"18446744073709551615"
#define ULONG_OVERFLOW_STR	"18446744073709551616"

/* A system call as el0_svc makes it: number in x8, arguments in x0-x5, result in x0. */
static long arch_syscall(struct pt_regs *regs, long nr, long a0, long a1, long a2, long a3,
			 long a4, long a5)
{
	regs->regs[0] = a0;
	regs->regs[1] = a1;
	regs->regs[2] = a2;
	regs->regs[3] = a3;
	regs->regs[4] = a4;
	regs->regs[5] = a5;
	regs->regs[8] = nr;
	regs->pstate = 0;	/* EL0t */
	do_el0_svc(regs);
	return regs->regs[0];
}

/* A 64-bit file position after three arguments: one argument register. */
#define sc_pos(nr, fd, b, n, pos) sc(nr, fd, b, n, pos)

#elif defined(__mips__)
void do_syscall(struct pt_regs *regs);

#define HOST_NR_write		4004
#define HOST_NR_exit_group	4246
/* o32 has no newfstatat: fstatat64 and fstat64 fill a struct stat64. */
#define __NR_newfstatat		__NR_fstatat64
#undef __NR_fstat
#define __NR_fstat		__NR_fstat64
#define harness_stat		stat64
/* The clock_gettime that fills a struct __kernel_timespec (the o32 one has 32-bit time). */
#undef __NR_clock_gettime
#define __NR_clock_gettime	__NR_clock_gettime64
#define MMAP_TOP		0x7f000000UL
#define PL031_NAME		"1f001000.pl031"
#define ULONG_MAX_STR		"4294967295"
#define ULONG_OVERFLOW_STR	"4294967296"

/* The user stack words 5 to 8 of an o32 system call: sp + 16 .. sp + 28. */
static unsigned long user_stack[8];

/* A system call as handle_sys makes it: number in v0, arguments in a0-a3 and on the user stack,
 * result in v0 with a3 = 1 for an error (a positive errno), turned into -errno here. */
static long arch_syscall(struct pt_regs *regs, long nr, long a0, long a1, long a2, long a3,
			 long a4, long a5)
{
	regs->regs[2] = nr;
	regs->regs[4] = a0;
	regs->regs[5] = a1;
	regs->regs[6] = a2;
	regs->regs[7] = a3;
	user_stack[4] = a4;
	user_stack[5] = a5;
	regs->regs[29] = (unsigned long)user_stack;
	regs->cp0_status = KSU_USER;
	do_syscall(regs);
	return regs->regs[7] ? -(long)regs->regs[2] : (long)regs->regs[2];
}

/* A 64-bit file position after three words: a3 is padding, the position is the aligned pair on
 * the stack (big-endian: the high word first). */
#define sc_pos(nr, fd, b, n, pos) sc(nr, fd, b, n, 0, (long)((u64)(pos) >> 32), (long)(pos))
#endif

struct jmpbuf {
	unsigned long r[13];
};
int hsetjmp(struct jmpbuf *j);
__noreturn void hlongjmp(struct jmpbuf *j, int v);

/* string helpers the kernel itself does not need */
static char *strstr(const char *h, const char *n)
{
	size_t len = strlen(n);

	for (; *h; h++)
		if (!strncmp(h, n, len))
			return (char *)h;
	return len ? NULL : (char *)h;
}

static char *strcat(char *d, const char *s)
{
	strscpy(d + strlen(d), s, ~0UL >> 1);
	return d;
}

/* ---- the machine around the kernel ---- */

#define HEAP_SIZE (24UL << 20)
char __heap_start[HEAP_SIZE] __aligned(65536);
u64 harness_counter;

static void out(const char *s)
{
	host_syscall(HOST_NR_write, 1, (long)s, strlen(s));
}

static __printf(1, 2) void hprintf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	out(buf);
}

static __noreturn void host_exit(int code)
{
	for (;;)
		host_syscall(HOST_NR_exit_group, code, 0, 0);
}

/* UART: output captured, input fed by the tests. */
static char uart_out[8192];
static size_t uart_out_len;
static char uart_in[256];
static size_t uart_in_len, uart_in_pos;

static u32 pl031_imsc = 0xff;

void harness_mmio_write(unsigned long addr, u32 val)
{
	if (addr == UART_BASE && uart_out_len < sizeof(uart_out) - 1)
		uart_out[uart_out_len++] = (char)val;
	if (addr == PL031_BASE + 0x10)
		pl031_imsc = val;
}

/* The PL031: a counter stopped at RTC_NOW (2026-06-13T12:34:56Z), its PrimeCell ID bytes. */
#define RTC_NOW 1781354096U
static const unsigned char pl031_id[8] = { 0x31, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

u32 harness_mmio_read(unsigned long addr)
{
	if (addr >= PL031_BASE + 0xfe0 && addr < PL031_BASE + 0x1000)
		return pl031_id[(addr - PL031_BASE - 0xfe0) / 4];
	if (addr == PL031_BASE)
		return RTC_NOW;
	if (addr == PL031_BASE + 0x0c)
		return 1;	/* RTC_CR: started */
	if (addr == UART_BASE)
		return uart_in_pos < uart_in_len ? (unsigned char)uart_in[uart_in_pos++] : 0;
	if (addr == UART_BASE + 0x18)
		return (uart_in_pos < uart_in_len ? 0 : 0x10) | 0x80;
	hprintf("bad MMIO read at %lx\n", addr);
	host_exit(3);
}

static void feed(const char *s)
{
	uart_in_len = strlen(s);
	memcpy(uart_in, s, uart_in_len);
	uart_in_pos = 0;
}

/* printk: the log is kept for assertions. */
static char dmesg[16384];
static size_t dmesg_len;

/* ---- host-backed file systems: a small fixed tree with dynamic directories ----
 * events/kprobes and events/kprobes/myprobe exist at the host while kprobe_events has a line;
 * as the TypeScript tracing layer does, writing the first line also makes them eventfs
 * directories of the guest (eventfs_create_dir) and truncating the file removes them.
 * events/ghost is a directory the host has but eventfs was never told about. */

struct hnode {
	int fs, id, parent;
	const char *name;
	unsigned int mode;
	char data[256];
	size_t size;
};

static struct hnode hnodes[] = {
	{ HOSTFS_PROC, 1, 0, "", S_IFDIR | 0555 },
	{ HOSTFS_PROC, 2, 1, "version", S_IFREG | 0444 },
	{ HOSTFS_SYSFS, 1, 0, "", S_IFDIR | 0755 },
	{ HOSTFS_SYSFS, 2, 1, "kernel", S_IFDIR | 0755 },
	{ HOSTFS_SYSFS, 3, 2, "tracing", S_IFDIR | 0700 },
	{ HOSTFS_SYSFS, 4, 2, "debug", S_IFDIR | 0700 },
	{ HOSTFS_DEBUGFS, 1, 0, "", S_IFDIR | 0700 },
	{ HOSTFS_DEBUGFS, 2, 1, "tracing", S_IFDIR | 0700 },
	{ HOSTFS_TRACEFS, 1, 0, "", S_IFDIR | 0700 },
	{ HOSTFS_TRACEFS, 2, 1, "kprobe_events", S_IFREG | 0644 },
	{ HOSTFS_TRACEFS, 3, 1, "trace", S_IFREG | 0644 },
	{ HOSTFS_TRACEFS, 4, 1, "events", S_IFDIR | 0755 },
	{ HOSTFS_TRACEFS, 5, 4, "kprobes", S_IFDIR | 0755 },	/* only while a probe exists */
	{ HOSTFS_TRACEFS, 6, 1, "options", S_IFDIR | 0755 },
	{ HOSTFS_TRACEFS, 7, 1, "per_cpu", S_IFDIR | 0755 },
	{ HOSTFS_TRACEFS, 8, 7, "cpu0", S_IFDIR | 0755 },
	{ HOSTFS_TRACEFS, 9, 5, "myprobe", S_IFDIR | 0755 },	/* only while a probe exists */
	{ HOSTFS_TRACEFS, 10, 9, "enable", S_IFREG | 0644 },
	{ HOSTFS_TRACEFS, 11, 5, "enable", S_IFREG | 0644 },
	{ HOSTFS_TRACEFS, 12, 4, "ghost", S_IFDIR | 0755 },
	{ HOSTFS_TRACEFS, 13, 4, "enable", S_IFREG | 0644 },
};

static struct eventfs_inode *kprobes_ei;

static bool probe_enabled;	/* makes truncating kprobe_events fail with -EBUSY */
static int open_handles;

static struct hnode *hfind(int fs, int id)
{
	for (unsigned i = 0; i < ARRAY_SIZE(hnodes); i++)
		if (hnodes[i].fs == fs && hnodes[i].id == id)
			return &hnodes[i];
	return NULL;
}

static bool hvisible(const struct hnode *n)
{
	if (n->fs == HOSTFS_TRACEFS && (n->id == 5 || n->id == 9 || n->id == 10 || n->id == 11))
		return hfind(HOSTFS_TRACEFS, 2)->size > 0;
	return true;
}

static struct {
	struct hnode *node;
	bool used;
} handles[32];

static long hostfs_op(unsigned long op, unsigned long a1, unsigned long a2, unsigned long a3,
		      unsigned long a4, unsigned long a5)
{
	switch (op) {
	case HOSTFS_LOOKUP:
		for (unsigned i = 0; i < ARRAY_SIZE(hnodes); i++) {
			struct hnode *n = &hnodes[i];

			if (n->fs == (int)a1 && n->parent == (int)a2 && strlen(n->name) == a4 &&
			    !memcmp(n->name, (const char *)a3, a4) && hvisible(n))
				return n->id;
		}
		return -ENOENT;
	case HOSTFS_GETATTR: {
		struct hnode *n = hfind(a1, a2);
		struct hostfs_attr *attr = (void *)a3;

		if (!n || !hvisible(n))
			return -ENOENT;
		attr->mode = n->mode;
		attr->pad = 0;
		attr->size = n->size;
		return 0;
	}
	case HOSTFS_OPEN: {
		struct hnode *n = hfind(a1, a2);

		if (!n || !hvisible(n))
			return -ENOENT;
		if (n->fs == HOSTFS_TRACEFS && n->id == 2 && (a3 & O_TRUNC)) {
			if (probe_enabled)
				return -EBUSY;
			n->size = 0;
			eventfs_remove_dir(kprobes_ei);	/* the tracing layer's hook */
			kprobes_ei = NULL;
		}
		for (unsigned h = 0; h < ARRAY_SIZE(handles); h++) {
			if (!handles[h].used) {
				handles[h].used = true;
				handles[h].node = n;
				open_handles++;
				return h + 1;
			}
		}
		return -ENFILE;
	}
	case HOSTFS_READ: {
		struct hnode *n = handles[a1 - 1].node;
		size_t pos = a4, count = a3;

		if (S_ISDIR(n->mode))
			return -EISDIR;
		if (pos >= n->size)
			return 0;
		if (count > n->size - pos)
			count = n->size - pos;
		memcpy((void *)a2, n->data + pos, count);
		return count;
	}
	case HOSTFS_WRITE: {
		struct hnode *n = handles[a1 - 1].node;

		if (!(n->fs == HOSTFS_TRACEFS && n->id == 2))
			return -EINVAL;
		if (a3 >= 3 && !memcmp((const char *)a2, "bad", 3))
			return -EINVAL;
		if (n->size + a3 > sizeof(n->data))
			return -ENOSPC;
		memcpy(n->data + n->size, (const void *)a2, a3);
		n->size += a3;
		if (!kprobes_ei && n->size) {
			/* The tracing layer's hook: the new system's and event's directories. */
			kprobes_ei = eventfs_create_dir("kprobes", global_trace.event_dir);
			if (IS_ERR(kprobes_ei) || IS_ERR(eventfs_create_dir("myprobe", kprobes_ei))) {
				out("eventfs_create_dir failed\n");
				host_exit(3);
			}
		}
		return a3;
	}
	case HOSTFS_GETDENTS: {
		struct hnode *dir = handles[a1 - 1].node;
		u64 *posp = (u64 *)a4;
		char *buf = (char *)a2;
		size_t used = 0;
		const char *names[16];
		int ids[16], types[16], n = 0;

		names[n] = ".";
		ids[n] = dir->id;
		types[n++] = DT_DIR;
		names[n] = "..";
		ids[n] = dir->parent ? dir->parent : dir->id;
		types[n++] = DT_DIR;
		for (unsigned i = 0; i < ARRAY_SIZE(hnodes); i++) {
			struct hnode *c = &hnodes[i];

			if (c->fs == dir->fs && c->parent == dir->id && hvisible(c)) {
				names[n] = c->name;
				ids[n] = c->id;
				types[n++] = S_DT(c->mode);
			}
		}
		while (*posp < (u64)n) {
			int i = *posp;
			size_t len = strlen(names[i]);
			size_t reclen = ALIGN(19 + len + 1, 8);
			struct linux_dirent64 *d = (void *)(buf + used);

			if (used + reclen > a3)
				break;
			memset(d, 0, reclen);
			d->d_ino = ids[i];
			d->d_off = i + 1;
			d->d_reclen = reclen;
			d->d_type = types[i];
			memcpy(d->d_name, names[i], len);
			used += reclen;
			(*posp)++;
		}
		return used;
	}
	case HOSTFS_RELEASE:
		handles[a1 - 1].used = false;
		open_handles--;
		return 0;
	}
	(void)a5;
	return -EINVAL;
}

/* ---- hypercalls: the TypeScript half's part ---- */

static struct jmpbuf boot_jmp;
static struct jmpbuf *exit_jmp;
static struct task_struct *boot_init;
static void (*wait_hook)(void);
static int nr_waits, nr_yields;
static unsigned long brk_now = 0x500000;

static struct {
	char path[256];
	unsigned long regs, argv, envp, size;
	char head[16];
	int calls;
} last_exec;

/* ---- sysfs's nodes (HVC_KERNFS), as src/kernel/sysfs.ts keeps them ---- */

struct knode {
	int parent;
	int kind;		/* KERNFS_CREATE_DIR, _FILE or _LINK */
	char name[32];
	unsigned int mode;
	unsigned long kobj, attr;
	int target;
};
static struct knode knodes[128] = { [0] = { .parent = -1, .kind = KERNFS_CREATE_DIR } };
static int nr_knodes = 1;

static long kernfs_op(unsigned long op, unsigned long parent, const char *name, unsigned long a3,
		      unsigned long a4, unsigned long a5)
{
	struct knode *k;

	if ((int)parent >= nr_knodes || knodes[parent].kind != KERNFS_CREATE_DIR)
		return -ENOENT;
	for (int i = 1; i < nr_knodes; i++)
		if (knodes[i].parent == (int)parent && !strcmp(knodes[i].name, name))
			return -EEXIST;
	if (nr_knodes == ARRAY_SIZE(knodes) || strlen(name) >= sizeof(k->name))
		return -ENOMEM;
	k = &knodes[nr_knodes];
	k->parent = parent;
	k->kind = op;
	strscpy(k->name, name, sizeof(k->name));
	if (op == KERNFS_CREATE_DIR) {
		k->kobj = a3;
	} else if (op == KERNFS_CREATE_FILE) {
		k->mode = a3;
		k->kobj = a4;
		k->attr = a5;
	} else if (op == KERNFS_CREATE_LINK) {
		if ((int)a3 >= nr_knodes)
			return -ENOENT;
		k->target = a3;
	} else {
		return -EINVAL;
	}
	return nr_knodes++;
}

/* The node at a path below the root of sysfs ("class/rtc/rtc0/name"), following links; -1 if none. */
static int kfind(const char *path)
{
	int at = 0;

	while (*path) {
		const char *end = strchr(path, '/');
		size_t len = end ? (size_t)(end - path) : strlen(path);
		int found = -1;

		for (int i = 1; i < nr_knodes; i++)
			if (knodes[i].parent == at && strlen(knodes[i].name) == len &&
			    !memcmp(knodes[i].name, path, len))
				found = i;
		if (found < 0)
			return -1;
		while (knodes[found].kind == KERNFS_CREATE_LINK)
			found = knodes[found].target;
		at = found;
		path += len + (end ? 1 : 0);
	}
	return at;
}

long harness_hypercall(int imm, unsigned long a0, unsigned long a1, unsigned long a2,
		       unsigned long a3, unsigned long a4, unsigned long a5)
{
	switch (imm) {
	case HVC_BOOT_DONE:
		boot_init = (struct task_struct *)a0;
		hlongjmp(&boot_jmp, 1);
	case HVC_SCHEDULE:
		if (a0 == SCHED_EXITED) {
			if (!exit_jmp) {
				out("a task exited with nobody to catch it\n");
				host_exit(3);
			}
			hlongjmp(exit_jmp, 1);
		}
		if (a0 == SCHED_WAIT) {
			void (*hook)(void) = wait_hook;

			nr_waits++;
			wait_hook = NULL;
			if (hook)
				hook();
			return 0;
		}
		nr_yields++;
		return 0;
	case HVC_PRINTK:
		if (dmesg_len + a1 < sizeof(dmesg)) {
			memcpy(dmesg + dmesg_len, (const char *)a0, a1);
			dmesg_len += a1;
		}
		return 0;
	case HVC_PANIC:
		hprintf("PANIC: %s\n", (const char *)a0);
		host_exit(2);
	case HVC_HOSTFS:
		return hostfs_op(a0, a1, a2, a3, a4, a5);
	case HVC_KERNFS:
		return kernfs_op(a0, a1, (const char *)a2, a3, a4, a5);
	case HVC_EXEC:
		last_exec.calls++;
		strscpy(last_exec.path, (const char *)a0, sizeof(last_exec.path));
		last_exec.regs = a1;
		last_exec.argv = a2;
		last_exec.envp = a3;
		last_exec.size = a5;
		memcpy(last_exec.head, (const void *)a4, a5 < 16 ? a5 : 16);
		if (a5 < 4 || memcmp((const void *)a4, "\177ELF", 4))
			return -ENOEXEC;
		return 0;
	case HVC_MM:
		if (a0 == MM_BRK) {
			if (a1 >= 0x500000)
				brk_now = a1;
			return brk_now;
		}
		if (a0 == MM_MMAP)
			return MMAP_TOP - a1;
		return 0;
	}
	hprintf("unknown hypercall %d\n", imm);
	host_exit(3);
}

/* ---- system calls, as the exception entry makes them ---- */

static long sc6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct pt_regs *regs = current_pt_regs();

	long ret;

	memset(regs, 0, sizeof(*regs));
	ret = arch_syscall(regs, nr, a0, a1, a2, a3, a4, a5);
	/* exit_to_user_mode */
	if (signal_pending(current))
		do_notify_resume(regs);
	return ret;
}

#define sc(nr, ...) sc_(nr, ##__VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define sc_(nr, a, b, c, d, e, f, ...) \
	sc6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* Run fn as task t until it exits (schedule(SCHED_EXITED) lands here). */
static void run_as(struct task_struct *t, void (*fn)(long), long arg)
{
	struct task_struct *volatile saved = current_task;
	struct jmpbuf *volatile old = exit_jmp;
	struct jmpbuf j;

	current_task = t;
	if (!hsetjmp(&j)) {
		exit_jmp = &j;
		fn(arg);
	}
	exit_jmp = old;
	current_task = saved;
}

static void do_exit_group(long code)
{
	sc(__NR_exit_group, code);
	out("exit_group returned\n");
	host_exit(3);
}

static void do_getpid(long unused)
{
	sc(__NR_getpid);
}

/* ---- checks ---- */

static int tests, failures;

static void check_long(const char *what, long got, long want, int line)
{
	tests++;
	if (got == want)
		return;
	failures++;
	hprintf("not ok - line %d: %s: got %ld, want %ld\n", line, what, got, want);
}

static void check_str(const char *what, const char *got, const char *want, int line)
{
	tests++;
	if (got && !strcmp(got, want))
		return;
	failures++;
	hprintf("not ok - line %d: %s: got \"%s\", want \"%s\"\n", line, what, got ? got : "(null)",
		want);
}

#define CHECK(call, want) check_long(#call, (long)(call), (long)(want), __LINE__)
#define CHECK_STR(what, got, want) check_str(what, got, want, __LINE__)

static char buf[4096];

static long read_all(const char *path, char *dst, size_t size)
{
	long fd = sc(__NR_openat, AT_FDCWD, path, O_RDONLY, 0), n, total = 0;

	if (fd < 0)
		return fd;
	while ((n = sc(__NR_read, fd, dst + total, size - 1 - total)) > 0)
		total += n;
	dst[total] = '\0';
	sc(__NR_close, fd);
	return n < 0 ? n : total;
}

static long write_file(const char *path, const char *data, int flags, int mode)
{
	long fd = sc(__NR_openat, AT_FDCWD, path, O_WRONLY | O_CREAT | flags, mode), n;

	if (fd < 0)
		return fd;
	n = sc(__NR_write, fd, data, strlen(data));
	sc(__NR_close, fd);
	return n;
}

/* Names in a directory, sorted, space separated (getdents64 in small steps). */
static const char *list(const char *path)
{
	static char names[1024];
	char *entries[64];
	char dents[64];		/* small: forces several getdents64 calls and resumption */
	long fd = sc(__NR_openat, AT_FDCWD, path, O_RDONLY | O_DIRECTORY, 0), n;
	int count = 0;

	names[0] = '\0';
	if (fd < 0) {
		snprintf(names, sizeof(names), "error %ld", fd);
		return names;
	}
	static char pool[2048];
	size_t used = 0;

	while ((n = sc(__NR_getdents64, fd, dents, sizeof(dents))) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (void *)(dents + off);
			size_t len = strlen(d->d_name) + 1;

			if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") && count < 64) {
				memcpy(pool + used, d->d_name, len);
				entries[count++] = pool + used;
				used += len;
			}
			off += d->d_reclen;
		}
	}
	sc(__NR_close, fd);
	for (int i = 1; i < count; i++)
		for (int k = i; k > 0 && strcmp(entries[k - 1], entries[k]) > 0; k--) {
			char *t = entries[k];

			entries[k] = entries[k - 1];
			entries[k - 1] = t;
		}
	for (int i = 0; i < count; i++) {
		if (i)
			strcat(names, " ");
		strcat(names, entries[i]);
	}
	if (n < 0)
		snprintf(names, sizeof(names), "error %ld", n);
	return names;
}

static const char *cwd(void)
{
	static char b[256];
	long n = sc(__NR_getcwd, b, sizeof(b));

	if (n < 0)
		snprintf(b, sizeof(b), "error %ld", n);
	return b;
}

/* ---- the tests ---- */

static void test_boot(void)
{
	struct files_struct *files;

	CHECK(boot_init != NULL, 1);
	CHECK(current_task == boot_init, 1);
	CHECK(boot_init->pid, 1);
	CHECK(boot_init->tgid, 1);
	CHECK_STR("init comm", boot_init->comm, "init");
	CHECK(boot_init->__state, TASK_RUNNING);
	CHECK(boot_init->parent == &init_task, 1);
	files = boot_init->files;
	CHECK(files->fd[0] != NULL && files->fd[0] == files->fd[1] && files->fd[1] == files->fd[2], 1);
	CHECK(files->fd[3] == NULL, 1);
	CHECK(strstr(dmesg, "Linux version 6.12.0-kprobe") != NULL, 1);
	CHECK(strstr(dmesg, "error") == NULL, 1);
	CHECK(strstr(dmesg, "cannot mount") == NULL, 1);
}

static void test_console(void)
{
	uart_out_len = 0;
	CHECK(sc(__NR_write, 1, "hello\n", 6), 6);
	CHECK(sc(__NR_write, 2, "err", 3), 3);
	uart_out[uart_out_len] = '\0';
	CHECK_STR("uart output", uart_out, "hello\nerr");
	CHECK(sc(__NR_lseek, 1, 0, SEEK_SET), -ESPIPE);

	feed("ab\ncd");
	CHECK(sc(__NR_read, 0, buf, sizeof(buf)), 3);
	CHECK(memcmp(buf, "ab\n", 3), 0);
	CHECK(sc(__NR_read, 0, buf, sizeof(buf)), 2);
	nr_waits = 0;
	CHECK(sc(__NR_read, 0, buf, sizeof(buf)), 0);	/* empty: waits, resumed with nothing */
	CHECK(nr_waits, 1);
	feed("x\004y");
	CHECK(sc(__NR_read, 0, buf, sizeof(buf)), 1);	/* ^D pushes "x" */
	CHECK(sc(__NR_read, 0, buf, sizeof(buf)), 1);	/* "y" */
	feed("\004");
	CHECK(sc(__NR_read, 0, buf, sizeof(buf)), 0);	/* ^D alone: end of file */

	struct winsize ws;
	CHECK(sc(__NR_ioctl, 1, TIOCGWINSZ, &ws), 0);
	CHECK(ws.ws_col, 80);
	CHECK(sc(__NR_ioctl, 1, 0x1234, 0), -ENOTTY);
}

static void test_tree(void)
{
	CHECK_STR("ls /", list("/"), "bin dev etc home proc root sys tmp");
	CHECK_STR("ls /root", list("/root"), "blog dockerfile");
	CHECK_STR("ls /root/blog", list("/root/blog"), "hello.md");
	CHECK_STR("ls /dev", list("/dev"), "console null tty zero");
	CHECK_STR("ls /bin", list("/bin"), "");
	CHECK_STR("ls /home", list("/home"), "user");
	CHECK(read_all("/etc/hostname", buf, sizeof(buf)), 7);
	CHECK_STR("/etc/hostname", buf, "kprobe\n");
	CHECK(read_all("/etc/passwd", buf, sizeof(buf)) > 0, 1);
	CHECK(strncmp(buf, "root:x:0:0:", 11), 0);
	CHECK(read_all("/etc/os-release", buf, sizeof(buf)) > 0, 1);
	CHECK(strstr(buf, "kprobe") != NULL, 1);
	CHECK(read_all("/root/blog/hello.md", buf, sizeof(buf)) > 0, 1);

	struct harness_stat st;
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/tmp", &st, 0), 0);
	CHECK(st.st_mode, S_IFDIR | 01777);
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/dev/null", &st, 0), 0);
	CHECK(st.st_mode, S_IFCHR | 0666);
	CHECK(st.st_rdev, (1 << 8) | 3);
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/etc/hostname", &st, 0), 0);
	CHECK(st.st_size, 7);
	CHECK(st.st_nlink, 1);
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/root", &st, 0), 0);
	CHECK(st.st_nlink, 3);	/* ".", its entry, blog's ".." */

	long fd = sc(__NR_openat, AT_FDCWD, "/dev/null", O_RDWR);
	CHECK(sc(__NR_write, fd, "abc", 3), 3);
	CHECK(sc(__NR_read, fd, buf, 10), 0);
	sc(__NR_close, fd);
	fd = sc(__NR_openat, AT_FDCWD, "/dev/zero", O_RDONLY);
	buf[0] = 1;
	CHECK(sc(__NR_read, fd, buf, 16), 16);
	CHECK(buf[0] | buf[15], 0);
	sc(__NR_close, fd);
}

static void test_files(void)
{
	struct harness_stat st;
	long fd;

	CHECK(sc(__NR_chdir, "/tmp"), 0);
	CHECK_STR("cwd", cwd(), "/tmp");
	fd = sc(__NR_openat, AT_FDCWD, "t.txt", O_CREAT | O_TRUNC | O_RDWR, 0644);
	CHECK(fd, 3);
	CHECK(sc(__NR_write, fd, "hello, file\n", 12), 12);
	CHECK(sc(__NR_write, fd, "second line\n", 12), 12);
	CHECK(sc(__NR_lseek, fd, 0, SEEK_CUR), 24);
	CHECK(sc(__NR_lseek, fd, 0, SEEK_SET), 0);
	CHECK(sc(__NR_read, fd, buf, sizeof(buf)), 24);
	CHECK(memcmp(buf, "hello, file\nsecond line\n", 24), 0);
	CHECK(sc(__NR_read, fd, buf, sizeof(buf)), 0);
	CHECK(sc(__NR_lseek, fd, -5, SEEK_END), 19);
	CHECK(sc(__NR_lseek, fd, -1, SEEK_SET), -EINVAL);
	CHECK(sc(__NR_lseek, fd, 0, 7), -EINVAL);
	CHECK(sc(__NR_fstat, fd, &st), 0);
	CHECK(st.st_size, 24);
	CHECK(st.st_mode, S_IFREG | 0644);
	/* a hole past the end reads as zeros */
	CHECK(sc_pos(__NR_pwrite64, fd, "Z", 1, 100), 1);
	CHECK(sc_pos(__NR_pread64, fd, buf, 4, 96), 4);
	CHECK(buf[0] | buf[1] | buf[2], 0);
	CHECK(buf[3], 0);
	CHECK(sc(__NR_ftruncate, fd, 24), 0);
	CHECK(sc(__NR_fstat, fd, &st), 0);
	CHECK(st.st_size, 24);
	sc(__NR_close, fd);

	CHECK(write_file("t.txt", "third\n", O_APPEND, 0), 6);
	CHECK(read_all("t.txt", buf, sizeof(buf)), 30);
	CHECK(write_file("t.txt", "new\n", O_TRUNC, 0), 4);
	CHECK(read_all("/tmp/t.txt", buf, sizeof(buf)), 4);
	CHECK(sc(__NR_truncate, "t.txt", 2), 0);
	CHECK(read_all("t.txt", buf, sizeof(buf)), 2);

	/* umask applies to created files: 0666 & ~022 */
	CHECK(write_file("u.txt", "", 0, 0666), 0);
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "u.txt", &st, 0), 0);
	CHECK(st.st_mode, S_IFREG | 0644);

	CHECK(sc(__NR_mkdirat, AT_FDCWD, "d", 0755), 0);
	CHECK(write_file("d/inner.txt", "inner\n", 0, 0600), 6);
	CHECK(sc(__NR_mkdirat, AT_FDCWD, "d/sub/", 0755), 0);	/* a trailing slash is fine */
	CHECK_STR("ls /tmp", list("/tmp"), "d t.txt u.txt");
	CHECK_STR("ls /tmp/d", list("d"), "inner.txt sub");
	CHECK(sc(__NR_chdir, "d/sub"), 0);
	CHECK_STR("cwd", cwd(), "/tmp/d/sub");
	CHECK(sc(__NR_chdir, "../.././d/../.."), 0);
	CHECK_STR("cwd after ..", cwd(), "/");
	CHECK(sc(__NR_chdir, ".."), 0);
	CHECK_STR(".. of /", cwd(), "/");
	CHECK(read_all("/tmp/d/../t.txt", buf, sizeof(buf)), 2);
	CHECK(read_all("//tmp///d//inner.txt", buf, sizeof(buf)), 6);

	/* openat relative to a directory descriptor */
	long dfd = sc(__NR_openat, AT_FDCWD, "/tmp/d", O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0, 1);
	fd = sc(__NR_openat, dfd, "inner.txt", O_RDONLY);
	CHECK(sc(__NR_read, fd, buf, 6), 6);
	sc(__NR_close, fd);
	CHECK(sc(__NR_newfstatat, dfd, "", &st, AT_EMPTY_PATH), 0);
	CHECK(S_ISDIR(st.st_mode), 1);
	fd = sc(__NR_openat, AT_FDCWD, "/tmp/t.txt", O_RDONLY);
	CHECK(sc(__NR_openat, fd, "x", O_RDONLY), -ENOTDIR);
	CHECK(sc(__NR_openat, 77, "x", O_RDONLY), -EBADF);
	sc(__NR_close, fd);
	fd = sc(__NR_openat, 77, "/tmp/t.txt", O_RDONLY);
	CHECK(fd >= 0, 1);	/* absolute: dfd unused */
	sc(__NR_close, fd);
	sc(__NR_close, dfd);

	/* errors as Linux gives them */
	CHECK(sc(__NR_chdir, "/tmp"), 0);
	CHECK(sc(__NR_openat, AT_FDCWD, "missing", O_RDONLY), -ENOENT);
	CHECK(sc(__NR_openat, AT_FDCWD, ".", O_WRONLY), -EISDIR);
	CHECK(sc(__NR_openat, AT_FDCWD, ".", O_RDWR | O_CREAT, 0644), -EISDIR);
	CHECK(sc(__NR_openat, AT_FDCWD, "newdir/", O_RDWR | O_CREAT, 0644), -EISDIR);
	CHECK(sc(__NR_openat, AT_FDCWD, "t.txt/x", O_RDONLY), -ENOTDIR);
	CHECK(sc(__NR_openat, AT_FDCWD, "t.txt/", O_RDONLY), -ENOTDIR);
	CHECK(sc(__NR_openat, AT_FDCWD, "t.txt", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	CHECK(sc(__NR_openat, AT_FDCWD, "t.txt", O_RDWR | O_CREAT | O_EXCL, 0644), -EEXIST);
	CHECK(sc(__NR_openat, AT_FDCWD, "none/x", O_RDWR | O_CREAT, 0644), -ENOENT);
	CHECK(sc(__NR_openat, AT_FDCWD, "", O_RDONLY), -ENOENT);
	CHECK(sc(__NR_openat, AT_FDCWD, NULL, O_RDONLY), -EFAULT);
	CHECK(sc(__NR_openat, AT_FDCWD, KIMAGE_VADDR, O_RDONLY), -EFAULT);
	memset(buf, 'a', 300);
	buf[300] = '\0';
	CHECK(sc(__NR_openat, AT_FDCWD, buf, O_RDONLY), -ENAMETOOLONG);
	CHECK(sc(__NR_mkdirat, AT_FDCWD, "d", 0755), -EEXIST);
	CHECK(sc(__NR_mkdirat, AT_FDCWD, "/", 0755), -EEXIST);
	CHECK(sc(__NR_mkdirat, AT_FDCWD, "none/x", 0755), -ENOENT);
	CHECK(sc(__NR_unlinkat, AT_FDCWD, "d", AT_REMOVEDIR), -ENOTEMPTY);
	CHECK(sc(__NR_unlinkat, AT_FDCWD, "t.txt", AT_REMOVEDIR), -ENOTDIR);
	CHECK(sc(__NR_unlinkat, AT_FDCWD, ".", AT_REMOVEDIR), -EINVAL);
	CHECK(sc(__NR_unlinkat, AT_FDCWD, "d/..", AT_REMOVEDIR), -ENOTEMPTY);
	CHECK(sc(__NR_unlinkat, AT_FDCWD, "d", 0), -EISDIR);
	CHECK(sc(__NR_unlinkat, AT_FDCWD, "t.txt/", 0), -ENOTDIR);
	CHECK(sc(__NR_unlinkat, AT_FDCWD, "missing", 0), -ENOENT);
	CHECK(sc(__NR_unlinkat, AT_FDCWD, "t.txt", 0x1), -EINVAL);
	CHECK(sc(__NR_close, 99), -EBADF);
	CHECK(sc(__NR_close, -1), -EBADF);
	CHECK(sc(__NR_read, 99, buf, 1), -EBADF);
	CHECK(sc(__NR_write, 1, NULL, 5), -EFAULT);
	CHECK(sc(__NR_write, 1, NULL, 0), 0);
	CHECK(sc(__NR_write, 1, KIMAGE_VADDR, 4), -EFAULT);
	fd = sc(__NR_openat, AT_FDCWD, "t.txt", O_WRONLY);
	CHECK(sc(__NR_read, fd, buf, 1), -EBADF);
	CHECK(sc(__NR_getdents64, fd, buf, sizeof(buf)), -ENOTDIR);
	CHECK(sc(__NR_ftruncate, fd, -1), -EINVAL);
	sc(__NR_close, fd);
	fd = sc(__NR_openat, AT_FDCWD, "t.txt", O_RDONLY);
	CHECK(sc(__NR_write, fd, "x", 1), -EBADF);
	CHECK(sc(__NR_ftruncate, fd, 0), -EINVAL);
	sc(__NR_close, fd);
	fd = sc(__NR_openat, AT_FDCWD, "d", O_RDONLY);
	CHECK(sc(__NR_read, fd, buf, sizeof(buf)), -EISDIR);
	CHECK(sc(__NR_getdents64, fd, buf, 8), -EINVAL);	/* too small for "." */
	sc(__NR_close, fd);
	CHECK(sc(__NR_chdir, "t.txt"), -ENOTDIR);
	CHECK(sc(__NR_faccessat, AT_FDCWD, "t.txt", 0), 0);
	CHECK(sc(__NR_faccessat, AT_FDCWD, "t.txt", 1), -EACCES);
	CHECK(sc(__NR_faccessat, AT_FDCWD, "nope", 0), -ENOENT);

	/* an unlinked file stays readable while open */
	fd = sc(__NR_openat, AT_FDCWD, "t.txt", O_RDONLY);
	CHECK(sc(__NR_unlinkat, AT_FDCWD, "t.txt", 0), 0);
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "t.txt", &st, 0), -ENOENT);
	CHECK(sc(__NR_read, fd, buf, sizeof(buf)), 2);
	CHECK(sc(__NR_fstat, fd, &st), 0);
	CHECK(st.st_nlink, 0);
	sc(__NR_close, fd);

	/* a removed cwd */
	CHECK(sc(__NR_chdir, "d/sub"), 0);
	CHECK(sc(__NR_unlinkat, AT_FDCWD, "/tmp/d/sub", AT_REMOVEDIR), 0);
	CHECK(sc(__NR_getcwd, buf, sizeof(buf)), -ENOENT);
	CHECK(sc(__NR_openat, AT_FDCWD, "x", O_CREAT | O_RDWR, 0644), -ENOENT);
	CHECK(sc(__NR_chdir, "/tmp"), 0);
	CHECK(sc(__NR_getcwd, buf, 4), -ERANGE);
	CHECK(sc(__NR_getcwd, buf, 5), 5);

	CHECK(sc(__NR_unlinkat, AT_FDCWD, "d/inner.txt", 0), 0);
	CHECK(sc(__NR_unlinkat, AT_FDCWD, "d", AT_REMOVEDIR), 0);
	CHECK(sc(__NR_unlinkat, AT_FDCWD, "u.txt", 0), 0);
	CHECK_STR("ls /tmp at the end", list("/tmp"), "");
	CHECK(sc(__NR_chdir, "/"), 0);
}

static void test_fds(void)
{
	long fd;

	CHECK(sc(__NR_dup, 1), 3);
	CHECK(sc(__NR_dup3, 1, 10, O_CLOEXEC), 10);
	CHECK(sc(__NR_fcntl, 10, F_GETFD), FD_CLOEXEC);
	CHECK(sc(__NR_fcntl, 3, F_GETFD), 0);
	CHECK(sc(__NR_fcntl, 1, F_DUPFD, 5), 5);
	CHECK(sc(__NR_fcntl, 1, F_GETFL), O_RDWR);	/* filp_open adds no O_LARGEFILE */
	fd = sc(__NR_openat, AT_FDCWD, "/dev/null", O_RDONLY);
	/* openat does, on 64-bit kernels (force_o_largefile) */
	CHECK(sc(__NR_fcntl, fd, F_GETFL), O_RDONLY | (force_o_largefile() ? O_LARGEFILE : 0));
	CHECK(sc(__NR_fcntl, fd, F_SETFL, O_APPEND | O_RDWR), 0);
	CHECK(sc(__NR_fcntl, fd, F_GETFL),
	      O_RDONLY | (force_o_largefile() ? O_LARGEFILE : 0) | O_APPEND);
	sc(__NR_close, fd);
	CHECK(sc(__NR_dup3, 1, 1, 0), -EINVAL);
	CHECK(sc(__NR_dup3, 99, 4, 0), -EBADF);
	CHECK(sc(__NR_dup3, 1, 4, 0x1), -EINVAL);
	CHECK(sc(__NR_close, 3), 0);
	CHECK(sc(__NR_close, 5), 0);
	CHECK(sc(__NR_close, 10), 0);
	fd = sc(__NR_openat, AT_FDCWD, "/dev/null", O_RDONLY);
	CHECK(fd, 3);	/* the lowest free descriptor again */
	sc(__NR_close, fd);

	struct iovec iov[3] = { { "ab", 2 }, { "", 0 }, { "cd\n", 3 } };
	uart_out_len = 0;
	CHECK(sc(__NR_writev, 1, iov, 3), 5);
	uart_out[uart_out_len] = '\0';
	CHECK_STR("writev", uart_out, "abcd\n");
	CHECK(sc(__NR_writev, 1, iov, -1), -EINVAL);
	struct iovec bad = { NULL, 4 };
	CHECK(sc(__NR_writev, 1, &bad, 1), -EFAULT);

	/* EMFILE */
	long last = 0;
	for (int i = 0; i < NR_OPEN_MAX; i++) {
		last = sc(__NR_dup, 0);
		if (last < 0)
			break;
	}
	CHECK(last, -EMFILE);
	for (int i = 3; i < NR_OPEN_MAX; i++)
		sc(__NR_close, i);
}

static void test_hostfs(void)
{
	struct harness_stat st;
	long fd;

	CHECK_STR("ls /proc", list("/proc"), "version");
	strscpy(hfind(HOSTFS_PROC, 2)->data, "Linux version 6.12.0-kprobe\n", 256);
	hfind(HOSTFS_PROC, 2)->size = 28;
	CHECK(read_all("/proc/version", buf, sizeof(buf)), 28);
	CHECK_STR("ls /sys/kernel", list("/sys/kernel"), "debug tracing");
	CHECK_STR("ls tracefs", list("/sys/kernel/tracing"),
		  "events kprobe_events options per_cpu trace");
	CHECK_STR("ls events", list("/sys/kernel/tracing/events"), "enable");
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/sys/kernel/tracing/events/kprobes", &st, 0), -ENOENT);
	/* The host has events/ghost, but only eventfs says which event directories exist. */
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/sys/kernel/tracing/events/ghost", &st, 0), -ENOENT);
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/sys/kernel/tracing/events/enable", &st, 0), 0);
	/* The directories tracing keeps are pinned dentries: no LOOKUP once made. */
	CHECK(global_trace.options != NULL && (global_trace.options->d_flags & DCACHE_PINNED), 1);
	CHECK(global_trace.cpu_dir[0] != NULL && global_trace.cpu_dir[0]->d_parent ==
	      global_trace.percpu_dir, 1);
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/sys/kernel/tracing/per_cpu/cpu0", &st, 0), 0);
	CHECK(st.st_ino, 8);

	/* Writing a probe line makes events/kprobes appear: nothing is cached. */
	fd = sc(__NR_openat, AT_FDCWD, "/sys/kernel/tracing/kprobe_events", O_WRONLY | O_APPEND);
	CHECK(fd >= 0, 1);
	CHECK(sc(__NR_write, fd, "p:myprobe do_sys_openat2\n", 25), 25);
	CHECK(sc(__NR_write, fd, "bad line\n", 9), -EINVAL);
	sc(__NR_close, fd);
	CHECK(read_all("/sys/kernel/tracing/kprobe_events", buf, sizeof(buf)), 25);
	CHECK_STR("ls events", list("/sys/kernel/tracing/events"), "enable kprobes");
	CHECK_STR("ls events/kprobes", list("/sys/kernel/tracing/events/kprobes"), "enable myprobe");
	CHECK_STR("ls event", list("/sys/kernel/tracing/events/kprobes/myprobe"), "enable");
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/sys/kernel/tracing/kprobe_events", &st, 0), 0);
	CHECK(st.st_size, 25);
	CHECK(st.st_mode, S_IFREG | 0644);
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/sys/kernel/tracing/events/kprobes", &st, 0), 0);
	CHECK(st.st_ino, 5);
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/sys/kernel/tracing/events/kprobes/myprobe/enable",
		 &st, 0), 0);
	CHECK(st.st_ino, 10);

	/* A cwd inside keeps its dentry cached; when the host drops the node, lookups see it. */
	CHECK(sc(__NR_chdir, "/sys/kernel/tracing/events/kprobes"), 0);
	CHECK_STR("cwd in tracefs", cwd(), "/sys/kernel/tracing/events/kprobes");
	probe_enabled = true;
	CHECK(write_file("/sys/kernel/tracing/kprobe_events", "", O_TRUNC, 0), -EBUSY);
	probe_enabled = false;
	CHECK(write_file("/sys/kernel/tracing/kprobe_events", "", O_TRUNC, 0), 0);
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/sys/kernel/tracing/events/kprobes", &st, 0), -ENOENT);
	CHECK(sc(__NR_chdir, "../.."), 0);
	CHECK_STR("cwd after .. in tracefs", cwd(), "/sys/kernel/tracing");
	CHECK(sc(__NR_chdir, ".."), 0);	/* out of the tracefs mount into sysfs */
	CHECK_STR("cwd crossing a mount up", cwd(), "/sys/kernel");
	CHECK(sc(__NR_chdir, "../.."), 0);
	CHECK_STR("cwd back at /", cwd(), "/");

	/* No creation in host file systems: as kernfs/tracefs without ->create/->mkdir. */
	CHECK(sc(__NR_openat, AT_FDCWD, "/sys/kernel/tracing/newfile", O_CREAT | O_WRONLY, 0644),
	      -EACCES);
	CHECK(sc(__NR_mkdirat, AT_FDCWD, "/sys/kernel/tracing/newdir", 0755), -EPERM);
	CHECK(sc(__NR_unlinkat, AT_FDCWD, "/sys/kernel/tracing/trace", 0), -EPERM);
	CHECK(sc(__NR_openat, AT_FDCWD, "/sys/kernel/tracing/events", O_WRONLY), -EISDIR);

	/* debugfs: mounted on demand over the empty sysfs directory */
	CHECK_STR("ls debug", list("/sys/kernel/debug"), "");
	CHECK(sc(__NR_mount, "nodev", "/sys/kernel/debug", "debugfs", 0, NULL), 0);
	CHECK_STR("ls debugfs", list("/sys/kernel/debug"), "tracing");
	CHECK(sc(__NR_chdir, "/sys/kernel/debug/tracing"), 0);
	CHECK(sc(__NR_umount2, "/sys/kernel/debug", 0), -EBUSY);
	CHECK(sc(__NR_chdir, "/"), 0);
	CHECK(sc(__NR_umount2, "/sys/kernel", 0), -EINVAL);	/* not a mount point */
	CHECK(sc(__NR_umount2, "/sys/kernel/debug", 0), 0);
	CHECK_STR("ls debug after umount", list("/sys/kernel/debug"), "");
	CHECK(sc(__NR_mount, "x", "/sys/kernel/debug", "nosuchfs", 0, NULL), -ENODEV);
	CHECK(sc(__NR_mount, "x", "/etc/hostname", "tmpfs", 0, NULL), -ENOTDIR);
	CHECK(sc(__NR_mount, "x", "/nowhere", "tmpfs", 0, NULL), -ENOENT);
	CHECK(sc(__NR_umount2, "/", 0), -EINVAL);

	/* A tmpfs on /tmp/m: files live and die with the mount. */
	CHECK(sc(__NR_mkdirat, AT_FDCWD, "/tmp/m", 0755), 0);
	CHECK(sc(__NR_mount, "none", "/tmp/m", "tmpfs", 0, NULL), 0);
	CHECK(write_file("/tmp/m/f", "data", 0, 0644), 4);
	CHECK(sc(__NR_mkdirat, AT_FDCWD, "/tmp/m/sub", 0755), 0);
	CHECK(write_file("/tmp/m/sub/g", "more", 0, 0644), 4);
	CHECK_STR("ls tmpfs", list("/tmp/m"), "f sub");
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/tmp/m/sub/../f", &st, 0), 0);
	CHECK(sc(__NR_unlinkat, AT_FDCWD, "/tmp/m", AT_REMOVEDIR), -EBUSY);
	fd = sc(__NR_openat, AT_FDCWD, "/tmp/m/f", O_RDONLY);
	CHECK(sc(__NR_umount2, "/tmp/m", 0), -EBUSY);
	sc(__NR_close, fd);
	CHECK(sc(__NR_umount2, "/tmp/m", 0), 0);
	CHECK_STR("ls after umount", list("/tmp/m"), "");
	CHECK(sc(__NR_unlinkat, AT_FDCWD, "/tmp/m", AT_REMOVEDIR), 0);
	CHECK(open_handles, 0);
}

static void test_tasks(void)
{
	struct task_struct *init = current_task, *child, *grandchild;
	long pid, pid2, status = 0;

	CHECK(sc(__NR_getpid), 1);
	CHECK(sc(__NR_getppid), 0);
	CHECK(sc(__NR_gettid), 1);
	CHECK(sc(__NR_getuid), 0);
	CHECK(sc(__NR_wait4, -1, &status, 0, NULL), -ECHILD);

	pid = sc(__NR_clone, SIGCHLD, 0, 0, 0, 0);
	CHECK(pid, 2);
	child = find_task_by_vpid(pid);
	CHECK(child != NULL, 1);
	CHECK(child->parent == init, 1);
	CHECK_STR("child comm", child->comm, "init");
	CHECK(child->__state, TASK_RUNNING);
	CHECK(child->files != init->files && child->files->fd[1] == init->files->fd[1], 1);
	CHECK(child->fs != init->fs, 1);
	CHECK(sc(__NR_wait4, pid, &status, WNOHANG, NULL), 0);
	CHECK(sc(__NR_wait4, 99, &status, 0, NULL), -ECHILD);
	CHECK(sc(__NR_wait4, -1, &status, 0x100, NULL), -EINVAL);

	/* The child, running: getpid/getppid from its side. */
	current_task = child;
	CHECK(sc(__NR_getpid), 2);
	CHECK(sc(__NR_getppid), 1);
	uart_out_len = 0;
	CHECK(sc(__NR_write, 1, "child\n", 6), 6);	/* inherited console */
	current_task = init;

	run_as(child, do_exit_group, 7);
	CHECK(child->__state, EXIT_ZOMBIE);
	CHECK(child->exit_code, 7 << 8);
	CHECK(child->files == NULL && child->fs == NULL, 1);
	CHECK(sc(__NR_wait4, -1, &status, 0, NULL), pid);
	CHECK(status, 0x700);
	CHECK(find_task_by_vpid(pid) == NULL, 1);
	CHECK(sc(__NR_wait4, -1, &status, 0, NULL), -ECHILD);

	/* A blocking wait4: the child exits while the parent sleeps. */
	pid = sc(__NR_clone, SIGCHLD, 0, 0, 0, 0);
	CHECK(pid, 3);
	void exit_waiting_child(void);
	wait_hook = exit_waiting_child;
	nr_waits = 0;
	CHECK(sc(__NR_wait4, pid, &status, 0, NULL), pid);
	CHECK(nr_waits, 1);
	CHECK(status, 0);
	CHECK(init->__state, TASK_RUNNING);

	/* Orphans go to init; kill's default action ends a task with the signal as status. */
	pid = sc(__NR_clone, SIGCHLD, 0, 0, 0, 0);
	child = find_task_by_vpid(pid);
	current_task = child;
	pid2 = sc(__NR_clone, SIGCHLD, 0, 0, 0, 0);
	grandchild = find_task_by_vpid(pid2);
	current_task = init;
	CHECK(grandchild->parent == child, 1);
	run_as(child, do_exit_group, 0);
	CHECK(grandchild->parent == init, 1);
	CHECK(sc(__NR_kill, pid2, SIGTERM), 0);
	CHECK(sc(__NR_kill, pid2, 0), 0);
	CHECK(sc(__NR_kill, 999, 0), -ESRCH);
	CHECK(sc(__NR_kill, pid2, _NSIG + 1), -EINVAL);	/* 64 signals on arm64, 128 on mips */
	CHECK(sc(__NR_kill, 1, SIGTERM), 0);	/* init ignores it */
	CHECK(signal_pending(init), 0);
	run_as(grandchild, do_getpid, 0);	/* its next return to user mode */
	CHECK(grandchild->__state, EXIT_ZOMBIE);
	CHECK(sc(__NR_wait4, pid2, &status, 0, NULL), pid2);
	CHECK(status, SIGTERM);
	CHECK(sc(__NR_wait4, -1, &status, 0, NULL), pid);
	CHECK(sc(__NR_wait4, -1, &status, WNOHANG, NULL), -ECHILD);

	/* set_tid_address and CLONE_CHILD_CLEARTID */
	CHECK(sc(__NR_set_tid_address, NULL), 1);
	CHECK(sc(__NR_clone, CLONE_FS | CLONE_NEWNS, 0, 0, 0, 0), -EINVAL);
	CHECK(sc(__NR_clone, CLONE_THREAD, 0, 0, 0, 0), -EINVAL);
	CHECK(sc(__NR_sched_yield), 0);
}

void exit_waiting_child(void)
{
	run_as(find_task_by_vpid(3), do_exit_group, 0);
}

static void test_exec(void)
{
	struct task_struct *init = current_task;
	const char *argv[] = { "prog", "one", NULL };
	long pid, status, fd;

	CHECK(write_file("/tmp/prog", "\177ELF-not-really-but-enough", 0, 0755), 26);
	CHECK(write_file("/tmp/text", "plain", 0, 0644), 5);
	CHECK(write_file("/tmp/script", "#!/bin/sh\n", 0, 0755), 10);
	pid = sc(__NR_clone, SIGCHLD, 0, 0, 0, 0);
	current_task = find_task_by_vpid(pid);
	fd = sc(__NR_openat, AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC);
	CHECK(fd, 3);
	last_exec.calls = 0;
	CHECK(sc(__NR_execve, "/tmp/text", argv, NULL), -EACCES);
	CHECK(sc(__NR_execve, "/tmp", argv, NULL), -EACCES);
	CHECK(sc(__NR_execve, "/tmp/none", argv, NULL), -ENOENT);
	CHECK(sc(__NR_execve, NULL, argv, NULL), -EFAULT);
	CHECK(last_exec.calls, 0);
	CHECK(sc(__NR_execve, "/tmp/script", argv, NULL), -ENOEXEC);
	CHECK_STR("comm after a failed exec", current->comm, "init");
	CHECK(sc(__NR_chdir, "/tmp"), 0);
	CHECK(sc(__NR_execve, "./prog", argv, NULL), 0);
	CHECK_STR("exec path", last_exec.path, "/tmp/prog");
	CHECK(last_exec.size, 26);
	CHECK(memcmp(last_exec.head, "\177ELF-not", 8), 0);
	CHECK(last_exec.argv, (long)argv);
	CHECK(last_exec.regs, (long)current_pt_regs());
	CHECK_STR("comm after exec", current->comm, "prog");
	CHECK(current->files->fd[3] == NULL, 1);	/* O_CLOEXEC closed */
	run_as(current, do_exit_group, 0);
	current_task = init;
	CHECK(sc(__NR_wait4, pid, &status, 0, NULL), pid);
	CHECK(sc(__NR_chdir, "/"), 0);
	sc(__NR_unlinkat, AT_FDCWD, "/tmp/prog", 0);
	sc(__NR_unlinkat, AT_FDCWD, "/tmp/text", 0);
	sc(__NR_unlinkat, AT_FDCWD, "/tmp/script", 0);
}

static void test_misc(void)
{
	struct new_utsname u;
	struct __kernel_timespec t1, t2;

	CHECK(sc(__NR_uname, &u), 0);
	CHECK_STR("sysname", u.sysname, "Linux");
	CHECK_STR("release", u.release, "6.12.0-kprobe");
	CHECK_STR("machine", u.machine, UTS_MACHINE);
	CHECK_STR("nodename", u.nodename, "kprobe");
	CHECK(sc(__NR_uname, NULL), -EFAULT);
	CHECK(sc(__NR_sethostname, "guest", 5), 0);
	sc(__NR_uname, &u);
	CHECK_STR("nodename after sethostname", u.nodename, "guest");
	sc(__NR_sethostname, "kprobe", 6);

	CHECK(sc(__NR_clock_gettime, CLOCK_MONOTONIC, &t1), 0);
	CHECK(sc(__NR_clock_gettime, CLOCK_MONOTONIC, &t2), 0);
	CHECK(t2.tv_sec * 1000000000L + t2.tv_nsec > t1.tv_sec * 1000000000L + t1.tv_nsec, 1);
	CHECK(sc(__NR_clock_gettime, 99, &t1), -EINVAL);

	CHECK(sc(__NR_brk, 0), 0x500000);
	CHECK(sc(__NR_brk, 0x520000), 0x520000);
	CHECK(sc(__NR_mmap, 0, 8192, 3, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), MMAP_TOP - 8192);
	CHECK(sc(__NR_mmap, 0, 0, 3, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -EINVAL);
	CHECK(sc(__NR_mmap, 0, 4096, 3, MAP_PRIVATE, 99, 0), -EBADF);
	CHECK(sc(__NR_mmap, 0, 4096, 3, MAP_PRIVATE, 0, 0), -ENODEV);
	CHECK(sc(__NR_munmap, 0x1001, 4096), -EINVAL);

	CHECK(sc(999), -ENOSYS);
	CHECK(sc(1), -ENOSYS);

	CHECK(kprobe_target(10), 3);
	CHECK(kprobe_target2(10), 4);
	CHECK(kprobe_recursed_target(100), 33);
	CHECK(kprobe_trace_selftest_target(1, 2, 3, 4, 5, 6), 21);
}

static void test_more_fs(void)
{
	static char big[20000], back[20000];
	struct harness_stat st;
	long fd;

	/* A file growing over several pages, read back in odd-sized pieces. */
	for (unsigned i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + i / 251);
	fd = sc(__NR_openat, AT_FDCWD, "/tmp/big", O_CREAT | O_RDWR, 0644);
	CHECK(sc(__NR_write, fd, big, 5000), 5000);
	CHECK(sc(__NR_write, fd, big + 5000, sizeof(big) - 5000), sizeof(big) - 5000);
	CHECK(sc(__NR_lseek, fd, 0, SEEK_SET), 0);
	long got = 0, n;
	while ((n = sc(__NR_read, fd, back + got, 3333)) > 0)
		got += n;
	CHECK(got, sizeof(big));
	CHECK(memcmp(big, back, sizeof(big)), 0);
	struct iovec iov[2] = { { back, 10 }, { back + 10, 20 } };
	CHECK(sc(__NR_lseek, fd, 100, SEEK_SET), 100);
	CHECK(sc(__NR_readv, fd, iov, 2), 30);
	CHECK(memcmp(back, big + 100, 30), 0);
	CHECK(sc(__NR_lseek, fd, 0, SEEK_DATA), 0);
	CHECK(sc(__NR_lseek, fd, 0, SEEK_HOLE), sizeof(big));
	CHECK(sc(__NR_lseek, fd, sizeof(big), SEEK_DATA), -ENXIO);
	sc(__NR_close, fd);
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/tmp/big", &st, 0), 0);
	CHECK(st.st_blocks, (sizeof(big) + 511) / 512);
	CHECK(sc(__NR_unlinkat, AT_FDCWD, "/tmp/big", 0), 0);

	/* mknodat: a device node and a plain file */
	CHECK(sc(__NR_mknodat, AT_FDCWD, "/tmp/mynull", S_IFCHR | 0666, (1 << 8) | 3), 0);
	fd = sc(__NR_openat, AT_FDCWD, "/tmp/mynull", O_WRONLY);
	CHECK(sc(__NR_write, fd, "gone", 4), 4);
	sc(__NR_close, fd);
	CHECK(sc(__NR_mknodat, AT_FDCWD, "/tmp/nodev", S_IFCHR | 0666, (42 << 8) | 1), 0);
	CHECK(sc(__NR_openat, AT_FDCWD, "/tmp/nodev", O_RDONLY), -ENXIO);
	CHECK(sc(__NR_mknodat, AT_FDCWD, "/tmp/plain", 0644, 0), 0);
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/tmp/plain", &st, 0), 0);
	CHECK(st.st_mode, S_IFREG | 0644);
	CHECK(sc(__NR_mknodat, AT_FDCWD, "/tmp/d2", S_IFDIR | 0755, 0), -EPERM);
	CHECK(sc(__NR_mknodat, AT_FDCWD, "/tmp/plain", 0644, 0), -EEXIST);
	sc(__NR_unlinkat, AT_FDCWD, "/tmp/mynull", 0);
	sc(__NR_unlinkat, AT_FDCWD, "/tmp/nodev", 0);
	sc(__NR_unlinkat, AT_FDCWD, "/tmp/plain", 0);

	/* Rewinding a directory lists it again. */
	char dents[512];
	fd = sc(__NR_openat, AT_FDCWD, "/root", O_RDONLY | O_DIRECTORY);
	long first = sc(__NR_getdents64, fd, dents, sizeof(dents));
	CHECK(first > 0, 1);
	CHECK(sc(__NR_getdents64, fd, dents, sizeof(dents)), 0);
	CHECK(sc(__NR_lseek, fd, 0, SEEK_SET), 0);
	CHECK(sc(__NR_getdents64, fd, dents, sizeof(dents)), first);
	struct linux_dirent64 *d = (void *)dents;
	CHECK_STR("first entry", d->d_name, ".");
	CHECK(d->d_off, 1);
	CHECK(d->d_type, DT_DIR);
	sc(__NR_close, fd);
}

/* Threads: same tgid, reap themselves, are not wait4's business. */
static void test_threads(void)
{
	struct task_struct *init = current_task, *thread;
	unsigned long before = nr_free_pages();
	long tid, status;
	int cleartid = 1234;

	tid = sc(__NR_clone, CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
		 CLONE_CHILD_CLEARTID | CLONE_PARENT_SETTID, 0, &status, 0, &cleartid);
	CHECK(tid > 1, 1);
	CHECK(status, tid);	/* CLONE_PARENT_SETTID */
	thread = find_task_by_vpid(tid);
	CHECK(thread->tgid, 1);
	CHECK(thread->exit_signal, -1);
	CHECK(thread->files == init->files, 1);
	CHECK(thread->fs == init->fs, 1);
	current_task = thread;
	CHECK(sc(__NR_getpid), 1);
	CHECK(sc(__NR_gettid), tid);
	current_task = init;
	CHECK(sc(__NR_wait4, -1, &status, WNOHANG, NULL), -ECHILD);
	run_as(thread, do_exit_group, 0);
	CHECK(cleartid, 0);
	CHECK(find_task_by_vpid(tid) == NULL, 1);
	CHECK(init->files != NULL && init->files->fd[1] != NULL, 1);	/* still shared, still open */
	long pid = sc(__NR_clone, SIGCHLD, 0, 0, 0, 0);	/* frees the dead thread */
	run_as(find_task_by_vpid(pid), do_exit_group, 0);
	CHECK(sc(__NR_wait4, pid, NULL, 0, NULL), pid);
	CHECK(nr_free_pages(), before);
}

/* Symbolic and hard links in ramfs; host-backed file systems have neither. */
static void test_links(void)
{
	unsigned long before = nr_free_pages();
	struct harness_stat st;
	char b[64];
	long fd;

	CHECK(write_file("/tmp/target", "data", 0, 0644), 4);
	CHECK(sc(__NR_symlinkat, "target", AT_FDCWD, "/tmp/sym"), 0);
	CHECK(sc(__NR_symlinkat, "/tmp", AT_FDCWD, "/tmp/abs"), 0);
	CHECK(sc(__NR_symlinkat, "abs/sym", AT_FDCWD, "/tmp/nested"), 0);
	CHECK(sc(__NR_readlinkat, AT_FDCWD, "/tmp/sym", b, sizeof(b)), 6);
	CHECK(memcmp(b, "target", 6), 0);
	CHECK(sc(__NR_readlinkat, AT_FDCWD, "/tmp/sym", b, 3), 3);
	CHECK(sc(__NR_readlinkat, AT_FDCWD, "/tmp/target", b, sizeof(b)), -EINVAL);
	CHECK(read_all("/tmp/sym", buf, sizeof(buf)), 4);
	CHECK(read_all("/tmp/abs/abs/sym", buf, sizeof(buf)), 4);	/* links in the middle */
	CHECK(read_all("/tmp/nested", buf, sizeof(buf)), 4);	/* a link in a link's body */
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/tmp/sym", &st, AT_SYMLINK_NOFOLLOW), 0);
	CHECK(st.st_mode, S_IFLNK | 0777);
	CHECK(st.st_size, 6);
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/tmp/sym", &st, 0), 0);
	CHECK(st.st_mode, S_IFREG | 0644);
	CHECK(sc(__NR_chdir, "/tmp/abs"), 0);
	CHECK_STR("cwd through a link", cwd(), "/tmp");
	CHECK(sc(__NR_chdir, "/"), 0);
	CHECK_STR("ls with links", list("/tmp"), "abs nested sym target");

	/* Hard links: to the link itself, or (AT_SYMLINK_FOLLOW) to what it points to. */
	CHECK(sc(__NR_linkat, AT_FDCWD, "/tmp/sym", AT_FDCWD, "/tmp/hard", 0), 0);
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/tmp/hard", &st, AT_SYMLINK_NOFOLLOW), 0);
	CHECK(S_ISLNK(st.st_mode) && st.st_nlink == 2, 1);
	CHECK(sc(__NR_linkat, AT_FDCWD, "/tmp/sym", AT_FDCWD, "/tmp/hard2", AT_SYMLINK_FOLLOW), 0);
	CHECK(sc(__NR_newfstatat, AT_FDCWD, "/tmp/hard2", &st, AT_SYMLINK_NOFOLLOW), 0);
	CHECK(S_ISREG(st.st_mode) && st.st_nlink == 2, 1);
	CHECK(sc(__NR_linkat, AT_FDCWD, "/tmp", AT_FDCWD, "/tmp/dirlink", 0), -EPERM);
	CHECK(sc(__NR_linkat, AT_FDCWD, "/tmp/target", AT_FDCWD, "/proc/x", 0), -EXDEV);
	CHECK(sc(__NR_linkat, AT_FDCWD, "/tmp/target", AT_FDCWD, "/tmp/sym", 0), -EEXIST);
	CHECK(sc(__NR_linkat, AT_FDCWD, "/tmp/target", AT_FDCWD, "/tmp/x", 0x8000), -EINVAL);

	/* Loops, O_NOFOLLOW, O_PATH of the link itself, and file systems without links. */
	CHECK(sc(__NR_symlinkat, "self", AT_FDCWD, "/tmp/self"), 0);
	CHECK(sc(__NR_openat, AT_FDCWD, "/tmp/self", O_RDONLY), -ELOOP);
	CHECK(sc(__NR_openat, AT_FDCWD, "/tmp/self/x", O_RDONLY), -ELOOP);
	CHECK(sc(__NR_openat, AT_FDCWD, "/tmp/sym", O_RDONLY | O_NOFOLLOW), -ELOOP);
	fd = sc(__NR_openat, AT_FDCWD, "/tmp/sym", O_PATH | O_NOFOLLOW);
	CHECK(fd >= 0, 1);
	CHECK(sc(__NR_readlinkat, fd, "", b, sizeof(b)), 6);
	sc(__NR_close, fd);
	CHECK(sc(__NR_symlinkat, "x", AT_FDCWD, "/proc/x"), -EPERM);
	CHECK(sc(__NR_symlinkat, "", AT_FDCWD, "/tmp/empty"), -ENOENT);
	CHECK(sc(__NR_symlinkat, "x", AT_FDCWD, "/tmp/sym"), -EEXIST);
	CHECK(sc(__NR_symlinkat, NULL, AT_FDCWD, "/tmp/null"), -EFAULT);
	CHECK(sc(__NR_readlinkat, AT_FDCWD, "/tmp/sym", b, 0), -EINVAL);

	/* O_CREAT through a dangling link creates the target. */
	CHECK(sc(__NR_symlinkat, "made", AT_FDCWD, "/tmp/dangling"), 0);
	CHECK(write_file("/tmp/dangling", "new", 0, 0644), 3);
	CHECK(read_all("/tmp/made", buf, sizeof(buf)), 3);
	CHECK(sc(__NR_openat, AT_FDCWD, "/tmp/dangling", O_CREAT | O_EXCL | O_WRONLY, 0644), -EEXIST);

	for (unsigned i = 0; i < 9; i++) {
		static const char *const names[] = { "/tmp/target", "/tmp/sym", "/tmp/abs",
			"/tmp/nested", "/tmp/hard", "/tmp/hard2", "/tmp/self", "/tmp/dangling",
			"/tmp/made" };
		CHECK(sc(__NR_unlinkat, AT_FDCWD, names[i], 0), 0);
	}
	CHECK_STR("ls after", list("/tmp"), "");
	CHECK(nr_free_pages(), before);
}

static long socket_child_pid;
static __be16 socket_test_port;
static long socket_test_fd;

static void do_connect_and_write(long port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = port,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	long c = sc(__NR_socket, AF_INET, SOCK_STREAM, 0);

	if (sc(__NR_connect, c, &sin, sizeof(sin)) == 0)
		sc(__NR_write, c, "hello", 5);
	do_exit_group(0);	/* closes its end: the server reads the data, then the end */
}

static void do_write_and_exit(long fd)
{
	sc(__NR_write, fd, "abc", 3);
	do_exit_group(0);
}

static void connect_from_child(void)
{
	run_as(find_task_by_vpid(socket_child_pid), do_connect_and_write, socket_test_port);
}

static void write_from_child(void)
{
	run_as(find_task_by_vpid(socket_child_pid), do_write_and_exit, socket_test_fd);
}

/* Loopback TCP: ports, the accept queue, blocking accept and read woken by another task. */
static void test_sockets(void)
{
	unsigned long before = nr_free_pages();
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in peer;
	int len = sizeof(sin);
	long ls, ls2, c, a, status;
	char b[16];
	struct harness_stat st;

	ls = sc(__NR_socket, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(ls >= 0, 1);
	CHECK(sc(__NR_fstat, ls, &st), 0);
	CHECK(st.st_mode & S_IFMT, S_IFSOCK);
	CHECK(sc(__NR_lseek, ls, 0, SEEK_SET), -ESPIPE);
	CHECK(sc(__NR_bind, ls, &sin, sizeof(sin)), 0);
	CHECK(sc(__NR_getsockname, ls, &sin, &len), 0);
	CHECK(len, sizeof(sin));
	CHECK(ntohs(sin.sin_port), LOCAL_PORT_LOW);	/* the first ephemeral port */
	CHECK(sc(__NR_listen, ls, 0), 0);
	ls2 = sc(__NR_socket, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	CHECK(sc(__NR_bind, ls2, &sin, sizeof(sin)), -EADDRINUSE);
	CHECK(sc(__NR_fcntl, ls, F_SETFL, O_NONBLOCK), 0);
	CHECK(sc(__NR_accept4, ls, NULL, NULL, 0), -EAGAIN);
	CHECK(sc(__NR_fcntl, ls, F_SETFL, 0), 0);
	CHECK(sc(__NR_accept4, ls, NULL, NULL, 0x1), -EINVAL);

	/* A blocking accept: a child connects and writes while we sleep. */
	socket_child_pid = sc(__NR_clone, SIGCHLD, 0, 0, 0, 0);
	socket_test_port = sin.sin_port;
	wait_hook = connect_from_child;
	nr_waits = 0;
	len = sizeof(peer);
	a = sc(__NR_accept, ls, &peer, &len);
	CHECK(a >= 0, 1);
	CHECK(nr_waits, 1);
	CHECK(len, sizeof(peer));
	CHECK(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	CHECK(ntohs(peer.sin_port), LOCAL_PORT_LOW + 1);
	CHECK(sc(__NR_read, a, b, sizeof(b)), 5);
	CHECK(memcmp(b, "hello", 5), 0);
	CHECK(sc(__NR_read, a, b, sizeof(b)), 0);	/* the child exited: end of stream */
	CHECK(sc(__NR_write, a, "x", 1), -EPIPE);	/* init ignores the SIGPIPE... */
	CHECK(signal_pending(current_task), 0);
	CHECK(sc(__NR_wait4, socket_child_pid, &status, 0, NULL), socket_child_pid);
	socket_child_pid = sc(__NR_clone, SIGCHLD, 0, 0, 0, 0);
	run_as(find_task_by_vpid(socket_child_pid), do_write_and_exit, a);
	CHECK(sc(__NR_wait4, socket_child_pid, &status, 0, NULL), socket_child_pid);
	CHECK(status, SIGPIPE);				/* ...which kills anyone else */
	CHECK(sc(__NR_close, a), 0);

	/* The backlog: with listen(0), one connection may wait; the next is refused. */
	c = sc(__NR_socket, AF_INET, SOCK_STREAM, 0);
	CHECK(sc(__NR_connect, c, &sin, sizeof(sin)), 0);
	CHECK(sc(__NR_connect, c, &sin, sizeof(sin)), -EISCONN);
	CHECK(sc(__NR_connect, ls2, &sin, sizeof(sin)), -ECONNREFUSED);
	a = sc(__NR_accept4, ls, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	CHECK(a >= 0, 1);
	CHECK(sc(__NR_fcntl, a, F_GETFD), FD_CLOEXEC);
	CHECK(sc(__NR_fcntl, a, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	CHECK(sc(__NR_fcntl, a, F_SETFL, 0), 0);

	/* A blocking read: a child writes on its copy of the client's descriptor. */
	socket_test_fd = c;
	socket_child_pid = sc(__NR_clone, SIGCHLD, 0, 0, 0, 0);
	wait_hook = write_from_child;
	nr_waits = 0;
	CHECK(sc(__NR_recvfrom, a, b, sizeof(b), 0, NULL, NULL), 3);
	CHECK(nr_waits, 1);
	CHECK(memcmp(b, "abc", 3), 0);
	CHECK(sc(__NR_wait4, socket_child_pid, &status, 0, NULL), socket_child_pid);
	CHECK(sc(__NR_sendto, a, "0123456789", 10, MSG_DONTWAIT, NULL, 0), 10);
	CHECK(sc(__NR_recvfrom, c, b, 4, MSG_PEEK, NULL, NULL), 4);
	CHECK(sc(__NR_read, c, b, sizeof(b)), 10);
	CHECK(sc(__NR_recvfrom, c, b, sizeof(b), MSG_DONTWAIT, NULL, NULL), -EAGAIN);
	CHECK(sc(__NR_getpeername, a, &peer, &len), 0);
	CHECK(sc(__NR_shutdown, a, 7), -EINVAL);
	CHECK(sc(__NR_shutdown, a, SHUT_WR), 0);
	CHECK(sc(__NR_read, c, b, sizeof(b)), 0);
	CHECK(sc(__NR_write, a, "x", 1), -EPIPE);

	/* Closing the listener closes what it never accepted; its port is free again. */
	CHECK(sc(__NR_close, c), 0);
	CHECK(sc(__NR_close, a), 0);
	c = sc(__NR_socket, AF_INET, SOCK_STREAM, 0);
	CHECK(sc(__NR_connect, c, &sin, sizeof(sin)), 0);
	CHECK(sc(__NR_close, ls), 0);
	CHECK(sc(__NR_read, c, b, sizeof(b)), 0);
	CHECK(sc(__NR_close, c), 0);
	CHECK(sc(__NR_bind, ls2, &sin, sizeof(sin)), -EINVAL);	/* bound by the failed connect */
	CHECK(sc(__NR_close, ls2), 0);
	ls2 = sc(__NR_socket, AF_INET, SOCK_STREAM, 0);
	CHECK(sc(__NR_bind, ls2, &sin, sizeof(sin)), 0);
	CHECK(sc(__NR_close, ls2), 0);

	CHECK(sc(__NR_socket, AF_INET, SOCK_DGRAM, 0), -ESOCKTNOSUPPORT);
	CHECK(sc(__NR_socket, AF_UNIX, SOCK_STREAM, 0), -EAFNOSUPPORT);
	CHECK(sc(__NR_socket, AF_INET, SOCK_STREAM, 17), -EPROTONOSUPPORT);
	CHECK(sc(__NR_socket, AF_INET, SOCK_STREAM | 0x10000, 0), -EINVAL);
	CHECK(sc(__NR_bind, 0, &sin, sizeof(sin)), -ENOTSOCK);
	CHECK(sc(__NR_listen, 99, 1), -EBADF);
	CHECK(nr_free_pages(), before);
}

/* Everything a batch of operations allocates is given back. */
ssize_t sysfs_kf_seq_show(struct kobject *kobj, struct attribute *attr, char *buf);
ssize_t sysfs_kf_write(struct kobject *kobj, struct attribute *attr, const char *buf, size_t count);
int kstrtoul(const char *s, unsigned int base, unsigned long *res);

/* What a read of the attribute file at path shows, as TypeScript reads it (a zeroed page). */
static const char *kshow(const char *path)
{
	static char page[PAGE_SIZE];
	int n = kfind(path);
	ssize_t len;

	if (n < 0 || knodes[n].kind != KERNFS_CREATE_FILE)
		return "(no such attribute)";
	memset(page, 0, sizeof(page));
	len = sysfs_kf_seq_show((struct kobject *)knodes[n].kobj,
				(struct attribute *)knodes[n].attr, page);
	if (len < 0)
		return "(error)";
	page[len] = '\0';
	return page;
}

static ssize_t kstore(const char *path, const char *text)
{
	int n = kfind(path);

	if (n < 0 || knodes[n].kind != KERNFS_CREATE_FILE)
		return -ENOENT;
	return sysfs_kf_write((struct kobject *)knodes[n].kobj, (struct attribute *)knodes[n].attr,
			      text, strlen(text));
}

/* The rtc and wakeup class devices of the PL031, their attributes and links; the system time
 * set from the RTC; kstrtoul's rules. */
static void test_sysfs(void)
{
	const char *rtc = "devices/platform/" PL031_NAME "/rtc/rtc0";
	struct timespec64 ts;
	unsigned long v;
	int link;

	CHECK(kfind("kernel/tracing") > 0 && kfind("kernel/debug") > 0, 1);
	CHECK(kfind(rtc) > 0, 1);
	CHECK(kfind("class/rtc/rtc0") == kfind(rtc), 1);
	CHECK(kfind("class/rtc/rtc0/device") == kfind("devices/platform/" PL031_NAME), 1);
	CHECK(kfind("class/rtc/rtc0/subsystem") == kfind("class/rtc"), 1);
	link = kfind("class/rtc");
	CHECK(link > 0 && knodes[link].kind == KERNFS_CREATE_DIR, 1);
	CHECK_STR("rtc name", kshow("class/rtc/rtc0/name"), "rtc-pl031 " PL031_NAME "\n");
	CHECK_STR("rtc date", kshow("class/rtc/rtc0/date"), "2026-06-13\n");
	CHECK_STR("rtc time", kshow("class/rtc/rtc0/time"), "12:34:56\n");
	CHECK_STR("rtc since_epoch", kshow("class/rtc/rtc0/since_epoch"), "1781354096\n");
	CHECK_STR("rtc hctosys", kshow("class/rtc/rtc0/hctosys"), "1\n");
	CHECK_STR("rtc range", kshow("class/rtc/rtc0/range"), "[0,4294967295]\n");
	CHECK(kfind("class/rtc/rtc0/wakealarm"), -1);	/* no alarm interrupt on this board */
	CHECK(knodes[kfind("class/rtc/rtc0/max_user_freq")].mode, 0644);
	CHECK(knodes[kfind("class/rtc/rtc0/name")].mode, 0444);
	CHECK_STR("max_user_freq", kshow("class/rtc/rtc0/max_user_freq"), "64\n");
	CHECK(kstore("class/rtc/rtc0/max_user_freq", "100\n"), 4);
	CHECK_STR("max_user_freq set", kshow("class/rtc/rtc0/max_user_freq"), "100\n");
	CHECK(kstore("class/rtc/rtc0/max_user_freq", "4096"), -EINVAL);
	CHECK(kstore("class/rtc/rtc0/max_user_freq", "0"), -EINVAL);
	CHECK(kstore("class/rtc/rtc0/max_user_freq", "12x"), -EINVAL);
	CHECK(kstore("class/rtc/rtc0/name", "x"), -EIO);
	CHECK_STR("max_user_freq kept", kshow("class/rtc/rtc0/max_user_freq"), "100\n");
	CHECK(pl031_imsc, 0);					/* interrupts masked at probe */

	CHECK_STR("wakeup name", kshow("class/wakeup/wakeup0/name"), PL031_NAME "\n");
	CHECK(kfind("class/wakeup/wakeup0") == kfind("devices/platform/" PL031_NAME "/wakeup/wakeup0"), 1);
	CHECK_STR("wakeup event_count", kshow("class/wakeup/wakeup0/event_count"), "0\n");
	CHECK_STR("wakeup total_time_ms", kshow("class/wakeup/wakeup0/total_time_ms"), "0\n");
	CHECK(kfind("class/wakeup/wakeup1"), -1);

	CHECK(strstr(dmesg, "rtc-pl031 " PL031_NAME ": registered as rtc0\n") != NULL, 1);
	CHECK(strstr(dmesg, "rtc-pl031 " PL031_NAME ": setting system clock to "
			    "2026-06-13T12:34:56 UTC (1781354096)\n") != NULL, 1);
	ktime_get_real_ts64(&ts);
	CHECK(ts.tv_sec, 1781354096);

	/* A second directory of the same name is refused, and said so. */
	CHECK(kobject_create_and_add("devices", NULL) == NULL, 1);
	CHECK(strstr(dmesg, "kobject_add_internal failed for devices with -EEXIST.") != NULL, 1);

	CHECK(kstrtoul("0x1f\n", 0, &v), 0);
	CHECK(v, 31);
	CHECK(kstrtoul("017", 0, &v), 0);
	CHECK(v, 15);
	CHECK(kstrtoul("+42", 10, &v), 0);
	CHECK(v, 42);
	CHECK(kstrtoul("", 0, &v), -EINVAL);
	CHECK(kstrtoul("42\n\n", 0, &v), -EINVAL);
	CHECK(kstrtoul("-1", 0, &v), -EINVAL);
	CHECK(kstrtoul(ULONG_OVERFLOW_STR, 0, &v), -ERANGE);
	CHECK(kstrtoul(ULONG_MAX_STR, 0, &v), 0);
	CHECK(v == ~0UL, 1);
}

#ifdef __mips__
/* The o32 calls asm-generic arches do not have: _llseek, the 64-bit truncates (the length in an
 * aligned register pair after a pad word), stat64/fstat64 and the old 144-byte struct stat,
 * fcntl64, the 32-bit-time clock_gettime, mmap with a byte offset and mmap2 with a page one. */
static void test_o32(void)
{
	unsigned long before = nr_free_pages();
	struct stat64 st64;
	struct stat st;
	struct old_timespec32 ts;
	loff_t pos = -1;
	long fd;

	CHECK(write_file("/tmp/o32", "0123456789", 0, 0644), 10);
	fd = sc(__NR_openat, AT_FDCWD, "/tmp/o32", O_RDWR);
	CHECK(fd >= 0, 1);
	CHECK(sc(__NR__llseek, fd, 0, 4, &pos, SEEK_SET), 0);
	CHECK(pos, 4);
	CHECK(sc(__NR__llseek, fd, 0, 2, &pos, SEEK_CUR), 0);
	CHECK(pos, 6);
	CHECK(sc(__NR__llseek, fd, 0xffffffff, 0xffffffff, &pos, SEEK_SET), -EINVAL);
	CHECK(sc(__NR__llseek, fd, 0, 0, &pos, 9), -EINVAL);
	CHECK(sc(__NR__llseek, fd, 0, 0, NULL, SEEK_END), -EFAULT);
	CHECK(sc(__NR_ftruncate64, fd, 0, 0, 3), 0);		/* fd, pad, length high, low */
	CHECK(sc(__NR_fstat64, fd, &st64), 0);
	CHECK(st64.st_size, 3);
	CHECK(sc(__NR_truncate64, "/tmp/o32", 0, 0, 5), 0);
	CHECK(sc(__NR_stat64, "/tmp/o32", &st64), 0);
	CHECK(st64.st_size, 5);
	CHECK(S_ISREG(st64.st_mode), 1);
	CHECK(sc(__NR_truncate64, "/tmp/o32", 0, 0xffffffff, 0xffffffff), -EINVAL);
	CHECK(sc(__NR_stat, "/tmp/o32", &st), 0);		/* newstat: struct stat */
	CHECK(st.st_size, 5);
	CHECK(st.st_mode, S_IFREG | 0644);
	CHECK(sc(__NR_Linux + 108, fd, &st), 0);		/* newfstat (__NR_fstat is fstat64 here) */
	CHECK(st.st_nlink, 1);
	CHECK(sc(__NR_lstat64, "/tmp", &st64), 0);
	CHECK(S_ISDIR(st64.st_mode), 1);
	CHECK(sc(__NR_fcntl64, fd, F_GETFL), O_RDWR);
	CHECK(sc(__NR_Linux + 263, CLOCK_MONOTONIC, &ts), 0);	/* clock_gettime32 */
	CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000, 1);
	CHECK(sc(__NR_mmap2, 0, 4096, 3, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), MMAP_TOP - 4096);
	CHECK(sc(__NR_mmap, 0, 4096, 3, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100), -EINVAL);
	CHECK(sc(__NR_close, fd), 0);
	CHECK(sc(__NR_unlinkat, AT_FDCWD, "/tmp/o32", 0), 0);
	CHECK(nr_free_pages(), before);
}
#endif

static void test_no_leaks(void)
{
	unsigned long before = nr_free_pages(), after;
	struct harness_stat st;

	for (int round = 0; round < 3; round++) {
		sc(__NR_mkdirat, AT_FDCWD, "/tmp/leak", 0755);
		write_file("/tmp/leak/a", "some data for the file", 0, 0644);
		read_all("/tmp/leak/a", buf, sizeof(buf));
		list("/tmp/leak");
		list("/sys/kernel/tracing");
		sc(__NR_newfstatat, AT_FDCWD, "/proc/version", &st, 0);
		sc(__NR_openat, AT_FDCWD, "/tmp/leak/missing", O_RDONLY);
		sc(__NR_unlinkat, AT_FDCWD, "/tmp/leak/a", 0);
		sc(__NR_unlinkat, AT_FDCWD, "/tmp/leak", AT_REMOVEDIR);
		long pid = sc(__NR_clone, SIGCHLD, 0, 0, 0, 0);
		run_as(find_task_by_vpid(pid), do_exit_group, 0);
		sc(__NR_wait4, pid, NULL, 0, NULL);
	}
	after = nr_free_pages();
	CHECK(after, before);
}

long harness_main(long *sp)
{
	if (!hsetjmp(&boot_jmp))
		start_kernel();

	test_boot();
	test_console();
	test_tree();
	test_files();
	test_fds();
	test_hostfs();
	test_tasks();
	test_exec();
	test_misc();
	test_more_fs();
	test_threads();
	test_links();
	test_sockets();
	test_sysfs();
#ifdef __mips__
	test_o32();
#endif
	test_no_leaks();

	if (failures) {
		hprintf("dmesg:\n%s", dmesg);
	}
	hprintf("%d checks, %d failed\n", tests, failures);
	return failures ? 1 : 0;
}
