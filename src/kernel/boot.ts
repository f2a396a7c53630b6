// Booting the emulated machine: load the guest image onto a board, start the guest kernel, mount
// the host-backed file systems, bring up kprobes and tracing, install the command files in /bin,
// and start the shell as a child of init. Counterpart of init/main.c (start_kernel →
// rest_init → kernel_init → run_init_process) on the TypeScript side.

import { fileURLToPath } from 'node:url';
import type { ArchName } from '../isa/cpu.ts';
import { SUPPORTED_ARCHES } from '../isa/index.ts';
import { Machine } from '../machine/machine.ts';
import type { BootOptions, Machine as BootedMachine } from './process-api.ts';
import { FS_DEBUGFS, FS_PROC, FS_SYSFS, FS_TRACEFS, AT_FDCWD, O_CREAT, O_RDWR, O_TRUNC, O_WRONLY } from './abi.ts';
import type { ArchKernel } from './arch/arch-kernel.ts';
import { arm64Kernel } from './arch/arm64.ts';
import { mipsKernel } from './arch/mips.ts';
import { BUILTIN_MAGIC } from './exec.ts';
import { HostFs } from './hostfs.ts';
import { Kernel } from './kernel.ts';
import { CONSOLE_LOGLEVEL_DEFAULT, CONSOLE_LOGLEVEL_QUIET } from './printk.ts';
import { ModuleLoader } from './module.ts';
import { mapScratch, TsProcess } from './process.ts';
import { procfs } from './procfs.ts';
import { Sysfs } from './sysfs.ts';
import { Userspace } from './userspace.ts';
import { startKprobes } from './kprobes-glue.ts';
import { startTracing } from './tracing-glue.ts';
import { debugfs } from './debugfs.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface KernelBootOptions extends BootOptions {
  /** Names of the TypeScript commands to install in /bin (the shell's applets). */
  commands?: readonly string[];
}

export interface BootedKernel extends BootedMachine {
  kernel: Userspace;
  shellProcess: TsProcess;
  /** The TypeScript half itself, for tests and tools that reach below user space. */
  core: Kernel;
  init: TsProcess;
}

function checkArch(arch: string): ArchName {
  if (!(SUPPORTED_ARCHES as readonly string[]).includes(arch)) {
    throw new Error(`kprobe: arch '${arch}' is not available yet (available: ${SUPPORTED_ARCHES.join(', ')})`);
  }
  return arch as ArchName;
}

/** The TypeScript kernel half's arch part for an arch. */
function archKernel(arch: ArchName): ArchKernel {
  switch (arch) {
    case 'arm64':
      return arm64Kernel;
    case 'mips':
      return mipsKernel;
    default:
      throw new Error(`kprobe: no kernel half for arch '${arch}'`);
  }
}

/** Boot a machine and return its user space with a shell process (fds 0, 1, 2 on /dev/console). */
export async function bootMachine(options: KernelBootOptions): Promise<BootedKernel> {
  const arch = checkArch(options.arch);
  const output = options.output ?? ((bytes: Uint8Array) => process.stdout.write(bytes));
  const kernelArch = archKernel(arch);
  // The UART sees single bytes: gather them so multi-byte UTF-8 output stays whole per write.
  const machine = Machine.fromImage(arch, kernelArch.layout, (byte) => output(Uint8Array.of(byte)), options.rtc ?? 0);
  const kernel = new Kernel(machine, kernelArch, (text) => output(Buffer.from(text, 'utf8')));

  const hostfs = new HostFs(machine.memory);
  kernel.hostfs = hostfs;
  kernel.sysfs = new Sysfs(kernel);
  const kprobes = startKprobes(kernel);
  const tracing = startTracing(kernel, kprobes);
  hostfs.mount(FS_PROC, procfs(kernel));
  hostfs.mount(FS_SYSFS, kernel.sysfs.root);
  hostfs.mount(FS_TRACEFS, tracing.root);
  hostfs.mount(FS_DEBUGFS, debugfs(kernel, kprobes, tracing.root));

  const modules = new ModuleLoader(kernel, kprobes.api, [process.cwd(), REPO_ROOT]);
  kernel.kprobesApi = kprobes.api;

  // Booted "quiet": boot messages go to dmesg only. Init then sets the console log level back to
  // the default (as `dmesg -n 7` would), so that modules' pr_info lines reach the console.
  kernel.printk.consoleLoglevel = CONSOLE_LOGLEVEL_QUIET;
  const initTask = kernel.boot(machine.entry);
  kernel.printk.consoleLoglevel = CONSOLE_LOGLEVEL_DEFAULT;
  mapScratch(kernel, initTask.mm);
  const init = new TsProcess(kernel, initTask);
  // console_on_rootfs(): init gets /dev/console as stdin, stdout and stderr.
  if (init.fcntl(0, 1 /* F_GETFD */, 0) < 0) {
    for (let fd = 0; fd < 3; fd++) init.openat(AT_FDCWD, '/dev/console', O_RDWR);
  }
  installCommands(init, options.commands ?? []);

  const userspace = new Userspace(kernel, modules);
  const shell = userspace.fork(init);
  if (typeof shell === 'number') throw new Error(`cannot fork the shell: ${shell}`);
  const stop = await shell.execve('/bin/sh', ['sh'], []);
  if (stop.kind !== 'syscall-return' || stop.value !== 0n) throw new Error('cannot exec /bin/sh');
  shell.chdir('/root');
  return { kernel: userspace, shellProcess: shell, core: kernel, init };
}

/** Each shell command is a file in /bin naming its TypeScript program. */
function installCommands(init: TsProcess, commands: readonly string[]): void {
  for (const name of ['sh', ...commands]) {
    const fd = init.openat(AT_FDCWD, `/bin/${name}`, O_WRONLY | O_CREAT | O_TRUNC, 0o755);
    if (fd < 0) throw new Error(`cannot create /bin/${name}: ${fd}`);
    init.write(fd, `${BUILTIN_MAGIC}${name}\n`);
    init.close(fd);
  }
}
