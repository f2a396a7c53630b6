// What user space may ask of the kernel half: the contract the shell (and any TypeScript program
// of the machine) programs against, implemented by src/kernel/process.ts and userspace.ts. Types
// only. Every `Process` method is one system
// call entering the guest kernel's real entry path (svc → el0_svc → sys_call_table → sys_<name>),
// so probes on the guest functions it reaches (sys_write, do_sys_openat2, kernel_clone…) see it.
// Results are what the kernel returns: a value ≥ 0, or a negative errno. A call that blocks in the
// guest (read of trace_pipe or /dev/console, nanosleep, wait4) returns a Promise; others may return
// plain values — callers always `await`.

export type Sys<T> = T | Promise<T>;

/** One `struct linux_dirent64` from getdents64 (type is DT_*: 4 directory, 8 regular, 2 char device, 10 symlink). */
export interface DirEntry {
  name: string;
  type: number;
  ino: bigint;
}

/** The fields of `struct stat` the commands use (newfstatat, syscall 79). */
export interface Stat {
  /** st_mode: S_IFMT type bits and permission bits. */
  mode: number;
  ino: bigint;
  nlink: number;
  uid: number;
  gid: number;
  size: bigint;
  /** st_mtime, seconds (virtual clock). */
  mtimeSec: bigint;
}

/** `struct new_utsname` (uname, syscall 160). */
export interface Utsname {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
}

/** A guest task seen from TypeScript: each method is the system call of the same name, made by this task. */
export interface Process {
  readonly pid: number;
  /**
   * openat(56). `mode` applies with O_CREAT. Returns the fd or -errno (e.g. -EBUSY from a truncating
   * open of kprobe_events). A string path is passed as UTF-8; bytes are passed as they are (a
   * Linux path is any bytes but '/' and NUL).
   */
  openat(dirfd: number, path: string | Uint8Array, flags: number, mode?: number): Sys<number>;
  /** read(63): at most `count` bytes; an empty array at end of file. Blocks (Promise) on trace_pipe and /dev/console; -EINTR when a signal arrives while blocked. */
  read(fd: number, count: number): Sys<Uint8Array | number>;
  /** write(64): the whole buffer in one system call (tracefs parses per write). Returns the count written or -errno (-EINVAL for a rejected probe line). */
  write(fd: number, data: Uint8Array | string): Sys<number>;
  close(fd: number): Sys<number>;
  /** dup3(24): newfd becomes a copy of oldfd (oldfd ≠ newfd, as the kernel requires). */
  dup3(oldfd: number, newfd: number, flags: number): Sys<number>;
  /** fcntl(25); the shell uses F_DUPFD_CLOEXEC (1030) to keep copies of fds it redirects, at fd ≥ 10. */
  fcntl(fd: number, cmd: number, arg: number): Sys<number>;
  /** getdents64(61): the next batch of entries of an open directory, an empty array at its end; -ENOTDIR for a non-directory. */
  getdents64(fd: number): Sys<DirEntry[] | number>;
  chdir(path: string): Sys<number>;
  /** getcwd(17): the absolute path, or -errno. */
  getcwd(): Sys<string | number>;
  mkdirat(dirfd: number, path: string, mode: number): Sys<number>;
  /** unlinkat(35); flags AT_REMOVEDIR (0x200) removes an empty directory. */
  unlinkat(dirfd: number, path: string, flags: number): Sys<number>;
  /** symlinkat(36): a symbolic link at `linkpath` whose body is `target` (not checked to exist). */
  symlinkat(target: string, newdirfd: number, linkpath: string): Sys<number>;
  /** linkat(37): a hard link; flags AT_SYMLINK_FOLLOW (0x400) links what a symbolic link points to. */
  linkat(olddirfd: number, oldpath: string, newdirfd: number, newpath: string, flags: number): Sys<number>;
  /** readlinkat(78): a symbolic link's body, or -errno (-EINVAL when `path` is not a link). */
  readlinkat(dirfd: number, path: string): Sys<string | number>;
  /** newfstatat(79); flags AT_EMPTY_PATH (0x1000) with path "" stats dirfd itself. */
  newfstatat(dirfd: number, path: string, flags: number): Sys<Stat | number>;
  /** mount(40): real guest work on the mount table (debugfs, tracefs, proc, sysfs are host-backed). */
  mount(source: string, target: string, fstype: string, flags: number, data?: string): Sys<number>;
  umount2(target: string, flags: number): Sys<number>;
  uname(): Sys<Utsname | number>;
  /** nanosleep(101) on the virtual clock: 0, or -EINTR when a signal interrupts it. */
  nanosleep(ns: bigint): Sys<number>;
  /**
   * kill(129). The shell sends SIGINT (2) to its foreground job on Ctrl-C. Default action: the target
   * terminates — an ELF process at its next return to user mode; a TypeScript command's blocked (or
   * next blocking) system call returns -EINTR, its body then returns, and wait4 reports the signal.
   */
  kill(pid: number, sig: number): Sys<number>;
}

/** The console device (/dev/console, the UART): the terminal the shell and its commands share. */
export interface Console {
  /** Bytes straight to the console, as printk does (no process, no system call). */
  write(bytes: Uint8Array): void;
  /** Bytes typed on the terminal while a command runs: they wake a reader of /dev/console. */
  input(bytes: Uint8Array): void;
  /** Ctrl-D: the next read of /dev/console returns 0 bytes (end of file), once, as a tty's VEOF does. */
  endOfInput(): void;
  /** Takes back the typed bytes no reader consumed (after a command ends: they are the shell's next input). */
  takeInput(): Uint8Array;
}

export interface LoadedModule {
  name: string;
  size: number;
  usedBy: number;
}

/** A body run as a child's program: its result is the child's exit code. */
export type ChildBody = (child: Process) => number | Promise<number>;

export interface Kernel {
  /** The guest arch: "arm64", … */
  readonly arch: string;
  /**
   * fork: clone(220) from `parent` (through the guest's kernel_clone, comm copied from the parent,
   * then set to `comm`), run `body` as the child's program, exit(93) with its result, and wait4(260)
   * in the parent. Resolves to the wait4 status word: `(code & 0xff) << 8` for an exit, the signal
   * number (low 7 bits) when a signal killed the child.
   */
  spawn(parent: Process, comm: string, body: ChildBody, exec?: { argv: string[]; envp: string[] }): Promise<number>;
  /**
   * fork + execve(221) of a static ELF at guest path `path` (execve loads it from the guest's file
   * system, so a file written there with write(2) runs), then wait4 in the parent. Resolves to the
   * wait4 status word as spawn does, or to a negative errno when execve fails (-ENOENT, -EACCES,
   * -ENOEXEC; the child is reaped). `onStart` receives the child's pid as soon as it exists, so that
   * Ctrl-C can reach it.
   */
  runElf(
    parent: Process,
    path: string,
    argv: string[],
    options?: { envp?: string[]; onStart?: (pid: number) => void },
  ): Promise<number>;
  /** Load a TypeScript module (a host file such as examples/kprobe_example.ts) and run its init; 0 or -errno. */
  insmod(path: string, params: Record<string, string>): Promise<number>;
  /** Run a module's exit and unload it; 0, -ENOENT when no such module is loaded, -EBUSY when in use. */
  rmmod(name: string): number;
  lsmod(): LoadedModule[];
  /** The printk ring, one line per message, formatted "[    0.001234] text\n". */
  dmesg(): string;
  readonly console: Console;
}

export interface BootOptions {
  arch: string;
  /** Receives every byte written to the console (by processes through sys_write, and by printk); default: the host's stdout. */
  output?: (bytes: Uint8Array) => void;
  /**
   * The real-time clock's reading at power-on, in seconds since the epoch (QEMU's -rtc base=);
   * the kernel sets the system time from it at boot. Default 0 (1970-01-01): the same run reads
   * the same times.
   */
  rtc?: number;
}

/** A booted machine: its kernel, and the shell's process (fds 0, 1, 2 open on /dev/console). */
export interface Machine {
  kernel: Kernel;
  shellProcess: Process;
}

/** `bootMachine` as src/kernel/boot.ts exports it. */
export type BootMachine = (options: BootOptions) => Promise<Machine>;
