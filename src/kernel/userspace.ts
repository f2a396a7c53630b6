// What user space asks of the machine, the way a shell asks a real kernel: fork a child and run a
// program in it (through the guest's clone, execve, exit and wait4), load and unload modules, read
// the kernel log, reach the console. Implements the shell's Kernel contract (src/shell/process-api.ts).

import type { ChildBody, Console, Kernel as ShellKernel, LoadedModule, Process } from './process-api.ts';
import { ENOENT } from '../uapi/errno.ts';
import { KernelPanic, type Kernel } from './kernel.ts';
import type { ModuleLoader } from './module.ts';
import { ProcessExited, syscallValueFromGuest, TsProcess, waitStatusFromGuest } from './process.ts';

export class Userspace implements ShellKernel {
  readonly console: Console;

  constructor(
    readonly kernel: Kernel,
    readonly modules: ModuleLoader,
  ) {
    const uart = kernel.machine.uart;
    this.console = {
      write: (bytes) => kernel.consoleOut(Buffer.from(bytes).toString('latin1')),
      input: (bytes) => uart.feed(bytes),
      endOfInput: () => uart.feed(new Uint8Array(0)),
      takeInput: () => uart.takeInput(),
    };
  }

  get arch(): string {
    return this.kernel.arch.name;
  }

  /** fork(): clone through the guest and give the child its TypeScript side. */
  fork(parent: TsProcess): TsProcess | number {
    const pid = parent.clone();
    if (pid < 0) return pid;
    const ts = Number(this.kernel.callGuest('find_task_by_vpid', [pid]) & 0xffff_ffff_ffffn);
    if (ts === 0) throw new Error(`clone returned pid ${pid} but find_task_by_vpid finds no task`);
    return new TsProcess(this.kernel, this.kernel.adoptTask(ts, parent.task.mm.clone()));
  }

  async spawn(parent: Process, comm: string, body: ChildBody, exec?: { argv: string[]; envp: string[] }): Promise<number> {
    const p = parent as TsProcess;
    const child = this.fork(p);
    if (typeof child === 'number') return child;
    try {
      // execve of the command's /bin file: sets comm the way a real exec does.
      const stop = await child.execve(`/bin/${comm}`, exec?.argv ?? [comm], exec?.envp ?? []);
      if (stop.kind === 'task-exit') throw new ProcessExited(waitStatusFromGuest(this.kernel.arch.userAbi, child.task.exitCode));
      const code = await body(child);
      // The guest delivers a pending fatal signal on the way back to user mode, so the child
      // may already be gone; otherwise a signal (Ctrl-C) ends it with that signal, not its code.
      if (child.task.exited) {
        // nothing left to do
      } else if (child.task.pendingSignal) this.kernel.exitTask(child.task, child.task.pendingSignal);
      else child.exit(code & 0xff);
    } catch (e) {
      if (e instanceof KernelPanic) throw e;
      if (!(e instanceof ProcessExited)) {
        this.kernel.consoleOut(`sh: ${comm}: ${(e as Error).message}\n`);
        if (!child.task.exited) child.exit(1);
      }
    }
    return p.wait4(child.pid).status;
  }

  async runElf(
    parent: Process,
    path: string,
    argv: string[],
    options: { envp?: string[]; onStart?: (pid: number) => void } = {},
  ): Promise<number> {
    const p = parent as TsProcess;
    const child = this.fork(p);
    if (typeof child === 'number') return child;
    options.onStart?.(child.pid);
    const stop = await child.execve(path, argv, options.envp ?? []);
    if (stop.kind === 'syscall-return') {
      // execve failed: the child never became the program.
      const err = Number(syscallValueFromGuest(this.kernel.arch.userAbi, stop.value));
      child.exit(127);
      p.wait4(child.pid);
      return err < 0 ? err : -ENOENT;
    }
    if (stop.kind !== 'task-exit') throw new Error(`program ended with ${stop.kind}`);
    return p.wait4(child.pid).status;
  }

  insmod(path: string, params: Record<string, string>): Promise<number> {
    return this.modules.insmod(path, params);
  }

  rmmod(name: string): number {
    return this.modules.rmmod(name);
  }

  lsmod(): LoadedModule[] {
    return this.modules.list();
  }

  dmesg(): string {
    return this.kernel.printk.dmesg();
  }
}
