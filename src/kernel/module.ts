// Loadable modules of the emulated machine: TypeScript files with module_init/module_exit,
// module parameters and the kernel API a kprobes module uses (register_kprobe, pr_info, ktime_get,
// current…). `insmod FILE [param=value…]` imports the file afresh (each load is a new instance, as
// a .ko is), with its parameters parsed before its top level runs so module_param_string() returns
// the value; init runs; `rmmod` runs exit. Counterpart of kernel/module/main.c (load_module,
// delete_module), kernel/params.c and include/linux/module.h, printk.h, kprobes.h.

import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import type { LoadedModule } from './process-api.ts';
import type { Kprobe, Kretprobe, KretprobeInstance, PtRegs } from '../kprobes/types.ts';
import { EEXIST, EINVAL, ENOENT, ENOEXEC } from '../uapi/errno.ts';
import type { Kernel } from './kernel.ts';
import { KERN_DEBUG, KERN_ERR, KERN_INFO, KERN_NOTICE, KERN_SOH, KERN_WARNING } from './printk.ts';
import { kvsprintf } from './vsprintf.ts';

export type { Kprobe, Kretprobe, KretprobeInstance, PtRegs };

export const KSYM_NAME_LEN = 512;

/** The kprobes calls a module may make, bound to one machine's kprobes (wired at boot). */
export interface KprobesApi {
  registerKprobe(kp: Kprobe): number;
  unregisterKprobe(kp: Kprobe): void;
  enableKprobe(kp: Kprobe): number;
  disableKprobe(kp: Kprobe): number;
  registerKretprobe(rp: Kretprobe): number;
  unregisterKretprobe(rp: Kretprobe): void;
  enableKretprobe(rp: Kretprobe): number;
  disableKretprobe(rp: Kretprobe): number;
}

interface ModuleInstance {
  name: string;
  path: string;
  init?: () => number | void;
  exit?: () => void;
  license?: string;
  description?: string;
  params: Map<string, string>;
  size: number;
}

/**
 * Who is running now and what is loading: kept on globalThis so that a module file loaded as
 * CommonJS (outside a package with "type": "module") and importing this file gets the same
 * state as the ESM instance the kernel uses.
 */
interface ModuleState {
  /** The machine whose kernel code is running now; set around init, exit and every CPU run. */
  kernel: Kernel | null;
  kprobes: KprobesApi | null;
  /** The module whose top level is being evaluated by insmod. */
  loading: { instance: ModuleInstance; given: Map<string, string>; used: Set<string> } | null;
}
const STATE_KEY = Symbol.for('kprobe.kernel.module-state');
const state: ModuleState = ((globalThis as Record<symbol, ModuleState | undefined>)[STATE_KEY] ??= {
  kernel: null,
  kprobes: null,
  loading: null,
});

export function setActiveKernel(kernel: Kernel | null, kprobes: KprobesApi | null): void {
  state.kernel = kernel;
  state.kprobes = kprobes;
}

function kernel(): Kernel {
  if (!state.kernel) throw new Error('kernel API called outside a running machine');
  return state.kernel;
}
function kprobes(): KprobesApi {
  if (!state.kprobes) throw new Error('kprobes API called outside a running machine');
  return state.kprobes;
}

// --- module declaration -----------------------------------------------------------------

function declaring(what: string) {
  if (!state.loading) throw new Error(`${what} outside a module load`);
  return state.loading;
}

/** module_param_string(name, buf, len, perm): returns the value given to insmod, or the default. */
export function module_param_string(name: string, defaultValue: string, maxlen: number, _perm: number): string {
  const l = declaring('module_param_string');
  l.used.add(name);
  const v = l.given.get(name) ?? defaultValue;
  const value = v.slice(0, maxlen - 1);
  l.instance.params.set(name, value);
  return value;
}

/** module_param(name, int, perm). */
export function module_param_int(name: string, defaultValue: number, _perm: number): number {
  const l = declaring('module_param_int');
  l.used.add(name);
  const given = l.given.get(name);
  const value = given === undefined ? defaultValue : Number(given);
  if (!Number.isInteger(value)) throw new ModuleParamError(name, given!);
  l.instance.params.set(name, String(value));
  return value;
}

export function module_init(fn: () => number | void): void {
  declaring('module_init').instance.init = fn;
}
export function module_exit(fn: () => void): void {
  declaring('module_exit').instance.exit = fn;
}
export function MODULE_LICENSE(license: string): void {
  declaring('MODULE_LICENSE').instance.license = license;
}
export function MODULE_DESCRIPTION(text: string): void {
  declaring('MODULE_DESCRIPTION').instance.description = text;
}

class ModuleParamError extends Error {
  constructor(
    readonly param: string,
    readonly value: string,
  ) {
    super(`invalid value '${value}' for parameter '${param}'`);
  }
}

// --- the kernel API -------------------------------------------------------------------

function format(fmt: string, args: readonly unknown[]): string {
  const k = kernel();
  return kvsprintf(
    {
      pointerDigits: 2 * k.machine.wordBytes, // %p is as wide as a pointer: 8 digits on mips32
      symbolize: (addr, withOffset) => {
        const s = k.symbols.lookupAddress(Number(addr & 0xffff_ffff_ffffn));
        if (!s) return '0x' + addr.toString(16);
        return withOffset ? `${s.name}+0x${s.offset.toString(16)}/0x${s.size.toString(16)}` : s.name;
      },
    },
    fmt,
    args.map((a) => (typeof a === 'number' && a >= k.arch.layout.kernelBase ? k.kernelPointer(a) : (a as never))),
  );
}

export function printk(fmt: string, ...args: unknown[]): void {
  kernel().printk.printk(format(fmt, args));
}
const leveled = (level: number) => (fmt: string, ...args: unknown[]) => kernel().printk.printk(KERN_SOH + level + format(fmt, args));
export const pr_err = leveled(KERN_ERR);
export const pr_warn = leveled(KERN_WARNING);
export const pr_notice = leveled(KERN_NOTICE);
export const pr_info = leveled(KERN_INFO);
export const pr_debug = leveled(KERN_DEBUG);

export const register_kprobe = (kp: Kprobe): number => kprobes().registerKprobe(kp);
export const unregister_kprobe = (kp: Kprobe): void => kprobes().unregisterKprobe(kp);
export const enable_kprobe = (kp: Kprobe): number => kprobes().enableKprobe(kp);
export const disable_kprobe = (kp: Kprobe): number => kprobes().disableKprobe(kp);
export const register_kretprobe = (rp: Kretprobe): number => kprobes().registerKretprobe(rp);
export const unregister_kretprobe = (rp: Kretprobe): void => kprobes().unregisterKretprobe(rp);
export const enable_kretprobe = (rp: Kretprobe): number => kprobes().enableKretprobe(rp);
export const disable_kretprobe = (rp: Kretprobe): number => kprobes().disableKretprobe(rp);

/** ktime_get(): monotonic nanoseconds of the virtual clock. */
export function ktime_get(): bigint {
  return BigInt(kernel().clockNs());
}

/** regs_return_value(regs). */
export function regs_return_value(regs: PtRegs): bigint {
  return regs.returnValue;
}

/** `current`: the running task as a module sees it (mm is null for kernel threads). */
export function current(): { pid: number; comm: string; mm: object | null } {
  const k = kernel();
  const t = k.current;
  return { pid: t.pid, comm: t.comm, mm: t.pid === 0 ? null : t.mm };
}

/** Call a guest kernel function (as a module would call an exported symbol). */
export function call_kernel_function(name: string, ...args: (number | bigint)[]): bigint {
  return kernel().callGuest(name, args);
}

// --- the loader ---------------------------------------------------------------------------

let loadCounter = 0;

export class ModuleLoader {
  private readonly modules = new Map<string, ModuleInstance>();

  constructor(
    private readonly kernel: Kernel,
    private readonly kprobesApi: KprobesApi,
    /** Directories a relative module path is resolved against, in order. */
    private readonly searchDirs: string[],
  ) {}

  private locate(path: string): string | undefined {
    if (path.startsWith('/') && existsSync(path)) return path;
    for (const d of this.searchDirs) {
      const p = resolve(d, path);
      if (existsSync(p)) return p;
    }
    return undefined;
  }

  /** init_module: 0 or -errno (the shell prints insmod's message for it). */
  async insmod(path: string, params: Record<string, string>): Promise<number> {
    const file = this.locate(path);
    if (!file) return -ENOENT;
    const name = basename(file).replace(/\.(ts|js|mjs)$/, '').replace(/-/g, '_');
    if (this.modules.has(name)) return -EEXIST;
    const instance: ModuleInstance = { name, path: file, params: new Map(), size: 0 };
    const given = new Map(Object.entries(params));
    state.loading = { instance, given, used: new Set() };
    setActiveKernel(this.kernel, this.kprobesApi);
    try {
      await import(`${pathToFileURL(file).href}?load=${++loadCounter}`);
    } catch (e) {
      if (e instanceof ModuleParamError) {
        this.kernel.printk.log(KERN_ERR, `${name}: ${e.message}`);
        return -EINVAL;
      }
      this.kernel.printk.log(KERN_ERR, `${name}: module failed to load: ${(e as Error).message}`);
      return -ENOEXEC;
    } finally {
      state.loading = null;
    }
    for (const p of given.keys()) {
      if (!instance.params.has(p)) {
        // kernel/params.c: "Unknown parameter" is reported and ignored.
        this.kernel.printk.log(KERN_WARNING, `${name}: unknown parameter '${p}' ignored`);
      }
    }
    if (!instance.init) {
      this.kernel.printk.log(KERN_ERR, `${name}: module has no module_init`);
      return -ENOEXEC;
    }
    instance.size = 16384 + 4096 * instance.params.size;
    const ret = Number(instance.init() ?? 0);
    if (ret < 0) return ret;
    this.modules.set(name, instance);
    return 0;
  }

  /** delete_module: 0, or -ENOENT when no such module is loaded. */
  rmmod(name: string): number {
    const key = basename(name).replace(/\.(ts|js|mjs|ko)$/, '').replace(/-/g, '_');
    const m = this.modules.get(key);
    if (!m) return -ENOENT;
    setActiveKernel(this.kernel, this.kprobesApi);
    m.exit?.();
    this.modules.delete(key);
    return 0;
  }

  list(): LoadedModule[] {
    return [...this.modules.values()].reverse().map((m) => ({ name: m.name, size: m.size, usedBy: 0 }));
  }

  names(): string[] {
    return [...this.modules.keys()];
  }
}

export { KERN_INFO };
