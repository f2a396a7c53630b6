// Tests of interactive and script mode (src/shell/repl.ts) on the machine's test double, with a
// scripted terminal: keystrokes in, and the two places output goes — the guest console (what the
// shell and its commands write with write(2)) and the host terminal (the tty's own echo).

import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runInteractive, runScriptMode } from '../../src/shell/repl.ts';
import { Shell } from '../../src/shell/shell.ts';
import { FakeMachine } from './fake-machine.ts';

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

const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('interactive mode', () => {
  it('prompt and echo go through the shell process; commands run; exit ends with its status', async () => {
    const m = new FakeMachine();
    const sh = await Shell.start({ kernel: m, proc: m.shellProcess, interactive: true, columns: 80 });
    const t = terminal();
    const done = runInteractive(sh, m, t);
    await tick();
    t.input.write('ls\r');
    await tick();
    t.input.write('exit 4\r');
    expect(await done).toBe(4);
    // The prompt, the typed characters and the newline are the shell's write(2)s to fd 2.
    expect(m.output).toContain('$ ');
    expect(m.output).toContain('blog        dockerfile\n');
    const shellWrites = m.calls.filter((c) => c.pid === 1 && c.call === 'write' && c.args[0] === 2).map((c) => c.args[1]);
    expect(shellWrites.join('')).toContain('ls');
    expect(sh.history).toEqual(['ls', 'exit 4']);
  });

  it('Ctrl-D at the prompt leaves with the last status', async () => {
    const m = new FakeMachine();
    const sh = await Shell.start({ kernel: m, proc: m.shellProcess, interactive: true });
    const t = terminal();
    const done = runInteractive(sh, m, t);
    await tick();
    t.input.write('false\r');
    await tick();
    t.input.write('\x04');
    expect(await done).toBe(1);
  });

  it('lines typed while a command runs are its input; Ctrl-C interrupts it', async () => {
    const m = new FakeMachine();
    const sh = await Shell.start({ kernel: m, proc: m.shellProcess, interactive: true });
    const t = terminal();
    const done = runInteractive(sh, m, t);
    await tick();
    t.input.write('cat\r');
    await tick();
    t.input.write('hello\r');
    await tick();
    expect(m.output).toContain('hello\n');
    t.input.write('\x03');
    await tick();
    expect(m.killed).toEqual([{ pid: 100, sig: 2 }]);
    expect(t.host()).toContain('^C');
    t.input.write('echo $?\r');
    await tick();
    expect(m.output).toContain('130\n');
    t.input.write('exit\r');
    expect(await done).toBe(0);
  });

  it('type-ahead a command does not read runs next', async () => {
    const m = new FakeMachine();
    const sh = await Shell.start({ kernel: m, proc: m.shellProcess, interactive: true });
    const t = terminal();
    const done = runInteractive(sh, m, t);
    await tick();
    t.input.write('sleep 1; echo first\recho second\rexit\r');
    expect(await done).toBe(0);
    expect(m.output.indexOf('first\n')).toBeLessThan(m.output.indexOf('second\n'));
    expect(m.output).toContain('second\n');
  });
});

describe('script mode', () => {
  it('runs every line with no prompt, stdin of commands is /dev/null', async () => {
    const m = new FakeMachine();
    const sh = await Shell.start({ kernel: m, proc: m.shellProcess });
    const input = new PassThrough();
    input.end('ls\ncat\necho "a\nb"\nfalse\n');
    expect(await runScriptMode(sh, input)).toBe(1);
    expect(m.output).toBe('blog        dockerfile\na\nb\n');
  });
});
