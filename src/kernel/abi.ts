// The numbers of the guest kernel's contract with the TypeScript half (guest/ABI.md): memory
// map, hypercalls, host file-system operations, task_struct offsets, system-call numbers.
// Counterpart of the arch's asm/memory.h and the asm-generic unistd.h numbers, for our guest.

/** arm64 memory map, as 48-bit addresses (the low 48 bits of the canonical 0xffff… form). */
export const ARM64 = {
  kernelBase: 0x8000_0000_0000, // start of the kernel half
  text: 0x8000_0800_0000, // 0xffff800008000000
  ramEnd: 0x8000_0a00_0000, // end of kernel image + heap
  uart: 0x8000_0b00_0000,
  rtc: 0x8000_0b00_1000, // the PL031 (at 0x09010000 on QEMU's virt board)
  kprobeSlots: 0x8000_0c00_0000,
  userScratch: 0x1000_0000,
  userScratchSize: 1 << 20,
  // User space is the lower 47 bits (below the kernel half of the 48-bit address memory uses).
  userStackTop: 0x7fff_ffff_f000,
  userStackSize: 1 << 20,
  mmapTop: 0x7000_0000_0000,
} as const;

export const HVC_BOOT_DONE = 1;
export const HVC_SCHEDULE = 2;
export const HVC_PRINTK = 3;
export const HVC_HOSTFS = 4;
export const HVC_EXEC = 5;
export const HVC_PANIC = 6;
export const HVC_CALL_RETURN = 7;
export const HVC_MM = 8;
/** A tracepoint hit: x0 = its struct tracepoint, x1-x4 = its arguments (ABI.md "Tracepoints"). */
export const HVC_TRACEPOINT = 9;
/** sysfs nodes the guest makes (KERNFS_* below). */
export const HVC_KERNFS = 10;
/** struct tracepoint: the key TypeScript sets while probes are attached. */
export const TRACEPOINT_KEY = 8;

export const HOSTFS_LOOKUP = 1;
export const HOSTFS_GETATTR = 2;
export const HOSTFS_OPEN = 3;
export const HOSTFS_READ = 4;
export const HOSTFS_WRITE = 5;
export const HOSTFS_GETDENTS = 6;
export const HOSTFS_RELEASE = 7;
export const HOSTFS_READLINK = 8;

export const KERNFS_CREATE_DIR = 1;
export const KERNFS_CREATE_FILE = 2;
export const KERNFS_CREATE_LINK = 3;

export const FS_PROC = 1;
export const FS_SYSFS = 2;
export const FS_DEBUGFS = 3;
export const FS_TRACEFS = 4;

export const MM_BRK = 0;
export const MM_MMAP = 1;
export const MM_MUNMAP = 2;

// The offsets of guest structures TypeScript reads come from the kernel's BTF: guest-layout.ts.
/** arm64's TIF_NEED_RESCHED: the task is to give up the CPU (with the preempt bit, the trace flags' 'N'). */
export const TIF_NEED_RESCHED = 1;
export const TASK_COMM_LEN = 16;

export const THREAD_SIZE = 16384;

export const TASK_RUNNING = 0;
export const TASK_INTERRUPTIBLE = 1;
export const EXIT_ZOMBIE = 0x10;
export const EXIT_DEAD = 0x20;

/** asm-generic system-call numbers (arm64 uses these). */
export const NR = {
  getcwd: 17,
  dup: 23,
  dup3: 24,
  fcntl: 25,
  ioctl: 29,
  mkdirat: 34,
  unlinkat: 35,
  symlinkat: 36,
  linkat: 37,
  umount2: 39,
  mount: 40,
  truncate: 45,
  ftruncate: 46,
  chdir: 49,
  openat: 56,
  close: 57,
  getdents64: 61,
  lseek: 62,
  read: 63,
  write: 64,
  writev: 66,
  readlinkat: 78,
  newfstatat: 79,
  fstat: 80,
  exit: 93,
  exit_group: 94,
  set_tid_address: 96,
  clock_gettime: 113,
  sched_yield: 124,
  kill: 129,
  uname: 160,
  getpid: 172,
  getppid: 173,
  getuid: 174,
  geteuid: 175,
  getgid: 176,
  getegid: 177,
  gettid: 178,
  brk: 214,
  munmap: 215,
  clone: 220,
  execve: 221,
  mmap: 222,
  wait4: 260,
} as const;

export { AT_FDCWD, O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY } from '../uapi/fcntl.ts';
export const SIGCHLD = 17;
