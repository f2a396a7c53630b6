// The name of a traced task where the kernel printed "<...>". The kernel keeps task names in a
// small cache (saved_cmdlines), recorded at the next context switch after an event
// (kernel/trace/trace_sched_switch.c, tracing_record_taskinfo): a reader of trace_pipe that is
// quicker than that switch, or a cache that recycled the entry, gets "<...>". JSON output looks
// the name up as perf does from its own records: /proc/PID/comm while the task lives, else the
// kernel's saved_cmdlines as it is now. Text output stays the kernel's line, byte for byte.

import { readFileSync } from 'node:fs';

/** The kernel's placeholder for a pid it has no name for (trace_find_cmdline). */
export const UNKNOWN_COMM = '<...>';

export class CommResolver {
  constructor(
    /** Reads a tracefs file (relative path), undefined when it cannot. */
    private readonly readTracefs: (rel: string) => string | undefined,
    private readonly procRoot = '/proc',
  ) {}

  /** The task's name, or undefined when neither /proc nor the kernel's cache knows the pid. */
  resolve(pid: number): string | undefined {
    try {
      const comm = readFileSync(`${this.procRoot}/${pid}/comm`, 'latin1').replace(/\n$/, '');
      if (comm) return comm;
    } catch {
      /* the task has exited: the kernel's cache may still have it */
    }
    const saved = this.readTracefs('saved_cmdlines');
    if (!saved) return undefined;
    for (const line of saved.split('\n')) {
      const sp = line.indexOf(' ');
      if (sp > 0 && Number(line.slice(0, sp)) === pid) return line.slice(sp + 1);
    }
    return undefined;
  }
}
