// FUSE glue for `kprobe mount`: a guest directory of the emulated machine (its tracefs, its /proc)
// mounted on the host through fuse-native (libfuse 2), each FUSE request answered by the
// machine's file server (src/kernel/file-server.ts) with the guest's own system calls and errno
// values. Mount options: direct_io (tracefs files have size 0 and are generated on read: without
// it the kernel's page cache would read them as empty), atomic_o_trunc (a shell's `>` reaches the
// guest as open(O_TRUNC), as tracefs needs it to clear kprobe_events or refuse with EBUSY, instead
// of open + a separate truncate), big_writes (one write(2) of up to 128 KiB stays one guest
// write, which tracefs parses as a unit), and zero entry/attribute timeouts (an event directory
// removed by `-:ev` is gone at the next lookup). No Linux counterpart: the host side of the
// bridge, what fs/fuse's user-space daemon is for any FUSE file system.

import { access, constants as fsConstants } from 'node:fs';
import { createRequire } from 'node:module';
import { execFile, spawnSync } from 'node:child_process';
import { guestOpenFlags, type GuestFileServer, type HostOpenFlags } from '../kernel/file-server.ts';

/** The part of fuse-native's API used here (it ships no types). */
interface FuseInstance {
  mount(cb: (err: Error | null) => void): void;
  unmount(cb: (err: Error | null) => void): void;
  _fuseOptions(): string;
}
type FuseCtor = new (mnt: string, ops: Record<string, unknown>, opts: Record<string, unknown>) => FuseInstance;

const HOST_FLAGS: HostOpenFlags = {
  O_WRONLY: fsConstants.O_WRONLY,
  O_RDWR: fsConstants.O_RDWR,
  O_CREAT: fsConstants.O_CREAT,
  O_EXCL: fsConstants.O_EXCL,
  O_TRUNC: fsConstants.O_TRUNC,
  O_APPEND: fsConstants.O_APPEND,
  O_NONBLOCK: fsConstants.O_NONBLOCK,
  O_DIRECTORY: fsConstants.O_DIRECTORY,
  O_NOFOLLOW: fsConstants.O_NOFOLLOW,
  O_SYNC: fsConstants.O_SYNC,
  O_DSYNC: fsConstants.O_DSYNC,
};

const EXTRA_OPTIONS = ['direct_io', 'atomic_o_trunc', 'big_writes', 'entry_timeout=0', 'attr_timeout=0', 'negative_timeout=0'];

function commandExists(name: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { stdio: 'ignore' }).status === 0;
}

/**
 * fuse-native's constructor, or why FUSE cannot be used here: no /dev/fuse (a kernel without FUSE,
 * a container without the device), no libfuse.so.2 (Debian's libfuse2), no fusermount (fuse3).
 */
export async function loadFuse(device = '/dev/fuse'): Promise<{ Fuse: FuseCtor } | { message: string }> {
  const dev = await new Promise<NodeJS.ErrnoException | null>((res) => access(device, fsConstants.R_OK | fsConstants.W_OK, res));
  if (dev) {
    const why = dev.code === 'ENOENT' ? `there is no ${device} (a kernel without FUSE, or a container without the device)` : `${device}: ${dev.message}`;
    return { message: `FUSE is not available: ${why}` };
  }
  if (!commandExists('fusermount') && !commandExists('fusermount3')) {
    return { message: 'FUSE is not available: fusermount is missing (Debian: apt-get install fuse3)' };
  }
  try {
    const require = createRequire(import.meta.url);
    return { Fuse: require('fuse-native') as FuseCtor };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/libfuse/.test(msg)) return { message: `FUSE is not available: libfuse.so.2 is missing (Debian: apt-get install libfuse2)` };
    if (/Cannot find (module|package)/.test(msg)) return { message: 'FUSE is not available: the fuse-native package is not installed (npm ci)' };
    return { message: `FUSE is not available: ${msg.split('\n')[0]}` };
  }
}

/** A guest directory mounted on a host directory. */
export class GuestMount {
  private fuse: FuseInstance | null = null;

  constructor(
    readonly server: GuestFileServer,
    /** The guest directory served, e.g. /sys/kernel/tracing. */
    readonly guestRoot: string,
    /** The host directory it is mounted on. */
    readonly mountpoint: string,
    /** fsname shown by the host's /proc/mounts (the mount's source). */
    readonly fsname: string,
  ) {}

  private guestPath(p: string): string {
    return p === '/' ? this.guestRoot : this.guestRoot + p;
  }

  private ops(): Record<string, unknown> {
    const srv = this.server;
    const g = (p: string) => this.guestPath(p);
    type Cb = (...args: unknown[]) => void;
    const done = (cb: Cb) => (r: number) => cb(r < 0 ? r : 0);
    return {
      getattr: (p: string, cb: Cb) => {
        void srv.getattr(g(p)).then((st) => {
          if (typeof st === 'number') return cb(st);
          const t = new Date(st.mtimeMs);
          cb(0, { mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, nlink: st.nlink, ino: Number(st.ino & 0xffffffffn), mtime: t, atime: t, ctime: t });
        });
      },
      readdir: (p: string, cb: Cb) => {
        void srv.readdir(g(p)).then((names) => (typeof names === 'number' ? cb(names) : cb(0, names)));
      },
      open: (p: string, flags: number, cb: Cb) => {
        void srv.open(g(p), guestOpenFlags(flags, HOST_FLAGS)).then((fd) => (fd < 0 ? cb(fd) : cb(0, fd)));
      },
      create: (p: string, mode: number, cb: Cb) => {
        void srv.create(g(p), mode).then((fd) => (fd < 0 ? cb(fd) : cb(0, fd)));
      },
      read: (_p: string, fd: number, buf: Buffer, len: number, pos: number, cb: Cb) => {
        void srv.read(fd, len, pos).then((r) => {
          if (typeof r === 'number') return cb(r);
          buf.set(r.subarray(0, len));
          cb(Math.min(r.length, len));
        });
      },
      write: (_p: string, fd: number, buf: Buffer, len: number, pos: number, cb: Cb) => {
        // Copy: the buffer belongs to the FUSE thread once the callback has run.
        void srv.write(fd, new Uint8Array(buf.subarray(0, len)), pos).then((n) => cb(n));
      },
      truncate: (p: string, size: number, cb: Cb) => void srv.truncate(g(p), size).then(done(cb)),
      ftruncate: (_p: string, fd: number, size: number, cb: Cb) => void srv.ftruncate(fd, size).then(done(cb)),
      release: (_p: string, fd: number, cb: Cb) => void srv.release(fd).then(() => cb(0)),
      mkdir: (p: string, mode: number, cb: Cb) => void srv.mkdir(g(p), mode).then(done(cb)),
      rmdir: (p: string, cb: Cb) => void srv.rmdir(g(p)).then(done(cb)),
      unlink: (p: string, cb: Cb) => void srv.unlink(g(p)).then(done(cb)),
    };
  }

  /** Mount (replacing a stale mount a killed server left behind); rejects with libfuse's error. */
  async mount(Fuse: FuseCtor): Promise<void> {
    const fuse = new Fuse(this.mountpoint, this.ops(), {
      force: true,
      mkdir: true,
      timeout: false,
      fsname: this.fsname,
      subtype: 'kprobe',
    });
    const base = fuse._fuseOptions.bind(fuse);
    fuse._fuseOptions = () => {
      const o = base();
      return o ? `${o},${EXTRA_OPTIONS.join(',')}` : `-o${EXTRA_OPTIONS.join(',')}`;
    };
    await new Promise<void>((resolve, reject) => fuse.mount((err) => (err ? reject(err) : resolve())));
    this.fuse = fuse;
  }

  /** Unmount (fusermount -uz, then libfuse's own unmount). */
  async unmount(): Promise<void> {
    const fuse = this.fuse;
    if (!fuse) return;
    this.fuse = null;
    await new Promise<void>((resolve) =>
      fuse.unmount((err) => {
        // fusermount may be gone or the mount already detached: detach it ourselves, best effort.
        if (err) execFile('umount', ['-l', this.mountpoint], () => resolve());
        else resolve();
      }),
    );
  }

  /** Last resort at process exit: detach without waiting (never touches the files of the mount). */
  detachNow(): void {
    if (!this.fuse) return;
    this.fuse = null;
    const tool = commandExists('fusermount') ? 'fusermount' : 'fusermount3';
    spawnSync(tool, ['-uz', this.mountpoint], { stdio: 'ignore' });
  }
}
