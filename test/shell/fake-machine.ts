// A test double of the machine for the shell's unit tests: the Process and Kernel contracts of
// src/shell/process-api.ts served by an in-memory file tree in TypeScript (no CPU, no guest), with
// just enough of tracefs (kprobe_events accepting p:/r:/-: lines, an events/kprobes directory,
// enable files, EBUSY on truncation while enabled) to check what the shell does with its answers.
// It records every system call so tests can check the shell makes the calls a real shell makes.

import type { ChildBody, Console, DirEntry, Kernel, LoadedModule, Process, Stat, Utsname } from '../../src/shell/process-api.ts';
import { EBADF, EBUSY, EEXIST, EINVAL, EISDIR, ENOENT, ENOTDIR, ENOTEMPTY, EINTR } from '../../src/uapi/errno.ts';

const O_ACCMODE = 3;
const O_CREAT = 0o100;
const O_TRUNC = 0o1000;
const O_APPEND = 0o2000;
const AT_FDCWD = -100;
const AT_REMOVEDIR = 0x200;
const AT_EMPTY_PATH = 0x1000;

interface Special {
  /** Called on open; may refuse (-errno). */
  open?(flags: number): number;
  read(): string | Promise<string>;
  write?(text: string): number;
}

type Node =
  | { kind: 'dir'; ino: number; mode: number; children: Map<string, Node> }
  | { kind: 'file'; ino: number; mode: number; data: Uint8Array; special?: Special }
  | { kind: 'chr'; ino: number; mode: number; dev: 'console' | 'null' };

interface OpenFile {
  node: Node;
  flags: number;
  pos: number;
  /** Directory listing state. */
  listed?: boolean;
}

let nextIno = 1;
const dir = (): Node & { kind: 'dir' } => ({ kind: 'dir', ino: nextIno++, mode: 0o040755, children: new Map() });
const file = (text = '', special?: Special): Node => ({ kind: 'file', ino: nextIno++, mode: 0o100644, data: new TextEncoder().encode(text), special });

export class FakeMachine implements Kernel {
  readonly arch = 'arm64';
  readonly root = dir();
  output = '';
  readonly calls: { pid: number; call: string; args: unknown[] }[] = [];
  readonly modules: LoadedModule[] = [];
  readonly killed: { pid: number; sig: number }[] = [];
  private nextPid = 100;
  private consoleInput: Uint8Array[] = [];
  private readonly mounts: string[] = ['rootfs / rootfs rw 0 0', 'proc /proc proc rw,relatime 0 0', 'sysfs /sys sysfs rw,relatime 0 0', 'tracefs /sys/kernel/tracing tracefs rw,relatime 0 0'];
  readonly tracing = dir();
  /** Probe events defined through kprobe_events, with their enable state. */
  readonly events = new Map<string, { line: string; enabled: boolean }>();
  readonly console: Console;
  readonly shellProcess: FakeProcess;

  constructor() {
    const add = (path: string, node: Node): Node => {
      const parts = path.split('/').filter(Boolean);
      let d = this.root;
      for (const p of parts.slice(0, -1)) {
        let c = d.children.get(p);
        if (!c) d.children.set(p, (c = dir()));
        d = c as Node & { kind: 'dir' };
      }
      d.children.set(parts[parts.length - 1], node);
      return node;
    };
    for (const d of ['/bin', '/tmp', '/etc', '/sys/kernel/debug', '/root/blog', '/home/user']) add(d, dir());
    add('/root/dockerfile', file('FROM debian\n'));
    add('/etc/hostname', file('kprobe\n'));
    add('/dev/console', { kind: 'chr', ino: nextIno++, mode: 0o020600, dev: 'console' });
    add('/dev/null', { kind: 'chr', ino: nextIno++, mode: 0o020666, dev: 'null' });
    add('/proc/mounts', file('', { read: () => this.mounts.map((m) => m + '\n').join('') }));
    add('/proc/1/stat', file('1 (init) S 0 1 1 0 -1 4194560 0 0 0 0 250 120 0 0 20 0 1 0 1 0 0\n'));
    add('/proc/1/cmdline', file('init\0'));
    add('/sys/kernel/tracing', this.tracing);
    this.buildTracing();
    this.console = {
      write: (bytes) => {
        this.output += new TextDecoder().decode(bytes);
      },
      input: (bytes) => {
        this.consoleInput.push(bytes);
        this.wake();
      },
      endOfInput: () => {
        this.consoleInput.push(new Uint8Array(0));
        this.wake();
      },
      takeInput: () => {
        const all = this.consoleInput.filter((b) => b.length > 0);
        this.consoleInput = [];
        return new TextEncoder().encode(all.map((b) => new TextDecoder().decode(b)).join(''));
      },
    };
    this.shellProcess = new FakeProcess(this, 1, '/');
    for (const fd of [0, 1, 2]) this.shellProcess.fds.set(fd, { node: this.lookup('/dev/console')!, flags: 2, pos: 0 });
  }

  private buildTracing(): void {
    const t = this.tracing;
    const kprobes = (): (Node & { kind: 'dir' }) | undefined => (t.children.get('events') as Node & { kind: 'dir' }).children.get('kprobes') as never;
    t.children.set('events', dir());
    t.children.set('trace', file('# tracer: nop\n', { read: () => '# tracer: nop\n', write: (s) => s.length, open: () => 0 }));
    t.children.set(
      'kprobe_events',
      file('', {
        open: (flags) => {
          if (flags & O_TRUNC) {
            if ([...this.events.values()].some((e) => e.enabled)) return -EBUSY;
            this.events.clear();
            (t.children.get('events') as Node & { kind: 'dir' }).children.delete('kprobes');
          }
          return 0;
        },
        read: () => [...this.events.values()].map((e) => e.line + '\n').join(''),
        write: (text) => {
          for (const raw of text.split('\n')) {
            const line = raw.replace(/#.*/, '').trim();
            if (!line) continue;
            const del = /^-:(?:kprobes\/)?(\w+)$/.exec(line);
            if (del) {
              const ev = this.events.get(del[1]);
              if (!ev) return -ENOENT;
              if (ev.enabled) return -EBUSY;
              this.events.delete(del[1]);
              kprobes()?.children.delete(del[1]);
              continue;
            }
            const m = /^([pr]):(?:kprobes\/)?(\w+) (\w+)/.exec(line);
            if (!m) return -EINVAL;
            const name = m[2];
            this.events.set(name, { line: `${m[1]}:kprobes/${name} ${line.slice(m[0].length - m[3].length)}`, enabled: false });
            const events = t.children.get('events') as Node & { kind: 'dir' };
            if (!events.children.has('kprobes')) {
              const k = dir();
              k.children.set('enable', file('0\n'));
              k.children.set('filter', file('none\n'));
              events.children.set('kprobes', k);
            }
            const evDir = dir();
            evDir.children.set(
              'enable',
              file('', {
                read: () => (this.events.get(name)?.enabled ? '1\n' : '0\n'),
                write: (s) => {
                  const v = s.trim();
                  if (v !== '0' && v !== '1') return -EINVAL;
                  this.events.get(name)!.enabled = v === '1';
                  return s.length;
                },
              }),
            );
            kprobes()!.children.set(name, evDir);
          }
          return new TextEncoder().encode(text).length;
        },
      }),
    );
  }

  /** The node at an absolute path, or undefined. */
  lookup(path: string): Node | undefined {
    let n: Node = this.root;
    for (const p of path.split('/').filter(Boolean)) {
      if (n.kind !== 'dir') return undefined;
      const c = n.children.get(p);
      if (!c) return undefined;
      n = c;
    }
    return n;
  }

  readFile(path: string): string {
    const n = this.lookup(path);
    if (!n || n.kind !== 'file') throw new Error(`no file ${path}`);
    return new TextDecoder().decode(n.data);
  }

  addMount(line: string, at: string): void {
    this.mounts.push(line);
    if (line.startsWith('nodev') || line.startsWith('debugfs')) {
      const debug = this.lookup('/sys/kernel/debug') as Node & { kind: 'dir' };
      debug.children.set('tracing', this.tracing);
    }
    void at;
  }

  removeMount(target: string): number {
    const i = this.mounts.findIndex((m) => m.split(' ')[1] === target);
    if (i < 0) return -EINVAL;
    this.mounts.splice(i, 1);
    if (target === '/sys/kernel/debug') (this.lookup(target) as Node & { kind: 'dir' }).children.delete('tracing');
    return 0;
  }

  private waiters: (() => void)[] = [];
  readonly procs = new Map<number, FakeProcess>();

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** A read of /dev/console: blocks until a line is typed, Ctrl-D, or a signal (-EINTR). */
  async readConsole(p: FakeProcess): Promise<Uint8Array | number> {
    for (;;) {
      if (p.signal) return -EINTR;
      const b = this.consoleInput.shift();
      if (b) return b;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** kill(2): the target's blocked read ends with -EINTR and wait4 reports the signal. */
  signalProcess(pid: number, sig: number): number {
    this.killed.push({ pid, sig });
    const p = this.procs.get(pid);
    if (!p) return -3; // ESRCH
    p.signal = sig;
    this.wake();
    return 0;
  }

  async spawn(parent: Process, comm: string, body: ChildBody): Promise<number> {
    const p = parent as FakeProcess;
    const child = new FakeProcess(this, this.nextPid++, p.cwd, comm);
    for (const [fd, f] of p.fds) child.fds.set(fd, f);
    this.procs.set(child.pid, child);
    this.calls.push({ pid: p.pid, call: 'clone', args: [comm, child.pid] });
    try {
      const code = await body(child);
      if (child.signal) return child.signal;
      return (code & 0xff) << 8;
    } finally {
      this.procs.delete(child.pid);
    }
  }

  async runElf(parent: Process, path: string, argv: string[], options?: { envp?: string[]; onStart?: (pid: number) => void }): Promise<number> {
    this.calls.push({ pid: parent.pid, call: 'runElf', args: [path, argv, options?.envp] });
    const n = this.lookup((parent as FakeProcess).resolve(path));
    if (!n) return -ENOENT;
    if (n.kind === 'file' && new TextDecoder().decode(n.data.subarray(0, 4)) === '\x7fELF') {
      options?.onStart?.(this.nextPid++);
      return 3 << 8;
    }
    return -8; // ENOEXEC
  }

  async insmod(path: string, params: Record<string, string>): Promise<number> {
    this.calls.push({ pid: 0, call: 'insmod', args: [path, params] });
    if (params.symbol === 'nonexistent') return -ENOENT;
    const name = path.replace(/^.*\//, '').replace(/\.ts$/, '');
    if (this.modules.some((m) => m.name === name)) return -EEXIST;
    this.modules.push({ name, size: 16384, usedBy: 0 });
    return 0;
  }

  rmmod(name: string): number {
    const i = this.modules.findIndex((m) => m.name === name);
    if (i < 0) return -ENOENT;
    this.modules.splice(i, 1);
    return 0;
  }

  lsmod(): LoadedModule[] {
    return [...this.modules];
  }

  dmesg(): string {
    return '[    0.000000] Booting Linux on physical CPU 0x0\n';
  }
}

export class FakeProcess implements Process {
  readonly fds = new Map<number, OpenFile>();
  signal = 0;

  constructor(
    private readonly m: FakeMachine,
    readonly pid: number,
    public cwd: string,
    readonly comm = 'sh',
  ) {}

  private log(call: string, ...args: unknown[]): void {
    this.m.calls.push({ pid: this.pid, call, args });
  }

  resolve(path: string, dirfd = AT_FDCWD): string {
    void dirfd;
    const parts = (path.startsWith('/') ? path : `${this.cwd}/${path}`).split('/');
    const out: string[] = [];
    for (const p of parts) {
      if (p === '' || p === '.') continue;
      if (p === '..') out.pop();
      else out.push(p);
    }
    return '/' + out.join('/');
  }

  private parentOf(path: string): { dir: (Node & { kind: 'dir' }) | undefined; name: string } {
    const abs = this.resolve(path);
    const i = abs.lastIndexOf('/');
    const d = this.m.lookup(abs.slice(0, i) || '/');
    return { dir: d && d.kind === 'dir' ? d : undefined, name: abs.slice(i + 1) };
  }

  private lowestFree(min = 0): number {
    let fd = min;
    while (this.fds.has(fd)) fd++;
    return fd;
  }

  openat(dirfd: number, path: string, flags: number, mode = 0o666): number {
    this.log('openat', path, flags);
    let node = this.m.lookup(this.resolve(path, dirfd));
    if (!node) {
      if (!(flags & O_CREAT)) return -ENOENT;
      const { dir: d, name } = this.parentOf(path);
      if (!d) return -ENOENT;
      node = file();
      node.mode = 0o100000 | (mode & 0o777);
      d.children.set(name, node);
    } else if (node.kind === 'dir' && (flags & O_ACCMODE) !== 0) {
      return -EISDIR;
    } else if (node.kind === 'file') {
      if (node.special?.open) {
        const r = node.special.open(flags);
        if (r < 0) return r;
      }
      if (flags & O_TRUNC && !node.special) node.data = new Uint8Array(0);
    }
    const fd = this.lowestFree();
    this.fds.set(fd, { node, flags, pos: 0 });
    return fd;
  }

  async read(fd: number, count: number): Promise<Uint8Array | number> {
    this.log('read', fd, count);
    const f = this.fds.get(fd);
    if (!f) return -EBADF;
    if (f.node.kind === 'dir') return -EISDIR;
    if (f.node.kind === 'chr') {
      if (f.node.dev === 'null') return new Uint8Array(0);
      return this.m.readConsole(this);
    }
    const data = f.node.special ? new TextEncoder().encode(await f.node.special.read()) : f.node.data;
    const out = data.subarray(f.pos, f.pos + count);
    f.pos += out.length;
    return out.slice();
  }

  write(fd: number, data: Uint8Array | string): number {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    this.log('write', fd, new TextDecoder().decode(bytes));
    const f = this.fds.get(fd);
    if (!f || (f.flags & O_ACCMODE) === 0) return -EBADF;
    const n = f.node;
    if (n.kind === 'chr') {
      if (n.dev === 'console') this.m.console.write(bytes);
      return bytes.length;
    }
    if (n.kind === 'dir') return -EISDIR;
    if (n.special) return n.special.write ? n.special.write(new TextDecoder().decode(bytes)) : -EINVAL;
    const at = f.flags & O_APPEND ? n.data.length : f.pos;
    const next = new Uint8Array(Math.max(n.data.length, at + bytes.length));
    next.set(n.data);
    next.set(bytes, at);
    n.data = next;
    f.pos = at + bytes.length;
    return bytes.length;
  }

  close(fd: number): number {
    this.log('close', fd);
    return this.fds.delete(fd) ? 0 : -EBADF;
  }

  dup3(oldfd: number, newfd: number, flags: number): number {
    this.log('dup3', oldfd, newfd, flags);
    const f = this.fds.get(oldfd);
    if (!f || oldfd === newfd) return f ? -EINVAL : -EBADF;
    this.fds.set(newfd, f);
    return newfd;
  }

  fcntl(fd: number, cmd: number, arg: number): number {
    this.log('fcntl', fd, cmd, arg);
    const f = this.fds.get(fd);
    if (!f) return -EBADF;
    const n = this.lowestFree(arg);
    this.fds.set(n, f);
    return n;
  }

  getdents64(fd: number): DirEntry[] | number {
    this.log('getdents64', fd);
    const f = this.fds.get(fd);
    if (!f) return -EBADF;
    if (f.node.kind !== 'dir') return -ENOTDIR;
    if (f.listed) return [];
    f.listed = true;
    const type = (n: Node): number => (n.kind === 'dir' ? 4 : n.kind === 'chr' ? 2 : 8);
    return [
      { name: '.', type: 4, ino: BigInt(f.node.ino) },
      { name: '..', type: 4, ino: 1n },
      ...[...f.node.children].map(([name, n]) => ({ name, type: type(n), ino: BigInt(n.ino) })),
    ];
  }

  chdir(path: string): number {
    this.log('chdir', path);
    const abs = this.resolve(path);
    const n = this.m.lookup(abs);
    if (!n) return -ENOENT;
    if (n.kind !== 'dir') return -ENOTDIR;
    this.cwd = abs;
    return 0;
  }

  getcwd(): string {
    return this.cwd;
  }

  mkdirat(_dirfd: number, path: string, mode: number): number {
    this.log('mkdirat', path, mode);
    if (this.m.lookup(this.resolve(path))) return -EEXIST;
    const { dir: d, name } = this.parentOf(path);
    if (!d) return -ENOENT;
    d.children.set(name, dir());
    return 0;
  }

  unlinkat(_dirfd: number, path: string, flags: number): number {
    this.log('unlinkat', path, flags);
    const n = this.m.lookup(this.resolve(path));
    if (!n) return -ENOENT;
    if (n.kind === 'dir' && !(flags & AT_REMOVEDIR)) return -EISDIR;
    if (n.kind !== 'dir' && flags & AT_REMOVEDIR) return -ENOTDIR;
    if (n.kind === 'dir' && n.children.size > 0) return -ENOTEMPTY;
    const { dir: d, name } = this.parentOf(path);
    d!.children.delete(name);
    return 0;
  }

  newfstatat(dirfd: number, path: string, flags: number): Stat | number {
    this.log('newfstatat', dirfd, path, flags);
    let n: Node | undefined;
    if (flags & AT_EMPTY_PATH && path === '') n = this.fds.get(dirfd)?.node;
    else n = this.m.lookup(this.resolve(path));
    if (!n) return -ENOENT;
    const size = n.kind === 'file' ? BigInt(n.data.length) : 0n;
    return { mode: n.mode, ino: BigInt(n.ino), nlink: n.kind === 'dir' ? 2 : 1, uid: 0, gid: 0, size, mtimeSec: 0n };
  }

  mount(source: string, target: string, fstype: string, flags: number, data?: string): number {
    this.log('mount', source, target, fstype, flags, data);
    const n = this.m.lookup(this.resolve(target));
    if (!n) return -ENOENT;
    if (!['debugfs', 'tracefs', 'proc', 'sysfs', 'ramfs'].includes(fstype)) return -19; // ENODEV
    this.m.addMount(`${source} ${this.resolve(target)} ${fstype} rw,relatime 0 0`, target);
    return 0;
  }

  umount2(target: string, flags: number): number {
    this.log('umount2', target, flags);
    return this.m.removeMount(this.resolve(target));
  }

  uname(): Utsname {
    return { sysname: 'Linux', nodename: 'kprobe', release: '6.12.0-kprobe', version: '#1 SMP', machine: 'aarch64' };
  }

  nanosleep(ns: bigint): number {
    this.log('nanosleep', ns);
    return 0;
  }

  kill(pid: number, sig: number): number {
    this.log('kill', pid, sig);
    return this.m.signalProcess(pid, sig);
  }
}
