// The shell's builtins: commands that run inside the shell process itself, because they change
// the shell (cd, export, exit) or, as in ash and bash, to spare a fork (echo, pwd). Their messages
// follow busybox ash ("sh: cd: can't cd to DIR: …"), their write errors bash's
// ("sh: echo: write error: Invalid argument").

import { helpText } from './help.ts';
import type { Kernel, Process } from '../kernel/process-api.ts';
import { errnoText, writeAll } from './sys.ts';

/** What builtins see of the shell. */
export interface ShellState {
  readonly proc: Process;
  readonly kernel: Kernel;
  /** `$?` before this command. */
  readonly lastStatus: number;
  readonly history: readonly string[];
  getVar(name: string): string | undefined;
  setVar(name: string, value: string): void;
  unsetVar(name: string): void;
  exportVar(name: string): void;
  exported(): [string, string][];
  /** Ends the shell after this command with `code`. */
  requestExit(code: number): void;
  commandList(): { name: string; summary: string }[];
}

export type Builtin = (sh: ShellState, argv: string[]) => Promise<number>;

async function err(sh: ShellState, message: string): Promise<void> {
  await writeAll(sh.proc, 2, `sh: ${message}\n`);
}

/** Writes a builtin's output in one write(2); on failure prints "sh: NAME: write error: …" and returns 1. */
async function out(sh: ShellState, name: string, text: string): Promise<number> {
  const n = await writeAll(sh.proc, 1, text);
  if (n < 0) {
    await err(sh, `${name}: write error: ${errnoText(n)}`);
    return 1;
  }
  return 0;
}

/** echo's -e escapes (bash/busybox): returns the text and whether \c stopped the output. */
function unescape(s: string): { text: string; stop: boolean } {
  let text = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      text += c;
      continue;
    }
    const e = s[++i];
    const simple: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
    if (e in simple) text += simple[e];
    else if (e === 'c') return { text, stop: true };
    else if (e === '0') {
      const m = /^[0-7]{0,3}/.exec(s.slice(i + 1))![0];
      text += String.fromCharCode(parseInt(m || '0', 8) & 0xff);
      i += m.length;
    } else if (e === 'x') {
      const m = /^[0-9A-Fa-f]{0,2}/.exec(s.slice(i + 1))![0];
      if (m) {
        text += String.fromCharCode(parseInt(m, 16));
        i += m.length;
      } else text += '\\x';
    } else text += '\\' + e;
  }
  return { text, stop: false };
}

const echo: Builtin = async (sh, argv) => {
  let i = 1;
  let newline = true;
  let escapes = false;
  // Like bash: an argument made only of n, e, E after '-' is an option; anything else is text.
  for (; i < argv.length && /^-[neE]+$/.test(argv[i]); i++) {
    for (const f of argv[i].slice(1)) {
      if (f === 'n') newline = false;
      else if (f === 'e') escapes = true;
      else escapes = false;
    }
  }
  let text = argv.slice(i).join(' ');
  if (escapes) {
    const u = unescape(text);
    text = u.text;
    if (u.stop) newline = false;
  }
  if (newline) text += '\n';
  // One write for the whole line: tracefs files parse each write as it comes.
  return out(sh, 'echo', text);
};

const cd: Builtin = async (sh, argv) => {
  let dir = argv[1];
  let print = false;
  if (dir === undefined) {
    dir = sh.getVar('HOME') ?? '/';
  } else if (dir === '-') {
    const old = sh.getVar('OLDPWD');
    if (old === undefined) {
      await err(sh, 'cd: OLDPWD not set');
      return 1;
    }
    dir = old;
    print = true;
  }
  const before = await sh.proc.getcwd();
  const r = await sh.proc.chdir(dir);
  if (r < 0) {
    await err(sh, `cd: can't cd to ${dir}: ${errnoText(r)}`);
    return 1;
  }
  const now = await sh.proc.getcwd();
  if (typeof before === 'string') sh.setVar('OLDPWD', before);
  if (typeof now === 'string') sh.setVar('PWD', now);
  if (print) return out(sh, 'cd', `${typeof now === 'string' ? now : dir}\n`);
  return 0;
};

const pwd: Builtin = async (sh) => {
  const cwd = await sh.proc.getcwd();
  if (typeof cwd === 'number') {
    await err(sh, `pwd: ${errnoText(cwd)}`);
    return 1;
  }
  return out(sh, 'pwd', `${cwd}\n`);
};

const exit: Builtin = async (sh, argv) => {
  if (argv[1] === undefined) {
    sh.requestExit(sh.lastStatus);
    return sh.lastStatus;
  }
  if (!/^[0-9]+$/.test(argv[1])) {
    await err(sh, `exit: Illegal number: ${argv[1]}`);
    return 2;
  }
  const code = Number(argv[1]) & 0xff;
  sh.requestExit(code);
  return code;
};

const exportBuiltin: Builtin = async (sh, argv) => {
  const names = argv.slice(1).filter((a) => a !== '-p');
  if (names.length === 0) {
    const lines = sh.exported().map(([k, v]) => `export ${k}='${v.replace(/'/g, `'"'"'`)}'\n`);
    return out(sh, 'export', lines.join(''));
  }
  let status = 0;
  for (const a of names) {
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      await err(sh, `export: ${a}: bad variable name`);
      status = 1;
      continue;
    }
    if (eq >= 0) sh.setVar(name, a.slice(eq + 1));
    sh.exportVar(name);
  }
  return status;
};

const unset: Builtin = async (sh, argv) => {
  for (const name of argv.slice(1)) sh.unsetVar(name);
  return 0;
};

const history: Builtin = async (sh) => {
  const lines = sh.history.map((h, i) => `${String(i + 1).padStart(5)}  ${h}\n`);
  return out(sh, 'history', lines.join(''));
};

const colon: Builtin = async () => 0;

const help: Builtin = async (sh) => out(sh, 'help', helpText(Object.keys(builtins).filter((b) => b !== ':'), sh.commandList()));

export const builtins: Record<string, Builtin> = {
  cd,
  pwd,
  echo,
  exit,
  export: exportBuiltin,
  unset,
  help,
  history,
  ':': colon,
};
