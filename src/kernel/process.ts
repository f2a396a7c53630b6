// A TypeScript process: a guest task whose program is TypeScript (the shell and its commands).
// Each method is one system call made the way a C library makes it: arguments marshalled into the
// process's own user pages, registers loaded, `svc #0` (arm64) or `syscall` (mips) executed, the
// guest's system-call entry doing the work, the result read back. Callers speak the generic
// (asm-generic) numbers of src/uapi/; the arch's user ABI (arch/user-abi.ts) translates system-call
// numbers, open flags, signals and errno values at this boundary. Counterpart of a libc's syscall
// wrappers.

import type { Process, Stat, Utsname, DirEntry } from './process-api.ts';
import { AddressSpace } from '../machine/memory.ts';
import { EFAULT } from '../uapi/errno.ts';
import type { UserAbi } from './arch/user-abi.ts';
import type { Kernel, Stop } from './kernel.ts';
import type { Task } from './task.ts';

const SCRATCH_DATA = 4096;

/** Map the scratch pages (system-call trampoline + buffers + stack) into an address space. */
export function mapScratch(kernel: Kernel, mm: AddressSpace): void {
  const layout = kernel.arch.layout;
  const saved = kernel.memory.user;
  kernel.memory.switchUser(mm);
  kernel.memory.map(layout.userScratch, layout.userScratchSize, { user: true, write: true, exec: true });
  const words = kernel.arch.syscallTrampoline();
  const bytes = new Uint8Array(words.length * 4);
  const dv = new DataView(bytes.buffer);
  words.forEach((w, i) => dv.setUint32(4 * i, w, kernel.memory.littleEndian));
  kernel.memory.poke(layout.userScratch, bytes);
  kernel.memory.switchUser(saved);
}

type Arg = number | bigint;

/** A wait status from the guest with its signal number (if a signal ended the task) made generic. */
export function waitStatusFromGuest(abi: UserAbi, status: number): number {
  const sig = status & 0x7f;
  if (sig === 0 || sig === 0x7f) return status;
  return (status & ~0x7f) | abi.signalFromGuest(sig);
}

/** A system call's result (a value or a negative guest errno) with the errno made generic. */
export function syscallValueFromGuest(abi: UserAbi, value: bigint): bigint {
  const v = BigInt.asIntN(64, value);
  return v < 0n && v >= -4095n ? BigInt(abi.errnoFromGuest(Number(v))) : v;
}

export class TsProcess implements Process {
  constructor(
    readonly kernel: Kernel,
    readonly task: Task,
  ) {}

  get pid(): number {
    return this.task.pid;
  }

  private get abi(): UserAbi {
    return this.kernel.arch.userAbi;
  }

  private get nr(): UserAbi['nr'] {
    return this.abi.nr;
  }

  // --- marshalling -------------------------------------------------------------------------

  private reset(): void {
    this.task.scratchNext = this.kernel.arch.layout.userScratch + SCRATCH_DATA;
  }

  private alloc(size: number): number {
    const a = Math.ceil(this.task.scratchNext / 16) * 16;
    const limit = this.kernel.arch.layout.userScratch + this.kernel.arch.layout.userScratchSize - 65536;
    if (a + size > limit) throw new Error('system-call arguments too large for the scratch pages');
    this.task.scratchNext = a + size;
    return a;
  }

  private putBytes(data: Uint8Array): number {
    const a = this.alloc(data.length + 1);
    this.kernel.switchTo(this.task);
    this.kernel.memory.writeBytes(a, data, true);
    this.kernel.memory.write8(a + data.length, 0, true);
    return a;
  }

  /** A NUL-terminated string in the scratch pages: a JS string as UTF-8, bytes as they are. */
  private putString(s: string | Uint8Array): number {
    return this.putBytes(typeof s === 'string' ? Buffer.from(s, 'utf8') : s);
  }

  private result(stop: Stop): bigint {
    if (stop.kind === 'syscall-return') return syscallValueFromGuest(this.abi, stop.value);
    if (stop.kind === 'task-exit') throw new ProcessExited(waitStatusFromGuest(this.abi, this.task.exitCode));
    throw new Error(`system call ended with ${stop.kind}`);
  }

  /** One system call, synchronous (nothing it reaches may block). */
  syscall(nr: number, ...args: Arg[]): bigint {
    return this.result(this.kernel.syscallSync(this.task, nr, args.map((a) => BigInt(a))));
  }

  /** One system call that may block (reads of trace_pipe and the console). */
  async syscallAsync(nr: number, ...args: Arg[]): Promise<bigint> {
    return this.result(await this.kernel.syscallAsync(this.task, nr, args.map((a) => BigInt(a)), this.task.abort.signal));
  }

  private num(nr: number, ...args: Arg[]): number {
    return Number(this.syscall(nr, ...args));
  }

  // --- the system calls --------------------------------------------------------------------

  openat(dirfd: number, path: string | Uint8Array, flags: number, mode = 0o666): number {
    this.reset();
    return this.num(this.nr.openat, dirfd, this.putString(path), this.abi.openFlags(flags), mode);
  }

  async read(fd: number, count: number): Promise<Uint8Array | number> {
    this.reset();
    const buf = this.alloc(count);
    const r = Number(await this.syscallAsync(this.nr.read, fd, buf, count));
    if (r < 0) return r;
    this.kernel.switchTo(this.task);
    return this.kernel.memory.readBytes(buf, r, true);
  }

  write(fd: number, data: Uint8Array | string): number {
    this.reset();
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const buf = this.putBytes(bytes);
    return this.num(this.nr.write, fd, buf, bytes.length);
  }

  /** lseek(62): the new offset, or -errno (-ESPIPE on a pipe-like file). */
  lseek(fd: number, offset: number, whence: number): number {
    return this.num(this.nr.lseek, fd, offset, whence);
  }

  /** truncate(45) of a path. */
  truncate(path: string, length: number): number {
    this.reset();
    return this.num(this.nr.truncate, this.putString(path), length);
  }

  /** ftruncate(46) of an open file. */
  ftruncate(fd: number, length: number): number {
    return this.num(this.nr.ftruncate, fd, length);
  }

  close(fd: number): number {
    return this.num(this.nr.close, fd);
  }

  dup3(oldfd: number, newfd: number, flags: number): number {
    return this.num(this.nr.dup3, oldfd, newfd, flags);
  }

  fcntl(fd: number, cmd: number, arg: number): number {
    return this.num(this.nr.fcntl, fd, cmd, arg);
  }

  getdents64(fd: number): DirEntry[] | number {
    this.reset();
    const size = 8192;
    const buf = this.alloc(size);
    const n = this.num(this.nr.getdents64, fd, buf, size);
    if (n < 0) return n;
    const bytes = this.kernel.memory.readBytes(buf, n, true);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const le = this.kernel.memory.littleEndian;
    const out: DirEntry[] = [];
    for (let off = 0; off < n; ) {
      const ino = dv.getBigUint64(off, le);
      const reclen = dv.getUint16(off + 16, le);
      const type = bytes[off + 18]!;
      let end = off + 19;
      while (end < off + reclen && bytes[end] !== 0) end++;
      out.push({ ino, type, name: Buffer.from(bytes.subarray(off + 19, end)).toString('utf8') });
      if (reclen === 0) return -EFAULT;
      off += reclen;
    }
    return out;
  }

  chdir(path: string): number {
    this.reset();
    return this.num(this.nr.chdir, this.putString(path));
  }

  getcwd(): string | number {
    this.reset();
    const buf = this.alloc(4096);
    const r = this.num(this.nr.getcwd, buf, 4096);
    if (r < 0) return r;
    return this.kernel.memory.readCString(buf, 4096, true);
  }

  mkdirat(dirfd: number, path: string, mode: number): number {
    this.reset();
    return this.num(this.nr.mkdirat, dirfd, this.putString(path), mode);
  }

  unlinkat(dirfd: number, path: string, flags: number): number {
    this.reset();
    return this.num(this.nr.unlinkat, dirfd, this.putString(path), flags);
  }

  symlinkat(target: string, newdirfd: number, linkpath: string): number {
    this.reset();
    return this.num(this.nr.symlinkat, this.putString(target), newdirfd, this.putString(linkpath));
  }

  linkat(olddirfd: number, oldpath: string, newdirfd: number, newpath: string, flags: number): number {
    this.reset();
    return this.num(this.nr.linkat, olddirfd, this.putString(oldpath), newdirfd, this.putString(newpath), flags);
  }

  readlinkat(dirfd: number, path: string): string | number {
    this.reset();
    const p = this.putString(path);
    const size = 4096;
    const buf = this.alloc(size);
    const n = this.num(this.nr.readlinkat, dirfd, p, buf, size);
    if (n < 0) return n;
    return Buffer.from(this.kernel.memory.readBytes(buf, n, true)).toString('utf8');
  }

  newfstatat(dirfd: number, path: string, flags: number): Stat | number {
    this.reset();
    const p = this.putString(path);
    const layout = this.abi.stat;
    const st = this.alloc(layout.size);
    const r = this.num(this.nr.newfstatat, dirfd, p, st, flags);
    if (r < 0) return r;
    const m = this.kernel.memory;
    return {
      ino: m.read64(st + layout.ino, true),
      mode: m.read32(st + layout.mode, true),
      nlink: m.read32(st + layout.nlink, true),
      uid: m.read32(st + layout.uid, true),
      gid: m.read32(st + layout.gid, true),
      size: m.read64(st + layout.size64, true),
      mtimeSec: layout.mtimeBytes === 8 ? m.read64(st + layout.mtime, true) : BigInt(m.read32(st + layout.mtime, true) | 0),
    };
  }

  mount(source: string, target: string, fstype: string, flags: number, data?: string): number {
    this.reset();
    const d = data === undefined ? 0 : this.putString(data);
    return this.num(this.nr.mount, this.putString(source), this.putString(target), this.putString(fstype), flags, d);
  }

  umount2(target: string, flags: number): number {
    this.reset();
    return this.num(this.nr.umount2, this.putString(target), flags);
  }

  uname(): Utsname | number {
    this.reset();
    const buf = this.alloc(65 * 6);
    const r = this.num(this.nr.uname, buf);
    if (r < 0) return r;
    const f = (i: number) => this.kernel.memory.readCString(buf + 65 * i, 65, true);
    return { sysname: f(0), nodename: f(1), release: f(2), version: f(3), machine: f(4) };
  }

  nanosleep(ns: bigint): number {
    this.kernel.sleep(ns);
    return 0;
  }

  /** kill(2) through the guest; a fatal signal then ends the target's blocking call or its program. */
  kill(pid: number, sig: number): number {
    const guestSig = this.abi.signalToGuest(sig);
    const r = this.num(this.nr.kill, pid, guestSig);
    // The task's pending signal is kept in the guest's numbering (do_exit(sig) takes it so).
    if (r === 0 && sig !== 0) this.kernel.deliverSignal(pid, guestSig);
    return r;
  }

  getpid(): number {
    return this.num(this.nr.getpid);
  }

  /** clone(SIGCHLD): the child's pid in the parent. */
  clone(): number {
    return this.num(this.nr.clone, this.abi.sigchld, 0, 0, 0, 0);
  }

  /** execve; for an ELF the call does not come back here: the program runs until it exits. */
  async execve(path: string, argv: string[], envp: string[]): Promise<Stop> {
    this.reset();
    const p = this.putString(path);
    const ptrs = (list: string[]) => {
      const strs = list.map((s) => this.putString(s));
      const w = this.kernel.machine.wordBytes;
      const arr = this.alloc(w * (strs.length + 1));
      const m = this.kernel.memory;
      [...strs, 0].forEach((s, i) => (w === 8 ? m.write64(arr + 8 * i, BigInt(s), true) : m.write32(arr + 4 * i, s, true)));
      return arr;
    };
    const a = ptrs(argv);
    const e = ptrs(envp);
    return this.kernel.syscallAsync(this.task, this.nr.execve, [BigInt(p), BigInt(a), BigInt(e)], this.task.abort.signal);
  }

  /** wait4(pid, &status, 0, NULL): the pid reaped and its status word, or -errno. */
  wait4(pid: number): { pid: number; status: number } {
    this.reset();
    const st = this.alloc(8);
    this.kernel.switchTo(this.task);
    this.kernel.memory.write32(st, 0, true);
    const r = this.num(this.nr.wait4, pid, st, 0, 0);
    return { pid: r, status: r < 0 ? 0 : waitStatusFromGuest(this.abi, this.kernel.memory.read32(st, true)) };
  }

  /** exit_group(code): runs do_exit in the guest; the task is gone afterwards. */
  exit(code: number): void {
    try {
      this.syscall(this.nr.exit_group, code);
    } catch (e) {
      if (!(e instanceof ProcessExited)) throw e;
    }
  }
}

/** A system call ended in do_exit (exit_group, or the task was killed by an oops or a signal). */
export class ProcessExited extends Error {
  constructor(readonly exitCode: number) {
    super(`process exited (status ${exitCode})`);
  }
}
