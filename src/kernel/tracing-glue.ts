// Bringing up tracing on the emulated kernel: the TracingHost that the tracing layer needs
// (kallsyms, the kprobes core, fault-free guest memory reads, the current task, the virtual clock,
// the hit's context) built from the kernel and its kprobes. Counterpart of the glue between
// kernel/trace/trace_kprobe.c and the rest of the kernel (kallsyms, copy_from_kernel_nofault,
// current, local_clock, smp_processor_id).

import { fromCanonical64, toCanonical64 } from '../machine/symbols.ts';
import { Tracing } from '../tracing/tracing.ts';
import type { TracingHost } from '../tracing/host.ts';
import type { KprobesSubsystem } from './kprobes-glue.ts';
import type { Kernel } from './kernel.ts';
import { KERN_WARNING } from './printk.ts';
import { hashPointer } from './vsprintf.ts';
import { DENTRY_D_NAME_NAME, FILE_F_PATH_DENTRY } from './abi.ts';

export function startTracing(kernel: Kernel, kprobes: KprobesSubsystem): Tracing {
  const symbols = kernel.symbols;
  const core = kprobes.core;
  const textFunctions = () =>
    symbols
      .all()
      .filter((s) => s.elfType === 'FUNC' && (s.letter === 't' || s.letter === 'T') && !core.withinKprobeBlacklist(s.address))
      .sort((a, b) => a.address - b.address)
      .map((s) => (s.module ? `${s.name} [${s.module}]` : s.name));

  const host: TracingHost = {
    arch: kernel.machine.arch,
    nrCpus: 1,
    lookupName(name) {
      const colon = name.indexOf(':');
      if (colon >= 0) {
        const mod = name.slice(0, colon);
        const sym = symbols.lookupName(name.slice(colon + 1)).find((s) => s.module === mod);
        return sym ? toCanonical64(sym.address) : undefined;
      }
      const s = symbols.lookupName(name)[0];
      return s ? toCanonical64(s.address) : undefined;
    },
    countSymbols(name, module) {
      return symbols.lookupName(name).filter((s) => (module === undefined ? true : s.module === module)).length;
    },
    isModuleLoaded: () => false,
    lookupAddress(addr) {
      const s = symbols.lookupAddress(fromCanonical64(addr));
      if (!s) return undefined;
      return { name: s.name, offset: BigInt(s.offset), size: BigInt(s.size), module: s.module };
    },
    listFunctions: textFunctions,
    registerKprobe: (kp) => core.registerKprobe(kp),
    unregisterKprobe: (kp) => core.unregisterKprobe(kp),
    enableKprobe: (kp) => core.enableKprobe(kp),
    disableKprobe: (kp) => core.disableKprobe(kp),
    registerKretprobe: (rp) => core.registerKretprobe(rp),
    unregisterKretprobe: (rp) => core.unregisterKretprobe(rp),
    isKretprobeTrampoline: (addr) => core.isKretprobeTrampoline(fromCanonical64(addr)),
    readMemory(addr, length, user) {
      const a = fromCanonical64(addr);
      const kernelHalf = a >= kernel.arch.layout.kernelBase;
      if (user && kernelHalf) return undefined;
      try {
        return kernel.memory.readBytes(a, length, user);
      } catch {
        return undefined;
      }
    },
    currentTask: () => ({ pid: kernel.current.pid, comm: kernel.current.comm }),
    currentCpu: () => 0,
    clockNs: () => BigInt(kernel.clockNs()),
    // A probe hit runs in the BRK exception handler with DAIF masked: the 'd' of "d....".
    traceContext: () => ({ irqsOff: true }),
    // %pd / %pD: the guest's struct dentry and struct file, not x86_64 Linux's.
    dentryOffsets: { dentryName: DENTRY_D_NAME_NAME, fileDentry: FILE_F_PATH_DENTRY },
    hashPointer: (addr) => '0x' + hashPointer(addr).toString(16).padStart(16, '0'),
    warn: (text) => kernel.printk.log(KERN_WARNING, text),
  };
  return new Tracing(host);
}
