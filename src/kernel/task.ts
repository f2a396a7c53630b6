// A task as the TypeScript half sees it: the guest's task_struct (pid, comm, state live in guest
// memory and are read from there) plus what the TypeScript half keeps for it: the user address
// space and, for TypeScript-run commands, the scratch pages their system calls use.
// Counterpart of the TypeScript-side view of include/linux/sched.h's task_struct and mm_struct.

import type { AddressSpace, Memory } from '../machine/memory.ts';
import { TASK_COMM_LEN, THREAD_SIZE } from './abi.ts';
import { readPointer, type GuestLayout } from './guest-layout.ts';

export class Task {
  /** Bump allocator in the scratch pages, reset before each system call. */
  scratchNext = 0;
  /** Set once do_exit has run for this task. */
  exited = false;
  /** An ELF program image (false: a TypeScript command). */
  elf = false;
  /** What the task runs since its last execve: a /bin command name or the ELF's path. */
  program = '';
  /** A fatal signal sent to the task (SIGINT from Ctrl-C…), 0 if none. */
  pendingSignal = 0;
  /** Aborted when a signal arrives: it ends the task's blocking system call with -EINTR. */
  readonly abort = new AbortController();

  constructor(
    /** Guest address of the task_struct. */
    readonly taskStruct: number,
    public mm: AddressSpace,
    private readonly memory: Memory,
    private readonly layout: GuestLayout,
  ) {}

  get pid(): number {
    return this.memory.read32(this.taskStruct + this.layout.task.pid) | 0;
  }

  get state(): number {
    return this.memory.read32(this.taskStruct + this.layout.task.state);
  }

  get comm(): string {
    return this.memory.readCString(this.taskStruct + this.layout.task.comm, TASK_COMM_LEN);
  }

  get exitCode(): number {
    return this.memory.read32(this.taskStruct + this.layout.task.exitCode) | 0;
  }

  /** Top of the kernel stack: the stack grows down from base + THREAD_SIZE. */
  get kernelStackTop(): number {
    return readPointer(this.memory, this.layout, this.taskStruct + this.layout.task.stack) + THREAD_SIZE;
  }

  get parentTaskStruct(): number {
    return readPointer(this.memory, this.layout, this.taskStruct + this.layout.task.parent);
  }
}
