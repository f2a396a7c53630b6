// Reading a trace_pipe as a stream of lines. trace_pipe is a consuming read that blocks while
// the buffer is empty; a blocked read would hold one of libuv's few pool threads until the next
// event, and could never be cancelled. So the file is opened O_NONBLOCK and read asynchronously:
// an empty buffer answers EAGAIN, and the reader waits a little (more the longer it stays idle)
// before trying again. stop() asks for the end: the reader drains what is buffered and finishes.
// Counterpart of libtracefs' tracefs_trace_pipe_stream() / tracefs_trace_pipe_print()
// (src/tracefs-tools.c) over tracing_read_pipe() (kernel/trace/trace.c).
//
// Lines are latin1 strings (one character per byte), so that printing them again gives back the
// kernel's bytes. A regular file can be read the same way (benchmarks, tests): its end is the
// end of the stream.

import { close, closeSync, constants, open, read } from 'node:fs';

export interface TracePipeOptions {
  /** Bytes per read(2); trace_pipe hands out up to a page per call. */
  readonly bufferSize?: number;
  /** Shortest and longest wait after an empty read, in ms. */
  readonly idleMinMs?: number;
  readonly idleMaxMs?: number;
}

function openAsync(path: string, flags: number): Promise<number> {
  return new Promise((resolve, reject) => open(path, flags, (err, fd) => (err ? reject(err) : resolve(fd))));
}

function readAsync(fd: number, buf: Buffer): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buf, 0, buf.length, null, (err, n) => (err ? reject(err) : resolve(n))));
}

export class TracePipe {
  private fd: number | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private reading = false;
  /** Reads started so far. */
  private readsIssued = 0;
  /** The last read started before stop(): an empty answer to it does not mean all is read. */
  private stopAfterRead = 0;
  private ended = false;
  /** Callers waiting for an empty read that started after they asked (drained()). */
  private drainWaiters: { after: number; resolve: () => void }[] = [];

  private constructor(
    readonly path: string,
    private readonly opts: TracePipeOptions,
  ) {}

  /** Open a trace_pipe (or any file) for streaming. */
  static async open(path: string, opts: TracePipeOptions = {}): Promise<TracePipe> {
    const p = new TracePipe(path, opts);
    p.fd = await openAsync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    return p;
  }

  /** Ask the stream to end once what is buffered now has been read. */
  stop(): void {
    if (!this.stopping) {
      this.stopping = true;
      this.stopAfterRead = this.readsIssued;
    }
    this.wake?.();
  }

  get stopped(): boolean {
    return this.stopping;
  }

  /**
   * Batches of complete lines (without their newlines), until stop() has been called and the
   * buffer is empty, or the file ends. A last line without a newline is delivered at the end.
   */
  async *batches(): AsyncGenerator<string[]> {
    if (this.fd === undefined) throw new Error('trace_pipe is closed');
    if (this.reading) throw new Error('trace_pipe is already being read');
    this.reading = true;
    const buf = Buffer.allocUnsafe(this.opts.bufferSize ?? 1 << 16);
    const minWait = this.opts.idleMinMs ?? 2;
    const maxWait = this.opts.idleMaxMs ?? 50;
    let wait = minWait;
    let partial = '';
    try {
      for (;;) {
        const fd = this.fd;
        if (fd === undefined) break;
        let n: number;
        const readNo = ++this.readsIssued;
        try {
          n = await readAsync(fd, buf);
        } catch (e) {
          if (this.fd === undefined) break; // closed under the read
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw e;
          this.settleDrains(readNo);
          // Only a read started after stop() proves that what was recorded before it has been read.
          if (this.stopping && readNo > this.stopAfterRead) break;
          if (this.stopping) continue;
          await this.sleep(wait);
          wait = Math.min(maxWait, wait * 2);
          continue;
        }
        if (n === 0) break;
        wait = minWait;
        const text = partial + buf.toString('latin1', 0, n);
        const lines = text.split('\n');
        partial = lines.pop()!;
        if (lines.length) yield lines;
      }
      if (partial) yield [partial];
    } finally {
      this.reading = false;
      this.settleDrains(Infinity);
      this.ended = true;
    }
  }

  /**
   * Resolves once a read that started after this call found the buffer empty (or the stream
   * ended): everything recorded before the call has been delivered.
   */
  drained(): Promise<void> {
    if (this.fd === undefined || this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.drainWaiters.push({ after: this.readsIssued, resolve });
      this.wake?.();
    });
  }

  private settleDrains(readNo: number): void {
    if (!this.drainWaiters.length) return;
    const still: typeof this.drainWaiters = [];
    for (const w of this.drainWaiters) {
      if (readNo > w.after) w.resolve();
      else still.push(w);
    }
    this.drainWaiters = still;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = undefined;
        resolve();
      };
    });
  }

  /** Close the file now (synchronous: usable from exit and signal paths). */
  closeSync(): void {
    const fd = this.fd;
    this.fd = undefined;
    this.stop();
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* already closed */
      }
    }
  }

  /** Close the file. */
  close(): Promise<void> {
    const fd = this.fd;
    this.fd = undefined;
    this.stop();
    if (fd === undefined) return Promise.resolve();
    return new Promise((resolve) => close(fd, () => resolve()));
  }
}
