// Trace text output: the context prefix of each line, the flags column, symbolisation of
// addresses, the `trace` file header and the common trace_entry layout. Counterpart of
// trace_print_context(), trace_print_lat_fmt(), seq_print_ip_sym()/trace_seq_print_sym()
// (kernel/trace/trace_output.c), print_event_info()/print_func_help_header*() (trace.c),
// and sprint_symbol() (kernel/kallsyms.c).

import type { SymbolAtAddress } from './host.ts';

export const TRACE_FLAG_IRQS_OFF = 0x01;
export const TRACE_FLAG_IRQS_NOSUPPORT = 0x02;
export const TRACE_FLAG_NEED_RESCHED = 0x04;
export const TRACE_FLAG_HARDIRQ = 0x08;
export const TRACE_FLAG_SOFTIRQ = 0x10;
export const TRACE_FLAG_PREEMPT_RESCHED = 0x20;
export const TRACE_FLAG_NMI = 0x40;
export const TRACE_FLAG_BH_OFF = 0x80;

/** Static trace entry types (enum trace_type); dynamic event IDs start at TRACE_LAST_TYPE. */
export const TRACE_STACK = 4;
export const TRACE_LAST_TYPE = 20;

/** struct trace_entry: common_type u16, common_flags u8, common_preempt_count u8, common_pid s32. */
export interface TraceEntryHeader {
  type: number;
  flags: number;
  preemptCount: number;
  pid: number;
}

export const TRACE_ENTRY_SIZE = 8;

export function writeEntryHeader(view: DataView, h: TraceEntryHeader, le: boolean): void {
  view.setUint16(0, h.type, le);
  view.setUint8(2, h.flags);
  view.setUint8(3, h.preemptCount);
  view.setInt32(4, h.pid, le);
}

export function readEntryHeader(view: DataView, le: boolean): TraceEntryHeader {
  return { type: view.getUint16(0, le), flags: view.getUint8(2), preemptCount: view.getUint8(3), pid: view.getInt32(4, le) };
}

export type SymbolLookup = (addr: bigint) => SymbolAtAddress | undefined;

const hex = (v: bigint): string => v.toString(16);

/** sprint_symbol(): "name+0xoff/0xsize [module]", or "0x<addr>" when no symbol contains it. */
export function sprintSymbol(lookup: SymbolLookup, addr: bigint): string {
  const s = lookup(addr);
  if (!s) return `0x${hex(addr)}`;
  return `${s.name}+0x${hex(s.offset)}/0x${hex(s.size)}${s.module ? ` [${s.module}]` : ''}`;
}

/**
 * seq_print_ip_sym(): "0" for a null ip, else the symbol (with offset when asked), the kretprobe
 * trampoline as "[unknown/kretprobe'd]", and "0x%08lx" when nothing is known.
 */
export function seqPrintIpSym(lookup: SymbolLookup, isTrampoline: (a: bigint) => boolean, ip: bigint, withOffset: boolean): string {
  if (ip === 0n) return '0';
  let name: string;
  if (withOffset) name = sprintSymbol(lookup, ip);
  else name = lookup(ip)?.name ?? '';
  if (isTrampoline(ip)) name = "[unknown/kretprobe'd]";
  if (name.length) return name;
  return `0x${hex(ip).padStart(8, '0')}`;
}

/** trace_print_lat_fmt(): the five flag characters. */
export function latFmt(flags: number, preemptCount: number): string {
  const nmi = flags & TRACE_FLAG_NMI;
  const hardirq = flags & TRACE_FLAG_HARDIRQ;
  const softirq = flags & TRACE_FLAG_SOFTIRQ;
  const bhOff = flags & TRACE_FLAG_BH_OFF;
  const irqsOff =
    flags & TRACE_FLAG_IRQS_OFF && bhOff ? 'D' : flags & TRACE_FLAG_IRQS_OFF ? 'd' : bhOff ? 'b' : flags & TRACE_FLAG_IRQS_NOSUPPORT ? 'X' : '.';
  let needResched: string;
  switch (flags & (TRACE_FLAG_NEED_RESCHED | TRACE_FLAG_PREEMPT_RESCHED)) {
    case TRACE_FLAG_NEED_RESCHED | TRACE_FLAG_PREEMPT_RESCHED:
      needResched = 'N';
      break;
    case TRACE_FLAG_NEED_RESCHED:
      needResched = 'n';
      break;
    case TRACE_FLAG_PREEMPT_RESCHED:
      needResched = 'p';
      break;
    default:
      needResched = '.';
  }
  const hs = nmi && hardirq ? 'Z' : nmi ? 'z' : hardirq && softirq ? 'H' : hardirq ? 'h' : softirq ? 's' : '.';
  const pc = preemptCount & 0xf ? (preemptCount & 0xf).toString(16) : '.';
  const md = preemptCount & 0xf0 ? (preemptCount >> 4).toString(16) : '.';
  return irqsOff + needResched + hs + pc + md;
}

/** ns2usecs(): nanoseconds to microseconds, rounded. */
export const ns2usecs = (ns: bigint): bigint => (ns + 500n) / 1000n;

/** trace_print_time() for nanosecond clocks: " %5lu.%06lu". */
export function printTime(ts: bigint): string {
  const us = ns2usecs(ts);
  const secs = us / 1000000n;
  const rem = us % 1000000n;
  return ` ${String(secs).padStart(5, ' ')}.${String(rem).padStart(6, '0')}`;
}

/** printf("%16s-%-7d ", comm, pid). */
export function commPid(comm: string, pid: number): string {
  return `${comm.padStart(16, ' ')}-${String(pid).padEnd(7, ' ')} `;
}

/** trace_print_context(): "            comm-pid     [cpu] flags  sec.usec: ". */
export function printContext(comm: string, h: TraceEntryHeader, cpu: number, ts: bigint, irqInfo: boolean): string {
  let s = commPid(comm, h.pid);
  s += `[${String(cpu).padStart(3, '0')}] `;
  if (irqInfo) s += latFmt(h.flags, h.preemptCount);
  s += printTime(ts);
  s += ': ';
  return s;
}

/** print_event_info(). */
export function eventInfo(entries: number, total: number, nrCpus: number): string {
  return `# entries-in-buffer/entries-written: ${entries}/${total}   #P:${nrCpus}\n#\n`;
}

/** print_func_help_header_irq() (irq-info on). */
export function funcHelpHeaderIrq(entries: number, total: number, nrCpus: number): string {
  return (
    eventInfo(entries, total, nrCpus) +
    '#                                _-----=> irqs-off/BH-disabled\n' +
    '#                               / _----=> need-resched\n' +
    '#                              | / _---=> hardirq/softirq\n' +
    '#                              || / _--=> preempt-depth\n' +
    '#                              ||| / _-=> migrate-disable\n' +
    '#                              |||| /     delay\n' +
    '#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n' +
    '#              | |         |   |||||     |         |\n'
  );
}

/** print_func_help_header() (irq-info off). */
export function funcHelpHeader(entries: number, total: number, nrCpus: number): string {
  return (
    eventInfo(entries, total, nrCpus) +
    '#           TASK-PID     CPU#     TIMESTAMP  FUNCTION\n' +
    '#              | |         |         |         |\n'
  );
}

/** Read an unsigned integer field of the entry. */
export function readUnsigned(view: DataView, offset: number, size: number, le: boolean): bigint {
  switch (size) {
    case 1:
      return BigInt(view.getUint8(offset));
    case 2:
      return BigInt(view.getUint16(offset, le));
    case 4:
      return BigInt(view.getUint32(offset, le));
    default:
      return view.getBigUint64(offset, le);
  }
}

/** Write an unsigned integer field (truncating like a C store). */
export function writeUnsigned(view: DataView, offset: number, size: number, value: bigint, le: boolean): void {
  switch (size) {
    case 1:
      view.setUint8(offset, Number(BigInt.asUintN(8, value)));
      break;
    case 2:
      view.setUint16(offset, Number(BigInt.asUintN(16, value)), le);
      break;
    case 4:
      view.setUint32(offset, Number(BigInt.asUintN(32, value)), le);
      break;
    default:
      view.setBigUint64(offset, BigInt.asUintN(64, value), le);
  }
}
