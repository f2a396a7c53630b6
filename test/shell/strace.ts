// An strace for the shell's tests, made of kprobes on the booted machine: a probe on the guest's
// sys_<name> for each system call asked for (the function SYSCALL_DEFINEn generates, entered with
// the call's arguments in x0..x5) records who made the call (the pid and comm of `current`) and
// its arguments, strings and buffers read from the caller's user memory, as strace decodes them.
// Nothing here stands in for the machine: a call is in the log because the guest kernel ran it.

import type { BootedKernel } from '../../src/shell/machine.ts';
import type { Kprobe, PtRegs } from '../../src/kprobes/types.ts';
import { AT_FDCWD, O_RDONLY, readAll } from '../../src/shell/sys.ts';
import type { Process } from '../../src/kernel/process-api.ts';

/** One system call as it entered the guest kernel. */
export interface Call {
  pid: number;
  comm: string;
  call: string;
  args: unknown[];
}

type Decoder = (r: PtRegs, user: UserMemory) => unknown[];

interface UserMemory {
  bytes(addr: bigint, len: bigint): string;
  string(addr: bigint): string;
  strings(addr: bigint): string[];
}

/** An int argument (fds, flags, pids, signals): the low 32 bits, signed, as the C prototype has it. */
const int = (r: PtRegs, n: number): number => Number(BigInt.asIntN(32, r.argument(n)));

/** What each traced call's arguments are, in the order of its prototype. */
const decoders: Record<string, Decoder> = {
  // write(fd, buf, count): the bytes written
  write: (r, u) => [int(r, 0), u.bytes(r.argument(1), r.argument(2))],
  // read(fd, buf, count)
  read: (r) => [int(r, 0), Number(r.argument(2))],
  // openat(dfd, filename, flags, mode)
  openat: (r, u) => [int(r, 0), u.string(r.argument(1)), int(r, 2)],
  close: (r) => [int(r, 0)],
  dup3: (r) => [int(r, 0), int(r, 1), int(r, 2)],
  fcntl: (r) => [int(r, 0), int(r, 1), int(r, 2)],
  kill: (r) => [int(r, 0), int(r, 1)],
  unlinkat: (r, u) => [int(r, 0), u.string(r.argument(1)), int(r, 2)],
  // execve(filename, argv, envp)
  execve: (r, u) => [u.string(r.argument(0)), u.strings(r.argument(1)), u.strings(r.argument(2))],
  clone: () => [],
};

export type TracedCall = keyof typeof decoders;

const live = new Set<Kprobe>();

/**
 * Starts recording the given system calls on machine `m`; the log fills as the guest runs them.
 * stop() unregisters the probes (stopAll() in an afterEach does it for a failed test too).
 */
export function strace(m: BootedKernel, calls: readonly TracedCall[]): { log: Call[]; stop: () => void } {
  const memory = m.core.memory;
  const user: UserMemory = {
    bytes: (addr, len) => Buffer.from(memory.readBytes(Number(addr), Number(len), true)).toString('utf8'),
    string: (addr) => memory.readCString(Number(addr), 4096, true),
    strings: (addr) => {
      const out: string[] = [];
      for (let p = Number(addr); p !== 0; p += 8) {
        const s = memory.read64(p, true);
        if (s === 0n) break;
        out.push(memory.readCString(Number(s), 4096, true));
      }
      return out;
    },
  };
  const log: Call[] = [];
  const probes: Kprobe[] = [];
  for (const call of calls) {
    const decode = decoders[call]!;
    const kp: Kprobe = {
      symbolName: `sys_${call}`,
      preHandler: (_p, regs) => {
        log.push({ pid: m.core.current.pid, comm: m.core.current.comm, call, args: decode(regs, user) });
        return 0;
      },
    };
    const r = m.core.kprobesApi!.registerKprobe(kp);
    if (r < 0) throw new Error(`register_kprobe(sys_${call}) failed: ${r}`);
    probes.push(kp);
    live.add(kp);
  }
  const stop = (): void => {
    for (const kp of probes.splice(0)) {
      if (live.delete(kp)) m.core.kprobesApi!.unregisterKprobe(kp);
    }
  };
  return { log, stop };
}

/** Unregisters every probe strace() left registered on `m`. */
export function stopAll(m: BootedKernel): void {
  for (const kp of live) m.core.kprobesApi!.unregisterKprobe(kp);
  live.clear();
}

/** A file's contents, read by `proc` with openat/read/close (as cat would), or the -errno of openat. */
export async function readGuestFile(proc: Process, path: string): Promise<string | number> {
  const fd = await proc.openat(AT_FDCWD, path, O_RDONLY);
  if (fd < 0) return fd;
  try {
    const data = await readAll(proc, fd);
    return typeof data === 'number' ? data : Buffer.from(data).toString('utf8');
  } finally {
    await proc.close(fd);
  }
}
