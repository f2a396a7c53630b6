// How the shell meets the host's terminal. Interactive mode (stdin a TTY): node:readline gives the
// line editing, history and Tab completion a shell's line editor would (busybox's lineedit.c), and,
// like that editor, the shell process writes the prompt and the echo of what is typed with write(2)
// to its fd 2 — so a probe on sys_write sees the shell's own writes, as the seed's `bash-808` lines
// show. Completion lists commands and the guest's files (read with getdents64, as ash does). While
// a command runs, the echo is the terminal's, typed lines go to the console's input (a reader of
// /dev/console gets them; what it leaves unread is the shell's next input), Ctrl-C sends SIGINT to
// the command, Ctrl-D ends its input; at the prompt Ctrl-C drops the line and Ctrl-D leaves.
// Script mode (stdin not a TTY): the whole input is run line by line with no prompt.

import * as readline from 'node:readline';
import { Writable } from 'node:stream';
import type { Kernel } from '../kernel/process-api.ts';
import type { Shell } from './shell.ts';
import { AT_FDCWD, DT_DIR, O_RDONLY, decode, encode, readDir } from './sys.ts';

/** The word being completed and what precedes it; commands complete in command position. */
export async function complete(shell: Shell, line: string): Promise<[string[], string]> {
  const word = /[^\s;|&<>]*$/.exec(line)![0];
  const before = line.slice(0, line.length - word.length).trimEnd();
  const commandPosition = before === '' || /(;|\||&)$/.test(before);
  if (commandPosition && !word.includes('/')) {
    return [shell.commandNames().filter((n) => n.startsWith(word)), word];
  }
  const slash = word.lastIndexOf('/');
  const dirPart = slash >= 0 ? word.slice(0, slash + 1) : '';
  const prefix = word.slice(slash + 1);
  const entries = await readDir(shell.proc, dirPart === '' ? '.' : dirPart);
  if (typeof entries === 'number') return [[], word];
  const hits = entries
    .filter((e) => e.name !== '.' && e.name !== '..' && e.name.startsWith(prefix) && (prefix.startsWith('.') || !e.name.startsWith('.')))
    .map((e) => `${dirPart}${e.name}${e.type === DT_DIR ? '/' : ''}`)
    .sort();
  // A single file completes with a space after it, a directory with its '/', as in ash.
  if (hits.length === 1 && !hits[0].endsWith('/')) hits[0] += ' ';
  return [hits, word];
}

export interface TerminalIo {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
}

/**
 * The line editor's output: while the shell is at its prompt, written by the shell process to its
 * fd 2 (through the guest's sys_write, then the console); while a command runs, straight to the
 * terminal, as a tty's own echo is. A failed write falls back to the terminal so nothing is lost.
 */
function lineEditorOutput(shell: Shell, host: NodeJS.WriteStream, commandRunning: () => boolean): NodeJS.WriteStream {
  const out = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (commandRunning()) {
        host.write(text);
        return callback();
      }
      let r: number | Promise<number>;
      try {
        r = shell.proc.write(2, text);
      } catch {
        // The machine is gone (a panic): the terminal still shows what is typed.
        host.write(text);
        return callback();
      }
      if (typeof r === 'number') {
        if (r < 0) host.write(text);
        return callback();
      }
      r.then(
        (n) => {
          if (n < 0) host.write(text);
          callback();
        },
        () => {
          host.write(text);
          callback();
        },
      );
    },
  });
  Object.defineProperties(out, {
    isTTY: { value: true },
    columns: { get: () => host.columns },
    rows: { get: () => host.rows },
  });
  host.on('resize', () => out.emit('resize'));
  return out as unknown as NodeJS.WriteStream;
}

/** Runs the shell on a terminal until `exit` or Ctrl-D; resolves to its exit status. */
export function runInteractive(shell: Shell, kernel: Kernel, io: TerminalIo): Promise<number> {
  return new Promise((resolve) => {
    let running = false;
    let done = false;
    // readline closes itself on Ctrl-D; if that happens while a command runs, a new one is made after.
    let closedByEof = false;
    let rl: readline.Interface;

    const finish = (code: number): void => {
      if (done) return;
      done = true;
      process.removeListener('SIGINT', onProcessSigint);
      io.output.removeListener('resize', onResize);
      rl.close();
      resolve(code);
    };

    const prompt = (more: boolean): void => {
      rl.setPrompt(more ? '> ' : '$ ');
      rl.prompt();
    };

    // Lines waiting for the shell: typed (or pasted) ahead, or left unread by the last command.
    const queue: string[] = [];

    const onLine = (line: string): void => {
      if (running) {
        // The running command's terminal input, as a tty passes it on; what it leaves unread comes back below.
        kernel.console.input(encode(`${line}\n`));
        // It is not a command line: keep it out of the shell's history (readline keeps the newest first).
        const history = (rl as unknown as { history: string[] }).history;
        if (history[0] === line) history.shift();
        return;
      }
      queue.push(line);
      void drain();
    };

    const drain = async (): Promise<void> => {
      running = true;
      let more = false;
      while (queue.length > 0) {
        try {
          more = await shell.feed(queue.shift()!);
        } catch (e) {
          // A failure of the machine itself (a kernel panic, an emulator bug): report it and stay usable.
          io.output.write(`kprobe: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
          more = false;
        }
        if (shell.exitCode !== null) {
          running = false;
          return finish(shell.exitCode);
        }
        // Type-ahead the command did not read is the shell's next input, as on a real terminal.
        const unread = decode(kernel.console.takeInput()).split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
        queue.push(...unread);
      }
      running = false;
      if (closedByEof) {
        closedByEof = false;
        rl = create();
      }
      prompt(more);
    };

    const onSigint = (): void => {
      if (running) {
        // As a tty does on ^C: the signal, and the input typed ahead is discarded.
        io.output.write('^C\n');
        shell.interrupt();
        queue.length = 0;
        kernel.console.takeInput();
        return;
      }
      // At the prompt: drop the line being typed (and any unfinished command), as ash does.
      io.output.write('^C\n');
      rl.write(null, { ctrl: true, name: 'u' });
      shell.discardPending();
      shell.status = 130;
      prompt(false);
    };

    // With readline closed (Ctrl-D during a command) the terminal is in cooked mode and Ctrl-C is a signal.
    const onProcessSigint = (): void => {
      if (running) shell.interrupt();
    };

    const onResize = (): void => {
      if (io.output.columns) shell.setVar('COLUMNS', String(io.output.columns));
    };

    const onClose = (): void => {
      if (done) return;
      if (running) {
        closedByEof = true;
        kernel.console.endOfInput();
        return;
      }
      io.output.write('\n');
      finish(shell.status);
    };

    const editorOutput = lineEditorOutput(shell, io.output, () => running);

    const create = (): readline.Interface => {
      const r = readline.createInterface({
        input: io.input,
        output: editorOutput,
        terminal: true,
        prompt: '$ ',
        historySize: 1000,
        // readline keeps the newest entry first.
        history: [...shell.history].reverse(),
        completer: (line: string, cb: (err: Error | null, result: [string[], string]) => void) => {
          complete(shell, line).then(
            (r) => cb(null, r),
            () => cb(null, [[], line]),
          );
        },
      });
      r.on('line', (line) => void onLine(line));
      r.on('SIGINT', onSigint);
      r.on('close', onClose);
      return r;
    };

    process.on('SIGINT', onProcessSigint);
    io.output.on('resize', onResize);
    rl = create();
    prompt(false);
  });
}

/** Script mode: fd 0 of the commands becomes /dev/null (the script is the shell's input, not theirs), then every line runs. */
export async function runScriptMode(shell: Shell, input: NodeJS.ReadableStream): Promise<number> {
  const fd = await shell.proc.openat(AT_FDCWD, '/dev/null', O_RDONLY);
  if (fd >= 0 && fd !== 0) {
    await shell.proc.dup3(fd, 0, 0);
    await shell.proc.close(fd);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return shell.runScript(Buffer.concat(chunks).toString('utf8'));
}
