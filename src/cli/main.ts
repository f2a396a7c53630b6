// The `kprobe` command: `kprobe [--arch ARCH]` boots the emulated machine and opens its shell (a
// terminal session, or a script read from stdin); `kprobe run [--arch ARCH] FILE [ARGS…]` boots it and
// runs a static Linux ELF as a user process, with its output and exit status; `kprobe mount DIR`
// boots it with a background workload and mounts its tracefs on the host with FUSE until SIGINT or
// SIGTERM. A small hand parser: three forms and a few options do not need an argument library. The machine and the shell are
// imported only once the arguments are known, so --help and --version answer at once.

import { readFileSync } from 'node:fs';
import type { BootMachine, Machine } from '../kernel/process-api.ts';

/** The named background workloads of `kprobe mount` (src/shell/workload.ts WORKLOADS). */
const WORKLOAD_NAMES = 'busy, fork, files';

/** Architectures the project aims at (DESIGN.md), and those whose CPU and guest kernel exist. */
const KNOWN_ARCHES = ['x86_64', 'arm64', 'arm', 'mips', 'ppc32'];
const AVAILABLE_ARCHES = ['arm64', 'mips'];
const ARCH_ALIASES: Record<string, string> = { aarch64: 'arm64', amd64: 'x86_64', 'x86-64': 'x86_64', powerpc: 'ppc32', ppc: 'ppc32' };

export interface CliIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

const USAGE = `Usage: kprobe [--arch ARCH] [--rtc BASE]        open the shell of an emulated Linux machine
       kprobe run [--arch ARCH] FILE [ARG]...   run a static Linux ELF as a user process on it
       kprobe mount [--arch ARCH] [--workload W] [--proc PROCDIR] DIR
                                                mount its tracefs on DIR with FUSE while it runs
       kprobe host [OPTIONS] PROBE [FILTER]     probe the running kernel (root; kprobe host --help)
       kprobe --help | --version
`;

const HELP = `kprobe: Linux kprobes in TypeScript. A guest kernel compiled from C runs on a TypeScript CPU;
kprobes plant the arch's breakpoint instruction, run the handlers and single-step the original
instruction, as Linux does; the probe-event files of tracefs work as on a real kernel.

${USAGE}
Options:
  --arch ARCH     the machine's architecture (default arm64); available: ${AVAILABLE_ARCHES.join(', ')};
                  not yet available: ${KNOWN_ARCHES.filter((a) => !AVAILABLE_ARCHES.includes(a)).join(', ')}
  --rtc BASE      the machine's real-time clock at power-on, from which its kernel sets the time:
                  utc (the host's clock now; default), a UTC date such as 2006-06-17T16:01:21, or
                  seconds since the epoch (a fixed BASE makes runs repeat exactly)
  -h, --help      show this help
  -V, --version   print the version

mount options:
  --workload W    what the machine runs meanwhile, so that probes are hit: ${WORKLOAD_NAMES}, none,
                  or a shell command line to run over and over (default busy)
  --proc PROCDIR  also mount the machine's /proc (kallsyms, version, sysctls) on PROCDIR
  The mount lasts until SIGINT or SIGTERM (both unmount it). It needs FUSE: /dev/fuse, and on Debian
  the packages fuse3 and libfuse2. Then, from any other shell on the host:
    echo 'p:ev vfs_read' >> DIR/kprobe_events; echo 1 > DIR/events/kprobes/ev/enable; cat DIR/trace

On a terminal, the shell is interactive: type 'help' there for a walk through kprobes.
Otherwise it runs its standard input as a script:  kprobe < script.sh
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

type Parsed =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'shell'; arch: string; rtc?: string }
  | { kind: 'run'; arch: string; file: string; args: string[]; rtc?: string }
  | { kind: 'mount'; arch: string; dir: string; procDir?: string; workload: string; rtc?: string }
  | { kind: 'host'; args: string[] }
  | { kind: 'error'; message: string };

export function parseArgs(argv: string[]): Parsed {
  let arch = 'arm64';
  let rtc: string | undefined;
  let sub: 'run' | 'mount' | null = null;
  const mountOpts: { workload: string; procDir?: string } = { workload: 'busy' };
  let mountDir: string | undefined;
  /** The value of an option given as `--name VALUE` or `--name=VALUE`; undefined if absent. */
  const value = (name: string, i: number): { v: string | undefined; next: number } | null => {
    const a = argv[i]!;
    if (a === name) return { v: argv[i + 1], next: i + 1 };
    if (a.startsWith(`${name}=`)) return { v: a.slice(name.length + 1), next: i };
    return null;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') return { kind: 'help' };
    if (a === '-V' || a === '--version') return { kind: 'version' };
    // The machine's options, valid with every form.
    const machineOpt = (['--arch', '--rtc'] as const).map((name) => ({ name, o: value(name, i) })).find((x) => x.o);
    if (machineOpt) {
      const { name, o } = machineOpt;
      if (!o!.v) return { kind: 'error', message: `option '${name}' needs a value` };
      if (name === '--arch') arch = o!.v;
      else rtc = o!.v;
      i = o!.next;
      continue;
    }
    if (sub === 'mount') {
      let handled = false;
      for (const [opt, key] of [['--workload', 'workload'], ['--proc', 'procDir']] as const) {
        const o = value(opt, i);
        if (!o) continue;
        if (!o.v) return { kind: 'error', message: `option '${opt}' needs a value` };
        mountOpts[key] = o.v;
        i = o.next;
        handled = true;
      }
      if (handled) continue;
      if (a.startsWith('-') && a !== '-') return { kind: 'error', message: `unknown option '${a}'` };
      if (mountDir !== undefined) return { kind: 'error', message: `mount: unexpected argument '${a}'` };
      mountDir = a;
      continue;
    }
    if (a === '--') {
      if (sub === 'run' && i + 1 < argv.length) return { kind: 'run', arch, file: argv[i + 1], args: argv.slice(i + 2), ...(rtc && { rtc }) };
      return { kind: 'error', message: sub === 'run' ? 'run: missing FILE' : "unexpected '--'" };
    }
    if (a.startsWith('-') && a !== '-') return { kind: 'error', message: `unknown option '${a}'` };
    if (sub === 'run') return { kind: 'run', arch, file: a, args: argv.slice(i + 1), ...(rtc && { rtc }) };
    // The host target parses its own options (and has no --arch: it is the running kernel's).
    if (a === 'host') return { kind: 'host', args: argv.slice(i + 1) };
    if (a === 'run' || a === 'mount') {
      sub = a;
      continue;
    }
    return { kind: 'error', message: `unknown command '${a}'` };
  }
  if (sub === 'run') return { kind: 'error', message: 'run: missing FILE' };
  if (sub === 'mount') {
    if (mountDir === undefined) return { kind: 'error', message: 'mount: missing DIR' };
    return { kind: 'mount', arch, dir: mountDir, ...mountOpts, ...(rtc && { rtc }) };
  }
  return { kind: 'shell', arch, ...(rtc && { rtc }) };
}

/**
 * The RTC's reading at power-on (QEMU's -rtc base=): `utc`, the host's clock now (the default);
 * a UTC date `YYYY-MM-DD[THH:MM:SS]`; or seconds since the epoch.
 */
export function parseRtcBase(text: string | undefined, now = Date.now()): number | { message: string } {
  if (text === undefined || text === 'utc') return Math.floor(now / 1000);
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n <= 0xffff_ffff) return n;
  } else if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?$/.test(text)) {
    const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : `${text}Z`);
    if (!Number.isNaN(ms) && ms >= 0 && ms / 1000 <= 0xffff_ffff) return Math.floor(ms / 1000);
  }
  return { message: `invalid --rtc '${text}' (utc, a UTC date such as 2006-06-17T16:01:21, or seconds since the epoch up to 4294967295)` };
}

/** The arch's canonical name, or the error to print (exit status 2). */
export function checkArch(arch: string): { arch: string } | { message: string } {
  const name = ARCH_ALIASES[arch] ?? arch;
  if (AVAILABLE_ARCHES.includes(name)) return { arch: name };
  if (KNOWN_ARCHES.includes(name)) {
    return { message: `arch '${name}' is not yet available (available: ${AVAILABLE_ARCHES.join(', ')})` };
  }
  return { message: `unknown arch '${arch}' (known: ${KNOWN_ARCHES.join(', ')})` };
}

async function boot(arch: string, rtc: number, io: CliIo): Promise<Machine> {
  const { bootMachine }: { bootMachine: BootMachine } = await import('./../shell/machine.ts');
  return bootMachine({ arch, rtc, output: (bytes) => void io.stdout.write(bytes) });
}

async function shellMode(arch: string, rtc: number, io: CliIo): Promise<number> {
  const machine = await boot(arch, rtc, io);
  const { Shell } = await import('../shell/shell.ts');
  const { runInteractive, runScriptMode } = await import('../shell/repl.ts');
  const interactive = Boolean(io.stdin.isTTY);
  const shell = await Shell.start({
    kernel: machine.kernel,
    proc: machine.shellProcess,
    interactive,
    columns: interactive ? io.stdout.columns : undefined,
  });
  if (!interactive) return runScriptMode(shell, io.stdin);
  const { greeting } = await import('../shell/help.ts');
  io.stdout.write(greeting(arch));
  return runInteractive(shell, machine.kernel, { input: io.stdin, output: io.stdout });
}

async function runMode(arch: string, rtc: number, file: string, args: string[], io: CliIo): Promise<number> {
  const { resolveHostPath, installHostElf } = await import('../shell/hostfile.ts');
  const { SIGINT, errnoText, signalName, waitStatusToExitCode } = await import('../shell/sys.ts');
  const hostPath = resolveHostPath(file);
  if (hostPath === null) {
    io.stderr.write(`kprobe run: ${file}: No such file or directory\n`);
    return 127;
  }
  const { kernel, shellProcess } = await boot(arch, rtc, io);
  const installed = await installHostElf(shellProcess, hostPath);
  if (!installed.ok) {
    io.stderr.write(`kprobe run: ${installed.message}\n`);
    return 126;
  }
  // The program's terminal input: the host's stdin, fed to the console as it comes.
  const onData = (chunk: Buffer): void => kernel.console.input(new Uint8Array(chunk));
  const onEnd = (): void => kernel.console.endOfInput();
  io.stdin.on('data', onData);
  io.stdin.on('end', onEnd);
  let pid = -1;
  const onSigint = (): void => {
    if (pid > 0) Promise.resolve(shellProcess.kill(pid, SIGINT)).catch(() => undefined);
  };
  process.on('SIGINT', onSigint);
  try {
    const env = ['HOME=/root', 'PATH=/bin', 'TERM=vt100', 'USER=root'];
    const r = await kernel.runElf(shellProcess, installed.guestPath, [file, ...args], { envp: env, onStart: (p) => (pid = p) });
    if (r < 0) {
      io.stderr.write(`kprobe run: ${file}: ${errnoText(r)}\n`);
      return 126;
    }
    const { code, signal } = waitStatusToExitCode(r);
    if (signal && signal !== SIGINT) io.stderr.write(`${signalName(signal)}\n`);
    return code;
  } finally {
    process.removeListener('SIGINT', onSigint);
    io.stdin.removeListener('data', onData);
    io.stdin.removeListener('end', onEnd);
    io.stdin.pause();
  }
}

/** Runs the command line `argv` (without node and the script); resolves to the exit status. */
export async function main(argv: string[], io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const p = parseArgs(argv);
  switch (p.kind) {
    case 'help':
      io.stdout.write(HELP);
      return 0;
    case 'version':
      io.stdout.write(`kprobe ${version()}\n`);
      return 0;
    case 'error':
      io.stderr.write(`kprobe: ${p.message}\n${USAGE}`);
      return 2;
    case 'host': {
      const { hostMain } = await import('./host.ts');
      return hostMain(p.args, io);
    }
  }
  const arch = checkArch(p.arch);
  if ('message' in arch) {
    io.stderr.write(`kprobe: ${arch.message}\n`);
    return 2;
  }
  const rtc = parseRtcBase(p.rtc);
  if (typeof rtc !== 'number') {
    io.stderr.write(`kprobe: ${rtc.message}\n`);
    return 2;
  }
  try {
    if (p.kind === 'shell') return await shellMode(arch.arch, rtc, io);
    if (p.kind === 'mount') {
      const { mountMode } = await import('./mount.ts');
      return await mountMode({ arch: arch.arch, rtc, dir: p.dir, procDir: p.procDir, workload: p.workload }, io);
    }
    return await runMode(arch.arch, rtc, p.file, p.args, io);
  } catch (e) {
    // A kernel panic has printed itself on the console, as on a real machine: the machine has
    // stopped, and so does the command.
    if (e instanceof Error && e.name === 'KernelPanic') {
      io.stderr.write('kprobe: the machine has panicked and stopped\n');
      return 1;
    }
    // The machine failed otherwise (an emulator bug): say what happened, with where.
    io.stderr.write(`kprobe: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
