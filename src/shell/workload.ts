// A background workload for the emulated machine: a shell that runs command lines over and over,
// one line per turn of the machine lock, so that processes are started (kernel_clone, execve,
// do_exit) and files are opened, read and written (do_sys_openat2, vfs_open, vfs_read, vfs_write,
// dput) all the time, while other drivers (the FUSE server) take their turns in between. It is what
// the ftrace selftests' triggers observe when they run against the machine from the host: a
// host `( echo forked )` forks on the host, the workload forks in the machine. No Linux
// counterpart: the programs a real machine always has running.

import type { Kernel } from '../kernel/kernel.ts';
import { machineLock, type MachineLock } from '../kernel/machine-lock.ts';
import type { Kernel as ShellKernel, Process } from '../kernel/process-api.ts';
import { Shell } from './shell.ts';

/**
 * The named workloads. Every line of `busy` forks a command that opens and reads a file and
 * writes to /dev/null (opened by the shell from a user-space path), so that whichever line runs
 * between two host operations, kernel_clone, do_sys_openat2, vfs_open, vfs_read, vfs_write and
 * dput are all hit; every other line also makes a symbolic link (`ln -sf`: do_symlinkat,
 * vfs_symlink), so that any two lines in a row do.
 */
export const WORKLOADS: Record<string, { summary: string; lines: string[] }> = {
  busy: {
    summary: 'start processes, open, read and write files (the default)',
    lines: [
      'cat /proc/version > /dev/null; ln -sf /proc/version /tmp/version',
      'echo $$ > /tmp/workload; cat /tmp/workload > /dev/null',
      'ln -sf ../etc/passwd /tmp/passwd; grep root /tmp/passwd > /dev/null',
      'ls /tmp > /dev/null; cat /etc/hostname > /dev/null',
      'ln -sf /root/blog/hello.md /tmp/hello.md; wc /tmp/hello.md > /dev/null',
      'head -n 1 /etc/os-release > /dev/null; rm -f /tmp/workload',
    ],
  },
  fork: {
    summary: 'start processes that do nothing else',
    lines: ['true'],
  },
  files: {
    summary: 'open and write files without starting processes',
    lines: ['echo $$ > /tmp/workload', 'echo x >> /tmp/workload', ': < /tmp/workload', ': < /proc/version'],
  },
  none: { summary: 'nothing: the machine idles between host operations', lines: [] },
};

/** The lines of a workload: a name of WORKLOADS, else the argument itself as one shell line. */
export function workloadLines(spec: string): string[] {
  const w = WORKLOADS[spec];
  return w ? w.lines : [spec];
}

export interface WorkloadOptions {
  kernel: ShellKernel;
  /** The machine's TypeScript kernel half (for its lock). */
  core: Kernel;
  /** The shell's process (a child of init, fds 0, 1, 2 on /dev/console). */
  proc: Process;
  lines: string[];
}

export class Workload {
  /** Shell lines run so far. */
  steps = 0;
  /** The error that stopped the loop (a kernel panic), if any. */
  error: unknown = null;
  private stopping = false;
  private readonly done: Promise<void>;
  private readonly lock: MachineLock;

  private constructor(
    private readonly shell: Shell,
    core: Kernel,
    private readonly lines: string[],
  ) {
    this.lock = machineLock(core);
    this.done = lines.length ? this.loop() : Promise.resolve();
  }

  static async start(opts: WorkloadOptions): Promise<Workload> {
    const lock = machineLock(opts.core);
    const shell = await lock.run(() => Shell.start({ kernel: opts.kernel, proc: opts.proc }));
    return new Workload(shell, opts.core, opts.lines);
  }

  private async loop(): Promise<void> {
    try {
      for (let i = 0; !this.stopping; i = (i + 1) % this.lines.length) {
        await this.lock.run(() => this.shell.feed(this.lines[i]!));
        this.steps++;
        // A syntax error or `exit` in a line ends a non-interactive shell, and so the workload.
        if (this.shell.exitCode !== null) throw new Error(`workload: the shell exited (status ${this.shell.exitCode}) at: ${this.lines[i]}`);
        // Let the event loop deliver what arrived meanwhile (FUSE requests queue on the lock).
        await new Promise((res) => setImmediate(res));
      }
    } catch (e) {
      this.error = e;
    }
  }

  /** Resolves when the loop has ended: stopped, or an error (see `error`). */
  get finished(): Promise<void> {
    return this.done;
  }

  /** Resolves once `n` more lines have run (or the loop has ended). */
  async waitSteps(n: number): Promise<void> {
    const target = this.steps + n;
    while (this.steps < target && !this.stopping && this.error === null && this.lines.length) {
      await this.lock.nextRelease();
    }
  }

  /** Stop after the line running now. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.done;
  }
}
