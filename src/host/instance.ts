// A tracefs instance (`instances/NAME`): a trace buffer of its own with its own event enables,
// filters, options, pid filter and per-CPU statistics, so that tracing here leaves every other
// user's tracing untouched. Counterpart of libtracefs' src/tracefs-instance.c
// (tracefs_instance_create/destroy, tracefs_option_enable, tracefs_event_enable,
// tracefs_event_filter_apply, tracefs_instance_get_buffer_size…) and tracefs_buffer_stat_* of
// src/tracefs-record.c / tracefs-utils.c, over kernel/trace/trace.c (instance_mkdir/rmdir,
// tracing_stats_read) and trace_events.c (event_enable_write, event_filter_write).

import { Tracefs, TracefsError } from './tracefs.ts';

/** One CPU's ring-buffer statistics (per_cpu/cpuN/stats). */
export interface CpuBufferStats {
  readonly cpu: number;
  readonly entries: number;
  /** Events overwritten before they were read (the buffer was full, overwrite mode). */
  readonly overrun: number;
  readonly commitOverrun: number;
  /** Events dropped because the buffer was full (overwrite off). */
  readonly dropped: number;
  readonly readEvents: number;
}

/** A filter the kernel refused: its errno and the text it puts in the filter file (with a caret). */
export class FilterError extends Error {
  constructor(
    readonly errno: number,
    readonly filter: string,
    /** The filter file after the failure: the filter, a caret line and "parse_error: …". */
    readonly kernelText: string,
  ) {
    super(`filter '${filter}' rejected: ${kernelText.trim() || `errno ${errno}`}`);
  }
}

/** Parse one per_cpu/cpuN/stats file. */
export function parseCpuStats(cpu: number, text: string): CpuBufferStats {
  const num = (key: string): number => {
    const m = new RegExp(`^${key}:\\s*(\\d+)`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };
  return {
    cpu,
    entries: num('entries'),
    overrun: num('overrun'),
    commitOverrun: num('commit overrun'),
    dropped: num('dropped events'),
    readEvents: num('read events'),
  };
}

export class Instance {
  private constructor(
    readonly tracefs: Tracefs,
    readonly name: string,
  ) {}

  /** mkdir instances/NAME. TracefsError (EEXIST when it exists) on failure. */
  static create(tracefs: Tracefs, name: string): Instance {
    tracefs.mkdir(`instances/${name}`);
    return new Instance(tracefs, name);
  }

  /** An instance that exists already (or is about to be removed by a sweep). */
  static existing(tracefs: Tracefs, name: string): Instance {
    return new Instance(tracefs, name);
  }

  /** The names of all instances. */
  static list(tracefs: Tracefs): string[] {
    return tracefs.list('instances');
  }

  /** Path of a file of this instance, relative to the tracing directory. */
  rel(file: string): string {
    return `instances/${this.name}/${file}`;
  }

  /** Absolute path of a file of this instance. */
  path(file: string): string {
    return this.tracefs.path(this.rel(file));
  }

  exists(): boolean {
    return this.tracefs.exists(`instances/${this.name}`);
  }

  /** events/GROUP[/EVENT]/enable of this instance. */
  enable(group: string, event: string | undefined, on: boolean): void {
    this.tracefs.write(this.rel(`events/${group}${event ? `/${event}` : ''}/enable`), on ? '1' : '0');
  }

  /**
   * events/GROUP/EVENT/filter of this instance. FilterError with the kernel's own explanation
   * (which it writes into the filter file) when the filter does not compile.
   */
  setFilter(group: string, event: string, filter: string): void {
    const file = this.rel(`events/${group}/${event}/filter`);
    try {
      this.tracefs.write(file, filter);
    } catch (e) {
      if (!(e instanceof TracefsError)) throw e;
      const text = this.tracefs.tryRead(file) ?? '';
      // A failed filter stays installed in its error form; clear it so nothing half-applies.
      try {
        this.tracefs.write(file, '0');
      } catch {
        /* nothing more to undo */
      }
      throw new FilterError(e.errno, filter, text);
    }
  }

  /** options/NAME; false when the kernel has no such option. */
  setOption(name: string, on: boolean): boolean {
    // An instance that does not exist yet (a dry run's plan) has the top level's options.
    const where = this.exists() ? this.rel(`options/${name}`) : `options/${name}`;
    if (!this.tracefs.exists(where)) return false;
    this.tracefs.write(this.rel(`options/${name}`), on ? '1' : '0');
    return true;
  }

  /** set_event_pid: only these tasks' events are recorded (with event-fork, their children's too). */
  setEventPids(pids: readonly number[]): void {
    this.tracefs.write(this.rel('set_event_pid'), pids.join(' '));
  }

  /** buffer_size_kb (per CPU). */
  setBufferSizeKb(kb: number): void {
    this.tracefs.write(this.rel('buffer_size_kb'), String(kb));
  }

  /** Ring-buffer statistics of every CPU. */
  stats(): CpuBufferStats[] {
    const out: CpuBufferStats[] = [];
    for (const d of this.tracefs.list(this.rel('per_cpu'))) {
      const m = /^cpu(\d+)$/.exec(d);
      if (!m) continue;
      const text = this.tracefs.tryRead(this.rel(`per_cpu/${d}/stats`));
      if (text !== undefined) out.push(parseCpuStats(Number(m[1]), text));
    }
    return out.sort((a, b) => a.cpu - b.cpu);
  }

  /** The header `trace` prints (its '#' lines): what perf-tools' -H shows above trace_pipe's lines. */
  header(): string {
    const text = this.tracefs.tryRead(this.rel('trace')) ?? '';
    return text
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .map((l) => l + '\n')
      .join('');
  }

  /** rmdir instances/NAME (the kernel disables its events and frees its buffer). */
  remove(): void {
    this.tracefs.rmdir(`instances/${this.name}`);
  }
}
