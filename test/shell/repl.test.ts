// Interactive and script mode (src/shell/repl.ts) on the real machine, with a scripted terminal:
// keystrokes in, and the two places output goes — the guest console (what the shell and its
// commands write with write(2), through the guest's sys_write to the UART) and the host terminal
// (the tty's own echo). The shell's own write(2)s (prompt and echo of what is typed, on fd 2) and
// its kill(2) of a command on Ctrl-C are seen by kprobes on the guest's sys_* functions
// (strace.ts). One machine for the file; each test runs a fresh shell on its shell process.

import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bootMachine, type BootedKernel } from '../../src/shell/machine.ts';
import { runInteractive, runScriptMode } from '../../src/shell/repl.ts';
import { Shell } from '../../src/shell/shell.ts';
import type { Stat } from '../../src/kernel/process-api.ts';
import { AT_EMPTY_PATH, AT_FDCWD, F_DUPFD_CLOEXEC, SIGINT } from '../../src/shell/sys.ts';
import { stopAll, strace } from './strace.ts';

let m: BootedKernel;
let out = '';

beforeAll(async () => {
  const decoder = new TextDecoder();
  m = await bootMachine({ arch: 'arm64', output: (bytes: Uint8Array) => void (out += decoder.decode(bytes, { stream: true })) });
});

afterEach(() => stopAll(m));

function terminal(): { input: NodeJS.ReadStream; output: NodeJS.WriteStream; host: () => string } {
  const input = new PassThrough() as unknown as NodeJS.ReadStream;
  Object.assign(input, { isTTY: true, setRawMode: () => input });
  let host = '';
  const output = new Writable({
    write(chunk, _enc, cb) {
      host += chunk.toString();
      cb();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(output, { isTTY: true, columns: 80, rows: 24 });
  return { input, output, host: () => host };
}

/** Waits (on the host's clock) until `cond` holds, while the machine runs. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A fresh interactive shell on the machine's shell process, run on a scripted terminal. */
async function interactive(columns?: number): Promise<{ sh: Shell; t: ReturnType<typeof terminal>; done: Promise<number> }> {
  const sh = await Shell.start({ kernel: m.kernel, proc: m.shellProcess, interactive: true, columns });
  const t = terminal();
  out = '';
  const done = runInteractive(sh, m.kernel, t);
  return { sh, t, done };
}

describe('interactive mode', () => {
  it('prompt and echo go through the shell process; commands run; exit ends with its status', async () => {
    const trace = strace(m, ['write']);
    const { sh, t, done } = await interactive(80);
    await until(() => out.includes('$ '), 'the prompt');
    t.input.write('ls\r');
    await until(() => out.includes('blog        dockerfile\n'), 'ls');
    t.input.write('exit 4\r');
    expect(await done).toBe(4);
    trace.stop();
    // The prompt, each typed character's echo and the newline are the shell's write(2)s to fd 2
    // (readline's cursor moves, ESC [ … G/J, aside).
    const shellWrites = trace.log
      .filter((c) => c.pid === m.shellProcess.pid && c.comm === 'sh' && c.args[0] === 2)
      .map((c) => (c.args[1] as string).replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''))
      .filter((w) => w !== '');
    expect(shellWrites).toEqual(['$ ', 'l', 's', '\r\n', '$ ', 'e', 'x', 'i', 't', ' ', '4', '\r\n']);
    // ls, a process of its own, wrote its listing.
    expect(trace.log.filter((c) => c.comm === 'ls')).toMatchObject([{ call: 'write', args: [1, 'blog        dockerfile\n'] }]);
    expect(out).toContain('$ ');
    expect(out).toContain('blog        dockerfile\n');
    expect(sh.history).toEqual(['ls', 'exit 4']);
  });

  it('Ctrl-D at the prompt leaves with the last status', async () => {
    const { t, done } = await interactive();
    await until(() => out.includes('$ '), 'the prompt');
    t.input.write('false\r');
    await until(() => (out.match(/\$ /g) ?? []).length === 2, 'the prompt after false');
    t.input.write('\x04');
    expect(await done).toBe(1);
  });

  it('lines typed while a command runs are its input; Ctrl-C interrupts it', async () => {
    const trace = strace(m, ['read', 'kill']);
    const { t, done } = await interactive();
    await until(() => out.includes('$ '), 'the prompt');
    t.input.write('cat\r');
    await until(() => trace.log.some((c) => c.comm === 'cat' && c.call === 'read'), 'cat to read the console');
    t.input.write('hello\r');
    await until(() => out.includes('hello\n'), 'cat to write the line');
    // The terminal echoed it (the tty's echo, not the shell's).
    expect(t.host()).toContain('hello');
    t.input.write('\x03');
    await until(() => t.host().includes('^C'), '^C');
    await until(() => trace.log.some((c) => c.call === 'kill'), 'the kill');
    const cat = trace.log.find((c) => c.comm === 'cat' && c.call === 'read')!;
    expect(cat.args[0]).toBe(0);
    expect(trace.log.filter((c) => c.call === 'kill')).toEqual([{ pid: m.shellProcess.pid, comm: 'sh', call: 'kill', args: [cat.pid, SIGINT] }]);
    t.input.write('echo $?\r');
    await until(() => out.includes('130\n'), '$? of the interrupted cat');
    t.input.write('exit\r');
    expect(await done).toBe(0);
  });

  it('type-ahead a command does not read runs next', async () => {
    const { t, done } = await interactive();
    await until(() => out.includes('$ '), 'the prompt');
    t.input.write('sleep 1; echo first\recho second\rexit\r');
    expect(await done).toBe(0);
    expect(out).toContain('first\n');
    expect(out).toContain('second\n');
    expect(out.indexOf('first\n')).toBeLessThan(out.indexOf('second\n'));
  });
});

describe('script mode', () => {
  it('runs every line with no prompt, stdin of commands is /dev/null', async () => {
    const p = m.shellProcess;
    // Keep the shell process's fd 0 (the console) to put it back afterwards.
    const saved = p.fcntl(0, F_DUPFD_CLOEXEC, 10);
    expect(saved).toBeGreaterThanOrEqual(10);
    try {
      const sh = await Shell.start({ kernel: m.kernel, proc: p });
      const trace = strace(m, ['read']);
      const input = new PassThrough();
      input.end('ls\ncat\necho "a\nb"\nfalse\n');
      out = '';
      expect(await runScriptMode(sh, input)).toBe(1);
      trace.stop();
      expect(out).toBe('blog        dockerfile\na\nb\n');
      // The shell's fd 0 is /dev/null now; cat read it and got end of file at once.
      const devNull = p.newfstatat(AT_FDCWD, '/dev/null', 0) as Stat;
      expect(p.newfstatat(0, '', AT_EMPTY_PATH)).toMatchObject({ ino: devNull.ino, mode: devNull.mode });
      expect(trace.log.filter((c) => c.comm === 'cat').map((c) => c.args[0])).toEqual([0]);
    } finally {
      expect(p.dup3(saved, 0, 0)).toBe(0);
      expect(p.close(saved)).toBe(0);
    }
  });
});
