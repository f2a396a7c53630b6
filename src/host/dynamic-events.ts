// The probe-definition files of tracefs: kprobe_events, uprobe_events and dynamic_events. Adding
// a probe line (one append, as `echo LINE >> uprobe_events`), removing one (`-:GROUP/EVENT`), and
// listing what is defined. A rejected line is reported with the errno and the error_log entry
// the kernel wrote for it (text and caret). Counterpart of libtracefs' src/tracefs-dynevents.c
// (tracefs_dynevent_create/destroy/get_all, tracefs_kprobe_raw, tracefs_uprobe_alloc) over
// kernel/trace/trace_dynevent.c, trace_kprobe.c and trace_uprobe.c.

import { isUprobePlace } from '../tracing/uprobe-event.ts';
import { strerror } from '../uapi/errno.ts';
import { formatErrorEntry, lastErrorFor, type ErrorLogEntry } from './error-log.ts';
import type { HostFeatures } from './readme.ts';
import { HostError, Tracefs, TracefsError } from './tracefs.ts';

export type ProbeKind = 'kprobe' | 'uprobe';

/** One line of a dynamic-events listing. */
export interface DynamicEvent {
  /** 'p' or 'r' for kprobes and uprobes; 'f', 't', 'e', 's' for other dynamic events. */
  readonly type: string;
  readonly group: string;
  readonly event: string;
  /** What kind of probe it is, for 'p'/'r' lines (a uprobe's place is PATH:0xOFFSET). */
  readonly kind?: ProbeKind;
  /** The line as listed. */
  readonly line: string;
}

/** Parse kprobe_events / uprobe_events / dynamic_events listings. */
export function parseDynamicEvents(text: string): DynamicEvent[] {
  const out: DynamicEvent[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-z])\d*:([^/\s]+)\/(\S+)(?:\s+(\S+))?/.exec(line);
    if (!m) continue;
    const type = m[1]!;
    const kind: ProbeKind | undefined = type === 'p' || type === 'r' ? (m[4] !== undefined && isUprobePlace(m[4]) ? 'uprobe' : 'kprobe') : undefined;
    out.push({ type, group: m[2]!, event: m[3]!, kind, line });
  }
  return out;
}

/** A probe line the kernel refused. */
export class ProbeWriteError extends HostError {
  constructor(
    readonly file: string,
    readonly line: string,
    /** Positive errno of the failed write. */
    readonly errno: number,
    readonly code: string,
    /** The kernel's error_log entry for this line, if it wrote one. */
    readonly logEntry: ErrorLogEntry | undefined,
  ) {
    super(
      `${file} rejected '${line}': ${strerror(errno)} (${code})` +
        (logEntry ? `\n${formatErrorEntry(logEntry).trimEnd()}` : '\n(the kernel wrote nothing to error_log for it)'),
    );
  }
}

/** The probe-definition files of one tracefs. */
export class DynamicEvents {
  constructor(
    readonly tracefs: Tracefs,
    readonly features: HostFeatures,
  ) {}

  /** Where lines of this kind are written: their own file, else dynamic_events. */
  fileFor(kind: ProbeKind): string {
    if (kind === 'kprobe' && this.features.kprobeEvents) return 'kprobe_events';
    if (kind === 'uprobe' && this.features.uprobeEvents) return 'uprobe_events';
    return 'dynamic_events';
  }

  /** Every dynamic event defined now (dynamic_events, else kprobe_events + uprobe_events). */
  list(): DynamicEvent[] {
    if (this.features.dynamicEvents) return parseDynamicEvents(this.tracefs.tryRead('dynamic_events') ?? '');
    const text = (this.features.kprobeEvents ? (this.tracefs.tryRead('kprobe_events') ?? '') : '') + (this.features.uprobeEvents ? (this.tracefs.tryRead('uprobe_events') ?? '') : '');
    return parseDynamicEvents(text);
  }

  /** Append a probe definition. ProbeWriteError (with error_log's text and caret) when refused. */
  add(kind: ProbeKind, line: string): void {
    const file = this.fileFor(kind);
    try {
      this.tracefs.write(file, line, 'append');
    } catch (e) {
      if (!(e instanceof TracefsError)) throw e;
      throw new ProbeWriteError(file, line, e.errno, e.code, lastErrorFor(this.tracefs, line));
    }
  }

  /** Remove GROUP/EVENT (`-:GROUP/EVENT`). TracefsError: EBUSY while enabled somewhere, ENOENT when absent. */
  remove(kind: ProbeKind, group: string, event: string): void {
    this.tracefs.write(this.fileFor(kind), `-:${group}/${event}`, 'append');
  }
}
