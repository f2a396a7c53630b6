// A writer of "newc" cpio archives (the initramfs format, Documentation/driver-api/early-userspace/
// buffer-format.rst), so that the conformance harness builds its initramfs without root (device
// nodes such as /dev/console need no mknod) and without the cpio tool. Uncompressed: a raw cpio
// boots faster under QEMU TCG than a gzip one (real-kernel.md).

import { readFileSync, statSync } from 'node:fs';

export type CpioEntry =
  | { path: string; type: 'dir'; mode?: number }
  | { path: string; type: 'file'; data: Uint8Array | string; mode?: number }
  | { path: string; type: 'symlink'; target: string }
  | { path: string; type: 'char'; major: number; minor: number; mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

/** A file entry read from the host, keeping its executable bit. */
export function hostFile(path: string, hostPath: string): CpioEntry {
  const st = statSync(hostPath);
  return { path, type: 'file', data: readFileSync(hostPath), mode: st.mode & 0o777 };
}

/** The archive: every entry in order (parents before children), then the TRAILER!!! record. */
export function buildCpio(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  let size = 0;
  const push = (b: Buffer) => {
    parts.push(b);
    size += b.length;
  };
  const pad = () => {
    const n = (4 - (size % 4)) % 4;
    if (n) push(Buffer.alloc(n));
  };
  const record = (name: string, mode: number, data: Buffer, rdevMajor = 0, rdevMinor = 0) => {
    const nameBytes = Buffer.from(`${name}\0`, 'utf8');
    const hex = (v: number) => v.toString(16).padStart(8, '0');
    const header =
      '070701' +
      hex(ino++) +
      hex(mode) +
      hex(0) + // uid
      hex(0) + // gid
      hex(mode & S_IFDIR ? 2 : 1) + // nlink
      hex(0) + // mtime
      hex(data.length) +
      hex(0) + // devmajor
      hex(0) + // devminor
      hex(rdevMajor) +
      hex(rdevMinor) +
      hex(nameBytes.length) +
      hex(0); // check
    push(Buffer.from(header, 'ascii'));
    push(nameBytes);
    pad();
    push(data);
    pad();
  };
  for (const e of entries) {
    const name = e.path.replace(/^\/+/, '');
    switch (e.type) {
      case 'dir':
        record(name, S_IFDIR | (e.mode ?? 0o755), Buffer.alloc(0));
        break;
      case 'file':
        record(name, S_IFREG | (e.mode ?? 0o644), typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : Buffer.from(e.data));
        break;
      case 'symlink':
        record(name, S_IFLNK | 0o777, Buffer.from(e.target, 'utf8'));
        break;
      case 'char':
        record(name, S_IFCHR | (e.mode ?? 0o600), Buffer.alloc(0), e.major, e.minor);
        break;
    }
  }
  ino = 0;
  record('TRAILER!!!', 0, Buffer.alloc(0));
  return Buffer.concat(parts, size);
}

/** The directories an entry list needs, added before it (sorted, each once). */
export function withParents(entries: readonly CpioEntry[]): CpioEntry[] {
  const have = new Set(entries.filter((e) => e.type === 'dir').map((e) => e.path.replace(/^\/+|\/+$/g, '')));
  const dirs: string[] = [];
  for (const e of entries) {
    const parts = e.path.replace(/^\/+/, '').split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!have.has(d)) {
        have.add(d);
        dirs.push(d);
      }
    }
  }
  dirs.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  return [...dirs.map((d): CpioEntry => ({ path: d, type: 'dir' })), ...entries];
}
