// Bringing up tracing on the emulated kernel: the TracingHost that the tracing layer needs
// (kallsyms, the kprobes core, fault-free guest memory reads, the current task, the virtual clock,
// the hit's context) built from the kernel and its kprobes, and the events/ directories, which the
// guest kernel keeps as its own eventfs directories: each one tracing creates or removes is an
// eventfs_create_dir / eventfs_remove_dir call into the guest (guest/ABI.md "tracefs and eventfs").
// Counterpart of the glue between kernel/trace/trace_kprobe.c and the rest of the kernel
// (kallsyms, copy_from_kernel_nofault, current, local_clock, smp_processor_id) and of
// trace_events.c's calls into fs/tracefs/event_inode.c.

import { fromCanonical64, toCanonical64 } from '../machine/symbols.ts';
import { Tracing } from '../tracing/tracing.ts';
import type { TracingHost } from '../tracing/host.ts';
import type { KprobesSubsystem } from './kprobes-glue.ts';
import type { Kernel } from './kernel.ts';
import { KERN_WARNING } from './printk.ts';
import { pointerId } from './vsprintf.ts';
import { kernelTracepoints } from './tracepoints.ts';
import { Uprobes } from './uprobes.ts';


const GFP_KERNEL = 0;

/**
 * The guest's eventfs directories of events/, by "system" and "system/event": the struct
 * eventfs_inode pointers eventfs_create_dir returned, given back to eventfs_remove_dir.
 */
class GuestEventDirs {
  private readonly dirs = new Map<string, bigint>();

  constructor(private readonly kernel: Kernel) {}

  /** The name in a kmalloc buffer, for the guest function to read (it keeps its own copy). */
  private guestString(s: string): bigint {
    const bytes = Buffer.from(s, 'latin1');
    const p = this.kernel.callGuest('kmalloc', [bytes.length + 1, GFP_KERNEL]);
    if (p === 0n) throw new Error('eventfs: kmalloc failed');
    const addr = Number(p & 0xffff_ffff_ffffn);
    this.kernel.memory.writeBytes(addr, bytes);
    this.kernel.memory.write8(addr + bytes.length, 0);
    return p;
  }

  created(system: string, event?: string): void {
    if (!this.kernel.booted) return; // made at boot (sync) from what tracing has then
    const key = event === undefined ? system : `${system}/${event}`;
    const parent =
      event === undefined
        ? this.kernel.readWord(this.kernel.symbol('global_trace') + this.kernel.layout.traceArray.eventDir)
        : this.dirs.get(system);
    if (!parent || this.dirs.has(key)) return;
    const name = this.guestString(event ?? system);
    try {
      const ei = this.kernel.callGuest('eventfs_create_dir', [name, parent]);
      if (this.kernel.isErrPtr(ei)) this.kernel.printk.log(KERN_WARNING, `eventfs: cannot create events/${key}: error ${this.kernel.guestLong(ei)}`);
      else this.dirs.set(key, ei);
    } finally {
      this.kernel.callGuest('kfree', [name]);
    }
  }

  removed(system: string, event?: string): void {
    const key = event === undefined ? system : `${system}/${event}`;
    const ei = this.dirs.get(key);
    if (ei === undefined) return;
    // The guest removes a system's directory with everything in it.
    for (const k of [...this.dirs.keys()]) if (k === key || (event === undefined && k.startsWith(`${system}/`))) this.dirs.delete(k);
    this.kernel.callGuest('eventfs_remove_dir', [ei]);
  }

  /** At boot: the directories of the events tracing has already. */
  sync(tracing: Tracing): void {
    for (const system of tracing.registry.systems.keys()) {
      this.created(system);
      for (const call of tracing.registry.inSystem(system)) this.created(system, call.name);
    }
  }
}



export function startTracing(kernel: Kernel, kprobes: KprobesSubsystem): Tracing {
  const symbols = kernel.symbols;
  const layout = kernel.layout;
  const eventDirs = new GuestEventDirs(kernel);
  const core = kprobes.core;
  const textFunctions = () =>
    symbols
      .all()
      .filter((s) => s.elfType === 'FUNC' && (s.letter === 't' || s.letter === 'T') && !core.withinKprobeBlacklist(s.address))
      .sort((a, b) => a.address - b.address)
      .map((s) => (s.module ? `${s.name} [${s.module}]` : s.name));

  // The uprobes core (arm64: BRK #0x005 in the probed task's text).
  const uprobes = kernel.machine.arch === 'arm64' ? new Uprobes(kernel) : undefined;
  kernel.uprobes = uprobes ?? null;
  const host: TracingHost = {
    arch: kernel.machine.arch,
    uprobes,
    btf: kernel.btf,
    tracepoints: kernelTracepoints(kernel, kprobes),
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
    // A probe hit runs in the BRK exception handler with DAIF masked: the 'd' of "d....";
    // a uprobe's handlers run on the way back to user mode with interrupts on.
    // tracing_gen_ctx() adds the current task's TIF_NEED_RESCHED and arm64's folded preempt
    // need-resched bit (test_preempt_need_resched(): set when the word is 0); both make 'N'.
    traceContext: () => {
      const task = kernel.current.taskStruct;
      const tifNeedResched = kernel.arch.tifNeedResched;
      const preempt = layout.task.preemptNeedResched;
      return {
        irqsOff: !kernel.uprobes?.inHandler,
        // thread_info.flags is an unsigned long: TIF_NEED_RESCHED is in its low word on either width.
        needResched: (kernel.memory.read32(task + layout.task.threadFlags + (kernel.memory.littleEndian ? 0 : layout.pointerBytes - 4)) & (1 << tifNeedResched)) !== 0,
        // Only arm64 folds need-resched into the preempt count; elsewhere it is never set.
        preemptResched: preempt !== undefined && kernel.memory.read32(task + preempt) === 0,
      };
    },
    // %pd / %pD: the guest's struct dentry and struct file, not x86_64 Linux's.
    dentryOffsets: { dentryName: layout.dentry.name, fileDentry: layout.file.pathDentry },
    hashPointer: (addr) => '0x' + pointerId(addr, 2 * kernel.machine.wordBytes),
    warn: (text) => kernel.printk.log(KERN_WARNING, text),
    eventDirCreated: (system, event) => eventDirs.created(system, event),
    eventDirRemoved: (system, event) => eventDirs.removed(system, event),
  };
  const tracing = new Tracing(host);
  kernel.bootHooks.push(() => eventDirs.sync(tracing));
  return tracing;
}
