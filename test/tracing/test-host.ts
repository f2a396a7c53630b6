// A TracingHost for tests: guest memory is a real Memory (src/machine/memory.ts), kallsyms is a
// small symbol table laid out like an arm64 kernel's text, and kprobe registration resolves and
// checks addresses the way register_kprobe() does (symbol + offset re-based onto the containing
// symbol, 4-byte alignment on arm64), so tests can fire hits at registered, enabled probes.

import { Memory } from '../../src/machine/memory.ts';
import { Arm64Regs } from '../../src/kprobes/arch/arm64-regs.ts';
import { KPROBE_FLAG_DISABLED, type Kprobe, type Kretprobe, type KretprobeInstance, type PtRegs } from '../../src/kprobes/types.ts';
import type { SymbolAtAddress, TaskInfo, TraceContext, TracingHost } from '../../src/tracing/host.ts';
import { canonicalAddress, machineAddress, archSpec } from '../../src/tracing/arch.ts';

export interface TestSymbol {
  name: string;
  addr: bigint;
  size: bigint;
  module?: string;
  /** 't'/'T' text, 'd'/'D' data. */
  type?: string;
}

const KERNEL_TEXT = 0xffff800008010000n;
const KERNEL_DATA = 0xffff800009000000n;
export const TRAMPOLINE = 0xffff800008000800n;

/** Text symbols (name, size) laid out one after another from KERNEL_TEXT. */
export function textSymbols(list: [string, number][], base = KERNEL_TEXT): TestSymbol[] {
  const out: TestSymbol[] = [];
  let a = base;
  for (const [name, size] of list) {
    out.push({ name, addr: a, size: BigInt(size), type: 't' });
    a += BigInt(size);
  }
  return out;
}

export const DEFAULT_SYMBOLS: TestSymbol[] = [
  { name: '__kretprobe_trampoline', addr: TRAMPOLINE, size: 8n, type: 't' },
  ...textSymbols([
    ['do_sys_openat2', 0x190],
    ['__arm64_sys_openat', 0xbc],
    ['vfs_read', 0x1c0],
    ['vfs_write', 0x1e0],
    ['kernel_clone', 0x3c0],
    ['do_exit', 0x2a0],
    ['kfree', 0x140],
    ['getname', 0x60],
    ['name_show', 0x40],
    ['name_show ', 0x40],
    ['tracefs_create_dir', 0x80],
    ['inet_csk_accept', 0x200],
  ]),
  { name: 'linux_proc_banner', addr: KERNEL_DATA, size: 0x40n, type: 'D' },
  { name: 'jiffies', addr: KERNEL_DATA + 0x40n, size: 8n, type: 'D' },
];

interface Hit {
  kp: Kprobe;
  rp?: Kretprobe;
}

export class TestHost implements TracingHost {
  readonly arch = 'arm64' as const;
  readonly memory = new Memory(true, 0x8000_0000_0000);
  readonly symbols: TestSymbol[];
  readonly modules = new Set<string>();
  readonly kprobes: Hit[] = [];
  clock = 3_546_046_000n;
  task: TaskInfo = { pid: 103, comm: 'cat' };
  cpu = 0;
  ctx: TraceContext = { irqsOff: true };
  private instances: KretprobeInstance[] = [];
  stack: bigint[] = [];
  warn?: (text: string) => void;

  constructor(
    readonly nrCpus = 1,
    symbols: TestSymbol[] = DEFAULT_SYMBOLS,
    /** The first dynamic event ID (real kernels have ~1200 events registered before). */
    readonly firstEventId?: number,
  ) {
    // Two symbols of the same name exist in real kernels (static functions): make name_show one.
    this.symbols = symbols.map((s) => (s.name === 'name_show ' ? { ...s, name: 'name_show' } : s));
    this.memory.map(0x8000_0800_0000, 0x2_0000, { user: false, write: true, exec: true });
    this.memory.map(0x8000_0900_0000, 0x1000, { user: false, write: true, exec: false });
  }

  // kallsyms
  lookupName(name: string): bigint | undefined {
    const c = name.indexOf(':');
    if (c >= 0) {
      const mod = name.slice(0, c);
      return this.symbols.find((s) => s.module === mod && s.name === name.slice(c + 1))?.addr;
    }
    return this.symbols.find((s) => s.name === name)?.addr;
  }
  countSymbols(name: string, module?: string): number {
    return this.symbols.filter((s) => s.name === name && (module === undefined || s.module === module)).length;
  }
  isModuleLoaded(module: string): boolean {
    return this.modules.has(module);
  }
  lookupAddress(addr: bigint): SymbolAtAddress | undefined {
    const s = this.symbols.find((x) => addr >= x.addr && addr < x.addr + x.size);
    if (!s) return undefined;
    return { name: s.name, offset: addr - s.addr, size: s.size, module: s.module };
  }
  listFunctions(): readonly string[] {
    return this.symbols.filter((s) => s.type === 't' || s.type === 'T').map((s) => (s.module ? `${s.name} [${s.module}]` : s.name));
  }

  // kprobes: register_kprobe()'s address resolution and checks
  private resolve(kp: Kprobe): number {
    const spec = archSpec('arm64');
    let addr: bigint;
    if (kp.symbolName !== undefined) {
      if (kp.addr !== undefined) return -22;
      const base = this.lookupName(kp.symbolName);
      if (base === undefined) return -2;
      addr = base + BigInt(kp.offset ?? 0);
    } else if (kp.addr !== undefined) {
      addr = canonicalAddress(spec, kp.addr);
    } else return -22;
    if (!this.lookupAddress(addr)) return -2;
    if (addr & 3n) return -22;
    kp.addr = machineAddress(spec, addr);
    return 0;
  }
  registerKprobe(kp: Kprobe): number {
    const r = this.resolve(kp);
    if (r) return r;
    kp.nmissed = 0;
    this.kprobes.push({ kp });
    return 0;
  }
  unregisterKprobe(kp: Kprobe): void {
    const i = this.kprobes.findIndex((h) => h.kp === kp);
    if (i >= 0) this.kprobes.splice(i, 1);
  }
  enableKprobe(kp: Kprobe): number {
    if (!this.kprobes.some((h) => h.kp === kp)) return -22;
    kp.flags = (kp.flags ?? 0) & ~KPROBE_FLAG_DISABLED;
    return 0;
  }
  disableKprobe(kp: Kprobe): number {
    if (!this.kprobes.some((h) => h.kp === kp)) return -22;
    kp.flags = (kp.flags ?? 0) | KPROBE_FLAG_DISABLED;
    return 0;
  }
  registerKretprobe(rp: Kretprobe): number {
    // kprobe_on_func_entry(): the probe must sit at a symbol's start.
    const r = this.resolve(rp.kp);
    if (r) return r;
    const at = this.lookupAddress(canonicalAddress(archSpec('arm64'), rp.kp.addr!));
    if (!at || at.offset !== 0n) {
      rp.kp.addr = undefined;
      return -22;
    }
    if ((rp.maxactive ?? 0) <= 0) rp.maxactive = Math.max(10, 2 * this.nrCpus);
    rp.nmissed = 0;
    rp.kp.nmissed = 0;
    this.kprobes.push({ kp: rp.kp, rp });
    return 0;
  }
  unregisterKretprobe(rp: Kretprobe): void {
    this.unregisterKprobe(rp.kp);
  }
  isKretprobeTrampoline(addr: bigint): boolean {
    return addr === TRAMPOLINE;
  }

  // memory
  readMemory(addr: bigint, length: number, user: boolean): Uint8Array | undefined {
    try {
      if (user && addr >= 1n << 48n) return undefined;
      return this.memory.readBytes(machineAddress(archSpec('arm64'), addr), length, user);
    } catch {
      return undefined;
    }
  }

  // context
  currentTask(): TaskInfo {
    return this.task;
  }
  currentCpu(): number {
    return this.cpu;
  }
  clockNs(): bigint {
    return this.clock;
  }
  traceContext(): TraceContext {
    return this.ctx;
  }
  stackTrace(regs: PtRegs): readonly bigint[] {
    return [regs.pc, ...this.stack];
  }

  // --- driving probes ---------------------------------------------------------------------

  /**
   * A BRK hit at addr. Several probes on one address form an aggregate whose children run newest
   * first (register_aggr_kprobe() list_add()s them), which is the order the kernel's traces show.
   * A kretprobe's entry saves the return address it finds in x30 (the trampoline, if an earlier
   * child already replaced it) and replaces it with the trampoline.
   */
  hit(addr: bigint, regs: PtRegs): number {
    let n = 0;
    const m = machineAddress(archSpec('arm64'), addr);
    for (const h of [...this.kprobes].reverse()) {
      if (h.kp.addr !== m || (h.kp.flags ?? 0) & KPROBE_FLAG_DISABLED) continue;
      n++;
      if (h.rp) {
        const ri: KretprobeInstance = {
          rp: h.rp,
          data: new Uint8Array(h.rp.dataSize ?? 0),
          retAddr: machineAddress(archSpec('arm64'), regs.get('x30')),
          fp: regs.get('x29'),
          task: this.task.pid,
        };
        if (h.rp.entryHandler && h.rp.entryHandler(ri, regs)) continue;
        this.instances.push(ri);
        regs.set('x30', TRAMPOLINE);
      } else {
        h.kp.preHandler?.(h.kp, regs);
      }
    }
    return n;
  }

  /** The probed function returns (kretprobe trampoline): run return handlers, newest first. */
  ret(regs: PtRegs): void {
    const fp = regs.get('x29');
    const mine = this.instances.filter((i) => i.fp === fp && i.task === this.task.pid).reverse();
    this.instances = this.instances.filter((i) => !mine.includes(i));
    for (const ri of mine) ri.rp.handler?.(ri, regs);
  }

  /** Write a NUL-terminated string into guest memory (kernel or user). */
  putString(addr: bigint, s: string): void {
    this.memory.poke(machineAddress(archSpec('arm64'), addr), Buffer.from(s + '\0', 'latin1'));
  }

  mapUser(addr: bigint, size: number): void {
    this.memory.map(Number(addr), size, { user: true, write: true, exec: false });
  }

  sym(name: string): bigint {
    const a = this.lookupName(name);
    if (a === undefined) throw new Error(`no symbol ${name}`);
    return a;
  }
}

export function regs(values: Record<string, bigint>): Arm64Regs {
  return Arm64Regs.of(values);
}
