// What a shell command is: a program body that runs as its own guest process (forked through the
// guest's kernel_clone by the shell), with argv, environment, and fds 0/1/2 inherited from the shell
// — the counterpart of a busybox applet's `xxx_main(argc, argv)`.

import type { Kernel, Process } from '../kernel/process-api.ts';
import type { Writer } from './sys.ts';

export interface CommandContext {
  /** argv[0] is the command name. */
  readonly argv: readonly string[];
  /** The command's own process: every system call it makes is this task's. */
  readonly proc: Process;
  readonly kernel: Kernel;
  readonly env: Readonly<Record<string, string>>;
  /** fd 1, buffered like stdio; flushed by the shell when main returns (a failed write is reported then). */
  readonly stdout: Writer;
  /** Writes "argv0: message\n" to fd 2, unbuffered like stderr. */
  error(message: string): Promise<void>;
  /**
   * fork + execve of an ELF from this process as part of the same job (Ctrl-C reaches it); the wait4
   * status word, or a negative errno when execve fails.
   */
  runElf(path: string, argv: string[]): Promise<number>;
}

export interface Command {
  readonly name: string;
  /** One line for `help`: what it does. */
  readonly summary: string;
  /** Usage line printed after an invalid option, busybox style. */
  readonly usage: string;
  main(ctx: CommandContext): Promise<number>;
}
