// `kprobe mount DIR`: boot the emulated machine, start its background workload, and mount its
// tracefs on the host directory DIR (and, with --proc, its /proc on another) through FUSE, until
// SIGINT or SIGTERM; then unmount. Plain host tools then drive the machine's kprobes:
//   echo 'p:ev vfs_read' >> DIR/kprobe_events; echo 1 > DIR/events/kprobes/ev/enable; cat DIR/trace
// Each FUSE request is a system call of the machine's file-server task (src/kernel/file-server.ts),
// taken in turns with the workload's shell lines (src/shell/workload.ts). The process that serves
// the mount never reads it: FUSE deadlocks a server that waits on its own mount. No Linux
// counterpart: what `mount -t tracefs nodev DIR` is on a real machine.

import type { BootedKernel } from '../kernel/boot.ts';
import type { GuestFileServer } from '../kernel/file-server.ts';
import type { Workload } from '../shell/workload.ts';
import type { GuestMount } from './fuse.ts';

export interface MountRequest {
  arch: string;
  /** The RTC's reading at power-on, seconds since the epoch. */
  rtc?: number;
  dir: string;
  procDir?: string;
  /** A name of WORKLOADS, 'none', or a shell command line run over and over. */
  workload: string;
}

export interface MountIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Runs until SIGINT/SIGTERM (or the machine dies); resolves to the exit status. */
export async function mountMode(req: MountRequest, io: MountIo, signals: NodeJS.EventEmitter = process): Promise<number> {
  const { loadFuse, GuestMount } = await import('./fuse.ts');
  const fuse = await loadFuse();
  if ('message' in fuse) {
    io.stderr.write(`kprobe mount: ${fuse.message}\n`);
    return 1;
  }
  const { bootMachine } = await import('../shell/machine.ts');
  const { GuestFileServer } = await import('../kernel/file-server.ts');
  const { Workload, workloadLines } = await import('../shell/workload.ts');

  // The machine's console (printk, a workload command's errors) goes to our stderr.
  const machine: BootedKernel = await bootMachine({ arch: req.arch, rtc: req.rtc, output: (bytes) => void io.stderr.write(bytes) });
  const server: GuestFileServer = await GuestFileServer.start(machine.kernel, { parent: machine.init });
  let workload: Workload | null = null;
  if (req.workload !== 'none') {
    workload = await Workload.start({ kernel: machine.kernel, core: machine.core, proc: machine.shellProcess, lines: workloadLines(req.workload) });
    server.setTurnTaker(workload);
  }

  const mounts: GuestMount[] = [new GuestMount(server, '/sys/kernel/tracing', req.dir, 'tracefs')];
  if (req.procDir) mounts.push(new GuestMount(server, '/proc', req.procDir, 'proc'));

  // Whatever ends this process, the mounts must not outlive it.
  const onExit = (): void => {
    for (const m of mounts) m.detachNow();
  };
  process.on('exit', onExit);

  let stop!: (code: number) => void;
  const stopped = new Promise<number>((res) => (stop = res));
  const onSignal = (sig: NodeJS.Signals) => () => {
    io.stderr.write(`kprobe mount: ${sig}, unmounting\n`);
    stop(0);
  };
  const onInt = onSignal('SIGINT');
  const onTerm = onSignal('SIGTERM');
  signals.on('SIGINT', onInt);
  signals.on('SIGTERM', onTerm);

  let status = 0;
  try {
    for (const m of mounts) {
      try {
        await m.mount(fuse.Fuse);
      } catch (e) {
        io.stderr.write(`kprobe mount: cannot mount ${m.mountpoint}: ${e instanceof Error ? e.message : String(e)}\n`);
        return 1;
      }
    }
    const what = mounts.map((m) => `${m.guestRoot} on ${m.mountpoint}`).join(', ');
    io.stdout.write(`kprobe mount: ${req.arch} machine's ${what} (workload: ${req.workload}); SIGINT or SIGTERM unmounts\n`);
    // A machine that panics (or a workload that cannot go on) ends the mount too.
    const died = watchWorkload(workload);
    status = await Promise.race([stopped, died.then((msg) => {
      io.stderr.write(`kprobe mount: ${msg}\n`);
      return 1;
    })]);
  } finally {
    signals.removeListener('SIGINT', onInt);
    signals.removeListener('SIGTERM', onTerm);
    await workload?.stop();
    await server.stop();
    for (const m of mounts) await m.unmount();
    process.removeListener('exit', onExit);
  }
  return status;
}

/** Resolves with a message if the workload stops by itself (a kernel panic, a shell that exited). */
function watchWorkload(w: Workload | null): Promise<string> {
  if (!w) return new Promise(() => undefined);
  return w.finished.then(() => {
    const e = w.error;
    // Stopped on purpose (we are unmounting): nothing to say, and the race is already decided.
    if (e === null) return new Promise<string>(() => undefined);
    return `the workload stopped: ${e instanceof Error ? e.message : String(e)}`;
  });
}
