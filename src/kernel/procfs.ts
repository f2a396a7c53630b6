// /proc of the emulated machine: kallsyms from the image's symbol table, version (the guest's
// linux_proc_banner and utsname), uptime, and the sysctls this project needs (kernel/panic_on_oops,
// the utsname ones, the RT bandwidth pair ftracetest saves and restores). Counterpart of fs/proc
// (kallsyms.c, version.c, uptime.c), kernel/sysctl.c and kernel/utsname_sysctl.c, served through
// the hostfs bridge.

import { EINVAL } from '../uapi/errno.ts';
import { dir, textFile, type HostDir, type HostNode } from './hostfs.ts';
import type { Kernel } from './kernel.ts';
import { formatMounts } from './guest-view.ts';
import type { Task } from './task.ts';
import { EXIT_DEAD, EXIT_ZOMBIE, TASK_INTERRUPTIBLE } from './abi.ts';

/** The fields of the guest's init_uts_ns.name (struct new_utsname: six 65-byte strings). */
const UTS_FIELDS = ['sysname', 'nodename', 'release', 'version', 'machine', 'domainname'] as const;
type UtsField = (typeof UTS_FIELDS)[number];

/** utsname()->field, read from the guest kernel's memory (kernel/utsname_sysctl.c reads it there too). */
function utsname(kernel: Kernel, field: UtsField): string {
  return kernel.memory.readCString(kernel.symbol('init_uts_ns') + 65 * UTS_FIELDS.indexOf(field), 65);
}

/**
 * version_proc_show(): the guest's linux_proc_banner ("%s version %s (…) (…) %s\n") filled with
 * utsname's sysname, release and version, as seq_printf does it.
 */
function versionProcShow(kernel: Kernel): string {
  const banner = kernel.memory.readCString(kernel.symbol('linux_proc_banner'), 1024);
  const args = [utsname(kernel, 'sysname'), utsname(kernel, 'release'), utsname(kernel, 'version')];
  return banner.replace(/%s/g, () => args.shift() ?? '');
}

/** A sysctl holding an integer, parsed like proc_dointvec (a leading integer, then whitespace). */
/** `set` may refuse a value with a negative errno. */
function intSysctl(get: () => number, set: (v: number) => void | number) {
  return textFile(
    () => `${get()}\n`,
    (text) => {
      const m = /^\s*(-?\d+)\s*$/.exec(text);
      if (!m) return -EINVAL;
      const r = set(Number(m[1]));
      if (typeof r === 'number' && r < 0) return r;
      return text.length;
    },
  );
}

export function procfs(kernel: Kernel): HostDir {
  /** kernel/sched/rt.c: the RT bandwidth sysctls (sched_rt_handler: runtime ≤ period, or -1). */
  const rtBandwidth = { periodUs: 1_000_000, runtimeUs: 950_000 };
  const kernelSys = dir(() => ({
    sched_rt_period_us: intSysctl(
      () => rtBandwidth.periodUs,
      (v) => {
        if (v <= 0 || (rtBandwidth.runtimeUs !== -1 && rtBandwidth.runtimeUs > v)) return -EINVAL;
        rtBandwidth.periodUs = v;
        return 0;
      },
    ),
    sched_rt_runtime_us: intSysctl(
      () => rtBandwidth.runtimeUs,
      (v) => {
        if (v < -1 || (v !== -1 && v > rtBandwidth.periodUs)) return -EINVAL;
        rtBandwidth.runtimeUs = v;
        return 0;
      },
    ),
    panic_on_oops: intSysctl(
      () => kernel.panicOnOops,
      (v) => {
        kernel.panicOnOops = v;
      },
    ),
    printk: textFile(() => `${kernel.printk.consoleLoglevel}\t4\t1\t7\n`),
    // uts_kern_table (kernel/utsname_sysctl.c): the guest's utsname, read-only here.
    arch: textFile(() => `${utsname(kernel, 'machine')}\n`),
    ostype: textFile(() => `${utsname(kernel, 'sysname')}\n`),
    osrelease: textFile(() => `${utsname(kernel, 'release')}\n`),
    version: textFile(() => `${utsname(kernel, 'version')}\n`),
    hostname: textFile(() => `${utsname(kernel, 'nodename')}\n`),
    domainname: textFile(() => `${utsname(kernel, 'domainname')}\n`),
  }));
  const pidDirs = (): Record<string, HostNode> => {
    const out: Record<string, HostNode> = {};
    const live = [...kernel.tasks.values()].filter((t) => !t.exited).sort((a, b) => a.pid - b.pid);
    for (const t of live) out[String(t.pid)] = pidDir(kernel, t);
    return out;
  };
  return dir(() => ({
    ...pidDirs(),
    self: pidDir(kernel, kernel.current),
    mounts: textFile(() => formatMounts(kernel)),
    kallsyms: textFile(() => kernel.symbols.formatKallsyms()),
    version: textFile(() => versionProcShow(kernel)),
    uptime: textFile(() => {
      const s = kernel.clockNs() / 1e9;
      return `${s.toFixed(2)} ${s.toFixed(2)}\n`;
    }),
    cmdline: textFile(() => 'console=ttyAMA0 panic_on_oops=0\n'),
    sys: dir(() => ({ kernel: kernelSys })),
  }));
}

/** The state letter of /proc/<pid>/stat (fs/proc/array.c task_state_array). */
function stateLetter(state: number): string {
  if (state & EXIT_DEAD) return 'X';
  if (state & EXIT_ZOMBIE) return 'Z';
  if (state & TASK_INTERRUPTIBLE) return 'S';
  return 'R';
}

/** /proc/<pid>: comm, cmdline, stat and status of one task. */
function pidDir(kernel: Kernel, t: Task): HostDir {
  const ppid = () => {
    const parent = kernel.tasks.get(t.parentTaskStruct);
    return parent ? parent.pid : 0;
  };
  return dir(() => ({
    comm: textFile(() => `${t.comm}\n`),
    cmdline: textFile(() => (t.program ? `${t.program}\0` : '')),
    stat: textFile(
      () =>
        `${t.pid} (${t.comm}) ${stateLetter(t.state)} ${ppid()} ${t.pid} ${t.pid} 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 0 0 0\n`,
    ),
    status: textFile(() => `Name:\t${t.comm}\nState:\t${stateLetter(t.state)}\nTgid:\t${t.pid}\nPid:\t${t.pid}\nPPid:\t${ppid()}\n`),
  }));
}
