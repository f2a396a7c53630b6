// pt_regs on the host target: the registers a probe recorded when it was hit, as a read-only
// view with the kernel's names. A host probe fetches every register of the arch's
// regs_query_register_offset() table (`__reg_di=%di:x64` …), and the view is built from the
// event's fields, so a handler reads regs.get('di'), regs.argument(0), regs.returnValue, or on
// arm64 regs.x0, as on the emulated machine. Writing a register is an error: the kernel ran the
// probed instruction long before the handler sees the event.
// Counterpart of the pt_regs accessors of arch/*/include/asm/ptrace.h (instruction_pointer,
// user_stack_pointer, regs_return_value, regs_get_kernel_argument, pt_regs_read_reg), whose
// emulated form is src/kprobes/types.ts and src/kprobes/arch/arm64-regs.ts.

import type { ArchSpec } from '../tracing/arch.ts';
import type { PtRegs } from '../kprobes/types.ts';
import type { ArgValue } from './trace-line.ts';

/** Field-name prefix of the recorded registers. */
export const REG_PREFIX = '__reg_';

/** Where each arch keeps the pc, the stack pointer, the return value and the arguments (C ABI). */
const ABI: Record<string, { pc: string; sp: string; ret: string; args: readonly string[] }> = {
  x86_64: { pc: 'ip', sp: 'sp', ret: 'ax', args: ['di', 'si', 'dx', 'cx', 'r8', 'r9'] },
  arm64: { pc: 'pc', sp: 'sp', ret: 'x0', args: ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7'] },
  arm: { pc: 'pc', sp: 'sp', ret: 'r0', args: ['r0', 'r1', 'r2', 'r3'] },
  mips: { pc: 'c0_epc', sp: 'r29', ret: 'r2', args: ['r4', 'r5', 'r6', 'r7'] },
  ppc32: { pc: 'nip', sp: 'r1', ret: 'r3', args: ['r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10'] },
};

/** The registers a probe records: the arch's table without aliases (arm64 lr is x30). */
export function recordedRegisters(arch: ArchSpec): string[] {
  return arch.registers.filter((r) => !(r in arch.registerAliases));
}

/** The fetch arguments that record them: "__reg_di=%di:x64" … */
export function registerFetchArgs(arch: ArchSpec): string[] {
  const t = arch.bits === 64 ? 'x64' : 'x32';
  return recordedRegisters(arch).map((r) => `${REG_PREFIX}${r}=%${r}:${t}`);
}

class ReadOnlyRegs {
  constructor(
    readonly arch: ArchSpec['name'],
    private readonly values: ReadonlyMap<string, bigint>,
    readonly names: readonly string[],
    private readonly abi: (typeof ABI)[string],
    private readonly aliases: Readonly<Record<string, string>>,
  ) {}

  get(name: string): bigint {
    const v = this.values.get(this.aliases[name] ?? name);
    if (v === undefined) throw new RangeError(`${this.arch} pt_regs has no register ${name}`);
    return v;
  }

  set(name: string, _value: bigint): void {
    throw new TypeError(`pt_regs are read-only on the host target: the kernel ran the probed instruction before this handler was called (writing ${name})`);
  }

  get pc(): bigint {
    return this.get(this.abi.pc);
  }
  set pc(_v: bigint) {
    this.set('pc', 0n);
  }
  get sp(): bigint {
    return this.get(this.abi.sp);
  }
  set sp(_v: bigint) {
    this.set('sp', 0n);
  }
  get returnValue(): bigint {
    return this.get(this.abi.ret);
  }
  argument(n: number): bigint {
    const r = this.abi.args[n];
    return r === undefined ? 0n : this.get(r);
  }
  readReg(n: number): bigint {
    return n === 31 ? 0n : this.get(`x${n}`);
  }
  writeReg(n: number, _value: bigint): void {
    this.set(`x${n}`, 0n);
  }
}

/** The recorded registers of an event ("__reg_*" arguments) as a read-only PtRegs view. */
export function ptRegsFromArgs(arch: ArchSpec, args: Readonly<Record<string, ArgValue>>): PtRegs {
  const values = new Map<string, bigint>();
  for (const [k, v] of Object.entries(args)) {
    if (k.startsWith(REG_PREFIX) && typeof v === 'bigint') values.set(k.slice(REG_PREFIX.length), v);
  }
  const regs = new ReadOnlyRegs(arch.name, values, recordedRegisters(arch), ABI[arch.name]!, arch.registerAliases);
  if (arch.name === 'arm64') {
    // Named access as Arm64PtRegs has it: x0..x30, lr, pstate.
    for (const r of [...recordedRegisters(arch), ...Object.keys(arch.registerAliases)]) {
      if (r === 'pc' || r === 'sp') continue;
      Object.defineProperty(regs, r, {
        get: () => regs.get(r),
        set: () => regs.set(r, 0n),
        enumerable: true,
      });
    }
  }
  return regs as unknown as PtRegs;
}

/** The event's own arguments, without the recorded registers. */
export function userArgs(args: Readonly<Record<string, ArgValue>>): Record<string, ArgValue> {
  const out: Record<string, ArgValue> = {};
  for (const [k, v] of Object.entries(args)) if (!k.startsWith(REG_PREFIX)) out[k] = v;
  return out;
}
