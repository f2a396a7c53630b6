// /proc of the emulated machine: kallsyms from the image's symbol table, version, uptime, and the
// sysctls this project needs (kernel/panic_on_oops). Counterpart of fs/proc (kallsyms.c,
// version.c, uptime.c) and kernel/sysctl.c, served through the hostfs bridge.

import { EINVAL } from '../uapi/errno.ts';
import { dir, textFile, type HostDir } from './hostfs.ts';
import type { Kernel } from './kernel.ts';

export const LINUX_VERSION_STRING =
  'Linux version 6.12.0-kprobe (kprobe@kprobe) (aarch64-linux-gnu-gcc (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT\n';

/** A sysctl holding an integer, parsed like proc_dointvec (a leading integer, then whitespace). */
function intSysctl(get: () => number, set: (v: number) => void) {
  return textFile(
    () => `${get()}\n`,
    (text) => {
      const m = /^\s*(-?\d+)\s*$/.exec(text);
      if (!m) return -EINVAL;
      set(Number(m[1]));
      return text.length;
    },
  );
}

export function procfs(kernel: Kernel): HostDir {
  const kernelSys = dir(() => ({
    panic_on_oops: intSysctl(
      () => kernel.panicOnOops,
      (v) => (kernel.panicOnOops = v),
    ),
    printk: textFile(() => `${kernel.printk.consoleLoglevel}\t4\t1\t7\n`),
    ostype: textFile(() => 'Linux\n'),
    osrelease: textFile(() => '6.12.0-kprobe\n'),
    hostname: textFile(() => 'kprobe\n'),
  }));
  return dir(() => ({
    kallsyms: textFile(() => kernel.symbols.formatKallsyms()),
    version: textFile(() => LINUX_VERSION_STRING),
    uptime: textFile(() => {
      const s = kernel.clockNs() / 1e9;
      return `${s.toFixed(2)} ${s.toFixed(2)}\n`;
    }),
    cmdline: textFile(() => 'console=ttyAMA0 panic_on_oops=0\n'),
    sys: dir(() => ({ kernel: kernelSys })),
  }));
}

/** /sys: the directories where debugfs and tracefs are mounted. */
export function sysfs(): HostDir {
  const empty = dir(() => ({}));
  const kernelDir = dir(() => ({ debug: empty, tracing: empty }));
  return dir(() => ({ kernel: kernelDir }));
}
