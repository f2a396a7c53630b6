/* start_kernel: everything from the first C instruction to handing the machine to TypeScript.
 * Counterpart of init/main.c (start_kernel, rest_init, kernel_init_freeable's
 * console_on_rootfs). Order: the arch's CPU report (smp_setup_processor_id, setup_arch), memory,
 * scheduler and pids, sysfs's roots and the driver model,
 * the VFS with its root ramfs and initial tree, the host-backed mounts and tracing's
 * directories in tracefs, the devices (the RTC, which sets the system time), then pid 1
 * created through kernel_clone like any other task, made current with the console as fds 0-2,
 * and HVC_BOOT_DONE (ABI.md "Boot"). */
#include "kernel.h"
#include "sched.h"
#include "signal.h"
#include "fs.h"
#include "fdtable.h"
#include "mount.h"
#include "utsname.h"
#include "hypercall.h"
#include "slab.h"
#include "tracefs.h"
#include "net.h"
#include "device.h"
#include "pm_wakeup.h"
#include "rtc.h"

void timekeeping_init(void);
void smp_setup_processor_id(void);
void setup_arch(void);
void console_init(void);
void populate_rootfs(void);
void ksysfs_init(void);

/* The /proc, /sys and tracefs mounts of ABI.md. /sys/kernel/debug stays an empty sysfs
 * directory until "mount -t debugfs nodev /sys/kernel/debug". */
static void mount_host_filesystems(void)
{
	static const struct { const char *dev, *dir, *type; } mounts[] = {
		{ "proc", "/proc", "proc" },
		{ "sysfs", "/sys", "sysfs" },
		{ "tracefs", "/sys/kernel/tracing", "tracefs" },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(mounts); i++) {
		int err = init_mount(mounts[i].dev, mounts[i].dir, mounts[i].type, 0, NULL);

		if (err)
			printk(KERN_WARNING "VFS: cannot mount %s on %s: error %d\n",
			       mounts[i].type, mounts[i].dir, err);
	}
}

/* fds 0, 1, 2 of init on /dev/console; every later process inherits them. */
static void console_on_rootfs(void)
{
	struct file *file = filp_open("/dev/console", O_RDWR, 0);

	if (IS_ERR(file)) {
		printk(KERN_ERR "Warning: unable to open an initial console.\n");
		return;
	}
	for (int fd = 0; fd < 3; fd++) {
		int got = f_dupfd(fd, file, 0);

		if (got != fd)
			printk(KERN_ERR "console_on_rootfs: fd %d became %d\n", fd, got);
	}
	fput(file);
}

static noinline struct task_struct *rest_init(void)
{
	struct kernel_clone_args args = {
		.exit_signal = SIGCHLD,
		.name = "init",
	};
	pid_t pid = kernel_clone(&args);
	struct task_struct *init;

	if (pid != 1)
		panic("rest_init: the first task got pid %d", pid);
	init = find_task_by_vpid(pid);
	WRITE_ONCE(current_task, init);
	console_on_rootfs();
	printk(KERN_INFO "Run init as init process\n");
	return init;
}

asmlinkage noinline void start_kernel(void)
{
	struct task_struct *init;

	timekeeping_init();
	smp_setup_processor_id();
	printk(KERN_NOTICE "%s", linux_banner);
	setup_arch();
	mem_init();
	kmem_cache_init();
	sched_init();
	pid_idr_init();
	printk(KERN_INFO "pid_max: default: 32768 minimum: 301\n");

	ksysfs_init();
	driver_init();
	wakeup_sources_sysfs_init();
	rtc_init();
	init_ramfs_fs();
	init_hostfs();
	tracefs_init();
	chr_dev_init();
	console_init();
	vfs_caches_init();
	sock_init();
	populate_rootfs();
	mount_host_filesystems();
	tracer_init_tracefs();
	pl031_init();
	printk(KERN_INFO "VFS: Mounted root (rootfs filesystem) on device 0:1.\n");

	init = rest_init();
	hvc_boot_done(init);
	panic("start_kernel: resumed after HVC_BOOT_DONE");
}
