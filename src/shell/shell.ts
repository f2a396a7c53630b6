// The emulated machine's shell, in the manner of busybox ash: reads command text, expands words,
// applies redirections with real openat/dup3 in the shell process (saving the old fds with fcntl
// F_DUPFD_CLOEXEC, as ash does, so they are restored afterwards), runs builtins in the shell process
// and every other command as a child process (fork through the guest's kernel_clone, comm = the
// command's name), and keeps `$?`.
//
// Pipelines `a | b` run their commands one after the other, joined by a buffer file in the guest's
// /tmp (written by a's write(2)s, read back by b's read(2)s, then unlinked): every byte still goes
// through the guest's system calls, but a pipeline whose first command never ends (`cat trace_pipe
// | grep x`) shows nothing until Ctrl-C. The guest has no pipe(2) yet; with one, the commands would
// run side by side.

import { KernelPanic } from '../kernel/kernel.ts';
import { builtins, type ShellState } from './builtins.ts';
import type { Command, CommandContext } from './command.ts';
import { commands } from './commands/index.ts';
import { expandWord, expandWordToString, parse, type ExpansionScope, type Pipeline, type Redirect, type Script, type SimpleCommand } from './parser.ts';
import type { Kernel, Process } from '../kernel/process-api.ts';
import {
  AT_FDCWD,
  F_DUPFD_CLOEXEC,
  O_APPEND,
  O_CREAT,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  SIGINT,
  errnoText,
  isReg,
  signalName,
  waitStatusToExitCode,
  writeAll,
  Writer,
} from './sys.ts';
import { ENOENT } from '../uapi/errno.ts';

export interface ShellOptions {
  kernel: Kernel;
  /** The shell's own process (fds 0, 1, 2 on /dev/console). */
  proc: Process;
  /** Interactive: syntax errors do not end the shell, lines go to `history`, `$-` has "i". */
  interactive?: boolean;
  /** The terminal's width, exported as COLUMNS (ls lays out its columns with it). */
  columns?: number;
  /** Extra environment variables, exported. */
  env?: Record<string, string>;
}

/** One redirection, resolved: open a file on fd, copy a descriptor onto it, or close it. */
type Plan =
  | { fd: number; kind: 'open'; path: string; flags: number; create: boolean }
  | { fd: number; kind: 'dup'; from: number }
  | { fd: number; kind: 'close' }
  | { fd: number; kind: 'error'; message: string };

export class Shell implements ShellState {
  readonly kernel: Kernel;
  readonly proc: Process;
  readonly interactive: boolean;
  readonly history: string[] = [];
  /** `$?` */
  status = 0;
  /** Set by `exit` (or a syntax error in a script): the shell's exit status. */
  exitCode: number | null = null;

  private readonly vars = new Map<string, string>();
  private readonly exportedNames = new Set<string>();
  /** Processes of the running job: Ctrl-C sends them SIGINT. */
  private readonly foreground = new Set<number>();
  private interrupted = false;
  private pending: string | null = null;
  private pipeSeq = 0;

  private constructor(opts: ShellOptions) {
    this.kernel = opts.kernel;
    this.proc = opts.proc;
    this.interactive = opts.interactive ?? false;
  }

  /** A shell on `proc`, with a login shell's environment, in $HOME (/root). */
  static async start(opts: ShellOptions): Promise<Shell> {
    const sh = new Shell(opts);
    const env: Record<string, string> = {
      HOME: '/root',
      PATH: '/bin',
      SHELL: '/bin/sh',
      USER: 'root',
      LOGNAME: 'root',
      TERM: 'vt100',
      ...(opts.columns ? { COLUMNS: String(opts.columns) } : {}),
      ...opts.env,
    };
    for (const [k, v] of Object.entries(env)) {
      sh.setVar(k, v);
      sh.exportVar(k);
    }
    // A login shell starts in $HOME.
    await sh.proc.chdir(env.HOME);
    const cwd = await sh.proc.getcwd();
    if (typeof cwd === 'string') sh.setVar('PWD', cwd);
    return sh;
  }

  // ---- ShellState (what builtins use) ----

  get lastStatus(): number {
    return this.status;
  }

  getVar(name: string): string | undefined {
    return this.vars.get(name);
  }

  setVar(name: string, value: string): void {
    this.vars.set(name, value);
  }

  unsetVar(name: string): void {
    this.vars.delete(name);
    this.exportedNames.delete(name);
  }

  exportVar(name: string): void {
    this.exportedNames.add(name);
  }

  exported(): [string, string][] {
    return [...this.exportedNames].filter((n) => this.vars.has(n)).sort().map((n) => [n, this.vars.get(n)!]);
  }

  requestExit(code: number): void {
    this.exitCode = code;
  }

  commandList(): { name: string; summary: string }[] {
    return Object.values(commands).map((c) => ({ name: c.name, summary: c.summary }));
  }

  /** Names Tab completes in command position: builtins and commands. */
  commandNames(): string[] {
    return [...Object.keys(builtins).filter((b) => b !== ':'), ...Object.keys(commands)].sort();
  }

  // ---- running text ----

  /**
   * Runs one line of input. A line that leaves a quote open or ends in `|`, `&&`, `||` or `\` is kept
   * and joined with the next; returns true while more input is needed.
   */
  async feed(line: string): Promise<boolean> {
    const src = this.pending === null ? line : `${this.pending}\n${line}`;
    const r = parse(src);
    if (!r.ok && r.incomplete) {
      this.pending = src;
      return true;
    }
    this.pending = null;
    if (this.interactive && src.trim() !== '') this.history.push(src);
    if (!r.ok) {
      await this.syntaxError(r.message);
      return false;
    }
    this.interrupted = false;
    await this.execScript(r.script);
    return false;
  }

  /** End of input: a command left incomplete is a syntax error. */
  async finish(): Promise<void> {
    if (this.pending === null) return;
    const r = parse(this.pending);
    this.pending = null;
    await this.syntaxError(r.ok ? 'syntax error: unexpected end of file' : r.message);
  }

  /** Runs a whole script, line by line as ash reads it; returns the shell's exit status. */
  async runScript(text: string): Promise<number> {
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (const line of lines) {
      if (this.exitCode !== null) break;
      await this.feed(line);
    }
    if (this.exitCode === null) await this.finish();
    return this.exitCode ?? this.status;
  }

  /** Drops a command left unfinished (Ctrl-C at a `> ` continuation prompt). */
  discardPending(): void {
    this.pending = null;
  }

  /** Ctrl-C: SIGINT to the running job; the rest of the command line is abandoned. */
  interrupt(): void {
    this.interrupted = true;
    for (const pid of this.foreground) {
      Promise.resolve(this.proc.kill(pid, SIGINT)).catch(() => undefined);
    }
  }

  private async syntaxError(message: string): Promise<void> {
    await writeAll(this.proc, 2, `sh: ${message}\n`);
    this.status = 2;
    // A non-interactive ash stops at a syntax error.
    if (!this.interactive) this.exitCode = 2;
  }

  private async execScript(script: Script): Promise<void> {
    for (const andOr of script) {
      if (this.exitCode !== null || this.interrupted) break;
      let status = await this.execPipeline(andOr.first);
      this.status = status;
      for (const { op, pipeline } of andOr.rest) {
        if (this.exitCode !== null || this.interrupted) break;
        if ((op === '&&') !== (status === 0)) continue;
        status = await this.execPipeline(pipeline);
        this.status = status;
      }
    }
  }

  private scope(): ExpansionScope {
    return {
      param: (name) => {
        switch (name) {
          case '?':
            return String(this.status);
          case '$':
            return String(this.proc.pid);
          case '#':
            return '0';
          case '0':
            return 'sh';
          case '-':
            return this.interactive ? 'i' : '';
          case '!':
          case '@':
          case '*':
            return '';
          default:
            return /^[0-9]+$/.test(name) ? '' : this.vars.get(name);
        }
      },
      home: () => this.vars.get('HOME') ?? '/',
    };
  }

  private async execPipeline(p: Pipeline): Promise<number> {
    let status: number;
    const n = p.commands.length;
    if (n === 1) {
      status = await this.execSimple(p.commands[0], []);
    } else {
      const buffers: string[] = [];
      for (let i = 0; i < n - 1; i++) buffers.push(`/tmp/.pipe-${this.proc.pid}-${++this.pipeSeq}`);
      status = 0;
      try {
        for (let i = 0; i < n; i++) {
          const plans: Plan[] = [];
          // The reader creates its buffer if the writer never ran (its redirection failed): an empty pipe.
          if (i > 0) plans.push({ fd: 0, kind: 'open', path: buffers[i - 1], flags: O_RDONLY | O_CREAT, create: false });
          if (i < n - 1) plans.push({ fd: 1, kind: 'open', path: buffers[i], flags: O_WRONLY | O_CREAT | O_TRUNC, create: true });
          status = await this.execSimple(p.commands[i], plans);
          if (this.interrupted) break;
        }
      } finally {
        for (const b of buffers) await this.proc.unlinkat(AT_FDCWD, b, 0);
      }
    }
    return p.negated ? (status === 0 ? 1 : 0) : status;
  }

  private plan(r: Redirect, scope: ExpansionScope): Plan {
    const target = expandWordToString(r.target, scope);
    switch (r.op) {
      case '>':
        return { fd: r.fd, kind: 'open', path: target, flags: O_WRONLY | O_CREAT | O_TRUNC, create: true };
      case '>>':
        return { fd: r.fd, kind: 'open', path: target, flags: O_WRONLY | O_CREAT | O_APPEND, create: true };
      case '<':
        return { fd: r.fd, kind: 'open', path: target, flags: O_RDONLY, create: false };
      case '<>':
        return { fd: r.fd, kind: 'open', path: target, flags: O_RDWR | O_CREAT, create: true };
      case '>&':
      case '<&':
        if (target === '-') return { fd: r.fd, kind: 'close' };
        if (/^[0-9]+$/.test(target)) return { fd: r.fd, kind: 'dup', from: Number(target) };
        return { fd: r.fd, kind: 'error', message: `${target}: Bad file descriptor` };
    }
  }

  /**
   * Applies redirections to the shell's own fds; returns the undo, or null after printing the error
   * (every fd already changed is restored).
   */
  private async redirect(plans: Plan[]): Promise<(() => Promise<void>) | null> {
    const saved: { fd: number; copy: number }[] = [];
    const undo = async (): Promise<void> => {
      for (const s of saved.reverse()) {
        if (s.copy >= 0) {
          await this.proc.dup3(s.copy, s.fd, 0);
          await this.proc.close(s.copy);
        } else {
          await this.proc.close(s.fd);
        }
      }
    };
    const fail = async (message: string): Promise<null> => {
      await undo();
      await writeAll(this.proc, 2, `sh: ${message}\n`);
      return null;
    };
    for (const p of plans) {
      if (p.kind === 'error') return fail(p.message);
      if (!saved.some((s) => s.fd === p.fd)) {
        // A copy at fd ≥ 10 (-EBADF if p.fd was not open: then undo closes it again).
        const copy = await this.proc.fcntl(p.fd, F_DUPFD_CLOEXEC, 10);
        saved.push({ fd: p.fd, copy: copy < 0 ? -1 : copy });
      }
      if (p.kind === 'open') {
        const fd = await this.proc.openat(AT_FDCWD, p.path, p.flags, 0o666);
        if (fd < 0) return fail(`can't ${p.create ? 'create' : 'open'} ${p.path}: ${errnoText(fd)}`);
        if (fd !== p.fd) {
          const r = await this.proc.dup3(fd, p.fd, 0);
          await this.proc.close(fd);
          if (r < 0) return fail(`${p.fd}: ${errnoText(r)}`);
        }
      } else if (p.kind === 'dup') {
        if (p.from !== p.fd) {
          const r = await this.proc.dup3(p.from, p.fd, 0);
          if (r < 0) return fail(`${p.from}: ${errnoText(r)}`);
        }
      } else {
        await this.proc.close(p.fd);
      }
    }
    return undo;
  }

  private async execSimple(cmd: SimpleCommand, pipePlans: Plan[]): Promise<number> {
    const scope = this.scope();
    const argv = cmd.words.flatMap((w) => expandWord(w, scope));
    const assignments = cmd.assignments.map((a) => [a.name, expandWordToString(a.value, scope)] as const);
    const plans = [...pipePlans, ...cmd.redirects.map((r) => this.plan(r, scope))];
    const undo = await this.redirect(plans);
    if (!undo) return 1;
    try {
      if (argv.length === 0) {
        // NAME=value alone sets a shell variable; a bare `> file` just creates the file.
        for (const [k, v] of assignments) this.setVar(k, v);
        return 0;
      }
      return await this.dispatch(argv, assignments);
    } finally {
      await undo();
    }
  }

  private environment(assignments: readonly (readonly [string, string])[]): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of this.exported()) env[k] = v;
    for (const [k, v] of assignments) env[k] = v;
    return env;
  }

  private async dispatch(argv: string[], assignments: readonly (readonly [string, string])[]): Promise<number> {
    const name = argv[0];
    const builtin = builtins[name];
    if (builtin) return builtin(this, argv);
    const env = this.environment(assignments);
    const command = commands[name];
    if (command) return this.spawnCommand(command, argv, env);
    const path = await this.findExecutable(name);
    if (path === null) {
      await writeAll(this.proc, 2, `sh: ${name}: not found\n`);
      return 127;
    }
    const r = await this.runElf(this.proc, path, argv, env);
    if (r < 0) {
      await writeAll(this.proc, 2, `sh: ${name}: ${r === -ENOENT ? 'not found' : errnoText(r)}\n`);
      return r === -ENOENT ? 127 : 126;
    }
    return r;
  }

  /** PATH search, as execvp does (a name with a '/' is used as it is). */
  private async findExecutable(name: string): Promise<string | null> {
    if (name.includes('/')) return name;
    for (const dir of (this.vars.get('PATH') ?? '/bin').split(':')) {
      if (!dir) continue;
      const path = `${dir}/${name}`;
      const st = await this.proc.newfstatat(AT_FDCWD, path, 0);
      if (typeof st !== 'number' && isReg(st.mode)) return path;
    }
    return null;
  }

  /** clone + execve from `parent` in the foreground job; the exit code for `$?`, or a negative errno from execve. */
  private async runElf(parent: Process, path: string, argv: string[], env: Record<string, string>): Promise<number> {
    let pid = -1;
    try {
      const status = await this.kernel.runElf(parent, path, argv, {
        envp: Object.entries(env).map(([k, v]) => `${k}=${v}`),
        onStart: (p) => {
          pid = p;
          this.foreground.add(p);
          if (this.interrupted) this.interrupt();
        },
      });
      if (status < 0) return status;
      return this.exitStatus(parent, status);
    } finally {
      this.foreground.delete(pid);
    }
  }

  /** `$?` of a wait4 status; a process killed by a signal other than SIGINT is reported as ash does ("Segmentation fault"). */
  private async exitStatus(reporter: Process, status: number): Promise<number> {
    const { code, signal } = waitStatusToExitCode(status);
    if (signal && signal !== SIGINT) await writeAll(reporter, 2, `${signalName(signal)}\n`);
    return code;
  }

  private async spawnCommand(command: Command, argv: string[], env: Record<string, string>): Promise<number> {
    let status: number;
    try {
      status = await this.kernel.spawn(this.proc, command.name, async (child) => {
        this.foreground.add(child.pid);
        try {
          if (this.interrupted) return 128 + SIGINT;
          return await this.runCommandBody(command, child, argv, env);
        } finally {
          this.foreground.delete(child.pid);
        }
      }, { argv, envp: Object.entries(env).map(([k, v]) => `${k}=${v}`) });
    } catch (e) {
      // A panicked machine runs nothing more, not even this message: let it reach the caller.
      if (e instanceof KernelPanic) throw e;
      await writeAll(this.proc, 2, `sh: ${command.name}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    return this.exitStatus(this.proc, status);
  }

  private async runCommandBody(command: Command, child: Process, argv: string[], env: Record<string, string>): Promise<number> {
    const stdout = new Writer(child, 1);
    const error = async (message: string): Promise<void> => {
      await writeAll(child, 2, `${argv[0]}: ${message}\n`);
    };
    const ctx: CommandContext = {
      argv,
      proc: child,
      kernel: this.kernel,
      env,
      stdout,
      error,
      runElf: (path, elfArgv) => this.runElf(child, path, elfArgv, env),
    };
    let code: number;
    try {
      code = await command.main(ctx);
    } catch (e) {
      if (e instanceof KernelPanic) throw e;
      // A bug in a command must not take the shell down: report it as the command's failure.
      await error(e instanceof Error ? `internal error: ${e.message}` : String(e));
      code = 1;
    }
    const flushed = await stdout.flush();
    if (flushed < 0) {
      await error(`write error: ${errnoText(flushed)}`);
      if (code === 0) code = 1;
    }
    return code;
  }
}
