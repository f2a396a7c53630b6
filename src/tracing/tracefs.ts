// The tracefs file tree as TypeScript nodes: directories and files with the kernel's
// open/read/write/release behaviour. Counterpart of fs/tracefs and the seq_file /
// simple_read_from_buffer file_operations in kernel/trace.
//
// The node shapes are structurally those of src/kernel/hostfs.ts (HostDir, HostFile,
// HostOpenFile), so the kernel layer mounts this tree as is, at /sys/kernel/tracing and as
// debugfs's `tracing`. A read may return a Promise (trace_pipe with no data): the kernel parks
// the reading task until it settles; the AbortSignal cancels the wait (the read then returns
// -EINTR). O_NONBLOCK reads return -EAGAIN instead of a Promise.

import { fromBytes, toBytes } from './kstr.ts';
import { EINVAL } from '../uapi/errno.ts';

export type ReadResult = Uint8Array | number;

export interface TraceFsOpenFile {
  /** Read count bytes at pos: bytes (empty at end of file), a negative errno, or a Promise of either. */
  read(pos: number, count: number, signal?: AbortSignal): ReadResult | Promise<ReadResult>;
  /** Write data at pos: bytes consumed or a negative errno. */
  write(pos: number, data: Uint8Array): number;
  release?(): void;
}

export interface TraceFsFile {
  readonly kind: 'file';
  readonly mode: number;
  /** Open with the guest's open(2) flags; a negative errno refuses the open. */
  open(flags: number): TraceFsOpenFile | number;
}

export interface TraceFsDir {
  readonly kind: 'dir';
  readonly mode: number;
  /** Entry names in readdir order. */
  list(): string[];
  lookup(name: string): TraceFsNode | undefined;
}

export type TraceFsNode = TraceFsFile | TraceFsDir;

import { O_ACCMODE, O_RDONLY, O_RDWR, O_WRONLY } from '../uapi/fcntl.ts';

export { O_ACCMODE, O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND, O_NONBLOCK } from '../uapi/fcntl.ts';

/** tracefs modes: TRACE_MODE_WRITE and TRACE_MODE_READ; directories rwxr-x---. */
export const MODE_WRITE = 0o640;
export const MODE_READ = 0o440;
export const MODE_WRITE_ONLY = 0o220;
export const MODE_DIR = 0o750;

export const isWriteOpen = (flags: number): boolean => (flags & O_ACCMODE) === O_WRONLY || (flags & O_ACCMODE) === O_RDWR;
export const isReadOpen = (flags: number): boolean => (flags & O_ACCMODE) === O_RDONLY || (flags & O_ACCMODE) === O_RDWR;

export interface SeqFileOptions {
  mode?: number;
  /** Called at open (e.g. O_TRUNC clears); a negative errno refuses the open. */
  open?(flags: number): number;
  /** The content, generated at the first read of this open file (as seq_file does). */
  show?(): string;
  /** Handle a write of `text`; returns the bytes consumed or a negative errno. */
  write?(text: string, flags: number): number;
  release?(): void;
}

/** A file whose reads come from a text generated once per open, and whose writes go to a handler. */
export function seqFile(o: SeqFileOptions): TraceFsFile {
  const mode = o.mode ?? (o.write ? MODE_WRITE : MODE_READ);
  return {
    kind: 'file',
    mode,
    open(flags) {
      if (o.open) {
        const r = o.open(flags);
        if (r < 0) return r;
      }
      let content: Uint8Array | undefined;
      return {
        read(pos, count) {
          if (!o.show) return -EINVAL;
          content ??= toBytes(o.show());
          return content.subarray(pos, pos + count);
        },
        write(_pos, data) {
          if (!o.write) return -EINVAL;
          return o.write(fromBytes(data), flags);
        },
        release: o.release,
      };
    },
  };
}

/** A directory whose entries are computed at each lookup/list. */
export function dynDir(entries: () => [string, TraceFsNode][], mode = MODE_DIR): TraceFsDir {
  return {
    kind: 'dir',
    mode,
    list: () => entries().map(([n]) => n),
    lookup: (name) => entries().find(([n]) => n === name)?.[1],
  };
}

/**
 * An eventfs directory (fs/tracefs/event_inode.c): its own files, then its subdirectories (event
 * systems, events), computed at each lookup/list. A listing shows the files first; a lookup finds
 * a subdirectory before a file of the same name (eventfs_root_lookup() searches the children
 * first), so an event called "enable" is reachable as a directory.
 */
export function eventfsDir(files: () => [string, TraceFsNode][], children: () => [string, TraceFsDir][], mode = MODE_DIR): TraceFsDir {
  return {
    kind: 'dir',
    mode,
    list: () => [...files().map(([n]) => n), ...children().map(([n]) => n)],
    lookup: (name) => children().find(([n]) => n === name)?.[1] ?? files().find(([n]) => n === name)?.[1],
  };
}

/** Walk a path ("events/kprobes/enable") from a directory. */
export function resolvePath(root: TraceFsDir, path: string): TraceFsNode | undefined {
  let node: TraceFsNode | undefined = root;
  for (const part of path.split('/').filter((p) => p.length > 0)) {
    if (!node || node.kind !== 'dir') return undefined;
    node = node.lookup(part);
  }
  return node;
}
