// What kprobes needs from the layers below it, implemented by the kernel half (src/kernel/) or by
// a test driver: memory and the current CPU, kallsyms, what is kernel text and what is blacklisted,
// pages for instruction slots, the current task, printk/WARN, and the oops path. Also the helper
// that builds the kprobe blacklist from a symbol table and section bounds (the counterpart of
// populate_kprobe_blacklist() and kprobe_add_area_blacklist() in kernel/kprobes.c plus
// arch_populate_kprobe_blacklist() in arch/arm64/kernel/probes/kprobes.c).
//
// ---------------------------------------------------------------------------------------------
// How the kernel calls kprobes (the trap entry points; `kp` is the Kprobes instance)
// ---------------------------------------------------------------------------------------------
// 1. A breakpoint exception in kernel mode (CpuException kind 'breakpoint', or 'undefined' on an
//    arch whose probe trap is an undefined instruction): call `kp.breakpoint(e)` BEFORE any other
//    BRK handling, exactly where call_el1_break_hook() offers BRK #4/#6/#7 to kprobes (mips:
//    where do_bp() offers `break` 515/516 to notify_die(); kprobes ignores the conditional traps,
//    which are do_tr()'s, and `break` with other codes).
//      true  -> kprobes dealt with it; resume the CPU where it now points (kprobes has written the
//               registers back, e.g. pc = the slot, pc = addr+4, pc = the real return address).
//               This includes the case where a handler's fault went unhandled and host.die() ran:
//               kprobes then leaves the CPU exactly as die() left it.
//      false -> not a kprobes trap (unknown immediate, a BRK #6 that is not our step, a BRK #4 with
//               no probe after the WARN): do what Linux does with an unclaimed BRK (die "Oops - BRK").
// 2. A fault (CpuException kind 'fault', or 'undefined' raised by an instruction in a slot) taken
//    in kernel mode: call `kp.fault(e, trapnr?)` first, as do_page_fault() calls
//    kprobe_page_fault(). Leave trapnr out (do not pass 0) to give handlers the ESR the arch
//    would report (arm64: 0x96000007 for a read of an unmapped kernel address; mips: the
//    Cause.ExcCode, 2 (TLBL) for the same).
//      false -> not a kprobes fault (user mode, no kprobe running) or not fixed: handle the fault
//               normally. If it was the out-of-line instruction of a probe, kprobes has already
//               put pc back on the probed address and cleared its state (arm64
//               kprobe_fault_handler), so the registers to print in an oops are the CPU's, not e.pc.
//      true  -> a probe's faultHandler returned 1 and fixed things: resume at the CPU's pc.
// 3. Task exit: call `kp.kprobeFlushTask(taskId)` when a task is reaped (kprobe_flush_task()), so
//    the kretprobe instances it still held go back to their pools.
// The lower-level, Linux-shaped entries (`kp.breakHandler(regs, trap)`, `kp.faultHandler(regs,
// trapnr)`, and the arch's kprobeBrkHandler/kprobeSsBrkHandler/kretprobeBrkHandler) take a
// pt_regs view the caller owns; the two above build one from `host.cpu` and write it back.
//
// Handler faults (the classic fault_handler, as the seed describes; Linux removed it in 5.14):
//  - A pre/post/entry/return handler that throws (a TypeScript exception, or a MemoryFault from
//    reading guest memory) while its probe is active: nmissed is counted, then the probe's
//    faultHandler(p, regs, trapnr) is called. 1 = handled: that handler call is abandoned and the
//    probe hit continues as if it had returned 0. Otherwise kprobes clears its per-CPU state and
//    calls host.die() with the report (the kernel prints the oops and kills the task, or panics
//    with panic_on_oops); a faulting handler never takes the machine down by itself.
//  - A fault taken by guest code a handler called (kernel.callGuest from a handler): the kernel
//    reports it through `kp.fault()` as in 2.; while a handler runs the probe's faultHandler is
//    offered it the same way; 1 = resume at the CPU's pc (the handler fixed the registers).
//  - The out-of-line instruction faulting (pc in the slot, status HIT_SS): the faultHandler is
//    offered it first; 1 = resume at pc (the slot instruction runs again, then BRK #6 completes
//    the step as usual). Otherwise as 2. For several probes at one address each enabled one with
//    a faultHandler is asked in turn. A probe hit while another was active (REENTER) never calls
//    handlers, so its faults go straight to the arm64 path. A simulated literal load that faults
//    (it cannot, inside kernel text) is offered the same way, then is an oops ('fault' report).
//  - When the kernel kills a context from inside a handler (an oops in guest code the handler
//    called), it must unwind with an exception host.isContextKilled() recognises.
// ---------------------------------------------------------------------------------------------

import type { Cpu } from '../isa/cpu.ts';
import type { Memory } from '../machine/memory.ts';
import type { PtRegs } from './types.ts';

// --- kallsyms ---------------------------------------------------------------------------------

/** The symbol containing an address (kallsyms_lookup_size_offset). */
export interface SymbolAt {
  readonly name: string;
  /** 48-bit start address. */
  readonly start: number;
  /** Bytes (kallsyms' size: a label's extent runs to the next symbol). */
  readonly size: number;
  /** Module name, for symbols of a loaded module; absent for the core kernel. */
  readonly module?: string;
}

/** kallsyms as kprobes uses it; the machine's SymbolTable (src/machine/symbols.ts) fits as is. */
export interface KprobeSymbols {
  /** kallsyms_lookup_name(): every symbol with that name, in kallsyms order ([0] is Linux's answer). */
  lookupName(name: string): readonly { readonly address: number }[];
  /** kallsyms_lookup_size_offset()/lookup_symbol_name(): the symbol containing addr. */
  lookupAddress(addr: number): SymbolAt | undefined;
}

// --- kernel text and the blacklist -----------------------------------------------------------

/** [start, end) of 48-bit addresses. */
export interface TextArea {
  readonly start: number;
  readonly end: number;
}

/** One `kprobe_blacklist` entry; debugfs kprobes/blacklist prints `0x%px-0x%px\t%ps`. */
export interface KprobeBlacklistEntry {
  readonly start: number;
  readonly end: number;
  /** %ps of start: the symbol's name. */
  readonly name: string;
}

export interface KernelText {
  /** core_kernel_text() || __module_text_address(): may a kprobe be placed at addr at all. */
  isKernelText(addr: number): boolean;
  /** search_exception_tables(): addr has an exception-table fixup (arm64 refuses to probe it). */
  searchExceptionTables?(addr: number): boolean;
  /** in_gate_area_no_mm(), jump_label_text_reserved(), static_call_text_reserved(), find_bug(). */
  isReserved?(addr: number): boolean;
  /** The blacklist; build it with buildKprobeBlacklist(). */
  readonly blacklist: readonly KprobeBlacklistEntry[];
}

/** The linker-script areas whose symbols are all blacklisted. */
export interface BlacklistSections {
  /** __kprobes_text_start..__kprobes_text_end (`__kprobes` functions). */
  kprobesText?: TextArea;
  /** __noinstr_text_start..__noinstr_text_end. */
  noinstrText?: TextArea;
  /** __entry_text_start..__entry_text_end (arm64, x86). */
  entryText?: TextArea;
  /** __irqentry_text_start..__irqentry_text_end (arm64, riscv, arm). */
  irqentryText?: TextArea;
  /** __hyp_text_start..__hyp_text_end (arm64). */
  hypText?: TextArea;
  /** __hyp_idmap_text_start..__hyp_idmap_text_end (arm64). */
  hypIdmapText?: TextArea;
}

/**
 * The section bounds from the linker symbols of a vmlinux (`__kprobes_text_start` …); areas
 * whose start or end symbol is missing are left out.
 */
export function blacklistSectionsFromSymbols(lookupName: (name: string) => readonly { readonly address: number }[]): BlacklistSections {
  const area = (prefix: string): TextArea | undefined => {
    const s = lookupName(`__${prefix}_text_start`)[0]?.address;
    const e = lookupName(`__${prefix}_text_end`)[0]?.address;
    return s !== undefined && e !== undefined && e >= s ? { start: s, end: e } : undefined;
  };
  const out: { -readonly [K in keyof BlacklistSections]: BlacklistSections[K] } = {};
  const set = <K extends keyof BlacklistSections>(k: K, v: TextArea | undefined): void => {
    if (v) out[k] = v;
  };
  set('kprobesText', area('kprobes'));
  set('noinstrText', area('noinstr'));
  set('entryText', area('entry'));
  set('irqentryText', area('irqentry'));
  set('hypText', area('hyp'));
  set('hypIdmapText', area('hyp_idmap'));
  return out;
}

/**
 * The `_kprobe_blacklist` section (NOKPROBE_SYMBOL entries): an array of pointers between
 * `__start__kprobe_blacklist` and `__stop__kprobe_blacklist`, returned as 48-bit addresses.
 */
export function readKprobeBlacklistSection(memory: Memory, start: number, stop: number, pointerBytes: 8 | 4 = 8): number[] {
  const out: number[] = [];
  for (let a = start; a + pointerBytes <= stop; a += pointerBytes) {
    out.push(pointerBytes === 8 ? Number(memory.read64(a) & 0xffff_ffff_ffffn) : memory.read32(a));
  }
  return out;
}

/**
 * populate_kprobe_blacklist(): every NOKPROBE_SYMBOL address becomes its whole function
 * (addresses outside kernel text or without a symbol are skipped, as -EINVAL entries are), then
 * every symbol of the kprobes and noinstr text, then the arch's areas (arm64: entry, irqentry,
 * hyp, hyp idmap text; x86: entry text). The result is in Linux's list order.
 */
export function buildKprobeBlacklist(opts: {
  /** All symbols (their starts are where the walk of an area resumes after a gap). */
  symbols: Iterable<{ readonly address: number; readonly size: number }>;
  lookupAddress: (addr: number) => SymbolAt | undefined;
  isKernelText: (addr: number) => boolean;
  sections: BlacklistSections;
  /** The `_kprobe_blacklist` section contents. */
  nokprobeSymbols?: readonly number[];
}): KprobeBlacklistEntry[] {
  const out: KprobeBlacklistEntry[] = [];
  const starts = [...new Set([...opts.symbols].map((s) => s.address))].sort((a, b) => a - b);

  // kprobe_add_ksym_blacklist(): the symbol containing entry, from entry to the symbol's end.
  const addKsym = (entry: number): number => {
    if (!opts.isKernelText(entry)) return -1;
    const sym = opts.lookupAddress(entry);
    if (!sym || sym.size <= 0) return -1;
    const end = sym.start + sym.size;
    out.push({ start: entry, end, name: sym.name });
    return end;
  };
  // kprobe_add_area_blacklist(): each symbol in [start, end); gaps without a symbol are skipped.
  const addArea = (area: TextArea | undefined): void => {
    if (!area) return;
    let entry = area.start;
    while (entry < area.end) {
      const next = addKsym(entry);
      if (next > entry) {
        entry = next;
        continue;
      }
      const following = starts.find((s) => s > entry);
      if (following === undefined) break;
      entry = following;
    }
  };

  for (const a of opts.nokprobeSymbols ?? []) addKsym(a);
  const s = opts.sections;
  addArea(s.kprobesText);
  addArea(s.noinstrText);
  addArea(s.entryText);
  addArea(s.irqentryText);
  addArea(s.hypText);
  addArea(s.hypIdmapText);
  return out;
}

// --- printk, WARN, oops ----------------------------------------------------------------------

export const KERN_EMERG = 0;
export const KERN_ALERT = 1;
export const KERN_CRIT = 2;
export const KERN_ERR = 3;
export const KERN_WARNING = 4;
export const KERN_NOTICE = 5;
export const KERN_INFO = 6;
export const KERN_DEBUG = 7;

/** Where a WARN_ON/BUG_ON sits in Linux's sources, for "WARNING: … at FILE:LINE FUNC". */
export interface KernelSite {
  readonly file: string;
  readonly line: number;
  readonly func: string;
}

/** Why kprobes asks the kernel to die (the oops the kernel must print, then kill or panic). */
export type KprobesDeath =
  /** BUG()/BUG_ON(): "kernel BUG at FILE:LINE!" then "Internal error: Oops - BUG: …". */
  | { readonly kind: 'bug'; readonly site: KernelSite; readonly regs: PtRegs }
  /**
   * A handler read or wrote guest memory that faulted and its fault was not handled:
   * "Unable to handle kernel paging request at virtual address …" then "Internal error: Oops: ESR".
   */
  | {
      readonly kind: 'fault';
      readonly address: number;
      readonly access: 'read' | 'write' | 'exec';
      readonly reason: 'unmapped' | 'permission' | 'alignment';
      /** The arch's fault code (arm64: the ESR of the data abort). */
      readonly trapnr: number;
      readonly regs: PtRegs;
      /** The probe whose handler faulted. */
      readonly probe: string;
    }
  /** A handler threw something that is not a guest memory fault, and its fault was not handled. */
  | { readonly kind: 'exception'; readonly error: unknown; readonly trapnr: number; readonly regs: PtRegs; readonly probe: string };

// --- the host ---------------------------------------------------------------------------------

export interface KprobesHost {
  /** Kernel memory; kprobes patches text and fills slots with memory.poke(). */
  readonly memory: Memory;
  /** The CPU taking the current trap: `breakpoint()`/`fault()` read and write its registers. */
  readonly cpu: Cpu;
  /** smp_processor_id() of that CPU, indexing the per-CPU kprobe state; 0 on one CPU. */
  smpProcessorId?(): number;
  /** num_possible_cpus(): sets the default kretprobe maxactive, max(10, 2 * ncpus). */
  readonly numPossibleCpus: number;

  readonly symbols: KprobeSymbols;
  readonly text: KernelText;

  /**
   * alloc_insn_page(): the address of a fresh page of executable kernel memory for instruction
   * slots (mapped read+exec, not writable: kprobes fills it with memory.poke), or null if none is
   * left (registration then fails with -ENOMEM). Decision for arm64: the kernel owns the area at
   * 0xffff80000c000000 (48-bit 0x80000c000000, `kprobe_insn_page` in guest/ABI.md) and hands out
   * its pages in order; kprobes carves each page into slots of the arch's size (arm64: 8 bytes,
   * [insn][BRK #6]) and keeps slot bookkeeping itself, as kernel/kprobes.c's insn cache does.
   */
  allocInsnPage(): number | null;
  /** free_insn_page(): a page emptied of slots (never the last one kept). */
  freeInsnPage?(page: number): void;
  /**
   * flush_icache_range(): after kprobes patched [start, end). memory.poke() already invalidates
   * decoded code of pages that hold any; implement this if a CPU caches code some other way.
   */
  flushIcacheRange?(start: number, end: number): void;

  /** `current`: an id of the running task (pid or task_struct address); kretprobe instances are per task. */
  currentTask(): number;

  /** printk at a KERN_* level; `text` carries no level marker and ends with "\n". */
  printk(level: number, text: string): void;
  /** WARN_ON()/WARN_ON_ONCE() fired at `site`: print the "cut here" block the kernel prints. */
  warn(site: KernelSite, regs?: PtRegs): void;
  /**
   * die(): print the oops for `report`, then kill the current task (as make_task_dead() does) or
   * panic (panic_on_oops). kprobes has already cleared its per-CPU state. die() may return (after
   * redirecting the CPU, e.g. to do_exit: kprobes then leaves every register alone and the trap
   * entry returns as handled) or throw (the exception passes through kprobes unchanged).
   */
  die(report: KprobesDeath): void;
  /**
   * True for the exceptions the kernel throws to unwind a context it killed or after a panic (a
   * KernelPanic, a guest call that ended because its task exited). When one passes through a
   * handler, kprobes clears its per-CPU state and rethrows it instead of treating it as a fault of
   * the handler.
   */
  isContextKilled(error: unknown): boolean;
}
