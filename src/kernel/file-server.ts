// A file server inside the emulated machine: it exports guest directories (tracefs at
// /sys/kernel/tracing, /proc) to processes of the host, one guest system call per file
// operation, made by a guest task of its own (comm "fuse-server"). A host `echo … >> kprobe_events`
// thus becomes openat + write + close in the guest, through its VFS, its dentries and hostfs,
// exactly as the machine's own shell does it: probes on do_sys_openat2, vfs_write, dput… see them,
// errors are the guest's errno values, tracefs's open(O_TRUNC) rules apply. Counterpart of the
// server half of fs/nfsd (nfsd_open, nfsd_read, nfsd_write, nfsd_readdir in fs/nfsd/vfs.c: a
// kernel service that runs VFS calls on behalf of another machine's processes).
//
// Every operation holds the machine lock (machine-lock.ts) while its system calls run. A read that
// would block (trace_pipe with no entry) must not hold the machine: the guest file is always
// opened O_NONBLOCK; when the host opened it blocking, -EAGAIN from the guest makes the server wait
// outside the lock until the file can be read (tracefs's poll: entries in the per-CPU ring
// buffers), then read again, so the machine runs on meanwhile and one host read() is still one
// guest read() that returns data.

import { EAGAIN, EBADF, EINTR, ESPIPE } from '../uapi/errno.ts';
import {
  AT_FDCWD,
  AT_REMOVEDIR,
  O_ACCMODE,
  O_APPEND,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NONBLOCK,
  O_RDONLY,
  O_TRUNC,
  S_IFDIR,
  S_IFMT,
} from '../uapi/fcntl.ts';
import { FS_TRACEFS } from './abi.ts';
import { BUILTIN_MAGIC } from './exec.ts';
import type { HostNode } from './hostfs.ts';
import type { Kernel } from './kernel.ts';
import { machineLock, type MachineLock } from './machine-lock.ts';
import { TsProcess } from './process.ts';
import type { Userspace } from './userspace.ts';

/** What `stat` tells of a guest file. */
export interface FileAttr {
  mode: number;
  ino: bigint;
  nlink: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
}

/** The open(2) flags of the host, by name, for the flags that have a meaning on a guest file. */
export interface HostOpenFlags {
  O_WRONLY: number;
  O_RDWR: number;
  O_CREAT: number;
  O_EXCL: number;
  O_TRUNC: number;
  O_APPEND: number;
  O_NONBLOCK: number;
  O_DIRECTORY?: number;
  O_NOFOLLOW?: number;
  O_SYNC?: number;
  O_DSYNC?: number;
}

/** arm64's values for the flags src/uapi/fcntl.ts does not list (asm-generic/fcntl.h, arm64 uapi). */
const GUEST_O_NOFOLLOW = 0o100000;
const GUEST_O_DSYNC = 0o10000;
const GUEST_O_SYNC = 0o4010000;
const SEEK_SET = 0;

/**
 * The host's flags as the guest's: the access mode and the flags that mean the same everywhere;
 * bits the host adds for itself (O_LARGEFILE on a 64-bit host, which is O_NOFOLLOW on arm64) are
 * dropped, as the guest's own openat adds O_LARGEFILE.
 */
export function guestOpenFlags(host: number, h: HostOpenFlags): number {
  let g = host & O_ACCMODE;
  const map: [number | undefined, number][] = [
    [h.O_CREAT, O_CREAT],
    [h.O_EXCL, O_EXCL],
    [h.O_TRUNC, O_TRUNC],
    [h.O_APPEND, O_APPEND],
    [h.O_NONBLOCK, O_NONBLOCK],
    [h.O_DIRECTORY, O_DIRECTORY],
    [h.O_NOFOLLOW, GUEST_O_NOFOLLOW],
    [h.O_DSYNC, GUEST_O_DSYNC],
  ];
  if (h.O_SYNC !== undefined && (host & h.O_SYNC) === h.O_SYNC) g |= GUEST_O_SYNC;
  for (const [hb, gb] of map) if (hb !== undefined && host & hb) g |= gb;
  return g;
}

interface OpenFile {
  fd: number;
  path: string;
  /** The host opened it blocking: -EAGAIN from the guest means "wait, then read again". */
  blocking: boolean;
  /** The guest file position, as far as this server moved it. */
  pos: number;
  /** Bytes this handle has returned (trace_pipe's "iter->pos": EOF once tracing is off). */
  returned: number;
  closed: boolean;
  /** A blocked read waiting outside the lock; resolved with -EINTR on release or shutdown. */
  wakeClosed?: () => void;
}

export interface FileServerOptions {
  /** The process the server's task is forked from (the machine's init). */
  parent: TsProcess;
  /** Program name of the server task (its comm, through execve of a /bin command file). */
  comm?: string;
}

/** Another driver of the machine that should get a turn after each host write (the workload). */
export interface TurnTaker {
  /** Resolves once it has completed `n` more units of work (at once if it does none). */
  waitSteps(n: number): Promise<void>;
}

export class GuestFileServer {
  private readonly files = new Map<number, OpenFile>();
  private stopped = false;
  /** A write (or truncating open) ran since the turn taker last had its turn. */
  private dirty = false;
  private turnTaker: TurnTaker | null = null;
  readonly lock: MachineLock;

  private constructor(
    readonly kernel: Kernel,
    readonly proc: TsProcess,
  ) {
    this.lock = machineLock(kernel);
  }

  /** Fork the server's task from `parent` and exec it as `/bin/<comm>`. */
  static async start(userspace: Userspace, opts: FileServerOptions): Promise<GuestFileServer> {
    const kernel = userspace.kernel;
    const comm = opts.comm ?? 'fuse-server';
    const lock = machineLock(kernel);
    const proc = await lock.run(async () => {
      const init = opts.parent;
      const path = `/bin/${comm}`;
      if (typeof init.newfstatat(AT_FDCWD, path, 0) === 'number') {
        const fd = init.openat(AT_FDCWD, path, 1 /* O_WRONLY */ | O_CREAT | O_TRUNC, 0o755);
        if (fd < 0) throw new Error(`cannot create ${path}: ${fd}`);
        init.write(fd, `${BUILTIN_MAGIC}${comm}\n`);
        init.close(fd);
      }
      const child = userspace.fork(init);
      if (typeof child === 'number') throw new Error(`cannot fork the file server: ${child}`);
      const stop = await child.execve(path, [comm], []);
      if (stop.kind !== 'syscall-return' || stop.value !== 0n) throw new Error(`cannot exec ${path}`);
      child.chdir('/');
      return child;
    });
    return new GuestFileServer(kernel, proc);
  }

  /**
   * After a host process has changed something (a write, a truncating open), the next host
   * operation waits until the turn taker (the workload) has run once more: the host sees the
   * machine move on between two of its commands, so that `echo 1 > enable; grep … trace` finds
   * the events of the workload, however fast the host issues its requests.
   */
  setTurnTaker(t: TurnTaker | null): void {
    this.turnTaker = t;
  }

  private async run<T>(work: () => T | Promise<T>, changes = false): Promise<T> {
    if (this.stopped) return -EINTR as T;
    if (this.dirty && this.turnTaker) {
      this.dirty = false;
      await this.turnTaker.waitSteps(1);
    }
    if (this.stopped) return -EINTR as T;
    try {
      return await this.lock.run(work);
    } finally {
      if (changes) this.dirty = true;
    }
  }

  /** newfstatat of a guest path (following symlinks, as lookups from the host do). */
  getattr(path: string): Promise<FileAttr | number> {
    return this.run(() => {
      const st = this.proc.newfstatat(AT_FDCWD, path, 0);
      if (typeof st === 'number') return st;
      return {
        mode: st.mode,
        ino: st.ino,
        nlink: st.nlink,
        uid: st.uid,
        gid: st.gid,
        size: Number(st.size),
        mtimeMs: Number(st.mtimeSec) * 1000,
      };
    });
  }

  /** The entries of a guest directory (openat O_DIRECTORY + getdents64 to the end + close). */
  readdir(path: string): Promise<string[] | number> {
    return this.run(() => {
      const fd = this.proc.openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY);
      if (fd < 0) return fd;
      const names: string[] = [];
      try {
        for (;;) {
          const batch = this.proc.getdents64(fd);
          if (typeof batch === 'number') return batch;
          if (batch.length === 0) break;
          for (const e of batch) names.push(e.name);
        }
      } finally {
        this.proc.close(fd);
      }
      return names;
    });
  }

  /** openat with the guest's flags; a handle (the guest fd) or -errno. */
  open(path: string, flags: number): Promise<number> {
    return this.run(() => {
      const fd = this.proc.openat(AT_FDCWD, path, flags | O_NONBLOCK, 0o644);
      if (fd < 0) return fd;
      this.files.set(fd, { fd, path, blocking: (flags & O_NONBLOCK) === 0, pos: 0, returned: 0, closed: false });
      return fd;
    }, (flags & O_TRUNC) !== 0);
  }

  /** openat(O_CREAT) of a new file, as creat(2) asks. */
  create(path: string, mode: number, flags = 1 /* O_WRONLY */): Promise<number> {
    return this.run(() => {
      const fd = this.proc.openat(AT_FDCWD, path, flags | O_CREAT | O_NONBLOCK, mode & 0o7777);
      if (fd < 0) return fd;
      this.files.set(fd, { fd, path, blocking: true, pos: 0, returned: 0, closed: false });
      return fd;
    });
  }

  /** A read at `pos` (a seek first if the host moved its offset); waits outside the lock if it would block. */
  async read(handle: number, count: number, pos: number): Promise<Uint8Array | number> {
    const f = this.files.get(handle);
    if (!f || f.closed) return -EBADF;
    for (;;) {
      const r = await this.run(async () => {
        // Released or shut down while this read waited for its turn: interrupted.
        if (f.closed) return -EINTR;
        if (pos !== f.pos) {
          const s = this.proc.lseek(f.fd, pos, SEEK_SET);
          if (s >= 0) f.pos = s;
          else if (s !== -ESPIPE) return s;
        }
        const data = await this.proc.read(f.fd, count);
        if (typeof data !== 'number') {
          f.pos += data.length;
          f.returned += data.length;
        }
        return data;
      });
      if (r !== -EAGAIN || !f.blocking) return r;
      // Would block: as tracing_wait_pipe(), EOF once tracing is off after something was read.
      if (this.isTracePipe(f.path) && f.returned > 0 && !this.tracingOn()) return new Uint8Array(0);
      const woke = await this.waitReadable(f);
      if (woke < 0) return woke;
    }
  }

  /** A write of the whole buffer in one guest write(2) (tracefs parses each write as a unit). */
  write(handle: number, data: Uint8Array, pos: number): Promise<number> {
    const f = this.files.get(handle);
    if (!f || f.closed) return Promise.resolve(-EBADF);
    return this.run(() => {
      if (pos !== f.pos) {
        const s = this.proc.lseek(f.fd, pos, SEEK_SET);
        if (s >= 0) f.pos = s;
        else if (s !== -ESPIPE) return s;
      }
      const n = this.proc.write(f.fd, data);
      if (n > 0) f.pos += n;
      return n;
    }, true);
  }

  truncate(path: string, size: number): Promise<number> {
    return this.run(() => this.proc.truncate(path, size), true);
  }

  ftruncate(handle: number, size: number): Promise<number> {
    const f = this.files.get(handle);
    if (!f || f.closed) return Promise.resolve(-EBADF);
    return this.run(() => this.proc.ftruncate(f.fd, size), true);
  }

  /** close(2) of the guest file; a read still waiting ends with -EINTR. */
  release(handle: number): Promise<number> {
    const f = this.files.get(handle);
    if (!f || f.closed) return Promise.resolve(-EBADF);
    f.closed = true;
    f.wakeClosed?.();
    this.files.delete(handle);
    return this.run(() => this.proc.close(f.fd));
  }

  mkdir(path: string, mode: number): Promise<number> {
    return this.run(() => this.proc.mkdirat(AT_FDCWD, path, mode & 0o7777), true);
  }

  rmdir(path: string): Promise<number> {
    return this.run(() => this.proc.unlinkat(AT_FDCWD, path, AT_REMOVEDIR), true);
  }

  unlink(path: string): Promise<number> {
    return this.run(() => this.proc.unlinkat(AT_FDCWD, path, 0), true);
  }

  /** Stop serving: waiting reads end with -EINTR, open guest files are closed. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const open = [...this.files.values()];
    for (const f of open) {
      f.closed = true;
      f.wakeClosed?.();
    }
    this.files.clear();
    await this.lock.run(() => {
      for (const f of open) this.proc.close(f.fd);
    });
  }

  // --- waiting for a blocking read ----------------------------------------------------------

  /** Resolves when the file may have become readable (0), or -EINTR once it is closed. */
  private waitReadable(f: OpenFile): Promise<number> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (v: number) => {
        if (done) return;
        done = true;
        f.wakeClosed = undefined;
        resolve(v);
      };
      f.wakeClosed = () => finish(-EINTR);
      const check = (): void => {
        if (done) return;
        if (f.closed || this.stopped) return finish(-EINTR);
        if (this.readable(f)) return finish(0);
        void this.lock.nextRelease().then(check);
      };
      check();
    });
  }

  /**
   * The file's poll, read from the host side without running the guest: a trace_pipe is readable
   * when its ring buffers hold an entry, or when tracing was turned off (EOF after data); another
   * file, after anything has run on the machine.
   */
  private readable(f: OpenFile): boolean {
    const cpu = this.tracePipeCpu(f.path);
    if (cpu === undefined) return true;
    if (f.returned > 0 && !this.tracingOn()) return true;
    return this.entries(cpu) > 0;
  }

  /** Where the guest mounts tracefs; trace_pipe files under it get tracefs's poll. */
  static readonly TRACEFS = '/sys/kernel/tracing';

  private tracefsParts(path: string): string[] | undefined {
    for (const root of [GuestFileServer.TRACEFS, '/sys/kernel/debug/tracing']) {
      if (path === root || path.startsWith(root + '/')) return path.slice(root.length).split('/').filter((p) => p);
    }
    return undefined;
  }

  private isTracePipe(path: string): boolean {
    return this.tracePipeCpu(path) !== undefined;
  }

  /** null: the all-CPU trace_pipe; a number: per_cpu/cpuN/trace_pipe; undefined: not a trace_pipe. */
  private tracePipeCpu(path: string): number | null | undefined {
    const parts = this.tracefsParts(path);
    if (!parts) return undefined;
    if (parts.length === 1 && parts[0] === 'trace_pipe') return null;
    if (parts.length === 3 && parts[0] === 'per_cpu' && parts[2] === 'trace_pipe') {
      const m = /^cpu(\d+)$/.exec(parts[1]!);
      if (m) return Number(m[1]);
    }
    return undefined;
  }

  private nodeText(parts: string[]): string | undefined {
    const node = this.kernel.hostfs?.resolve(FS_TRACEFS, parts);
    if (!node || node.kind !== 'file') return undefined;
    return readNode(node);
  }

  private tracingOn(): boolean {
    return this.nodeText(['tracing_on'])?.trim() !== '0';
  }

  /** Entries in one CPU's ring buffer, or in all (per_cpu/cpuN/stats "entries:"). */
  private entries(cpu: number | null): number {
    const perCpu = this.kernel.hostfs?.resolve(FS_TRACEFS, ['per_cpu']);
    if (!perCpu || perCpu.kind !== 'dir') return 0;
    const cpus = cpu === null ? perCpu.list() : [`cpu${cpu}`];
    let n = 0;
    for (const c of cpus) {
      const m = /^entries: (\d+)$/m.exec(this.nodeText(['per_cpu', c, 'stats']) ?? '');
      if (m) n += Number(m[1]);
    }
    return n;
  }
}

/** The whole content of a host node that never blocks (a seq_file), read from TypeScript. */
function readNode(node: HostNode): string | undefined {
  if (node.kind !== 'file') return undefined;
  const f = node.open(O_RDONLY);
  if (typeof f === 'number') return undefined;
  try {
    let out = '';
    for (let pos = 0; ; ) {
      const r = f.read(pos, 65536);
      if (typeof r === 'number' || r instanceof Promise) return out;
      if (r.length === 0) return out;
      out += Buffer.from(r).toString('latin1');
      pos += r.length;
    }
  } finally {
    f.release?.();
  }
}

/** S_ISDIR of a mode. */
export function isDirMode(mode: number): boolean {
  return (mode & S_IFMT) === S_IFDIR;
}
