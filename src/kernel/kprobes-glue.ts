// Bringing up kprobes on the emulated kernel: the KprobesHost the core needs (kallsyms, kernel
// text and the blacklist from the image's linker symbols, instruction-slot pages, printk, the
// oops path) and the trap hooks through which the kernel's trap path reaches it. Counterpart of
// init_kprobes() in kernel/kprobes.c and of the BRK/fault hook registration in
// arch/arm64/kernel/debug-monitors.c and arch/arm64/mm/fault.c.

import {
  blacklistSectionsFromSymbols,
  buildKprobeBlacklist,
  readKprobeBlacklistSection,
  type KprobesDeath,
  type KprobesHost,
} from '../kprobes/host.ts';
import { createKprobes, type Kprobes } from '../kprobes/kprobes.ts';
import type { KprobesApi } from './module.ts';
import { KERN_WARNING } from './printk.ts';
import { ContextKilled, KernelPanic, SIGSEGV, type Kernel } from './kernel.ts';

export interface KprobesSubsystem {
  readonly core: Kprobes;
  readonly api: KprobesApi;
}


export function startKprobes(kernel: Kernel): KprobesSubsystem {
  const symbols = kernel.symbols;
  const lookup = (name: string) => symbols.lookupName(name);
  const addr = (name: string) => lookup(name)[0]?.address;
  const textStart = addr('_stext') ?? addr('_text')!;
  const textEnd = addr('_etext')!;
  const isKernelText = (a: number) => a >= textStart && a < textEnd;
  const blStart = addr('__start__kprobe_blacklist');
  const blStop = addr('__stop__kprobe_blacklist');
  const nokprobe =
    blStart !== undefined && blStop !== undefined ? readKprobeBlacklistSection(kernel.memory, blStart, blStop) : [];
  const blacklist = buildKprobeBlacklist({
    symbols: symbols.all(),
    lookupAddress: (a) => symbols.lookupAddress(a),
    isKernelText,
    sections: blacklistSectionsFromSymbols(lookup),
    nokprobeSymbols: nokprobe,
  });

  let nextSlotPage = kernel.arch.layout.kprobeSlots;
  const slotAreaEnd = kernel.arch.layout.kprobeSlots + 64 * 4096;

  const host: KprobesHost = {
    memory: kernel.memory,
    get cpu() {
      return kernel.cpu;
    },
    numPossibleCpus: 1,
    symbols: {
      lookupName: lookup,
      lookupAddress: (a) => symbols.lookupAddress(a),
    },
    text: { isKernelText, blacklist },
    allocInsnPage() {
      if (nextSlotPage >= slotAreaEnd) return null;
      const page = nextSlotPage;
      nextSlotPage += 4096;
      kernel.memory.map(page, 4096, { user: false, write: false, exec: true });
      return page;
    },
    currentTask: () => kernel.current.pid,
    printk: (level, text) => kernel.printk.log(level, text),
    warn(site) {
      kernel.printk.log(KERN_WARNING, '------------[ cut here ]------------');
      kernel.printk.log(KERN_WARNING, `WARNING: CPU: 0 PID: ${kernel.current.pid} at ${site.file}:${site.line} ${site.func}`);
      kernel.printk.log(KERN_WARNING, '---[ end trace 0000000000000000 ]---');
    },
    die(report: KprobesDeath) {
      kernel.oopsFromReport(report);
      if (kernel.panicked) throw new KernelPanic(kernel.panicked);
      kernel.killCurrentTask(SIGSEGV);
    },
    isContextKilled: (e) => e instanceof ContextKilled || e instanceof KernelPanic,
  };

  const core = createKprobes(host);
  kernel.kprobesCore = core;
  kernel.traps = {
    breakpoint: (e) => core.breakpoint(e),
    fault: (e) => core.fault(e),
  };
  kernel.onTaskReaped = (pid) => core.kprobeFlushTask(pid);

  const api: KprobesApi = {
    registerKprobe: (kp) => core.registerKprobe(kp),
    unregisterKprobe: (kp) => core.unregisterKprobe(kp),
    enableKprobe: (kp) => core.enableKprobe(kp),
    disableKprobe: (kp) => core.disableKprobe(kp),
    registerKretprobe: (rp) => core.registerKretprobe(rp),
    unregisterKretprobe: (rp) => core.unregisterKretprobe(rp),
    enableKretprobe: (rp) => core.enableKretprobe(rp),
    disableKretprobe: (rp) => core.disableKretprobe(rp),
  };
  return { core, api };
}
