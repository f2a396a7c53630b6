// What the tracing layer needs from the machine below it. The kernel layer (src/kernel)
// implements TracingHost for the emulated machine; tests implement it over a Memory and a
// symbol list. Tracing never imports the kernel: everything it needs comes through here.
//
// Conventions: guest virtual addresses are canonical 64-bit (or 32-bit) values as the guest sees
// them (arm64 kernel text at 0xffff8000…), as bigint. Kprobe.addr and KretprobeInstance.retAddr
// keep the machine's number form (low 48 bits); arch.ts converts. Registration functions return
// 0 or a negative errno, as the kernel's do.

import type { Kprobe, Kretprobe, PtRegs } from '../kprobes/types.ts';
import type { Btf } from '../machine/btf.ts';
import type { SchedTracepointArgs } from './trace-sched.ts';
import type { ArchName } from './arch.ts';

/** A symbol found by address (kallsyms_lookup_size_offset + its name and module). */
export interface SymbolAtAddress {
  readonly name: string;
  /** Offset of the address from the symbol's start. */
  readonly offset: bigint;
  readonly size: bigint;
  /** The module the symbol belongs to (sprint_symbol appends " [mod]"); undefined for the core. */
  readonly module?: string;
}

/** Execution context of the probe hit, for the trace line's flags column. */
export interface TraceContext {
  /** IRQs masked (arm64: a kprobe hit runs in the BRK exception with DAIF set: 'd'). */
  readonly irqsOff: boolean;
  /** Bottom halves disabled ('b', or 'D' with irqsOff). */
  readonly bhOff?: boolean;
  readonly needResched?: boolean;
  readonly preemptResched?: boolean;
  readonly hardirq?: boolean;
  readonly softirq?: boolean;
  readonly nmi?: boolean;
  /** Preemption depth as the probed code had it (kprobes' own preempt_disable not counted). */
  readonly preemptCount?: number;
  readonly migrateDisable?: number;
}

/** The current task as tracing records it. */
export interface TaskInfo {
  readonly pid: number;
  /** current->comm (at most 15 bytes are used). */
  readonly comm: string;
}

/** A probe of a tracepoint: called at each hit with its arguments and, from guest code, the registers there. */
export type TracepointProbe = (args: SchedTracepointArgs, regs?: PtRegs) => void;

/** The kernel's tracepoints (include/linux/tracepoint.h's registration API). */
export interface TracepointHost {
  /** The tracepoints the kernel has, by name ("sched_switch", …). */
  readonly names: readonly string[];
  /** tracepoint_probe_register(): 0 or a negative errno. */
  register(name: string, probe: TracepointProbe): number;
  /** tracepoint_probe_unregister(). */
  unregister(name: string, probe: TracepointProbe): void;
}

/** A path the tracer holds (kern_path() + path_get(): struct path in trace_uprobe). */
export interface HeldPath {
  /** d_real_inode(path.dentry): the file's identity (the guest's struct inode pointer). */
  readonly inode: bigint;
  /** d_is_reg(path.dentry). */
  readonly regular: boolean;
  /** path_put(). */
  put(): void;
}

/**
 * A uprobe consumer (struct uprobe_consumer of include/linux/uprobes.h). Handlers run in the
 * probed task's context with its user registers.
 */
export interface UprobeConsumer {
  /** At the probed instruction: regs.pc is its virtual address. */
  handler?(regs: PtRegs): void;
  /** At the return of the function: func is the probed address, regs.pc the return address. */
  retHandler?(func: bigint, regs: PtRegs): void;
}

/** The uprobes core (kernel/events/uprobes.c's registration API). */
export interface UprobesHost {
  /** kern_path(name, LOOKUP_FOLLOW): the held path, or a negative errno. */
  lookupPath(path: string): HeldPath | number;
  /** uprobe_register(inode, offset, ref_ctr_offset, uc): 0 or a negative errno. */
  register(inode: bigint, offset: bigint, refCtrOffset: bigint, uc: UprobeConsumer): number;
  /** uprobe_unregister(). */
  unregister(inode: bigint, offset: bigint, uc: UprobeConsumer): void;
}

export interface TracingHost {
  readonly arch: ArchName;
  /** num_possible_cpus() == num_online_cpus() here: one ring buffer per CPU. */
  readonly nrCpus: number;

  // --- kallsyms -------------------------------------------------------------------------
  /** kallsyms_lookup_name(): the address of name ("MOD:SYM" looks in that module only). */
  lookupName(name: string): bigint | undefined;
  /** number_of_same_symbols(): how many symbols are called name (in module, or anywhere). */
  countSymbols(name: string, module?: string): number;
  isModuleLoaded(module: string): boolean;
  /** The symbol containing addr, if any. */
  lookupAddress(addr: bigint): SymbolAtAddress | undefined;
  /** available_filter_functions: traceable functions, "name" or "name [module]", in address order. */
  listFunctions(): readonly string[];

  // --- kprobes (the kprobes core's API) -------------------------------------------------
  registerKprobe(kp: Kprobe): number;
  unregisterKprobe(kp: Kprobe): void;
  enableKprobe(kp: Kprobe): number;
  disableKprobe(kp: Kprobe): number;
  registerKretprobe(rp: Kretprobe): number;
  unregisterKretprobe(rp: Kretprobe): void;
  /** is_kretprobe_trampoline(): a return address that is the kretprobe trampoline. */
  isKretprobeTrampoline(addr: bigint): boolean;

  // --- memory ---------------------------------------------------------------------------
  /**
   * Read guest memory without faulting the machine: copy_from_kernel_nofault (user=false) or
   * copy_from_user_nofault of the current task (user=true, which must refuse kernel addresses).
   * undefined when any byte faults. Tracing itself routes reads below TASK_SIZE to user=true on
   * arches whose address spaces do not overlap (arm64, x86_64), as trace_probe_kernel.h does.
   */
  readMemory(addr: bigint, length: number, user: boolean): Uint8Array | undefined;

  // --- context --------------------------------------------------------------------------
  currentTask(): TaskInfo;
  /** smp_processor_id() of the running (probed) CPU. */
  currentCpu(): number;
  /** The trace clock (local_clock()), in nanoseconds. */
  clockNs(): bigint;
  /** The hit's context flags (called from inside a probe handler). */
  traceContext(): TraceContext;
  /** The kernel stack at the probe for the stacktrace option: regs.pc, then return addresses, innermost first. */
  stackTrace?(regs: PtRegs): readonly bigint[];
  /** Hashed %p as printed ("0x" + digits) for address probes' names and listing; default: a fixed-key SipHash like the kernel's. */
  hashPointer?(addr: bigint): string;
  /** offsetof(struct dentry, d_name.name), offsetof(struct file, f_path.dentry) for %pd/%pD. */
  readonly dentryOffsets?: { readonly dentryName: number; readonly fileDentry: number };
  /**
   * The kernel's BTF (the vmlinux BTF of CONFIG_DEBUG_INFO_BTF). Given, the tracer is built with
   * CONFIG_PROBE_EVENTS_BTF_ARGS: probe arguments may name parameters and fields, and $retval
   * is typed. Absent, it answers as a kernel without that option.
   */
  readonly btf?: Btf;
  /** The kernel's tracepoints: their trace events (the sched group) are listed and can be enabled. */
  readonly tracepoints?: TracepointHost;
  /** First dynamic trace event ID (the kernel's events registered before kprobe events). */
  readonly firstEventId?: number;
  /** The uprobes core: with it, uprobe_events exists (CONFIG_UPROBE_EVENTS). */
  readonly uprobes?: UprobesHost;
  /** pr_warn(): a line for the kernel log (dmesg), e.g. "trace_kprobe: This probe might be …". */
  warn?(text: string): void;

  // --- tracefs ----------------------------------------------------------------------------
  /**
   * An event directory was created: events/<system> (event undefined: the first event of a system,
   * event_subsystem_dir) or events/<system>/<event> (event_create_dir), each an eventfs_create_dir()
   * in Linux. Called once the event is registered, so its files can be looked up; the system's
   * directory comes before its first event's. The emulated kernel keeps its own eventfs directories.
   */
  eventDirCreated?(system: string, event?: string): void;
  /** The directory went away (remove_event_file_dir / remove_subsystem: eventfs_remove_dir); an event's before its system's. */
  eventDirRemoved?(system: string, event?: string): void;
}
