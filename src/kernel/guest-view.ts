// Reading the guest kernel's own data structures from TypeScript, with the layouts guest/ABI.md
// fixes: the mount table for /proc/mounts (d_path() over dentries and mounts) and the tasks for
// /proc/<pid>. Counterpart of fs/proc_namespace.c (show_vfsmnt), fs/d_path.c and fs/proc/array.c.

import type { Memory } from '../machine/memory.ts';
import type { Kernel } from './kernel.ts';

const MNT = { list: 0, parent: 16, mountpoint: 24, root: 32, sb: 40, flags: 48, devname: 56 } as const;
const DENTRY = { parent: 8, nameLen: 20, name: 24 } as const;
const SB = { type: 0 } as const;

const ptr = (m: Memory, a: number) => Number(m.read64(a) & 0xffff_ffff_ffffn);

export interface MountEntry {
  devname: string;
  path: string;
  fstype: string;
  flags: number;
}

/** d_path(): the absolute path of a dentry in a mount. */
function dPath(m: Memory, mount: number, dentry: number): string {
  const parts: string[] = [];
  for (let guard = 0; guard < 256; guard++) {
    const root = ptr(m, mount + MNT.root);
    if (dentry === root) {
      const parent = ptr(m, mount + MNT.parent);
      if (parent === mount) break;
      dentry = ptr(m, mount + MNT.mountpoint);
      mount = parent;
      continue;
    }
    const len = m.read32(dentry + DENTRY.nameLen);
    parts.push(m.readCString(ptr(m, dentry + DENTRY.name), len));
    const up = ptr(m, dentry + DENTRY.parent);
    if (up === dentry) break;
    dentry = up;
  }
  return '/' + parts.reverse().join('/');
}

/** The mount table, in mount order, as the guest keeps it on mount_list. */
export function readMounts(kernel: Kernel): MountEntry[] {
  const m = kernel.memory;
  const head = kernel.symbol('mount_list');
  const out: MountEntry[] = [];
  for (let node = ptr(m, head), guard = 0; node !== head && guard < 1024; node = ptr(m, node), guard++) {
    const mount = node - MNT.list;
    const sb = ptr(m, mount + MNT.sb);
    const type = ptr(m, sb + SB.type);
    const devnamePtr = ptr(m, mount + MNT.devname);
    out.push({
      devname: devnamePtr ? m.readCString(devnamePtr, 256) : 'none',
      path: dPath(m, mount, ptr(m, mount + MNT.root)),
      fstype: type ? m.readCString(ptr(m, type), 64) : '?',
      flags: m.read32(mount + MNT.flags),
    });
  }
  return out;
}

/** /proc/mounts: "devname path fstype options 0 0" per mount. */
export function formatMounts(kernel: Kernel): string {
  return readMounts(kernel)
    .map((e) => `${e.devname} ${e.path} ${e.fstype} ${e.flags & 1 ? 'ro' : 'rw'},relatime 0 0\n`)
    .join('');
}
