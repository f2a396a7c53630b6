// Host-backed file systems: the TypeScript side of the guest's hostfs inodes (HVC_HOSTFS).
// procfs, sysfs, debugfs and tracefs are trees of TypeScript nodes; the guest's VFS does the path
// walk, the mount crossing, open/read/write/getdents and file descriptors, and calls in here for
// each operation on a node. Counterpart of the file_operations and inode_operations of
// fs/proc, fs/sysfs, fs/debugfs and fs/tracefs, as seen through one narrow door.

import type { Memory } from '../machine/memory.ts';
import { EBADF, EINVAL, EISDIR, ELOOP, ENOENT, ENOTDIR } from '../uapi/errno.ts';
import {
  HOSTFS_GETATTR,
  HOSTFS_GETDENTS,
  HOSTFS_LOOKUP,
  HOSTFS_OPEN,
  HOSTFS_READ,
  HOSTFS_READLINK,
  HOSTFS_RELEASE,
  HOSTFS_WRITE,
} from './abi.ts';

export type ReadResult = Uint8Array | number;

/** An open host file; positions are byte offsets kept by the guest's struct file. */
export interface HostOpenFile {
  read(pos: number, count: number, signal?: AbortSignal): ReadResult | Promise<ReadResult>;
  write(pos: number, data: Uint8Array): number;
  release?(): void;
}

export interface HostDir {
  readonly kind: 'dir';
  readonly mode?: number;
  /** Entry names in the order getdents returns them. */
  list(): string[];
  lookup(name: string): HostNode | undefined;
}

export interface HostFile {
  readonly kind: 'file';
  readonly mode?: number;
  size?(): number;
  /** Open with the guest's flags (O_TRUNC, O_APPEND…); a negative errno refuses. */
  open(flags: number): HostOpenFile | number;
}

/** A symbolic link (sysfs's /sys/class/<class>/<device> links). */
export interface HostLink {
  readonly kind: 'link';
  /** The link's body, as readlink returns it. */
  target(): string;
}

export type HostNode = HostDir | HostFile | HostLink;

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const DT_DIR = 4;
const DT_REG = 8;
const DT_LNK = 10;

/** A file whose whole content is generated at open, like a seq_file; writes go to `onWrite`. */
export function textFile(
  generate: () => string,
  onWrite?: (text: string, flags: number) => number,
  mode = onWrite ? 0o644 : 0o444,
): HostFile {
  return {
    kind: 'file',
    mode,
    open(flags) {
      let content: Buffer | null = null;
      return {
        read(pos, count) {
          content ??= Buffer.from(generate(), 'latin1');
          return new Uint8Array(content.subarray(pos, pos + count));
        },
        write(_pos, data) {
          if (!onWrite) return -EINVAL;
          return onWrite(Buffer.from(data).toString('latin1'), flags);
        },
      };
    },
  };
}

/** A directory with fixed or computed children. */
export function dir(children: () => Record<string, HostNode> | Map<string, HostNode>, mode = 0o755): HostDir {
  const entries = () => {
    const c = children();
    return c instanceof Map ? c : new Map(Object.entries(c));
  };
  return {
    kind: 'dir',
    mode,
    list: () => [...entries().keys()],
    lookup: (name) => entries().get(name),
  };
}

interface OpenHandle {
  fs: number;
  path: string[];
  file?: HostOpenFile;
}

export class HostFs {
  private readonly roots = new Map<number, HostNode>();
  /** node ids per file system: a node is known by its path, so dynamic trees stay consistent. */
  private readonly paths = new Map<number, string[][]>();
  private readonly ids = new Map<number, Map<string, number>>();
  private readonly handles = new Map<number, OpenHandle>();
  private nextHandle = 1;

  constructor(private readonly memory: Memory) {}

  mount(fsId: number, root: HostNode): void {
    this.roots.set(fsId, root);
    this.paths.set(fsId, [[], []]); // id 0 unused, id 1 = root
    this.ids.set(fsId, new Map([['', 1]]));
  }

  /** The node at a path of a host file system (for tests and the FUSE mount). */
  resolve(fsId: number, path: string[]): HostNode | undefined {
    let node = this.roots.get(fsId);
    for (const name of path) {
      if (!node || node.kind !== 'dir') return undefined;
      node = node.lookup(name);
    }
    return node;
  }

  private idFor(fsId: number, path: string[]): number {
    const ids = this.ids.get(fsId)!;
    const key = path.join('/');
    let id = ids.get(key);
    if (id === undefined) {
      const paths = this.paths.get(fsId)!;
      id = paths.length;
      paths.push(path);
      ids.set(key, id);
    }
    return id;
  }

  private pathOf(fsId: number, id: number): string[] | undefined {
    return this.paths.get(fsId)?.[id];
  }

  dispatch(op: number, a: bigint[], signal?: AbortSignal): number | Promise<number> {
    const n = (i: number) => Number(BigInt.asIntN(64, a[i]!));
    const addr = (i: number) => Number(a[i]! & 0xffff_ffff_ffffn);
    switch (op) {
      case HOSTFS_LOOKUP: {
        const fs = n(0);
        const dirPath = this.pathOf(fs, n(1));
        if (!dirPath) return -ENOENT;
        const name = Buffer.from(this.memory.readBytes(addr(2), n(3))).toString('latin1');
        const d = this.resolve(fs, dirPath);
        if (!d) return -ENOENT;
        if (d.kind !== 'dir') return -ENOTDIR;
        if (!d.lookup(name)) return -ENOENT;
        return this.idFor(fs, [...dirPath, name]);
      }
      case HOSTFS_GETATTR: {
        const fs = n(0);
        const path = this.pathOf(fs, n(1));
        const node = path && this.resolve(fs, path);
        if (!node) return -ENOENT;
        const mode =
          node.kind === 'dir'
            ? S_IFDIR | (node.mode ?? 0o755)
            : node.kind === 'link'
              ? S_IFLNK | 0o777
              : S_IFREG | (node.mode ?? 0o644);
        const size = node.kind === 'file' ? (node.size?.() ?? 0) : 0; // sysfs reports 0 for links too
        this.memory.write32(addr(2), mode);
        this.memory.write32(addr(2) + 4, 0);
        this.memory.write64(addr(2) + 8, BigInt(size));
        return 0;
      }
      case HOSTFS_OPEN: {
        const fs = n(0);
        const path = this.pathOf(fs, n(1));
        const node = path && this.resolve(fs, path);
        if (!path || !node) return -ENOENT;
        const h: OpenHandle = { fs, path };
        if (node.kind === 'link') return -ELOOP; // the guest follows links before opening
        if (node.kind === 'file') {
          const f = node.open(n(2));
          if (typeof f === 'number') return f;
          h.file = f;
        }
        const id = this.nextHandle++;
        this.handles.set(id, h);
        return id;
      }
      case HOSTFS_READ: {
        const h = this.handles.get(n(0));
        if (!h) return -EBADF;
        if (!h.file) return -EISDIR;
        const buf = addr(1);
        const r = h.file.read(n(3), n(2), signal);
        const finish = (res: ReadResult): number => {
          if (typeof res === 'number') return res;
          this.memory.writeBytes(buf, res.subarray(0, n(2)));
          return Math.min(res.length, n(2));
        };
        return r instanceof Promise ? r.then(finish) : finish(r);
      }
      case HOSTFS_WRITE: {
        const h = this.handles.get(n(0));
        if (!h) return -EBADF;
        if (!h.file) return -EISDIR;
        return h.file.write(n(3), this.memory.readBytes(addr(1), n(2)));
      }
      case HOSTFS_GETDENTS:
        return this.getdents(n(0), addr(1), n(2), addr(3));
      case HOSTFS_READLINK: {
        const fs = n(0);
        const path = this.pathOf(fs, n(1));
        const node = path && this.resolve(fs, path);
        if (!node) return -ENOENT;
        if (node.kind !== 'link') return -EINVAL;
        const body = Buffer.from(node.target(), 'latin1').subarray(0, n(3));
        this.memory.writeBytes(addr(2), body);
        return body.length;
      }
      case HOSTFS_RELEASE: {
        const h = this.handles.get(n(0));
        if (!h) return -EBADF;
        h.file?.release?.();
        this.handles.delete(n(0));
        return 0;
      }
      default:
        return -EINVAL;
    }
  }

  /** linux_dirent64 records from position *posPtr: ".", "..", then the directory's entries. */
  private getdents(handle: number, buf: number, count: number, posPtr: number): number {
    const h = this.handles.get(handle);
    if (!h) return -EBADF;
    const node = this.resolve(h.fs, h.path);
    if (!node) return -ENOENT;
    if (node.kind !== 'dir') return -ENOTDIR;
    const names = ['.', '..', ...node.list()];
    let pos = Number(this.memory.read64(posPtr));
    let used = 0;
    while (pos < names.length) {
      const name = names[pos]!;
      const nameBytes = Buffer.from(name, 'latin1');
      const reclen = Math.ceil((19 + nameBytes.length + 1) / 8) * 8;
      if (used + reclen > count) {
        if (used === 0) return -EINVAL;
        break;
      }
      const child = name === '.' || name === '..' ? node : node.lookup(name);
      const ino = name === '.' ? this.idFor(h.fs, h.path) : name === '..' ? 1 : this.idFor(h.fs, [...h.path, name]);
      const rec = new Uint8Array(reclen);
      const dv = new DataView(rec.buffer);
      const le = this.memory.littleEndian;
      dv.setBigUint64(0, BigInt(ino + h.fs * 0x10000), le);
      dv.setBigInt64(8, BigInt(pos + 1), le);
      dv.setUint16(16, reclen, le);
      rec[18] = child?.kind === 'dir' ? DT_DIR : child?.kind === 'link' ? DT_LNK : DT_REG;
      rec.set(nameBytes, 19);
      this.memory.writeBytes(buf + used, rec);
      used += reclen;
      pos++;
    }
    this.memory.write64(posPtr, BigInt(pos));
    return used;
  }
}
