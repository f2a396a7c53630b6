// The host's tracefs: where it is mounted (mounting it when it is not), and synchronous reads and
// writes of its control files with the kernel's errno kept. Counterpart of libtracefs'
// tracefs_tracing_dir(), trace_find_tracing_dir() and mount_tracefs() (src/tracefs-utils.c), and
// of ftracetest's start-up (`grep tracefs /proc/mounts`, else mount /sys/kernel/tracing, else
// debugfs' tracing directory).
//
// Policy on mounting, as perf-tools and ftracetest do: when tracefs is not mounted, it is mounted
// at /sys/kernel/tracing and left mounted (other tracing tools expect it there); the tool says so
// on stderr. Nothing else is ever mounted or unmounted.
//
// Control files are written with one write(2) per command, as `echo … >>` does: the kernel parses
// each write on its own. Reads use latin1 so that every byte survives the round trip.

import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmdirSync, mkdirSync, statSync, writeSync, constants } from 'node:fs';
import { join } from 'node:path';
import { strerror } from '../uapi/errno.ts';

/** A failure to report to the user as a sentence, not a stack trace. */
export class HostError extends Error {
  constructor(
    message: string,
    /** The exit status the command ends with. */
    readonly exitCode = 1,
    /** The errno the module-style API returns for it (negative), when it is not -EINVAL. */
    readonly errno?: number,
  ) {
    super(message);
  }
}

/** A failed read/write/mkdir/rmdir of a tracefs file: the path and the kernel's errno (positive). */
export class TracefsError extends Error {
  constructor(
    readonly op: 'read' | 'write' | 'mkdir' | 'rmdir' | 'open',
    readonly path: string,
    /** Positive errno (22 for EINVAL). */
    readonly errno: number,
    /** "EINVAL". */
    readonly code: string,
  ) {
    super(`${op} ${path}: ${strerror(errno)}`);
  }
}

function asTracefsError(op: TracefsError['op'], path: string, e: unknown): TracefsError {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.errno === 'number' && typeof err.code === 'string') return new TracefsError(op, path, Math.abs(err.errno), err.code);
  throw e;
}

/** The mounted tracefs. Paths given to its methods are relative to the tracing directory. */
export class Tracefs {
  constructor(
    /** The tracing directory (/sys/kernel/tracing, or debugfs' tracing). */
    readonly dir: string,
    /**
     * How it was found: already mounted, mounted by this process, debugfs' tracing directory, or
     * not mounted (only for a dry run, which never mounts).
     */
    readonly how: 'mounted' | 'mounted-now' | 'debugfs' | 'unmounted',
  ) {}

  path(rel: string): string {
    return rel === '' ? this.dir : join(this.dir, rel);
  }

  exists(rel: string): boolean {
    return existsSync(this.path(rel));
  }

  /** The file's text (latin1: one character per byte); TracefsError on failure. */
  read(rel: string): string {
    const p = this.path(rel);
    try {
      return readFileSync(p, 'latin1');
    } catch (e) {
      throw asTracefsError('read', p, e);
    }
  }

  /** The file's text, or undefined if it cannot be read. */
  tryRead(rel: string): string | undefined {
    try {
      return this.read(rel);
    } catch {
      return undefined;
    }
  }

  /**
   * One write(2) of `text` (a newline is added when missing): append (`>>`, O_APPEND) or truncate
   * (`>`, O_TRUNC). TracefsError with the kernel's errno when the write or the open fails.
   */
  write(rel: string, text: string, mode: 'append' | 'truncate' = 'truncate'): void {
    const p = this.path(rel);
    const data = Buffer.from(text.endsWith('\n') ? text : text + '\n', 'latin1');
    let fd: number;
    try {
      fd = openSync(p, constants.O_WRONLY | (mode === 'append' ? constants.O_APPEND : constants.O_TRUNC));
    } catch (e) {
      throw asTracefsError('open', p, e);
    }
    try {
      writeSync(fd, data, 0, data.length);
    } catch (e) {
      throw asTracefsError('write', p, e);
    } finally {
      closeSync(fd);
    }
  }

  mkdir(rel: string): void {
    const p = this.path(rel);
    try {
      mkdirSync(p);
    } catch (e) {
      throw asTracefsError('mkdir', p, e);
    }
  }

  rmdir(rel: string): void {
    const p = this.path(rel);
    try {
      rmdirSync(p);
    } catch (e) {
      throw asTracefsError('rmdir', p, e);
    }
  }

  /** Names in a directory ([] when it does not exist). */
  list(rel: string): string[] {
    try {
      return readdirSync(this.path(rel));
    } catch {
      return [];
    }
  }
}

export interface FindTracefsOptions {
  /** Prefix of /proc and /sys (tests point it at a scratch tree); default '' (the real ones). */
  readonly root?: string;
  /**
   * Mount tracefs on a directory; returns undefined on success or the error text. Default:
   * `mount -t tracefs nodev DIR`.
   */
  readonly mount?: (dir: string) => string | undefined;
  /** Never mount (a dry run): find what is there, or say where tracefs would be mounted. */
  readonly noMount?: boolean;
}

/** The standard places. */
export const TRACEFS_DIR = '/sys/kernel/tracing';
export const DEBUGFS_TRACING_DIR = '/sys/kernel/debug/tracing';

function runMount(dir: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tracefs', 'nodev', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    return undefined;
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string; code?: string };
    if (err.code === 'ENOENT') return 'mount(8) is not installed';
    return (err.stderr?.toString().trim() || err.message).replace(/^mount: /, '');
  }
}

/** A directory holds a live tracefs when its `events` directory exists (an unmounted mount point is empty). */
function populated(dir: string): boolean {
  return access(dir) === 'yes';
}

/** Whether `dir/events` is there: 'denied' when a non-root user may not look. */
function access(dir: string): 'yes' | 'no' | 'denied' {
  try {
    return statSync(join(dir, 'events')).isDirectory() ? 'yes' : 'no';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' ? 'denied' : 'no';
  }
}

/** Mount points of tracefs and debugfs listed in /proc/mounts. */
function mountsOf(root: string): { tracefs: string[]; debugfs: string[] } {
  const out = { tracefs: [] as string[], debugfs: [] as string[] };
  let text = '';
  try {
    text = readFileSync(join(root || '/', 'proc/mounts'), 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f.length < 3) continue;
    // /proc/mounts escapes spaces as \040.
    const mp = f[1]!.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    if (f[2] === 'tracefs') out.tracefs.push(mp);
    else if (f[2] === 'debugfs') out.debugfs.push(mp);
  }
  return out;
}

/**
 * Find tracefs: a tracefs mount listed in /proc/mounts (/sys/kernel/tracing first), else mount it
 * on /sys/kernel/tracing, else debugfs' tracing directory. HostError with a plain explanation
 * when there is none, or when it cannot be reached without root.
 */
export function findTracefs(opts: FindTracefsOptions = {}): Tracefs {
  const root = opts.root ?? '';
  const at = (p: string): string => (root ? join(root, p) : p);
  const mounts = mountsOf(root);
  const candidates = [...mounts.tracefs].sort((a, b) => Number(b === TRACEFS_DIR) - Number(a === TRACEFS_DIR));
  for (const mp of candidates) {
    const dir = at(mp);
    if (populated(dir)) return new Tracefs(dir, 'mounted');
  }
  // Mounted but unreadable (not root): a dry run still knows where it is.
  if (opts.noMount && candidates.length) return new Tracefs(at(candidates[0]!), 'mounted');
  const denied = candidates.find((mp) => access(at(mp)) === 'denied');
  if (denied !== undefined) throw new HostError(`root is needed: tracefs (${denied}) is readable by root only. Run it as root, e.g. with sudo.`);
  const std = at(TRACEFS_DIR);
  if (populated(std)) return new Tracefs(std, 'mounted');
  for (const mp of mounts.debugfs) {
    const dir = join(at(mp), 'tracing');
    if (populated(dir)) return new Tracefs(dir, 'debugfs');
  }
  const notRoot = typeof process.getuid === 'function' && process.getuid() !== 0 && !root;
  if (existsSync(std)) {
    if (opts.noMount) return new Tracefs(std, 'unmounted');
    if (notRoot) {
      throw new HostError(`root is needed: tracefs is not mounted at ${TRACEFS_DIR}, and mounting it (and creating probes) is for root only. Run it as root, e.g. with sudo.`);
    }
    const err = (opts.mount ?? runMount)(std);
    if (err === undefined && populated(std)) return new Tracefs(std, 'mounted-now');
    const debug = at(DEBUGFS_TRACING_DIR);
    if (populated(debug)) return new Tracefs(debug, 'debugfs');
    if (err && /unknown filesystem type/.test(err)) {
      throw new HostError(`this kernel has no tracefs (mount -t tracefs: ${err}): it was built without CONFIG_TRACING, so it has neither kprobe nor uprobe events.`);
    }
    throw new HostError(`cannot mount tracefs on ${TRACEFS_DIR}: ${err ?? 'the mount shows no events directory'}.`);
  }
  const debug = at(DEBUGFS_TRACING_DIR);
  if (populated(debug)) return new Tracefs(debug, 'debugfs');
  if (notRoot) throw new HostError('root is needed: tracefs cannot be reached. Run it as root, e.g. with sudo.');
  throw new HostError(`this kernel has no tracefs: neither ${TRACEFS_DIR} nor ${DEBUGFS_TRACING_DIR} exists (a kernel without CONFIG_TRACING, or no sysfs mounted).`);
}

/** Explain a failure to reach a tracefs file for lack of privilege, or return undefined. */
export function privilegeMessage(e: unknown): string | undefined {
  if (e instanceof TracefsError && (e.errno === 13 || e.errno === 1)) {
    return `root is needed: ${e.op} ${e.path}: ${strerror(e.errno)}. Run it as root, e.g. with sudo.`;
  }
  return undefined;
}

/** Quote a word for a POSIX shell when it needs it. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A tracefs that changes nothing: writes, mkdir and rmdir are recorded as the shell commands
 * that would do them (`echo 'LINE' >> /sys/kernel/tracing/uprobe_events`), reads read the real
 * files when they are there. What `kprobe host --dry-run` prints.
 */
export class RecordingTracefs extends Tracefs {
  readonly commands: string[] = [];

  override write(rel: string, text: string, mode: 'append' | 'truncate' = 'truncate'): void {
    this.commands.push(`echo ${shellQuote(text.replace(/\n$/, ''))} ${mode === 'append' ? '>>' : '>'} ${shellQuote(this.path(rel))}`);
  }

  override mkdir(rel: string): void {
    this.commands.push(`mkdir ${shellQuote(this.path(rel))}`);
  }

  override rmdir(rel: string): void {
    this.commands.push(`rmdir ${shellQuote(this.path(rel))}`);
  }

  /** A comment line in the plan. */
  note(text: string): void {
    this.commands.push(`# ${text}`);
  }
}
