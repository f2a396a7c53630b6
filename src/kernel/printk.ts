// printk, the log buffer behind dmesg, and console_loglevel: the counterpart of
// kernel/printk/printk.c. Messages carry a level (KERN_EMERG 0 … KERN_DEBUG 7); each is stored
// with its virtual-clock timestamp, and those below console_loglevel also go to the console,
// prefixed "[%5lu.%06lu] " as a real kernel's console prints them with printk.time=1.

export const KERN_EMERG = 0;
export const KERN_ALERT = 1;
export const KERN_CRIT = 2;
export const KERN_ERR = 3;
export const KERN_WARNING = 4;
export const KERN_NOTICE = 5;
export const KERN_INFO = 6;
export const KERN_DEBUG = 7;
/** The KERN_SOH prefix byte that starts a level marker in a printk string ("\x01" "6"). */
export const KERN_SOH = '\x01';

/** CONSOLE_LOGLEVEL_QUIET: the console level with the "quiet" boot parameter. */
export const CONSOLE_LOGLEVEL_QUIET = 4;
/** CONSOLE_LOGLEVEL_DEFAULT in a stock config. */
export const CONSOLE_LOGLEVEL_DEFAULT = 7;
/** MESSAGE_LOGLEVEL_DEFAULT: the level of a printk without a level marker. */
export const MESSAGE_LOGLEVEL_DEFAULT = KERN_WARNING;

export interface LogRecord {
  readonly timeNs: number;
  readonly level: number;
  readonly text: string;
}

/** "[    1.234567] " from nanoseconds, as print_time() formats it. */
export function formatPrintkTime(ns: number): string {
  const sec = Math.floor(ns / 1e9);
  const usec = Math.floor((ns % 1e9) / 1000);
  return `[${String(sec).padStart(5, ' ')}.${String(usec).padStart(6, '0')}] `;
}

export class PrintkLog {
  readonly records: LogRecord[] = [];
  consoleLoglevel = CONSOLE_LOGLEVEL_DEFAULT;
  /** Bytes kept, like CONFIG_LOG_BUF_SHIFT=17; the oldest records are dropped first. */
  private readonly capacity = 1 << 17;
  private size = 0;
  private partial: { level: number; text: string } | null = null;

  constructor(
    private readonly clockNs: () => number,
    private readonly console: (text: string) => void,
  ) {}

  /**
   * printk(): `message` may start with KERN_SOH + level digit; continuation text without a
   * trailing newline is held until its line completes (KERN_CONT behaviour).
   */
  printk(message: string): void {
    let level = MESSAGE_LOGLEVEL_DEFAULT;
    let text = message;
    if (text.length >= 2 && text[0] === KERN_SOH) {
      const marker = text[1]!;
      if (marker >= '0' && marker <= '7') level = marker.charCodeAt(0) - 48;
      else if (marker === 'c' && this.partial) level = this.partial.level;
      text = text.slice(2);
    }
    if (this.partial) {
      text = this.partial.text + text;
      level = this.partial.level;
      this.partial = null;
    }
    const lines = text.split('\n');
    const tail = lines.pop()!;
    for (const line of lines) this.emit(level, line);
    if (tail !== '') this.partial = { level, text: tail };
  }

  log(level: number, text: string): void {
    this.printk(`${KERN_SOH}${level}${text.endsWith('\n') ? text : text + '\n'}`);
  }

  private emit(level: number, text: string): void {
    const rec: LogRecord = { timeNs: this.clockNs(), level, text };
    this.records.push(rec);
    this.size += text.length + 16;
    while (this.size > this.capacity && this.records.length > 1) {
      const old = this.records.shift()!;
      this.size -= old.text.length + 16;
    }
    if (level < this.consoleLoglevel) this.console(formatPrintkTime(rec.timeNs) + text + '\n');
  }

  /** dmesg's default output: one "[time] text" line per record. */
  dmesg(): string {
    return this.records.map((r) => formatPrintkTime(r.timeNs) + r.text + '\n').join('');
  }

  /** Empty the buffer (dmesg -C). */
  clear(): void {
    this.records.length = 0;
    this.size = 0;
  }
}
