// sysfs's tree of nodes, kept on the TypeScript side as fs/kernfs keeps it in Linux. The guest's
// kobjects make the directories, attribute files and links (HVC_KERNFS from guest/kernel/sysfs.c);
// reading an attribute file calls back into the guest, sysfs_kf_seq_show → the kobject type's
// show (rtc's name_show, wakeup_stats's …), and writing calls sysfs_kf_write → store.
// Counterpart of fs/kernfs/{dir,file,symlink}.c and the read/write path of fs/sysfs/file.c.

import type { Memory } from '../machine/memory.ts';
import { EACCES, EEXIST, EINVAL, ENOENT, ENOMEM, ENOTDIR } from '../uapi/errno.ts';
import { O_ACCMODE, O_RDONLY, O_WRONLY } from '../uapi/fcntl.ts';
import { KERNFS_CREATE_DIR, KERNFS_CREATE_FILE, KERNFS_CREATE_LINK } from './abi.ts';
import type { HostDir, HostFile, HostLink, HostOpenFile } from './hostfs.ts';

const PAGE_SIZE = 4096;
const GFP_KERNEL = 0;

/** What sysfs needs of the kernel: calls into guest functions, and guest memory. */
export interface SysfsKernel {
  readonly memory: Memory;
  callGuest(fn: string, args: readonly (bigint | number)[]): bigint;
  /** A guest function's `long` result, its errno in the generic numbering. */
  guestLong(value: bigint): number;
}

interface KernfsDir extends HostDir {
  readonly name: string;
  readonly parent: KernfsDir | undefined;
  readonly children: Map<string, KernfsEntry>;
}
type KernfsEntry = KernfsDir | HostFile | HostLink;

export class Sysfs {
  /** Nodes by kernfs id; 0 is the root of sysfs. */
  private readonly nodes: (KernfsEntry | undefined)[] = [];
  readonly root: KernfsDir;

  constructor(private readonly kernel: SysfsKernel) {
    this.root = this.makeDir('', undefined);
    this.nodes.push(this.root);
  }

  private makeDir(name: string, parent: KernfsDir | undefined): KernfsDir {
    const children = new Map<string, KernfsEntry>();
    return {
      kind: 'dir',
      mode: 0o755,
      name,
      parent,
      children,
      list: () => [...children.keys()],
      lookup: (n) => children.get(n),
    };
  }

  /** HVC_KERNFS: a node made in directory `parent`; its id, or -errno. */
  dispatch(op: number, args: readonly bigint[]): number {
    const parent = this.nodes[Number(args[0])];
    if (!parent) return -ENOENT;
    if (parent.kind !== 'dir') return -ENOTDIR;
    const name = this.kernel.memory.readCString(Number(args[1]! & 0xffff_ffff_ffffn));
    if (!name || name.includes('/')) return -EINVAL;
    // Linux warns "sysfs: cannot create duplicate filename" and refuses.
    if (parent.children.has(name)) return -EEXIST;
    let node: KernfsEntry;
    switch (op) {
      case KERNFS_CREATE_DIR:
        node = this.makeDir(name, parent);
        break;
      case KERNFS_CREATE_FILE:
        node = this.attributeFile(Number(args[2]) & 0o7777, args[3]!, args[4]!);
        break;
      case KERNFS_CREATE_LINK: {
        const target = this.nodes[Number(args[2])];
        if (!target || target.kind !== 'dir') return -ENOENT;
        node = { kind: 'link', target: () => relativePath(parent, target) };
        break;
      }
      default:
        return -EINVAL;
    }
    parent.children.set(name, node);
    this.nodes.push(node);
    return this.nodes.length - 1;
  }

  /** An attribute of kobject `kobj`: its content is what show() writes when it is first read. */
  private attributeFile(mode: number, kobj: bigint, attr: bigint): HostFile {
    return {
      kind: 'file',
      mode,
      size: () => PAGE_SIZE, // sysfs reports every attribute as one page
      open: (flags): HostOpenFile | number => {
        // kernfs_fop_open: no writing where there is no store, no reading where there is no show.
        const acc = flags & O_ACCMODE;
        if (acc !== O_RDONLY && !(mode & 0o222)) return -EACCES;
        if (acc !== O_WRONLY && !(mode & 0o444)) return -EACCES;
        let content: Uint8Array | undefined;
        return {
          read: (pos, count) => {
            if (!content) {
              const shown = this.show(kobj, attr);
              if (typeof shown === 'number') return shown;
              content = shown;
            }
            return content.subarray(pos, pos + count);
          },
          write: (_pos, data) => this.store(kobj, attr, data),
        };
      },
    };
  }

  /** sysfs_kf_seq_show into a zeroed kernel page. */
  private show(kobj: bigint, attr: bigint): Uint8Array | number {
    const { memory } = this.kernel;
    const page = this.kernel.callGuest('kmalloc', [PAGE_SIZE, GFP_KERNEL]);
    if (page === 0n) return -ENOMEM;
    const at = Number(page & 0xffff_ffff_ffffn);
    try {
      memory.writeBytes(at, new Uint8Array(PAGE_SIZE));
      const n = this.kernel.guestLong(this.kernel.callGuest('sysfs_kf_seq_show', [kobj, attr, page]));
      return n < 0 ? n : memory.readBytes(at, n);
    } finally {
      this.kernel.callGuest('kfree', [page]);
    }
  }

  /** sysfs_kf_write with the bytes NUL-terminated in a kernel buffer, at most a page of them. */
  private store(kobj: bigint, attr: bigint, data: Uint8Array): number {
    const { memory } = this.kernel;
    const len = Math.min(data.length, PAGE_SIZE);
    const buf = this.kernel.callGuest('kmalloc', [len + 1, GFP_KERNEL]);
    if (buf === 0n) return -ENOMEM;
    const at = Number(buf & 0xffff_ffff_ffffn);
    try {
      memory.writeBytes(at, data.subarray(0, len));
      memory.writeBytes(at + len, Uint8Array.of(0));
      return this.kernel.guestLong(this.kernel.callGuest('sysfs_kf_write', [kobj, attr, buf, len]));
    } finally {
      this.kernel.callGuest('kfree', [buf]);
    }
  }
}

/**
 * kernfs_get_target_path: from the link's directory up to the nearest directory that is an
 * ancestor of the target (never the target itself: a link to its own ancestor climbs past it),
 * then down.
 */
function relativePath(from: KernfsDir, to: KernfsDir): string {
  const chain = (d: KernfsDir): KernfsDir[] => {
    const out: KernfsDir[] = [];
    for (let x: KernfsDir | undefined = d; x; x = x.parent) out.unshift(x);
    return out;
  };
  const a = chain(from);
  const b = chain(to);
  let common = 0;
  while (common < a.length && common < b.length - 1 && a[common] === b[common]) common++;
  const up = '../'.repeat(a.length - common);
  return up + b.slice(common).map((d) => d.name).join('/');
}
