// The TypeScript half of the emulated kernel: it drives the CPU through the guest kernel, serves
// its hypercalls, switches tasks, runs system calls on behalf of TypeScript processes, calls guest
// functions, and routes traps (kprobes' BRKs, faults) the way arch/arm64/kernel/traps.c and
// kernel/exit.c do: a probe's trap goes to kprobes, an unhandled kernel fault is an oops that
// kills the current task (or panics with panic_on_oops), a user fault kills the process.

import type { Cpu, CpuException } from '../isa/cpu.ts';
import { AddressSpace, type Memory } from '../machine/memory.ts';
import type { Machine } from '../machine/machine.ts';
import type { SymbolTable } from '../machine/symbols.ts';
import { ENOMEM, ENOSYS } from '../uapi/errno.ts';
import {
  TASK_RUNNING,
  HVC_BOOT_DONE,
  HVC_CALL_RETURN,
  HVC_EXEC,
  HVC_HOSTFS,
  HVC_KERNFS,
  HVC_MM,
  HVC_PANIC,
  HVC_PRINTK,
  HVC_SCHEDULE,
  HVC_TRACEPOINT,
  MM_BRK,
  MM_MMAP,
  MM_MUNMAP,
} from './abi.ts';
import type { ArchKernel } from './arch/arch-kernel.ts';
import { PrintkLog, KERN_EMERG } from './printk.ts';
import { Task } from './task.ts';
import { loadProgram } from './exec.ts';
import type { Uprobes } from './uprobes.ts';
import { setActiveKernel, type KprobesApi } from './module.ts';
import type { KprobesDeath } from '../kprobes/host.ts';
import type { Kprobes } from '../kprobes/kprobes.ts';
import type { HostFs } from './hostfs.ts';
import type { Sysfs } from './sysfs.ts';
import { Btf } from '../machine/btf.ts';
import { guestLayout, readPointer, type GuestLayout } from './guest-layout.ts';

/** Why a run of the CPU ended. */
export type Stop =
  | { kind: 'syscall-return'; value: bigint }
  | { kind: 'call-return'; value: bigint }
  | { kind: 'boot-done'; value: bigint }
  | { kind: 'task-exit' }
  | { kind: 'task-wait' }
  | { kind: 'panic' };

/**
 * Thrown to unwind TypeScript frames (a probe handler's guest call) above a task that an oops
 * has killed; the outermost run of the CPU then sends the task to do_exit.
 */
export class ContextKilled extends Error {
  override name = 'ContextKilled';
  constructor(readonly signal: number) {
    super(`task killed by signal ${signal}`);
  }
}

/** Thrown by every operation once the machine has panicked. */
export class KernelPanic extends Error {
  override name = 'KernelPanic';
  constructor(message: string) {
    super(`Kernel panic - not syncing: ${message}`);
  }
}

/** What the traps of kprobes (and anything else that claims them) look like to the kernel. */
export interface TrapHooks {
  /** A BRK/trap instruction in kernel mode; return true if handled (execution continues). */
  breakpoint(e: Extract<CpuException, { kind: 'breakpoint' | 'undefined' }>): boolean;
  /** A kernel-mode fault while a probe may be active; return true if handled. */
  fault(e: CpuException): boolean;
}

const RUN_BUDGET = 200_000;
/** Signals used for a killed task's exit code. */
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGKILL = 9;
export const SIGSEGV = 11;

export class Kernel {
  readonly printk: PrintkLog;
  readonly tasks = new Map<number, Task>();
  current!: Task;
  panicOnOops = 0;
  panicked: string | null = null;
  oopsCount = 0;
  traps: TrapHooks | null = null;
  /** The kprobes calls modules make, bound to this machine. */
  kprobesApi: KprobesApi | null = null;
  /** The kprobes core (kernel/kprobes.c) of this machine. */
  kprobesCore: Kprobes | null = null;
  /** The uprobes core (kernel/events/uprobes.c) of this machine, once set up. */
  uprobes: Uprobes | null = null;
  /** Called when a task has exited (kprobe_flush_task). */
  onTaskReaped: ((pid: number) => void) | null = null;
  /** HVC_TRACEPOINT: a tracepoint with probes attached was hit (its struct, its four arguments). */
  onTracepoint: ((tracepoint: number, args: readonly bigint[]) => void) | null = null;
  /** A task switch, before `current` changes (where __schedule() traces sched_switch). */
  onTaskSwitch: ((prev: Task, next: Task) => void) | null = null;
  /** Nesting of callGuest(). */
  private callDepth = 0;
  /** Run once start_kernel has handed over pid 1: work that needs guest calls (tracing's directories). */
  readonly bootHooks: (() => void)[] = [];
  private bootDone = false;
  hostfs: HostFs | null = null;
  /** sysfs's nodes, which the guest's kobjects make (HVC_KERNFS). */
  sysfs: Sysfs | null = null;
  /** Console sink: the UART and printk's console output both end here. */
  readonly consoleOut: (text: string) => void;

  private readonly currentTaskVar: number;
  private readonly hostCallReturn: number;
  private readonly doExit: number;
  /** Depth of nested runs (a handler calling a guest function runs the CPU inside a run). */
  private runDepth = 0;
  private handlerDepth = 0;

  constructor(
    readonly machine: Machine,
    readonly arch: ArchKernel,
    consoleOut: (text: string) => void,
  ) {
    this.consoleOut = consoleOut;
    this.printk = new PrintkLog(() => this.clockNs(), (t) => this.consoleOut(t));
    this.currentTaskVar = this.symbol('current_task');
    this.hostCallReturn = this.symbol('host_call_return');
    this.doExit = this.symbol('do_exit');
  }

  get cpu(): Cpu {
    return this.machine.cpu;
  }
  get memory(): Memory {
    return this.machine.memory;
  }
  get symbols(): SymbolTable {
    return this.machine.symbols;
  }

  private btfCache: Btf | null | undefined;
  /**
   * btf_parse_vmlinux(): the kernel's BTF, between __start_BTF and __stop_BTF in its image
   * (guest/build.sh puts it there); undefined if the image has none.
   */
  get btf(): Btf | undefined {
    if (this.btfCache === undefined) {
      const start = this.symbols.lookupName('__start_BTF')[0];
      const stop = this.symbols.lookupName('__stop_BTF')[0];
      this.btfCache =
        start && stop && stop.address > start.address ? Btf.parse(this.memory.readBytes(start.address, stop.address - start.address)) : null;
    }
    return this.btfCache ?? undefined;
  }

  private layoutCache: GuestLayout | undefined;
  /** Offsets of the guest structures TypeScript reads, from the kernel's BTF. */
  get layout(): GuestLayout {
    if (!this.layoutCache) {
      const btf = this.btf;
      if (!btf) throw new Error('the guest kernel image has no BTF: TypeScript cannot find its structures');
      this.layoutCache = guestLayout(btf, this.machine.wordBytes);
    }
    return this.layoutCache;
  }

  /** A pointer-sized word of guest memory, as an address (the machine's 48- or 32-bit form). */
  readPointer(addr: number): number {
    return readPointer(this.memory, this.layout, addr);
  }

  /** A pointer-sized word of guest memory as the register value it is (canonical on arm64). */
  readWord(addr: number): bigint {
    return this.machine.wordBytes === 8 ? this.memory.read64(addr) : BigInt(this.memory.read32(addr) >>> 0);
  }

  /** The machine's virtual clock: one retired instruction is one nanosecond, plus time slept. */
  clockNs(): number {
    return this.machine.clockNs();
  }

  /** Sleep on the virtual clock: time passes, nothing runs (a single CPU with nothing else to do). */
  sleep(ns: bigint): void {
    this.machine.sleep(Number(ns));
  }

  symbol(name: string): number {
    const s = this.symbols.lookupName(name)[0];
    if (!s) throw new Error(`guest image has no symbol ${name}`);
    return s.address;
  }

  // --- boot ------------------------------------------------------------------------------

  /** Run start_kernel to its end; pid 1 becomes the current task. */
  boot(entry: number): Task {
    this.cpu.pc = entry;
    const stop = this.runSync();
    if (stop.kind !== 'boot-done') throw new Error(`guest kernel did not boot: ${stop.kind}`);
    const init = this.adoptTask(Number(stop.value & 0xffff_ffff_ffffn), new AddressSpace());
    this.current = init;
    this.switchTo(init);
    this.bootDone = true;
    for (const hook of this.bootHooks) hook();
    return init;
  }

  /** The guest has booted: there is a current task, and guest functions may be called. */
  get booted(): boolean {
    return this.bootDone;
  }

  /** Make a TypeScript-side Task for a guest task_struct. */
  adoptTask(taskStruct: number, mm: AddressSpace): Task {
    const t = new Task(taskStruct, mm, this.memory, this.layout);
    this.tasks.set(taskStruct, t);
    return t;
  }

  taskByPid(pid: number): Task | undefined {
    for (const t of this.tasks.values()) if (!t.exited && t.pid === pid) return t;
    return undefined;
  }

  switchTo(task: Task): void {
    if (this.current && this.current !== task) this.onTaskSwitch?.(this.current, task);
    if (this.current !== task || this.memory.user !== task.mm) this.memory.switchUser(task.mm);
    this.current = task;
    this.arch.writeKernelPointer(this.memory, this.currentTaskVar, task.taskStruct);
    this.arch.setKernelStack(this, task.kernelStackTop);
  }

  /** A kernel address as the pointer-sized value stored in guest memory (canonical on arm64). */
  kernelPointer(addr: number): bigint {
    return this.machine.wordBytes === 8 ? BigInt(addr) | 0xffff_0000_0000_0000n : BigInt(addr >>> 0);
  }

  /**
   * A `long` a guest function returned (a count or a negative errno), as a number with the errno
   * in the generic numbering the TypeScript half speaks.
   */
  guestLong(value: bigint): number {
    return this.arch.userAbi.errnoFromGuest(Number(BigInt.asIntN(8 * this.machine.wordBytes, value)));
  }

  /** IS_ERR() of a pointer a guest function returned. */
  isErrPtr(value: bigint): boolean {
    const bits = 8 * this.machine.wordBytes;
    return BigInt.asUintN(bits, value) >= BigInt.asUintN(bits, -4095n);
  }

  // --- running the CPU -------------------------------------------------------------------

  private assertAlive(): void {
    if (this.panicked) throw new KernelPanic(this.panicked);
  }

  /** Run until a stop; nothing may block (used for boot, calls from handlers, most system calls). */
  runSync(): Stop {
    this.assertAlive();
    this.runDepth++;
    try {
      for (;;) {
        const r = this.step();
        if (r === undefined) continue;
        if (r instanceof Promise) throw new Error('a blocking operation inside a synchronous run');
        return r;
      }
    } finally {
      this.runDepth--;
    }
  }

  /** Run until a stop, awaiting blocking host operations and yielding to the event loop. */
  async runAsync(signal?: AbortSignal): Promise<Stop> {
    this.assertAlive();
    let budgets = 0;
    for (;;) {
      const r = this.step(signal);
      if (r === undefined) {
        if (++budgets % 20 === 0) await new Promise((res) => setImmediate(res));
        // A fatal signal takes effect on the way back to user mode.
        const sig = this.current.pendingSignal;
        if (sig && this.cpu.userMode && !this.current.exited) this.killCurrent(sig);
        continue;
      }
      if (r instanceof Promise) {
        await r;
        continue;
      }
      return r;
    }
  }

  /** One burst of execution and the handling of what stopped it. */
  /**
   * When set, the CPU runs one instruction at a time and this sees the address of each before it
   * executes: an execution profile (slow; for tests that count what code runs).
   */
  instructionHook: ((pc: number) => void) | null = null;

  private step(signal?: AbortSignal): Stop | Promise<void> | undefined {
    setActiveKernel(this, this.kprobesApi);
    let result;
    if (this.instructionHook) {
      this.instructionHook(this.cpu.pc);
      result = this.cpu.run(1);
    } else {
      result = this.cpu.run(RUN_BUDGET);
    }
    if (result.stop === 'budget') return undefined;
    try {
      return this.handleException(result.exception, signal);
    } catch (e) {
      // A handler's guest call was killed by an oops: unwound to the outermost run, the task
      // now dies properly (do_exit), as make_task_dead() would have done.
      if (this.callDepth === 0 && e instanceof ContextKilled) return this.killCurrent(e.signal);
      throw e;
    }
  }

  private handleException(e: CpuException, signal?: AbortSignal): Stop | Promise<void> | undefined {
    switch (e.kind) {
      case 'hypercall':
        return this.hypercall(e.imm, signal);
      case 'syscall':
        this.cpu.takeException(e);
        return undefined;
      case 'breakpoint':
        if (this.cpu.userMode) {
          const tramp = this.arch.layout.userScratch + this.arch.trampolineReturnOffset;
          if (e.pc === tramp && e.imm === this.arch.userReturnBrk) {
            return { kind: 'syscall-return', value: this.arch.syscallResult(this.cpu) };
          }
          if (this.uprobes?.handleBreakpoint(e.pc, e.imm)) return undefined;
          return this.toGuest(e) ?? this.killCurrent(SIGTRAP);
        }
        if (this.traps?.breakpoint(e)) return undefined;
        return this.toGuest(e) ?? this.oops(e, `Internal error: BRK handler: ${hex32(0xf2000000 | e.imm)}`);
      case 'undefined':
        if (this.cpu.userMode) return this.toGuest(e) ?? this.killCurrent(SIGILL);
        if (this.traps?.breakpoint(e) || this.traps?.fault(e)) return undefined;
        return this.toGuest(e) ?? this.oops(e, 'Internal error: Oops - Undefined instruction: 0000000002000000');
      case 'fault':
        if (this.cpu.userMode) return this.toGuest(e) ?? this.killCurrent(SIGSEGV);
        if (this.traps?.fault(e)) return undefined;
        return this.toGuest(e) ?? this.oops(e, 'Unable to handle kernel paging request');
      case 'halt':
        return { kind: 'panic' };
    }
  }

  /**
   * An exception nothing in TypeScript claimed, on an arch whose guest handles it (mips: the
   * vectors' C handlers signal, fix up or die() as Linux's do): delivered there. null when the
   * TypeScript half handles it.
   */
  private toGuest(e: CpuException): undefined | null {
    if (!this.arch.guestHandlesExceptions) return null;
    // Inside a guest call a handler made, the guest's die() would run do_exit under TypeScript
    // frames: the oops is TypeScript's there, which unwinds them (ContextKilled) first.
    if (!this.cpu.userMode && this.callDepth > 0) return null;
    this.cpu.takeException(e);
    return undefined;
  }

  // --- hypercalls ------------------------------------------------------------------------

  private arg(n: number): bigint {
    return this.arch.arg(this.cpu, n);
  }
  private argAddr(n: number): number {
    return Number(this.arg(n) & 0xffff_ffff_ffffn);
  }
  private ret(v: number | bigint): void {
    this.arch.setReturn(this.cpu, BigInt(v));
  }
  /** A hypercall's result that may be a negative errno: in the guest's numbering. */
  private retErrno(v: number | bigint): void {
    const n = typeof v === 'number' ? v : v >= -4095n && v < 0n ? Number(v) : null;
    this.ret(n === null ? v : this.arch.userAbi.errnoToGuest(n));
  }

  private hypercall(imm: number, signal?: AbortSignal): Stop | Promise<void> | undefined {
    switch (imm) {
      case HVC_BOOT_DONE:
        return { kind: 'boot-done', value: this.arg(0) };
      case HVC_SCHEDULE: {
        const why = this.arg(0);
        if (why === 0n) {
          this.current.exited = true;
          this.onTaskReaped?.(this.current.pid);
          return { kind: 'task-exit' };
        }
        // A yield, or a wait whose condition already holds: nothing else is runnable, go on.
        if (why === 2n || this.current.state === TASK_RUNNING) return undefined;
        // The task waits (a console read with no input, wait4 on a live child): resume it when
        // input arrives or a signal ends the wait; the guest re-checks its condition.
        if (this.runDepth > 1 || !signal) return { kind: 'task-wait' };
        return this.machine.uart.waitForInput(signal);
      }
      case HVC_PRINTK: {
        const bytes = this.memory.readBytes(this.argAddr(0), Number(this.arg(1)));
        this.printk.printk(Buffer.from(bytes).toString('latin1'));
        return undefined;
      }
      case HVC_HOSTFS: {
        if (!this.hostfs) {
          this.retErrno(-ENOSYS);
          return undefined;
        }
        const args = [1, 2, 3, 4, 5].map((i) => this.arg(i));
        const r = this.hostfs.dispatch(Number(this.arg(0)), args, signal);
        if (r instanceof Promise) return r.then((v) => this.retErrno(v));
        this.retErrno(r);
        return undefined;
      }
      case HVC_EXEC:
        this.retErrno(
          loadProgram(this, {
            path: this.memory.readCString(this.argAddr(0)),
            ptRegs: this.argAddr(1),
            argv: this.argAddr(2),
            envp: this.argAddr(3),
            data: this.argAddr(4),
            size: Number(this.arg(5)),
          }),
        );
        return undefined;
      case HVC_PANIC:
        return this.panic(this.memory.readCString(this.argAddr(0)));
      case HVC_CALL_RETURN:
        return { kind: 'call-return', value: this.arch.callResult(this.cpu) };
      case HVC_MM:
        this.retErrno(this.userMemory(Number(this.arg(0)), this.arg(1)));
        return undefined;
      case HVC_KERNFS: {
        const args = [1, 2, 3, 4, 5].map((i) => this.arg(i));
        this.retErrno(this.sysfs ? this.sysfs.dispatch(Number(this.arg(0)), args) : -ENOSYS);
        return undefined;
      }
      case HVC_TRACEPOINT:
        this.onTracepoint?.(this.argAddr(0), [1, 2, 3, 4].map((i) => this.arg(i)));
        return undefined;
      default:
        this.retErrno(-ENOSYS);
        return undefined;
    }
  }

  /** brk / anonymous mmap / munmap for the current task: user page tables live here. */
  private userMemory(op: number, value: bigint): bigint {
    const mm = this.current.mm;
    const page = 4096;
    const perms = { user: true, write: true, exec: false };
    if (op === MM_BRK) {
      const want = Number(value);
      if (want === 0 || want < mm.startBrk) return BigInt(mm.brk);
      const from = Math.ceil(mm.brk / page) * page;
      const to = Math.ceil(want / page) * page;
      if (to > from) this.memory.map(from, to - from, perms);
      mm.brk = want;
      return BigInt(want);
    }
    if (op === MM_MMAP) {
      const len = Math.ceil(Number(value) / page) * page;
      if (len <= 0 || len > 1 << 30) return BigInt(-ENOMEM);
      mm.mmapBase = (mm.mmapBase || this.arch.layout.mmapTop) - len;
      this.memory.map(mm.mmapBase, len, perms);
      return BigInt(mm.mmapBase);
    }
    if (op === MM_MUNMAP) return 0n;
    return BigInt(-ENOSYS);
  }

  // --- system calls and guest calls on behalf of TypeScript ------------------------------

  private setUpSyscall(task: Task, nr: number, args: readonly bigint[]): void {
    this.switchTo(task);
    const scratch = this.arch.layout.userScratch;
    const sp = scratch + this.arch.layout.userScratchSize - 64;
    this.arch.prepareSyscall(this.cpu, scratch, sp, nr, args, this.memory);
  }

  /** A system call made by a TypeScript process, through the guest's system-call entry. */
  syscallSync(task: Task, nr: number, args: readonly bigint[]): Stop {
    if (this.runDepth > 0) throw new Error('system call from inside a running CPU');
    this.setUpSyscall(task, nr, args);
    return this.runSync();
  }

  async syscallAsync(task: Task, nr: number, args: readonly bigint[], signal?: AbortSignal): Promise<Stop> {
    if (this.runDepth > 0) throw new Error('system call from inside a running CPU');
    this.setUpSyscall(task, nr, args);
    return this.runAsync(signal);
  }

  /**
   * Call a guest kernel function with up to 8 arguments and return x0. Usable from anywhere,
   * including from a probe handler while the CPU is stopped in a trap: the interrupted state is
   * saved and restored around the call, which runs below the trapped frame on the same stack.
   */
  callGuest(fn: string | number, args: readonly (bigint | number)[] = []): bigint {
    const addr = typeof fn === 'string' ? this.symbol(fn) : fn;
    const saved = this.cpu.saveContext();
    const sp = this.arch.nestedCallStack(this.cpu, this.current.kernelStackTop);
    this.arch.prepareCall(this.cpu, addr, args.map((a) => BigInt(a)), sp, this.hostCallReturn, this.memory);
    this.runDepth++;
    this.callDepth++;
    try {
      for (;;) {
        const r = this.step();
        if (r === undefined) continue;
        if (r instanceof Promise) throw new Error('a blocking operation inside a guest call');
        if (r.kind === 'call-return') return r.value;
        if (r.kind === 'panic') throw new KernelPanic(this.panicked ?? 'panic');
        throw new Error(`guest call to ${typeof fn === 'string' ? fn : hex(addr)} ended with ${r.kind}`);
      }
    } finally {
      this.runDepth--;
      this.callDepth--;
      if (!this.panicked) this.cpu.restoreContext(saved);
    }
  }

  /** True while TypeScript is inside callGuest (e.g. a probe handler calling a guest function). */
  get inGuestCall(): boolean {
    return this.callDepth > 0;
  }

  /** Depth of probe handlers running now (handlers run with the CPU stopped in a trap). */
  get inHandler(): boolean {
    return this.handlerDepth > 0;
  }
  enterHandler(): void {
    this.handlerDepth++;
  }
  leaveHandler(): void {
    this.handlerDepth--;
  }

  // --- death of tasks and of the machine --------------------------------------------------

  /**
   * Kill the current task from wherever the kernel is: at the outermost run the CPU goes to
   * do_exit now; inside a guest call made by TypeScript (a probe handler's), the frames above
   * are unwound first with ContextKilled.
   */
  killCurrentTask(sig: number): undefined {
    if (this.callDepth > 0) throw new ContextKilled(sig);
    return this.killCurrent(sig);
  }

  /** Kill the current task: do_exit(sig) on a fresh kernel stack, as make_task_dead() does. */
  killCurrent(sig: number): undefined {
    const top = this.current.kernelStackTop;
    this.arch.prepareCall(this.cpu, this.doExit, [BigInt(sig)], top - 16, this.hostCallReturn, this.memory);
    return undefined;
  }

  /** Send a fatal signal to a task: its blocking call ends with -EINTR, its program stops. */
  deliverSignal(pid: number, sig: number): void {
    const t = this.taskByPid(pid);
    if (!t || t.pendingSignal) return;
    t.pendingSignal = sig;
    t.abort.abort(sig);
  }

  /** End a task now with a signal (do_exit(sig)), from outside any run of the CPU. */
  exitTask(task: Task, sig: number): void {
    this.switchTo(task);
    this.killCurrent(sig);
    const stop = this.runSync();
    if (stop.kind !== 'task-exit') throw new Error(`do_exit ended with ${stop.kind}`);
  }

  /** An unhandled kernel-mode exception: print the oops, then kill the task or panic. */
  oops(e: CpuException, headline: string): Stop | undefined {
    const lines: string[] = [];
    if (e.kind === 'fault') {
      const what = e.address < 4096 ? 'NULL pointer dereference' : 'paging request';
      lines.push(`Unable to handle kernel ${what} at virtual address ${hex64(this.kernelish(e.address))}`);
      lines.push(`Internal error: Oops: 0000000096000005 [#${this.oopsCount + 1}] SMP`);
    } else {
      lines.push(`${headline} [#${this.oopsCount + 1}] SMP`);
    }
    this.printOops(lines);
    if (this.panicOnOops) {
      const stop = this.panic('Fatal exception');
      if (this.callDepth > 0) throw new KernelPanic(this.panicked!);
      return stop;
    }
    return this.killCurrentTask(SIGSEGV);
  }

  /** The oops for a death kprobes reports (a BUG, or a handler's unhandled fault). */
  oopsFromReport(report: KprobesDeath): void {
    const n = this.oopsCount + 1;
    const lines: string[] = [];
    if (report.kind === 'bug') {
      lines.push(`kernel BUG at ${report.site.file}:${report.site.line}!`);
      lines.push(`Internal error: Oops - BUG: 00000000f2000800 [#${n}] SMP`);
    } else if (report.kind === 'fault') {
      const what = report.address < 4096 ? 'NULL pointer dereference' : 'paging request';
      lines.push(`Unable to handle kernel ${what} at virtual address ${hex64(this.kernelish(report.address))}`);
      lines.push(`Internal error: Oops: ${hex64(BigInt(report.trapnr))} [#${n}] SMP`);
    } else {
      const msg = report.error instanceof Error ? report.error.message : String(report.error);
      lines.push(`kprobes: handler of ${report.probe} failed: ${msg}`);
      lines.push(`Internal error: Oops: ${hex64(BigInt(report.trapnr))} [#${n}] SMP`);
    }
    this.printOops(lines);
    if (this.panicOnOops) this.panic('Fatal exception');
  }

  private printOops(headline: string[]): void {
    this.oopsCount++;
    const p = this.printk;
    for (const l of headline) p.log(KERN_EMERG, l);
    const mods = this.moduleNames();
    p.log(KERN_EMERG, `Modules linked in:${mods.length ? ' ' + mods.join(' ') : ''}`);
    p.log(KERN_EMERG, `CPU: 0 UID: 0 PID: ${this.current.pid} Comm: ${this.current.comm} Not tainted 6.12.0-kprobe #1`);
    for (const line of this.arch.oopsRegisters(this.cpu, (addr) => this.symbolize(addr))) p.log(KERN_EMERG, line);
    p.log(KERN_EMERG, 'Call trace:');
    p.log(KERN_EMERG, ` ${this.symbolize(this.cpu.pc)}`);
    p.log(KERN_EMERG, `---[ end trace 0000000000000000 ]---`);
  }

  /** Names of loaded modules (for "Modules linked in:"); set by the module loader. */
  moduleNames: () => string[] = () => [];

  panic(message: string): Stop {
    this.printk.log(KERN_EMERG, `Kernel panic - not syncing: ${message}`);
    this.printk.log(KERN_EMERG, `---[ end Kernel panic - not syncing: ${message} ]---`);
    this.panicked = message;
    return { kind: 'panic' };
  }

  private kernelish(addr: number): bigint {
    return addr >= this.arch.layout.kernelBase ? this.kernelPointer(addr) : BigInt(addr);
  }

  /** `%pS`: sym+0xoff/0xsize, or the raw address. */
  symbolize(addr: number): string {
    const s = this.symbols.lookupAddress(addr);
    if (!s) return hex64(this.kernelish(addr));
    return `${s.name}+0x${s.offset.toString(16)}/0x${s.size.toString(16)}`;
  }
}

function hex(v: number): string {
  return '0x' + v.toString(16);
}
function hex32(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}
function hex64(v: bigint): string {
  return BigInt.asUintN(64, v).toString(16).padStart(16, '0');
}
