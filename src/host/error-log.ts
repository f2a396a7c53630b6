// tracefs `error_log`: the kernel's record of the last failed commands (8 at most), each with a
// timestamp, the subsystem, the message, the command and a caret under the offending word.
// Parsing it, finding the entry for a command this process wrote, and printing an entry as the
// kernel does. Counterpart of libtracefs' tracefs_error_last()/tracefs_error_all()
// (src/tracefs-utils.c) over the format of tracing_log_err() and tracing_err_log_seq_show()
// (kernel/trace/trace.c).
//
// error_log is shared by every user of tracefs: it is read, never cleared, and an entry is
// matched by its command text, newest first.

import type { Tracefs } from './tracefs.ts';

/** Length of "  Command: ", the prefix the caret line is aligned with. */
export const CMD_PREFIX = '  Command: ';

export interface ErrorLogEntry {
  /** "[  239.905410]" as seconds. */
  readonly timestamp: number;
  /** "trace_kprobe", "trace_uprobe", "event filter parse error"… */
  readonly location: string;
  readonly message: string;
  readonly command: string;
  /** Caret column within the command. */
  readonly pos: number;
  /** The entry's three lines as the kernel printed them (with the trailing newline). */
  readonly text: string;
}

const HEAD = /^\[\s*(\d+)\.(\d+)\] (.*?): error: (.*)$/;

/** Parse error_log's text into entries, oldest first. Lines that do not fit are skipped. */
export function parseErrorLog(text: string): ErrorLogEntry[] {
  const lines = text.split('\n');
  const out: ErrorLogEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const h = HEAD.exec(lines[i]!);
    if (!h) continue;
    const cmdLine = lines[i + 1];
    if (cmdLine === undefined || !cmdLine.startsWith(CMD_PREFIX)) continue;
    const caretLine = lines[i + 2] ?? '';
    const caret = caretLine.indexOf('^');
    const command = cmdLine.slice(CMD_PREFIX.length);
    out.push({
      timestamp: Number(`${h[1]}.${h[2]}`),
      location: h[3]!,
      message: h[4]!,
      command,
      pos: caret >= CMD_PREFIX.length ? caret - CMD_PREFIX.length : 0,
      text: `${lines[i]}\n${cmdLine}\n${caretLine}\n`,
    });
    i += 2;
  }
  return out;
}

/** The kernel's argv joining: words separated by single spaces (what "Command:" shows). */
export function commandText(line: string): string {
  return line.trim().split(/\s+/).join(' ');
}

/**
 * The newest error_log entry for the command `line` (matched on its words), or undefined. The
 * kernel logs nothing for some failures (an unknown command, a kprobe line on a kernel without
 * kprobes, a uprobe place without an offset).
 */
export function lastErrorFor(tracefs: Tracefs, line: string): ErrorLogEntry | undefined {
  const text = tracefs.tryRead('error_log');
  if (!text) return undefined;
  const want = commandText(line);
  const entries = parseErrorLog(text);
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.command === want) return entries[i];
  return undefined;
}

/** The entry's message, command and caret, as the kernel prints them, without the timestamp. */
export function formatErrorEntry(e: Pick<ErrorLogEntry, 'location' | 'message' | 'command' | 'pos'>): string {
  return `${e.location}: error: ${e.message}\n${CMD_PREFIX}${e.command}\n${' '.repeat(CMD_PREFIX.length + e.pos)}^\n`;
}
