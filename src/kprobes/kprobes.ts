// The generic kprobes core: the counterpart of kernel/kprobes.c (with the inline parts of
// include/linux/kprobes.h). The registry hashed by address (kprobe_table), registration and its
// checks (_kprobe_addr, check_kprobe_address_safe, the blacklist), aggregated probes
// (aggr_pre_handler/aggr_post_handler), enable/disable and the global kprobes_all_disarmed
// switch, kretprobes (instances per task, the trampoline handler), the per-CPU
// current_kprobe/kprobe_ctlblk, the debugfs kprobes/{list,blacklist,enabled} text, and the
// classic fault_handler path the seed describes (Linux removed kprobe::fault_handler in 5.14).
//
// One Kprobes object serves one emulated kernel. It reaches the machine only through the
// KprobesHost (host.ts, which also documents how the kernel calls the trap entry points) and the
// architecture only through the hooks of arch/arch.ts.

import type { CpuException } from '../isa/cpu.ts';
import { MemoryFault } from '../machine/memory.ts';
import { E2BIG, EFAULT, EINVAL, ENOENT, EOPNOTSUPP } from '../uapi/errno.ts';
import type { ArchCtlblk, BreakTrap, KprobesArch, KprobesCore } from './arch/arch.ts';
import { Arm64Kprobes, SimulationFault } from './arch/arm64.ts';
import { MipsKprobes } from './arch/mips.ts';
import { KERN_ERR, KERN_INFO, KERN_WARNING, type KernelSite, type KprobesDeath, type KprobesHost } from './host.ts';
import { InsnSlotCache } from './insn-slots.ts';
import {
  DBG_HOOK_ERROR,
  DBG_HOOK_HANDLED,
  KPROBE_FLAG_DISABLED,
  KPROBE_FLAG_FTRACE,
  KPROBE_FLAG_GONE,
  KPROBE_FLAG_ON_FUNC_ENTRY,
  KPROBE_FLAG_OPTIMIZED,
  KPROBE_HIT_ACTIVE,
  KPROBE_HOOK_DIED,
  KRETPROBE_MAX_DATA_SIZE,
  kprobeDisabled,
  kprobeGone,
  type Kprobe,
  type Kretprobe,
  type KretprobeInstance,
  type PtRegs,
} from './types.ts';

const KPROBE_HASH_BITS = 6;
const KPROBE_TABLE_SIZE = 1 << KPROBE_HASH_BITS;
const GOLDEN_RATIO_64 = 0x61c8864680b583ebn;
const GOLDEN_RATIO_32 = 0x61c88647n;

const SITE_REREG: KernelSite = { file: 'kernel/kprobes.c', line: 1541, func: 'register_kprobe' };
const SITE_RETADDR_BUG: KernelSite = { file: 'kernel/kprobes.c', line: 2055, func: '__kretprobe_trampoline_handler' };
const SITE_FRAME_WARN: KernelSite = { file: 'kernel/kprobes.c', line: 2070, func: '__kretprobe_trampoline_handler' };

/** The arches with probes code, by the CPU's name. */
const ARCHES: Partial<Record<string, (core: KprobesCore) => KprobesArch>> = {
  arm64: (core) => new Arm64Kprobes(core),
  mips: (core) => new MipsKprobes(core),
};

/**
 * Thrown inside kprobes after host.die() returned for a handler fault, to unwind to the trap entry
 * (which returns KPROBE_HOOK_DIED / true). Callers of the arch's Linux-shaped entries directly
 * may see it.
 */
export class KprobeContextDied extends Error {
  constructor(readonly report: KprobesDeath) {
    super('kprobes: context killed after an unhandled handler fault');
  }
}

/** A kretprobe's instance pool (struct kretprobe_holder); `rp` is cleared at unregistration. */
class KretprobeHolder {
  readonly pool: KretprobeInstanceImpl[] = [];
  constructor(public rp: Kretprobe | null) {}
}

class KretprobeInstanceImpl implements KretprobeInstance {
  readonly data: Uint8Array;
  retAddr = 0;
  fp = 0n;
  task = 0;
  constructor(
    readonly holder: KretprobeHolder,
    readonly rp: Kretprobe,
    dataSize: number,
  ) {
    this.data = new Uint8Array(dataSize);
  }
}

/** This CPU's kprobe state: current_kprobe, kprobe_instance and the arch's kprobe_ctlblk. */
interface PerCpu {
  currentKprobe: Kprobe | null;
  kprobeInstance: Kprobe | null;
  kcb: ArchCtlblk;
}

export interface KprobesOptions {
  /** Use this arch code instead of the one for host.cpu.arch (other arches, tests). */
  arch?: (core: KprobesCore) => KprobesArch;
}

/** Create the kprobes of a kernel. */
export function createKprobes(host: KprobesHost, options: KprobesOptions = {}): Kprobes {
  return new Kprobes(host, options);
}

/** kstrtobool(): y/Y/t/T/e/E/1/on are true, n/N/f/F/d/D/0/off are false; -EINVAL otherwise. */
export function kstrtobool(s: string): boolean | number {
  switch (s[0]) {
    case 'y': case 'Y': case 't': case 'T': case 'e': case 'E': case '1':
      return true;
    case 'n': case 'N': case 'f': case 'F': case 'd': case 'D': case '0':
      return false;
    case 'o': case 'O':
      if (s[1] === 'n' || s[1] === 'N') return true;
      if (s[1] === 'f' || s[1] === 'F') return false;
      return -EINVAL;
    default:
      return -EINVAL;
  }
}

function truthy(v: unknown): boolean {
  return v !== undefined && v !== null && Number(v) !== 0 && !Number.isNaN(Number(v));
}

export class Kprobes implements KprobesCore {
  readonly arch: KprobesArch;

  /** kprobe_table: 64 buckets by hash_ptr(addr, 6), each newest-first like hlist_add_head. */
  private readonly table: Kprobe[][] = Array.from({ length: KPROBE_TABLE_SIZE }, () => []);
  private readonly byAddr = new Map<number, Kprobe>();
  /** An aggregator's children (ap->list), newest first as list_add_rcu leaves them. */
  private readonly children = new WeakMap<Kprobe, Kprobe[]>();
  /** container_of(kp, struct kretprobe, kp) for registered kretprobes. */
  private readonly kretprobeOfKp = new WeakMap<Kprobe, Kretprobe>();
  /** rp->rph. */
  private readonly holders = new WeakMap<Kretprobe, KretprobeHolder>();
  /** current->kretprobe_instances, one LIFO per task (the top is the array's end). */
  private readonly taskInstances = new Map<number, KretprobeInstanceImpl[]>();
  private readonly perCpu = new Map<number, PerCpu>();
  private readonly slots: InsnSlotCache;
  private readonly warned = new Set<string>();
  private allDisarmed = false;
  private trampolineAddr: number | null | undefined;
  /** What arch_init_kprobes() returned; kretprobes need it to have succeeded. */
  private readonly archInitError: number;
  /** The dummy probe of kprobe_busy_begin(): any probe hit while it is current is a miss. */
  private readonly kprobeBusy: Kprobe = { symbolName: 'kprobe_busy' };

  constructor(
    readonly host: KprobesHost,
    options: KprobesOptions = {},
  ) {
    const make = options.arch ?? ARCHES[host.cpu.arch];
    if (!make) throw new Error(`kprobes: no probes support for ${host.cpu.arch}`);
    this.arch = make(this);
    this.slots = new InsnSlotCache(
      this.arch.insnSlotBytes,
      () => host.allocInsnPage(),
      host.freeInsnPage ? (p) => host.freeInsnPage!(p) : undefined,
      () => [...this.perCpu.values()].some((c) => c.currentKprobe !== null),
    );
    // init_kprobes(): last, once the table and the slots exist (the arch may register probes).
    this.archInitError = this.arch.archInitKprobes?.() ?? 0;
  }

  // --- per-CPU state (current_kprobe, kprobe_ctlblk) ---------------------------------------

  private thisCpu(): PerCpu {
    const id = this.host.smpProcessorId?.() ?? 0;
    let c = this.perCpu.get(id);
    if (!c) {
      c = { currentKprobe: null, kprobeInstance: null, kcb: this.arch.newCtlblk() };
      this.perCpu.set(id, c);
    }
    return c;
  }

  kprobeRunning(): Kprobe | null {
    return this.thisCpu().currentKprobe;
  }

  setCurrentKprobe(p: Kprobe | null): void {
    this.thisCpu().currentKprobe = p;
  }

  resetCurrentKprobe(): void {
    this.thisCpu().currentKprobe = null;
  }

  getKprobeCtlblk(): ArchCtlblk {
    return this.thisCpu().kcb;
  }

  /** The status of this CPU's control block (KPROBE_HIT_*; 0 when idle). */
  get kprobeStatus(): number {
    return this.thisCpu().kcb.kprobeStatus;
  }

  /** Forget this CPU's probe state: its context was killed (oops) and will never return. */
  private clearPerCpuState(): void {
    const c = this.thisCpu();
    c.currentKprobe = null;
    c.kprobeInstance = null;
    c.kcb = this.arch.newCtlblk();
  }

  /** kprobe_busy_begin()/end(): bracket work during which any probe hit counts as missed. */
  private kprobeBusyBegin(): void {
    const c = this.thisCpu();
    c.currentKprobe = this.kprobeBusy;
    c.kcb.kprobeStatus = KPROBE_HIT_ACTIVE;
  }

  private kprobeBusyEnd(): void {
    this.thisCpu().currentKprobe = null;
  }

  // --- the hash table ----------------------------------------------------------------------

  /** hash_ptr(addr, KPROBE_HASH_BITS) on the pointer value. */
  private hashPtr(addr: number): number {
    const v = this.arch.canonical(addr);
    if (this.arch.pointerBits === 64) {
      return Number(BigInt.asUintN(64, v * GOLDEN_RATIO_64) >> BigInt(64 - KPROBE_HASH_BITS));
    }
    return Number(BigInt.asUintN(32, v * GOLDEN_RATIO_32) >> BigInt(32 - KPROBE_HASH_BITS));
  }

  private hashAdd(p: Kprobe): void {
    this.table[this.hashPtr(p.addr!)]!.unshift(p);
    this.byAddr.set(p.addr!, p);
  }

  private hashDel(p: Kprobe): void {
    const bucket = this.table[this.hashPtr(p.addr!)]!;
    const i = bucket.indexOf(p);
    if (i >= 0) bucket.splice(i, 1);
    if (this.byAddr.get(p.addr!) === p) this.byAddr.delete(p.addr!);
  }

  private hashReplace(old: Kprobe, p: Kprobe): void {
    const bucket = this.table[this.hashPtr(old.addr!)]!;
    const i = bucket.indexOf(old);
    if (i >= 0) bucket[i] = p;
    else bucket.unshift(p);
    this.byAddr.set(p.addr!, p);
  }

  /** get_kprobe(addr): the probe (or aggregator) at addr. */
  getKprobe(addr: number): Kprobe | undefined {
    return this.byAddr.get(addr);
  }

  /** Every probe of the table in kprobe_table order (aggregators, not their children). */
  private *allHashed(): Generator<Kprobe> {
    for (const bucket of this.table) yield* [...bucket];
  }

  // --- aggregation -------------------------------------------------------------------------

  private readonly aggrPreHandler = (ap: Kprobe, regs: PtRegs): number => {
    for (const kp of this.children.get(ap) ?? []) {
      if (kp.preHandler && !kprobeDisabled(kp)) {
        // The first child to return non-zero has moved the PC: the others are not called.
        if (truthy(this.runHandler(kp, regs, () => kp.preHandler!(kp, regs)))) return 1;
      }
    }
    return 0;
  };

  private readonly aggrPostHandler = (ap: Kprobe, regs: PtRegs, flags: number): void => {
    for (const kp of this.children.get(ap) ?? []) {
      if (kp.postHandler && !kprobeDisabled(kp)) this.runHandler(kp, regs, () => kp.postHandler!(kp, regs, flags));
    }
  };

  private kprobeAggrprobe(p: Kprobe): boolean {
    return p.preHandler === this.aggrPreHandler;
  }

  kprobesIncNmissedCount(p: Kprobe): void {
    if (!this.kprobeAggrprobe(p)) {
      p.nmissed = (p.nmissed ?? 0) + 1;
      return;
    }
    for (const kp of this.children.get(p) ?? []) kp.nmissed = (kp.nmissed ?? 0) + 1;
  }

  /** init_aggr_kprobe(): ap takes p's place in the table, p becomes its first child. */
  private initAggrKprobe(ap: Kprobe, p: Kprobe): void {
    this.arch.copyKprobe(p, ap);
    ap.addr = p.addr;
    ap.flags = (p.flags ?? 0) & ~KPROBE_FLAG_OPTIMIZED;
    ap.nmissed = 0;
    ap.preHandler = this.aggrPreHandler;
    if (p.postHandler && !kprobeGone(p)) ap.postHandler = this.aggrPostHandler;
    this.children.set(ap, [p]);
    this.hashReplace(p, ap);
  }

  /** add_new_kprobe(). */
  private addNewKprobe(ap: Kprobe, p: Kprobe): void {
    this.children.get(ap)!.unshift(p);
    if (p.postHandler && !ap.postHandler) ap.postHandler = this.aggrPostHandler;
  }

  /** register_aggr_kprobe(): the second or a later probe at one address. */
  private registerAggrKprobe(orig: Kprobe, p: Kprobe): number {
    let ap = orig;
    if (!this.kprobeAggrprobe(orig)) {
      ap = {};
      this.initAggrKprobe(ap, orig);
    }
    if (kprobeGone(ap)) {
      // The slot of a gone probe was released: prepare the instruction again.
      const ret = this.arch.archPrepareKprobe(ap);
      if (ret) return ret;
      ap.flags = ((ap.flags ?? 0) & ~KPROBE_FLAG_GONE) | KPROBE_FLAG_DISABLED;
    }
    this.arch.copyKprobe(ap, p);
    this.addNewKprobe(ap, p);

    if (kprobeDisabled(ap) && !kprobeDisabled(p)) {
      ap.flags = (ap.flags ?? 0) & ~KPROBE_FLAG_DISABLED;
      if (!this.allDisarmed) {
        const ret = this.armKprobe(ap);
        if (ret) {
          ap.flags = (ap.flags ?? 0) | KPROBE_FLAG_DISABLED;
          const list = this.children.get(ap)!;
          list.splice(list.indexOf(p), 1);
          return ret;
        }
      }
    }
    return 0;
  }

  /** aggr_kprobe_disabled(): every child is disabled. */
  private aggrKprobeDisabled(ap: Kprobe): boolean {
    return (this.children.get(ap) ?? []).every((kp) => kprobeDisabled(kp));
  }

  // --- handlers and their faults -------------------------------------------------------------

  /**
   * Call a handler of `kp` (a user's, or an aggregator's which calls its children the same way).
   * A throw from it is a fault of the handler: the classic fault_handler path. The exceptions the
   * kernel uses to unwind a killed context, and our own after die(), pass through.
   */
  private runHandler<T>(kp: Kprobe, regs: PtRegs, call: () => T): T | undefined {
    const cpu = this.thisCpu();
    const prevInstance = cpu.kprobeInstance;
    cpu.kprobeInstance = kp;
    try {
      return call();
    } catch (e) {
      if (e instanceof KprobeContextDied) throw e;
      if (this.host.isContextKilled(e)) {
        this.clearPerCpuState();
        throw e;
      }
      this.handlerFault(kp, regs, e);
      return undefined;
    } finally {
      cpu.kprobeInstance = prevInstance;
    }
  }

  /**
   * A handler of kp threw: as kprobe_fault_handler() did for KPROBE_HIT_ACTIVE/HIT_SSDONE before
   * 5.14, count a miss on the running probe and offer the fault to kp's fault_handler. Returns if
   * it was handled (the handler's call is abandoned); otherwise the oops path, never returning.
   */
  private handlerFault(kp: Kprobe, regs: PtRegs, error: unknown): void {
    const trapnr = this.arch.faultTrapnr(error);
    const cur = this.kprobeRunning();
    if (cur) this.kprobesIncNmissedCount(cur);
    if (this.callFaultHandler(kp, regs, trapnr)) return;
    const probe = this.describeProbe(kp);
    if (error instanceof MemoryFault) {
      this.die({ kind: 'fault', address: error.address, access: error.access, reason: error.reason, trapnr, regs, probe });
    }
    this.die({ kind: 'exception', error, trapnr, regs, probe });
  }

  /** kp->fault_handler(kp, regs, trapnr) == 1; a fault_handler that throws has not handled it. */
  private callFaultHandler(kp: Kprobe, regs: PtRegs, trapnr: number): boolean {
    if (!kp.faultHandler) return false;
    const cpu = this.thisCpu();
    const prevInstance = cpu.kprobeInstance;
    cpu.kprobeInstance = kp;
    try {
      return truthy(kp.faultHandler(kp, regs, trapnr));
    } catch (e) {
      if (e instanceof KprobeContextDied) throw e;
      if (this.host.isContextKilled(e)) {
        this.clearPerCpuState();
        throw e;
      }
      return false;
    } finally {
      cpu.kprobeInstance = prevInstance;
    }
  }

  callPreHandler(p: Kprobe, regs: PtRegs): boolean {
    if (!p.preHandler) return false;
    return truthy(this.runHandler(p, regs, () => p.preHandler!(p, regs)));
  }

  callPostHandler(p: Kprobe, regs: PtRegs): void {
    if (p.postHandler) this.runHandler(p, regs, () => p.postHandler!(p, regs, 0));
  }

  offerStepFault(p: Kprobe, regs: PtRegs, trapnr: number): boolean {
    if (!this.kprobeAggrprobe(p)) return this.callFaultHandler(p, regs, trapnr);
    for (const kp of this.children.get(p) ?? []) {
      if (!kprobeDisabled(kp) && this.callFaultHandler(kp, regs, trapnr)) return true;
    }
    return false;
  }

  offerHandlerFault(p: Kprobe, regs: PtRegs, trapnr: number): boolean {
    this.kprobesIncNmissedCount(p);
    // The handler running now (aggr_fault_handler's kprobe_instance), else the probe itself.
    const inst = this.thisCpu().kprobeInstance ?? p;
    return this.callFaultHandler(inst, regs, trapnr);
  }

  /** Clear the per-CPU state, run the kernel's oops path, and unwind to the trap entry. */
  die(report: KprobesDeath): never {
    this.clearPerCpuState();
    this.host.die(report);
    throw new KprobeContextDied(report);
  }

  bug(site: KernelSite, regs: PtRegs): never {
    return this.die({ kind: 'bug', site, regs });
  }

  warnOnce(site: KernelSite, regs?: PtRegs): void {
    const key = `${site.file}:${site.line}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.host.warn(site, regs);
  }

  /** dump_kprobe(). */
  dumpKprobe(p: Kprobe): void {
    this.host.printk(
      KERN_ERR,
      `kprobes: Dump kprobe:\n.symbol_name = ${p.symbolName ?? '(null)'}, .offset = ${((p.offset ?? 0) >>> 0).toString(16)}, .addr = ${this.sprintSymbol(p.addr)}\n`,
    );
  }

  // --- trap entry points for the kernel --------------------------------------------------------

  /**
   * A breakpoint (or, on arches that use one, undefined-instruction) exception taken in kernel
   * mode: true if it was a kprobes trap, dealt with (see host.ts for the contract).
   */
  breakpoint(e: { readonly kind: 'breakpoint' | 'undefined'; readonly pc: number; readonly imm?: number; readonly insn: number }): boolean {
    const cpu = this.host.cpu;
    const regs = this.arch.saveRegs(cpu);
    regs.pc = this.arch.canonical(e.pc);
    const r = this.breakHandler(regs, { kind: e.kind, imm: e.imm ?? 0, insn: e.insn });
    if (r === DBG_HOOK_HANDLED) this.arch.restoreRegs(regs, cpu);
    return r !== DBG_HOOK_ERROR;
  }

  /**
   * A fault taken in kernel mode (kprobe_page_fault()): true if a kprobe fault handler fixed it
   * and execution resumes at the CPU's pc; false for the kernel's own fault handling, with the
   * CPU's registers already fixed up when the faulting instruction was a probe's step.
   */
  fault(e: CpuException, trapnr?: number): boolean {
    const cpu = this.host.cpu;
    if (cpu.userMode || !this.kprobeRunning()) return false;
    const regs = this.arch.saveRegs(cpu);
    regs.pc = this.arch.canonical(e.pc);
    const r = this.faultHandler(regs, trapnr ?? this.arch.faultTrapnr(e));
    this.arch.restoreRegs(regs, cpu);
    return r !== 0;
  }

  /** The arch's breakpoint handler on a caller-owned pt_regs: DBG_HOOK_HANDLED, DBG_HOOK_ERROR or KPROBE_HOOK_DIED. */
  breakHandler(regs: PtRegs, trap: BreakTrap): number {
    try {
      return this.arch.kprobeBreakHandler(regs, trap);
    } catch (e) {
      if (e instanceof KprobeContextDied) return KPROBE_HOOK_DIED;
      if (e instanceof SimulationFault) {
        try {
          this.die({
            kind: 'fault',
            address: e.fault.address,
            access: e.fault.access,
            reason: e.fault.reason,
            trapnr: e.trapnr,
            regs,
            probe: this.describeProbe(e.probe),
          });
        } catch (d) {
          if (d instanceof KprobeContextDied) return KPROBE_HOOK_DIED;
          throw d;
        }
      }
      throw e;
    }
  }

  /** kprobe_fault_handler() on a caller-owned pt_regs: 1 fixed, 0 for the kernel's normal path. */
  faultHandler(regs: PtRegs, trapnr: number): number {
    if (!this.kprobeRunning()) return 0;
    return this.arch.kprobeFaultHandler(regs, trapnr);
  }

  // --- registration ------------------------------------------------------------------------

  /** _kprobe_addr(): the probe address from addr or symbol+offset, re-based on its symbol. */
  private kprobeAddr(addr: number | undefined, symbolName: string | undefined, offset: number | undefined): { addr: number; onFuncEntry: boolean } | number {
    const hasAddr = addr !== undefined && addr !== 0;
    if ((symbolName && hasAddr) || (!symbolName && !hasAddr)) return -EINVAL;
    let a: number;
    if (symbolName) {
      const found = this.host.symbols.lookupName(symbolName)[0]?.address;
      if (found === undefined) return -ENOENT;
      a = found;
    } else {
      a = addr!;
    }
    // offset is an unsigned int in Linux.
    a += (offset ?? 0) >>> 0;
    const sym = this.host.symbols.lookupAddress(a);
    if (!sym) return -ENOENT;
    const adjusted = this.arch.archAdjustKprobeAddr(sym.start, a - sym.start);
    return adjusted ?? -EINVAL;
  }

  /** kprobe_on_func_entry(): 0 at a function's entry, -EINVAL elsewhere, -ENOENT if lookup fails. */
  kprobeOnFuncEntry(addr: number | undefined, symbolName: string | undefined, offset: number | undefined): number {
    const r = this.kprobeAddr(addr, symbolName, offset);
    if (typeof r === 'number') return r;
    return r.onFuncEntry ? 0 : -EINVAL;
  }

  /** __get_valid_kprobe(): the hashed probe that is p or has p as a child. */
  private getValidKprobe(p: Kprobe): Kprobe | null {
    if (p.addr === undefined) return null;
    const ap = this.getKprobe(p.addr);
    if (!ap) return null;
    if (ap === p) return ap;
    return (this.children.get(ap) ?? []).includes(p) ? ap : null;
  }

  /** warn_kprobe_rereg(). */
  private warnKprobeRereg(p: Kprobe): boolean {
    if (!this.getValidKprobe(p)) return false;
    this.warnOnce(SITE_REREG);
    return true;
  }

  private blacklistedRange(addr: number): boolean {
    return this.host.text.blacklist.some((e) => addr >= e.start && addr < e.end);
  }

  /** within_kprobe_blacklist(): also `foo.isra.0` when `foo` is blacklisted. */
  withinKprobeBlacklist(addr: number): boolean {
    if (this.blacklistedRange(addr)) return true;
    const sym = this.host.symbols.lookupAddress(addr);
    if (!sym) return false;
    const dot = sym.name.indexOf('.');
    if (dot < 0) return false;
    const base = this.host.symbols.lookupName(sym.name.slice(0, dot))[0]?.address;
    return base !== undefined && this.blacklistedRange(base);
  }

  private isCfiPreambleSymbol(addr: number): boolean {
    const sym = this.host.symbols.lookupAddress(addr);
    return !!sym && (sym.name.startsWith('__cfi_') || sym.name.startsWith('__pfx_'));
  }

  /** check_kprobe_address_safe() (no ftrace sites and no modules with their own text here). */
  private checkKprobeAddressSafe(p: Kprobe): number {
    const addr = p.addr!;
    if (!this.host.text.isKernelText(addr)) return -EINVAL;
    if (this.host.text.isReserved?.(addr) || this.withinKprobeBlacklist(addr) || this.isCfiPreambleSymbol(addr)) return -EINVAL;
    return 0;
  }

  private armKprobe(p: Kprobe): number {
    try {
      this.arch.archArmKprobe(p);
      return 0;
    } catch (e) {
      if (e instanceof MemoryFault) return -EFAULT;
      throw e;
    }
  }

  private disarmKprobe(p: Kprobe): number {
    try {
      this.arch.archDisarmKprobe(p);
      return 0;
    } catch (e) {
      if (e instanceof MemoryFault) return -EFAULT;
      throw e;
    }
  }

  /** register_kprobe(): 0, or -EINVAL/-ENOENT/-ENOMEM… as Linux returns them. */
  registerKprobe(p: Kprobe): number {
    const r = this.kprobeAddr(p.addr, p.symbolName, p.offset);
    if (typeof r === 'number') return r;
    p.addr = r.addr;

    if (this.warnKprobeRereg(p)) return -EINVAL;

    // Callers may pass only KPROBE_FLAG_DISABLED.
    p.flags = (p.flags ?? 0) & KPROBE_FLAG_DISABLED;
    p.nmissed = 0;

    let ret = this.checkKprobeAddressSafe(p);
    if (ret) return ret;

    if (r.onFuncEntry) p.flags |= KPROBE_FLAG_ON_FUNC_ENTRY;

    const old = this.getKprobe(p.addr);
    if (old) return this.registerAggrKprobe(old, p);

    ret = this.arch.archPrepareKprobe(p);
    if (ret) return ret;

    this.hashAdd(p);
    if (!this.allDisarmed && !kprobeDisabled(p)) {
      ret = this.armKprobe(p);
      if (ret) {
        this.hashDel(p);
        this.arch.archRemoveKprobe(p);
        return ret;
      }
    }
    return 0;
  }

  /** register_kprobes(): all or nothing. */
  registerKprobes(kps: readonly Kprobe[]): number {
    if (kps.length <= 0) return -EINVAL;
    let ret = 0;
    for (let i = 0; i < kps.length; i++) {
      ret = this.registerKprobe(kps[i]!);
      if (ret < 0) {
        if (i > 0) this.unregisterKprobes(kps.slice(0, i));
        break;
      }
    }
    return ret;
  }

  /** __disable_kprobe(): the hashed probe, or -errno. */
  private disableKprobeInternal(p: Kprobe): Kprobe | number {
    const orig = this.getValidKprobe(p);
    if (!orig) return -EINVAL;
    if (!kprobeDisabled(p)) {
      if (p !== orig) p.flags = (p.flags ?? 0) | KPROBE_FLAG_DISABLED;
      if (p === orig || this.aggrKprobeDisabled(orig)) {
        if (!this.allDisarmed && !kprobeDisabled(orig)) {
          const ret = this.disarmKprobe(orig);
          if (ret) {
            p.flags = (p.flags ?? 0) & ~KPROBE_FLAG_DISABLED;
            return ret;
          }
        }
        orig.flags = (orig.flags ?? 0) | KPROBE_FLAG_DISABLED;
      }
    }
    return orig;
  }

  /**
   * __unregister_kprobe_top(): disable, disarm and unhash (or unlink from the aggregator);
   * returns the bottom half (__unregister_kprobe_bottom) to run afterwards, or -errno.
   */
  private unregisterKprobeTop(p: Kprobe): (() => void) | number {
    const ap = this.disableKprobeInternal(p);
    if (typeof ap === 'number') return ap;

    if (ap === p) {
      // An independent probe.
      this.hashDel(ap);
      return () => this.arch.archRemoveKprobe(p);
    }
    const list = this.children.get(ap)!;
    if (list.length === 1 && kprobeDisabled(ap)) {
      // The last child: the aggregator goes with it.
      this.hashDel(ap);
      return () => {
        list.length = 0;
        this.arch.archRemoveKprobe(ap);
      };
    }
    if (p.postHandler && !kprobeGone(p)) {
      if (!list.some((kp) => kp !== p && kp.postHandler)) ap.postHandler = undefined;
    }
    list.splice(list.indexOf(p), 1);
    return () => {};
  }

  /** unregister_kprobes(): a probe that is not registered gets its addr cleared, as Linux does. */
  unregisterKprobes(kps: readonly Kprobe[]): void {
    if (kps.length <= 0) return;
    const bottoms: (() => void)[] = [];
    for (const p of kps) {
      const r = this.unregisterKprobeTop(p);
      if (typeof r === 'number') p.addr = undefined;
      else bottoms.push(r);
    }
    for (const b of bottoms) b();
  }

  unregisterKprobe(p: Kprobe): void {
    this.unregisterKprobes([p]);
  }

  /** disable_kprobe(): 0, or -EINVAL if p is not registered. */
  disableKprobe(kp: Kprobe): number {
    const r = this.disableKprobeInternal(kp);
    return typeof r === 'number' ? r : 0;
  }

  /** enable_kprobe(): 0, or -EINVAL if not registered or gone. */
  enableKprobe(kp: Kprobe): number {
    const p = this.getValidKprobe(kp);
    if (!p) return -EINVAL;
    if (kprobeGone(kp)) return -EINVAL;
    if (p !== kp) kp.flags = (kp.flags ?? 0) & ~KPROBE_FLAG_DISABLED;
    let ret = 0;
    if (!this.allDisarmed && kprobeDisabled(p)) {
      p.flags = (p.flags ?? 0) & ~KPROBE_FLAG_DISABLED;
      ret = this.armKprobe(p);
      if (ret) {
        p.flags = (p.flags ?? 0) | KPROBE_FLAG_DISABLED;
        if (p !== kp) kp.flags = (kp.flags ?? 0) | KPROBE_FLAG_DISABLED;
      }
    }
    return ret;
  }

  // --- kretprobes --------------------------------------------------------------------------

  /** The address of `__kretprobe_trampoline`, looked up once. */
  kretprobeTrampolineAddr(): number | undefined {
    if (this.trampolineAddr === undefined) this.trampolineAddr = this.host.symbols.lookupName('__kretprobe_trampoline')[0]?.address ?? null;
    return this.trampolineAddr ?? undefined;
  }

  /** Is addr the kretprobe trampoline (trace output prints it as [unknown/kretprobe'd]). */
  isKretprobeTrampoline(addr: number): boolean {
    return addr === this.kretprobeTrampolineAddr();
  }

  private readonly preHandlerKretprobe = (p: Kprobe, regs: PtRegs): number => {
    const rp = this.kretprobeOfKp.get(p);
    const holder = rp ? this.holders.get(rp) : undefined;
    if (!rp || !holder) return 0;
    const ri = holder.pool.pop();
    if (!ri) {
      rp.nmissed = (rp.nmissed ?? 0) + 1;
      return 0;
    }
    ri.task = this.host.currentTask();
    if (rp.entryHandler && truthy(this.runHandler(p, regs, () => rp.entryHandler!(ri, regs)))) {
      holder.pool.push(ri);
      return 0;
    }
    this.arch.archPrepareKretprobe(ri, regs);
    let list = this.taskInstances.get(ri.task);
    if (!list) this.taskInstances.set(ri.task, (list = []));
    list.push(ri);
    return 0;
  };

  private recycleRpInst(ri: KretprobeInstanceImpl): void {
    if (ri.holder.rp) ri.holder.pool.push(ri);
  }

  /** kretprobe_trampoline_handler(regs, frame_pointer): run this frame's return handlers; the real return address. */
  kretprobeTrampolineHandler(regs: PtRegs, framePointer: bigint): number {
    this.kprobeBusyBegin();
    try {
      return this.kretprobeTrampolineHandlerInner(regs, framePointer);
    } finally {
      this.kprobeBusyEnd();
    }
  }

  private kretprobeTrampolineHandlerInner(regs: PtRegs, framePointer: bigint): number {
    const tramp = this.kretprobeTrampolineAddr();
    const list = this.taskInstances.get(this.host.currentTask()) ?? [];
    // The correct return address: the newest instance whose saved address is not the
    // trampoline (two kretprobes on one function save it once, then the trampoline).
    let node = -1;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i]!.retAddr !== tramp) {
        node = i;
        break;
      }
    }
    if (node < 0) {
      this.host.printk(KERN_ERR, 'kretprobe: Return address not found, not execute handler. Maybe there is a bug in the kernel.\n');
      this.bug(SITE_RETADDR_BUG, regs);
    }
    const correct = list[node]!.retAddr;
    // The handlers see pc at the return address (stack traces from regs start there).
    regs.pc = this.arch.canonical(correct);

    for (let i = list.length - 1; i >= node; i--) {
      const ri = list[i]!;
      if (ri.fp !== framePointer) {
        this.warnOnce(SITE_FRAME_WARN, regs);
        break;
      }
      const rp = ri.holder.rp;
      if (rp && rp.handler) {
        const prev = this.kprobeRunning();
        this.setCurrentKprobe(rp.kp);
        ri.retAddr = correct;
        try {
          this.runHandler(rp.kp, regs, () => rp.handler!(ri, regs));
        } finally {
          if (this.kprobeRunning() === rp.kp) this.setCurrentKprobe(prev);
        }
      }
    }
    // Unlink this frame's instances and recycle them.
    for (const ri of list.splice(node)) this.recycleRpInst(ri);
    return correct;
  }

  /** kprobe_flush_task(): the instances of a task that will never return go back to their pools. */
  kprobeFlushTask(task: number): void {
    const list = this.taskInstances.get(task);
    if (!list) return;
    this.kprobeBusyBegin();
    try {
      this.taskInstances.delete(task);
      for (const ri of list) this.recycleRpInst(ri);
    } finally {
      this.kprobeBusyEnd();
    }
  }

  /** kretprobe_find_ret_addr(): the real return address a kretprobe hid for frame fp of task, or 0. */
  kretprobeFindRetAddr(task: number, fp: bigint): number {
    const tramp = this.kretprobeTrampolineAddr();
    const list = this.taskInstances.get(task) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const ri = list[i]!;
      if (ri.retAddr === tramp) continue;
      if (ri.fp === fp) return ri.retAddr;
    }
    return 0;
  }

  /** Instances held by a task now (its pending kretprobe returns). */
  kretprobeInstancesOf(task: number): readonly KretprobeInstance[] {
    return this.taskInstances.get(task) ?? [];
  }

  /** register_kretprobe(). */
  registerKretprobe(rp: Kretprobe): number {
    let ret = this.kprobeOnFuncEntry(rp.kp.addr, rp.kp.symbolName, rp.kp.offset);
    if (ret) return ret;

    // With only kp.addr given, a re-registration is caught here.
    if (rp.kp.addr && this.warnKprobeRereg(rp.kp)) return -EINVAL;

    if (this.arch.kretprobeBlacklist.length) {
      const r = this.kprobeAddr(rp.kp.addr, rp.kp.symbolName, rp.kp.offset);
      if (typeof r === 'number') return r;
      for (const name of this.arch.kretprobeBlacklist) {
        if (this.host.symbols.lookupName(name)[0]?.address === r.addr) return -EINVAL;
      }
    }

    const dataSize = Math.floor(rp.dataSize ?? 0);
    if (dataSize < 0 || dataSize > KRETPROBE_MAX_DATA_SIZE) return -E2BIG;
    // A kernel built without a trampoline cannot catch returns (CONFIG_KRETPROBES=n), nor can
    // one whose arch could not set its trampoline up (mips: trampoline_p failed to register).
    if (this.kretprobeTrampolineAddr() === undefined || this.archInitError !== 0) return -EOPNOTSUPP;

    rp.kp.preHandler = this.preHandlerKretprobe;
    rp.kp.postHandler = undefined;
    if (!rp.maxactive || rp.maxactive <= 0) rp.maxactive = Math.max(10, 2 * this.host.numPossibleCpus);

    const holder = new KretprobeHolder(rp);
    for (let i = 0; i < rp.maxactive; i++) holder.pool.push(new KretprobeInstanceImpl(holder, rp, dataSize));
    this.holders.set(rp, holder);
    this.kretprobeOfKp.set(rp.kp, rp);
    rp.nmissed = 0;

    ret = this.registerKprobe(rp.kp);
    if (ret !== 0) {
      holder.rp = null;
      holder.pool.length = 0;
      this.holders.delete(rp);
    }
    return ret;
  }

  /** register_kretprobes(): all or nothing. */
  registerKretprobes(rps: readonly Kretprobe[]): number {
    if (rps.length <= 0) return -EINVAL;
    let ret = 0;
    for (let i = 0; i < rps.length; i++) {
      ret = this.registerKretprobe(rps[i]!);
      if (ret < 0) {
        if (i > 0) this.unregisterKretprobes(rps.slice(0, i));
        break;
      }
    }
    return ret;
  }

  /**
   * unregister_kretprobes(): instances still in flight stay on their tasks so the functions
   * return to the right place, but their handlers no longer run.
   */
  unregisterKretprobes(rps: readonly Kretprobe[]): void {
    if (rps.length <= 0) return;
    const bottoms: (() => void)[] = [];
    for (const rp of rps) {
      const r = this.unregisterKprobeTop(rp.kp);
      if (typeof r === 'number') rp.kp.addr = undefined;
      else bottoms.push(r);
      const holder = this.holders.get(rp);
      if (holder) holder.rp = null;
    }
    for (const b of bottoms) b();
    for (const rp of rps) {
      const holder = this.holders.get(rp);
      if (holder) holder.pool.length = 0;
      this.holders.delete(rp);
    }
  }

  unregisterKretprobe(rp: Kretprobe): void {
    this.unregisterKretprobes([rp]);
  }

  enableKretprobe(rp: Kretprobe): number {
    return this.enableKprobe(rp.kp);
  }

  disableKretprobe(rp: Kretprobe): number {
    return this.disableKprobe(rp.kp);
  }

  // --- global arm/disarm (debugfs kprobes/enabled) ---------------------------------------------

  get kprobesAllDisarmed(): boolean {
    return this.allDisarmed;
  }

  /** arm_all_kprobes(): best effort; 0 or the last error. */
  armAllKprobes(): number {
    if (!this.allDisarmed) return 0;
    this.allDisarmed = false;
    return this.switchAllKprobes('enable', (p) => !kprobeDisabled(p), (p) => this.armKprobe(p));
  }

  /** disarm_all_kprobes(): 0 or the last error. */
  disarmAllKprobes(): number {
    if (this.allDisarmed) return 0;
    this.allDisarmed = true;
    return this.switchAllKprobes('disable', (p) => !this.arch.archTrampolineKprobe(p) && !kprobeDisabled(p), (p) => this.disarmKprobe(p));
  }

  /** The loop both share: apply `op` to every selected probe, then report as the kernel does. */
  private switchAllKprobes(verb: 'enable' | 'disable', select: (p: Kprobe) => boolean, op: (p: Kprobe) => number): number {
    let total = 0;
    let errors = 0;
    let ret = 0;
    for (const p of this.allHashed()) {
      if (!select(p)) continue;
      const err = op(p);
      if (err) {
        errors++;
        ret = err;
      }
      total++;
    }
    const state = verb === 'enable' ? 'enabled' : 'disabled';
    if (errors) {
      const kept = verb === 'enable' ? 'disabled' : 'enabled';
      this.host.printk(
        KERN_WARNING,
        `kprobes: Kprobes globally ${state}, but failed to ${verb} ${errors} out of ${total} probes. Please check which kprobes are kept ${kept} via debugfs.\n`,
      );
    } else {
      this.host.printk(KERN_INFO, `kprobes: Kprobes globally ${state}\n`);
    }
    return ret;
  }

  /** Reading debugfs kprobes/enabled. */
  readEnabledFile(): string {
    return this.allDisarmed ? '0\n' : '1\n';
  }

  /** Writing debugfs kprobes/enabled: 0, or -EINVAL for text kstrtobool rejects. */
  writeEnabledFile(text: string): number {
    const v = kstrtobool(text);
    if (typeof v === 'number') return v;
    return v ? this.armAllKprobes() : this.disarmAllKprobes();
  }

  // --- debugfs listings ----------------------------------------------------------------------

  /** %px: the pointer in full width, zero-padded. */
  private px(addr: number | undefined): string {
    const v = addr === undefined ? 0n : this.arch.canonical(addr);
    return v.toString(16).padStart(this.arch.pointerBits / 4, '0');
  }

  /** sprint_symbol() as %pS: `sym+0xoff/0xsize [mod]`, or the raw address. */
  sprintSymbol(addr: number | undefined): string {
    if (addr === undefined) return '0x0';
    const sym = this.host.symbols.lookupAddress(addr);
    if (!sym) return `0x${this.arch.canonical(addr).toString(16)}`;
    return `${sym.name}+0x${(addr - sym.start).toString(16)}/0x${sym.size.toString(16)}${sym.module ? ` [${sym.module}]` : ''}`;
  }

  /** A probe's name for oops reports: symbol+offset as registered, else %pS of its address. */
  private describeProbe(p: Kprobe): string {
    if (p.symbolName) return `${p.symbolName}+0x${((p.offset ?? 0) >>> 0).toString(16)}`;
    return this.sprintSymbol(p.addr);
  }

  private reportProbe(p: Kprobe, pp: Kprobe, showValue: boolean): string {
    const type = p.preHandler === this.preHandlerKretprobe ? 'r' : 'k';
    const addr = showValue ? p.addr : undefined;
    const sym = p.addr !== undefined ? this.host.symbols.lookupAddress(p.addr) : undefined;
    let line = sym
      ? `${this.px(addr)}  ${type}  ${sym.name}+0x${(p.addr! - sym.start).toString(16)}  ${sym.module ?? ' '} `
      : `${this.px(addr)}  ${type}  ${this.sprintSymbol(p.addr)} `;
    const flags = pp.flags ?? 0;
    if (kprobeGone(p)) line += '[GONE]';
    if (kprobeDisabled(p) && !kprobeGone(p)) line += '[DISABLED]';
    if (flags & KPROBE_FLAG_OPTIMIZED) line += '[OPTIMIZED]';
    if (flags & KPROBE_FLAG_FTRACE) line += '[FTRACE]';
    return line + '\n';
  }

  /** debugfs kprobes/list; showValue=false prints NULL addresses, as without kallsyms rights. */
  listKprobes(showValue = true): string {
    let out = '';
    for (const p of this.allHashed()) {
      if (this.kprobeAggrprobe(p)) {
        for (const kp of this.children.get(p) ?? []) out += this.reportProbe(kp, p, showValue);
      } else {
        out += this.reportProbe(p, p, showValue);
      }
    }
    return out;
  }

  /** debugfs kprobes/blacklist: `0x%px-0x%px\t%ps`. */
  listBlacklist(showValue = true): string {
    return this.host.text.blacklist
      .map((e) => (showValue ? `0x${this.px(e.start)}-0x${this.px(e.end)}\t${e.name}\n` : `0x${this.px(undefined)}-0x${this.px(undefined)}\t${e.name}\n`))
      .join('');
  }

  // --- slots -----------------------------------------------------------------------------------

  getInsnSlot(): number | null {
    return this.slots.get();
  }

  freeInsnSlot(slot: number): void {
    this.slots.free(slot);
  }

  /** The `kprobe_insn_page` pages, for /proc/kallsyms (`[__builtin__kprobes]`). */
  insnPages(): number[] {
    return this.slots.pageAddresses();
  }
}
