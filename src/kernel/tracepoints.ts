// The kernel's tracepoints as tracing sees them (TracingHost.tracepoints): the guest's
// `struct tracepoint __tracepoint_<name>` sites, whose key this file sets while probes are
// attached and whose hits arrive as HVC_TRACEPOINT, and sched_switch, which this side traces
// because task switches are TypeScript's (guest/ABI.md "Tracepoints"). Each hit becomes the
// tracepoint's arguments, with the tasks read out of their task_structs. Counterpart of
// kernel/tracepoint.c (tracepoint_probe_register / unregister, the static key) and of the
// trace_sched_switch() call in kernel/sched/core.c's __schedule().

import type { TracepointHost, TracepointProbe } from '../tracing/host.ts';
import { EXIT_DEAD as LINUX_EXIT_DEAD, EXIT_ZOMBIE as LINUX_EXIT_ZOMBIE, SCHED_EVENTS, TASK_DEAD, type SchedTask, type SchedTracepointArgs } from '../tracing/trace-sched.ts';
import { EXIT_DEAD, EXIT_ZOMBIE, TASK_COMM_LEN, TASK_RUNNING, TRACEPOINT_KEY } from './abi.ts';
import type { KprobesSubsystem } from './kprobes-glue.ts';
import type { Kernel } from './kernel.ts';
import type { Task } from './task.ts';
import { EEXIST, ENOENT } from '../uapi/errno.ts';

/** Every task is SCHED_NORMAL at nice 0: prio = MAX_RT_PRIO + NICE_WIDTH / 2. */
const DEFAULT_PRIO = 120;

/** The tracepoints of the emulated kernel, with the hooks that deliver their hits. */
export function kernelTracepoints(kernel: Kernel, kprobes: KprobesSubsystem): TracepointHost {
  // The guest's tracepoints by the address of their struct, and sched_switch (no struct).
  const sites = new Map<string, number>();
  for (const name of SCHED_EVENTS) {
    const sym = kernel.symbols.lookupName(`__tracepoint_${name}`)[0];
    if (sym) sites.set(name, sym.address);
  }
  const byAddress = new Map<number, string>([...sites].map(([name, addr]) => [addr, name]));
  const names: readonly string[] = SCHED_EVENTS.filter((n) => sites.has(n) || n === 'sched_switch');
  const probes = new Map<string, Set<TracepointProbe>>();

  const task = (taskStruct: number): SchedTask => ({
    pid: kernel.memory.read32(taskStruct + kernel.layout.task.pid) | 0,
    comm: kernel.memory.readCString(taskStruct + kernel.layout.task.comm, TASK_COMM_LEN),
    prio: DEFAULT_PRIO,
    cpu: 0,
  });
  const ptr = (v: bigint): number => Number(v & 0xffff_ffff_ffffn);
  const s32 = (v: bigint): number => Number(BigInt.asIntN(32, v));

  /** The tracepoint's arguments from the hypercall's registers (TP_PROTO order, ABI.md). */
  const decode = (name: string, a: readonly bigint[]): SchedTracepointArgs | undefined => {
    switch (name) {
      case 'sched_waking':
      case 'sched_wakeup':
      case 'sched_wakeup_new':
      case 'sched_process_exit':
      case 'sched_process_free':
        return { tp: name, p: task(ptr(a[0]!)) };
      case 'sched_process_wait':
        return { tp: name, pid: s32(a[0]!), current: task(kernel.current.taskStruct) };
      case 'sched_process_fork':
        return { tp: name, parent: task(ptr(a[0]!)), child: task(ptr(a[1]!)) };
      case 'sched_process_exec':
        return { tp: name, p: task(ptr(a[0]!)), oldPid: s32(a[1]!), filename: kernel.memory.readCString(ptr(a[2]!)) };
    }
    return undefined;
  };

  const fire = (name: string, args: SchedTracepointArgs, withRegs: boolean): void => {
    const set = probes.get(name);
    if (!set || set.size === 0) return;
    const regs = withRegs ? kprobes.core.arch.saveRegs(kernel.cpu) : undefined;
    for (const probe of [...set]) probe(args, regs);
  };

  kernel.onTracepoint = (tp, a) => {
    const name = byAddress.get(tp);
    if (name === undefined) return;
    const args = decode(name, a);
    if (args) fire(name, args, true);
  };

  // __schedule(): trace_sched_switch(preempt, prev, next, prev_state). A task switched away from
  // while still runnable was preempted; the guest keeps exit states in __state, Linux in
  // exit_state beside TASK_DEAD.
  kernel.onTaskSwitch = (prev: Task, next: Task) => {
    if (!probes.get('sched_switch')?.size) return;
    const raw = prev.state;
    let prevState = raw;
    let prevExitState = 0;
    if (raw & (EXIT_ZOMBIE | EXIT_DEAD)) {
      prevState = TASK_DEAD;
      prevExitState = raw & EXIT_ZOMBIE ? LINUX_EXIT_ZOMBIE : LINUX_EXIT_DEAD;
    }
    fire(
      'sched_switch',
      { tp: 'sched_switch', preempt: raw === TASK_RUNNING, prev: task(prev.taskStruct), prevState, prevExitState, next: task(next.taskStruct) },
      false,
    );
  };

  const setKey = (name: string, on: boolean): void => {
    const addr = sites.get(name);
    if (addr !== undefined) kernel.memory.write32(addr + TRACEPOINT_KEY, on ? 1 : 0);
  };

  return {
    names,
    register(name, probe) {
      if (!names.includes(name)) return -ENOENT;
      let set = probes.get(name);
      if (!set) probes.set(name, (set = new Set()));
      if (set.has(probe)) return -EEXIST;
      set.add(probe);
      if (set.size === 1) setKey(name, true);
      return 0;
    },
    unregister(name, probe) {
      const set = probes.get(name);
      if (!set?.delete(probe)) return;
      if (set.size === 0) setKey(name, false);
    },
  };
}
