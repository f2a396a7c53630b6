// Reading the guest kernel's own data structures from TypeScript, at the offsets its BTF gives
// (guest-layout.ts): the mount table for /proc/mounts (d_path() over dentries and mounts). Counterpart of fs/proc_namespace.c (show_vfsmnt), fs/d_path.c and fs/proc/array.c.

import type { Kernel } from './kernel.ts';

export interface MountEntry {
  devname: string;
  path: string;
  fstype: string;
  flags: number;
}

/** d_path(): the absolute path of a dentry in a mount. */
function dPath(kernel: Kernel, mount: number, dentry: number): string {
  const m = kernel.memory;
  const { mount: MNT, dentry: DENTRY } = kernel.layout;
  const ptr = (a: number) => kernel.readPointer(a);
  const parts: string[] = [];
  for (let guard = 0; guard < 256; guard++) {
    const root = ptr(mount + MNT.root);
    if (dentry === root) {
      const parent = ptr(mount + MNT.parent);
      if (parent === mount) break;
      dentry = ptr(mount + MNT.mountpoint);
      mount = parent;
      continue;
    }
    const len = m.read32(dentry + DENTRY.nameLen);
    parts.push(m.readCString(ptr(dentry + DENTRY.name), len));
    const up = ptr(dentry + DENTRY.parent);
    if (up === dentry) break;
    dentry = up;
  }
  return '/' + parts.reverse().join('/');
}

/** The mount table, in mount order, as the guest keeps it on mount_list. */
export function readMounts(kernel: Kernel): MountEntry[] {
  const m = kernel.memory;
  const { mount: MNT, superBlock: SB, fileSystemType: FST } = kernel.layout;
  const ptr = (a: number) => kernel.readPointer(a);
  const head = kernel.symbol('mount_list');
  const out: MountEntry[] = [];
  for (let node = ptr(head), guard = 0; node !== head && guard < 1024; node = ptr(node), guard++) {
    const mount = node - MNT.list;
    const sb = ptr(mount + MNT.sb);
    const type = ptr(sb + SB.type);
    const devnamePtr = ptr(mount + MNT.devname);
    out.push({
      devname: devnamePtr ? m.readCString(devnamePtr, 256) : 'none',
      path: dPath(kernel, mount, ptr(mount + MNT.root)),
      fstype: type ? m.readCString(ptr(type + FST.name), 64) : '?',
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
