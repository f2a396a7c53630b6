// System-call helpers for the shell and its commands: the uapi constants they pass (what a C
// program gets from <fcntl.h>, <sys/stat.h>, <dirent.h>, <signal.h>), wait-status decoding, and the
// loops a C library adds around read/write (full writes, read to end of file, buffered stdout).
// The open flags are the asm-generic values, which arm64, x86_64, arm and ppc share for the flags
// used here; mips numbers them differently and will need its own table.

import { strerror } from '../uapi/errno.ts';
import type { DirEntry, Process } from '../kernel/process-api.ts';

import { AT_FDCWD, O_CLOEXEC, O_RDONLY, S_IFCHR, S_IFDIR, S_IFMT, S_IFREG } from '../uapi/fcntl.ts';

export {
  AT_FDCWD, AT_REMOVEDIR, AT_EMPTY_PATH,
  O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_NOCTTY, O_TRUNC, O_APPEND, O_NONBLOCK, O_CLOEXEC,
  F_DUPFD_CLOEXEC,
  S_IFMT, S_IFDIR, S_IFREG, S_IFCHR, S_IFBLK, S_IFIFO, S_IFLNK, S_IFSOCK,
  DT_CHR, DT_DIR, DT_REG, DT_LNK,
} from '../uapi/fcntl.ts';

export const SIGINT = 2;
export const SIGKILL = 9;

export const MS_RDONLY = 1;
export const MNT_FORCE = 1;
export const MNT_DETACH = 2;

export const isDir = (mode: number): boolean => (mode & S_IFMT) === S_IFDIR;
export const isReg = (mode: number): boolean => (mode & S_IFMT) === S_IFREG;
export const isChr = (mode: number): boolean => (mode & S_IFMT) === S_IFCHR;

const signalNames: Record<number, string> = {
  1: 'Hangup', 2: 'Interrupt', 3: 'Quit', 4: 'Illegal instruction', 5: 'Trace/breakpoint trap',
  6: 'Aborted', 7: 'Bus error', 8: 'Floating point exception', 9: 'Killed', 11: 'Segmentation fault',
  13: 'Broken pipe', 14: 'Alarm clock', 15: 'Terminated',
};

/** What a shell reports for a process killed by `sig` ("Killed", "Segmentation fault"…). */
export function signalName(sig: number): string {
  return signalNames[sig] ?? `Signal ${sig}`;
}

/** A wait4 status word as `$?` sees it: the exit code, or 128 + the signal that killed the process. */
export function waitStatusToExitCode(status: number): { code: number; signal: number } {
  const sig = status & 0x7f;
  if (sig === 0) return { code: (status >> 8) & 0xff, signal: 0 };
  return { code: 128 + sig, signal: sig };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const encode = (s: string): Uint8Array => encoder.encode(s);
export const decode = (b: Uint8Array): string => decoder.decode(b);

export function errnoText(ret: number): string {
  return strerror(-ret);
}

/** write(2) until every byte is written (a C library's fwrite does the same on short writes). Returns the total or -errno. */
export async function writeAll(proc: Process, fd: number, data: Uint8Array | string): Promise<number> {
  const bytes = typeof data === 'string' ? encode(data) : data;
  let done = 0;
  // Nothing to write makes no call, as in a C program.
  while (done < bytes.length) {
    const n = await proc.write(fd, done === 0 ? bytes : bytes.subarray(done));
    if (n < 0) return n;
    if (n === 0) return done;
    done += n;
  }
  return done;
}

/** read(2) until end of file. Returns the bytes, or -errno (the bytes read before an error are dropped). */
export async function readAll(proc: Process, fd: number): Promise<Uint8Array | number> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const r = await proc.read(fd, 4096);
    if (typeof r === 'number') return r;
    if (r.length === 0) break;
    chunks.push(r);
    total += r.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** All entries of a directory, by getdents64 until its end. Returns them, or -errno. */
export async function readDir(proc: Process, path: string): Promise<DirEntry[] | number> {
  const fd = await proc.openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fd;
  const all: DirEntry[] = [];
  try {
    for (;;) {
      const batch = await proc.getdents64(fd);
      if (typeof batch === 'number') return batch;
      if (batch.length === 0) break;
      all.push(...batch);
    }
  } finally {
    await proc.close(fd);
  }
  return all;
}

/**
 * stdout of a command, buffered like a C library's stdio for a file (4096 bytes per write(2)), so
 * that output costs few system calls; the first failing write is remembered and reported by flush.
 */
export class Writer {
  private buf: Uint8Array = new Uint8Array(4096);
  private len = 0;
  private error = 0;

  constructor(
    private readonly proc: Process,
    readonly fd: number,
  ) {}

  async write(data: string | Uint8Array): Promise<void> {
    if (this.error) return;
    const bytes = typeof data === 'string' ? encode(data) : data;
    if (this.len + bytes.length > this.buf.length) {
      await this.flushBuffer();
      if (bytes.length >= this.buf.length) {
        const n = await writeAll(this.proc, this.fd, bytes);
        if (n < 0) this.error = n;
        return;
      }
    }
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  private async flushBuffer(): Promise<void> {
    if (this.len === 0 || this.error) return;
    const n = await writeAll(this.proc, this.fd, this.buf.subarray(0, this.len));
    this.len = 0;
    if (n < 0) this.error = n;
  }

  /** Writes what is buffered; returns 0 or the -errno of the first failed write. */
  async flush(): Promise<number> {
    await this.flushBuffer();
    return this.error;
  }
}

/**
 * Reads a file descriptor line by line (like getline(3)), reading 4096 bytes at a time, so that a
 * command can act on each line as it arrives from a blocking file (trace_pipe).
 */
export class LineReader {
  private buf = '';
  private eof = false;
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly proc: Process,
    private readonly fd: number,
  ) {}

  /** True when a whole line is already buffered: next() will not read (and so not block). */
  hasLine(): boolean {
    return this.buf.includes('\n') || (this.eof && this.buf.length > 0);
  }

  /** The next line with its '\n' (the last one may have none), null at end of file, or -errno. */
  async next(): Promise<string | null | number> {
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl >= 0) {
        const line = this.buf.slice(0, nl + 1);
        this.buf = this.buf.slice(nl + 1);
        return line;
      }
      if (this.eof) {
        if (this.buf.length === 0) return null;
        const line = this.buf;
        this.buf = '';
        return line;
      }
      const r = await this.proc.read(this.fd, 4096);
      if (typeof r === 'number') return r;
      if (r.length === 0) {
        this.eof = true;
        this.buf += this.decoder.decode();
      } else {
        this.buf += this.decoder.decode(r, { stream: true });
      }
    }
  }
}

/** Opens each operand for reading ("-" is stdin), as cat, head, grep and wc do; returns the fd or -errno. */
export async function openInput(proc: Process, path: string): Promise<number> {
  if (path === '-') return 0;
  return proc.openat(AT_FDCWD, path, O_RDONLY);
}

/** Closes what openInput opened (never stdin). */
export async function closeInput(proc: Process, fd: number): Promise<void> {
  if (fd !== 0) await proc.close(fd);
}
