// Running fetch programs at a probe hit and storing the results in a trace entry: the
// counterpart of process_fetch_insn() (kernel/trace/trace_kprobe.c), process_fetch_insn_bottom(),
// __get_data_size() and store_trace_args() (trace_probe_tmpl.h), the fetch_store_* helpers of
// trace_probe_kernel.h, store_trace_entry_data() (trace_probe.c), and the printing of stored
// arguments, trace_probe_print_args() with the print_type_* functions.
//
// The entry is laid out as the format file says: fixed fields at their offsets, then the dynamic
// (string) data, each string field holding a __data_loc word ((len << 16) | offset from the start
// of the entry). Strings are read with the nofault helpers' semantics: a fault stores length 0,
// which prints as (fault).

import type { PtRegs } from '../kprobes/types.ts';
import type { ArchSpec } from './arch.ts';
import { MAX_STRING_SIZE, type EntryArgSlot, type FetchInsn, type ProbeArg } from './fetch-arg.ts';
import { readUnsigned, sprintSymbol, writeUnsigned, type SymbolLookup } from './trace-output.ts';
import { EFAULT as E_FAULT, EILSEQ as E_ILSEQ, ENOMEM as E_NOMEM } from '../uapi/errno.ts';

const EFAULT = -E_FAULT;
const EILSEQ = -E_ILSEQ;
const ENOMEM = -E_NOMEM;

/** What a fetch program reads from. */
export interface FetchSource {
  readonly arch: ArchSpec;
  readonly regs: PtRegs;
  /** copy_from_kernel_nofault / copy_from_user_nofault; undefined on a fault. */
  readMemory(addr: bigint, length: number, user: boolean): Uint8Array | undefined;
  /** current->comm. */
  readonly comm: string;
  readonly lookupSymbol: SymbolLookup;
  /** A return probe's entry data (ri->data). */
  readonly edata?: Uint8Array;
}

/** A loaded value: an address/number, or bytes that live in the tracer itself ($comm, \"str"). */
type Val = bigint | { bytes: string };

function le(src: FetchSource): boolean {
  return src.arch.littleEndian;
}

function wordSize(src: FetchSource): number {
  return src.arch.bits / 8;
}

/** probe_mem_read(): a kernel read, or a user read below TASK_SIZE when address spaces do not overlap. */
function memRead(src: FetchSource, addr: bigint, size: number, user: boolean): Uint8Array | undefined {
  const a = BigInt.asUintN(src.arch.bits, addr);
  const u = user || (src.arch.nonOverlappingAddressSpace && a < src.arch.taskSize);
  return src.readMemory(a, size, u);
}

function readWord(src: FetchSource, addr: bigint, user: boolean): bigint | undefined {
  const b = memRead(src, addr, wordSize(src), user);
  if (!b) return undefined;
  return readUnsigned(new DataView(b.buffer, b.byteOffset, b.byteLength), 0, b.length, le(src));
}

/** The bytes of the NUL-terminated string at addr (strncpy_from_*_nofault), or a fault. */
function readCString(src: FetchSource, val: Val, max: number, user: boolean): { bytes: string; len: number } | number {
  if (typeof val !== 'bigint') {
    // In-tracer data: always readable; copies at most max-1 bytes plus the NUL.
    const s = val.bytes.length + 1 > max ? val.bytes.slice(0, max - 1) : val.bytes;
    return { bytes: s, len: s.length + 1 };
  }
  const a = BigInt.asUintN(src.arch.bits, val);
  const u = user || (src.arch.nonOverlappingAddressSpace && a < src.arch.taskSize);
  let out = '';
  for (let i = 0; i < max; i++) {
    const b = src.readMemory(BigInt.asUintN(src.arch.bits, a + BigInt(i)), 1, u);
    if (!b) return EFAULT;
    if (b[0] === 0) return { bytes: out, len: out.length + 1 };
    if (i === max - 1) return { bytes: out, len: max };
    out += String.fromCharCode(b[0]!);
  }
  return { bytes: out, len: max };
}

/** fetch_store_strlen() / fetch_store_strlen_user(): length including the NUL, 0/negative on fault. */
function strLen(src: FetchSource, val: Val, user: boolean): number {
  if (typeof val !== 'bigint') return Math.min(val.bytes.length + 1, MAX_STRING_SIZE);
  const a = BigInt.asUintN(src.arch.bits, val);
  const u = user || (src.arch.nonOverlappingAddressSpace && a < src.arch.taskSize);
  let len = 0;
  for (;;) {
    const b = src.readMemory(BigInt.asUintN(src.arch.bits, a + BigInt(len)), 1, u);
    len++;
    // strnlen_user_nofault() returns 0 on a fault; the kernel-side loop returns the error.
    if (!b) return u ? 0 : EFAULT;
    if (b[0] === 0 || len >= MAX_STRING_SIZE) {
      if (u && b[0] !== 0) return MAX_STRING_SIZE + 1;
      return len;
    }
  }
}

/** Writes go into the entry buffer; `dest` is an offset in it. */
interface Dest {
  readonly buf: Uint8Array;
  readonly view: DataView;
}

const getLoc = (d: Dest, off: number, src: FetchSource): number => d.view.getUint32(off, le(src));
const setLoc = (d: Dest, off: number, len: number, offs: number, src: FetchSource): void =>
  d.view.setUint32(off, ((len << 16) | (offs & 0xffff)) >>> 0, le(src));

/** fetch_store_string(): copy into the dynamic area the data_loc points at; returns the length or an error. */
function storeString(src: FetchSource, val: Val, d: Dest, destOff: number, user: boolean): number {
  const loc = getLoc(d, destOff, src);
  const maxlen = loc >>> 16;
  const at = loc & 0xffff;
  if (!maxlen) return ENOMEM;
  const r = readCString(src, val, maxlen, user);
  if (typeof r === 'number') {
    setLoc(d, destOff, 0, at, src);
    return r;
  }
  for (let i = 0; i < r.bytes.length && at + i < d.buf.length; i++) d.buf[at + i] = r.bytes.charCodeAt(i);
  if (at + r.bytes.length < d.buf.length) d.buf[at + r.bytes.length] = 0;
  setLoc(d, destOff, r.len, at, src);
  return r.len;
}

/** fetch_store_symstring(): sprint_symbol into the dynamic area (the data_loc is left as it is). */
function storeSymstring(src: FetchSource, addr: bigint, d: Dest, destOff: number): number {
  const loc = getLoc(d, destOff, src);
  const maxlen = loc >>> 16;
  const at = loc & 0xffff;
  if (!maxlen) return ENOMEM;
  const s = sprintSymbol(src.lookupSymbol, BigInt.asUintN(src.arch.bits, addr));
  for (let i = 0; i < s.length && at + i < d.buf.length; i++) d.buf[at + i] = s.charCodeAt(i);
  if (at + s.length < d.buf.length) d.buf[at + s.length] = 0;
  return s.length;
}

/** The first stage of process_fetch_insn(): the load. Returns [value, next pc] or an error. */
function load(code: readonly FetchInsn[], src: FetchSource): [Val, number] | number {
  let pc = 0;
  let insn = code[pc]!;
  if (insn.op === 'nop_symbol') insn = code[++pc]!;
  const regs = src.regs;
  const bits = src.arch.bits;
  let val: Val;
  switch (insn.op) {
    case 'reg':
      val = regs.get(insn.name);
      break;
    case 'stack': {
      // regs_get_kernel_stack_nth(): 0 outside the task's kernel stack.
      const sp = BigInt.asUintN(bits, regs.sp);
      const addr = sp + BigInt(insn.param * wordSize(src));
      const mask = ~BigInt(src.arch.threadSize - 1);
      if ((addr & mask) !== (sp & mask)) val = 0n;
      else {
        const b = src.readMemory(BigInt.asUintN(bits, addr), wordSize(src), false);
        val = b ? readUnsigned(new DataView(b.buffer, b.byteOffset, b.byteLength), 0, b.length, le(src)) : 0n;
      }
      break;
    }
    case 'stackp':
      val = regs.sp;
      break;
    case 'retval':
      val = regs.returnValue;
      break;
    case 'arg':
      val = regs.argument(insn.param);
      break;
    case 'edata': {
      const e = src.edata;
      const off = Number(insn.offset);
      if (!e || off + wordSize(src) > e.length) val = 0n;
      else val = readUnsigned(new DataView(e.buffer, e.byteOffset, e.byteLength), off, wordSize(src), le(src));
      break;
    }
    case 'imm':
      val = insn.imm;
      break;
    case 'comm':
      val = { bytes: src.comm.slice(0, 15) };
      break;
    case 'data':
      val = { bytes: insn.name };
      break;
    default:
      return EILSEQ;
  }
  if (typeof val === 'bigint') val = BigInt.asUintN(bits, val);
  return [val, pc + 1];
}

/**
 * process_fetch_insn() + process_fetch_insn_bottom(). With dest undefined it only measures the
 * dynamic data (returns the string length), as the kernel's first pass does.
 */
export function processFetchInsn(code: readonly FetchInsn[], src: FetchSource, dest?: Dest, destOffIn = 0): number {
  const l = load(code, src);
  if (typeof l === 'number') return l;
  let [val, pc] = l;
  let destOff = destOffIn;
  const bits = src.arch.bits;
  let s3: number;
  let total = 0;
  let ret = 0;
  let i = 0;
  let loc = 0;
  let lval: Val = val;

  // The loop reproduces the kernel's gotos: stage2 (dereference), stage3 (store), array.
  let stage: 'stage2' | 'stage3' = 'stage2';
  for (;;) {
    if (stage === 'stage2') {
      for (;;) {
        const insn = code[pc]!;
        if (insn.op !== 'deref' && insn.op !== 'uderef') break;
        if (typeof val !== 'bigint') return EFAULT;
        lval = val;
        const w = readWord(src, val + insn.offset, insn.op === 'uderef');
        if (w === undefined) return EFAULT;
        val = w;
        pc++;
      }
      s3 = pc;
    } else {
      s3 = pc;
    }
    const insn = code[pc]!;
    let skipToArray = false;
    if (!dest) {
      switch (insn.op) {
        case 'st_string':
          ret = strLen(src, addOffset(val, insn.offset, bits), false);
          break;
        case 'st_ustring':
          ret = strLen(src, addOffset(val, insn.offset, bits), true);
          break;
        case 'st_symstr':
          ret = typeof val === 'bigint' ? sprintSymbol(src.lookupSymbol, BigInt.asUintN(bits, val + insn.offset)).length + 1 : 0;
          break;
        default:
          return EILSEQ;
      }
      pc++;
      skipToArray = true;
    }
    if (!skipToArray) {
      const d = dest!;
      switch (insn.op) {
        case 'st_raw':
          writeUnsigned(d.view, destOff, insn.size, typeof val === 'bigint' ? val : 0n, le(src));
          break;
        case 'st_mem':
        case 'st_umem': {
          if (typeof val !== 'bigint') break;
          const b = memRead(src, val + insn.offset, insn.size, insn.op === 'st_umem');
          if (b) d.buf.set(b, destOff);
          break;
        }
        case 'st_string':
          loc = getLoc(d, destOff, src);
          ret = storeString(src, addOffset(val, insn.offset, bits), d, destOff, false);
          break;
        case 'st_ustring':
          loc = getLoc(d, destOff, src);
          ret = storeString(src, addOffset(val, insn.offset, bits), d, destOff, true);
          break;
        case 'st_symstr':
          loc = getLoc(d, destOff, src);
          ret = typeof val === 'bigint' ? storeSymstring(src, val + insn.offset, d, destOff) : 0;
          break;
        default:
          return EILSEQ;
      }
      pc++;
      const m = code[pc]!;
      if (m.op === 'mod_bf') {
        applyBitfield(d, destOff, m, src);
        pc++;
      }
    }
    // array:
    const a = code[pc]!;
    if (a.op === 'lp_array') {
      if (ret < 0) ret = 0;
      total += ret;
      if (++i < a.param) {
        pc = s3;
        const sop = code[s3]!.op;
        if (sop !== 'st_string' && sop !== 'st_ustring') {
          destOff += code[s3]!.size;
          if (typeof val === 'bigint') val = BigInt.asUintN(bits, val + BigInt(code[s3]!.size));
          stage = 'stage3';
          continue;
        }
        pc--;
        val = typeof lval === 'bigint' ? BigInt.asUintN(bits, lval + BigInt(bits / 8)) : lval;
        if (dest) {
          destOff += 4;
          const maxlen = loc >>> 16;
          const offs = loc & 0xffff;
          setLoc(dest, destOff, maxlen - ret, offs + ret, src);
        }
        stage = 'stage2';
        continue;
      }
      pc++;
      ret = total;
    }
    return code[pc]!.op === 'end' ? ret : EILSEQ;
  }
}

function addOffset(val: Val, off: bigint, bits: number): Val {
  if (typeof val !== 'bigint') return val;
  return BigInt.asUintN(bits, val + off);
}

/** fetch_apply_bitfield(): shift left then right within the container. */
function applyBitfield(d: Dest, off: number, m: FetchInsn, src: FetchSource): void {
  const bits = m.basesize * 8;
  let v = readUnsigned(d.view, off, m.basesize, le(src));
  v = BigInt.asUintN(bits, v << BigInt(m.lshift));
  v = v >> BigInt(m.rshift);
  writeUnsigned(d.view, off, m.basesize, v, le(src));
}

/** __get_data_size(): the dynamic bytes an entry needs for its strings. */
export function dataSize(args: readonly ProbeArg[], src: FetchSource): number {
  let ret = 0;
  for (const a of args) {
    if (!a.dynamic) continue;
    const len = processFetchInsn(a.code, src);
    if (len > 0) ret += len;
  }
  return ret;
}

/**
 * store_trace_args(): fill the argument area at `dataOff` of the entry (whose dynamic area starts
 * after the fixed part) with every argument's value.
 */
export function storeTraceArgs(buf: Uint8Array, dataOff: number, fixedSize: number, args: readonly ProbeArg[], src: FetchSource, maxlenIn: number): void {
  const d: Dest = { buf, view: new DataView(buf.buffer, buf.byteOffset, buf.byteLength) };
  let dyndata = dataOff + fixedSize;
  let maxlen = maxlenIn;
  for (const a of args) {
    const dl = dataOff + a.offset;
    if (a.dynamic) setLoc(d, dl, maxlen, dyndata, src);
    const ret = processFetchInsn(a.code, src, d, dl);
    if (a.dynamic && ret > 0) {
      dyndata += ret;
      maxlen -= ret;
    }
  }
}

/** store_trace_entry_data(): save the $argN a return probe needs into ri->data. */
export function storeEntryData(slots: readonly EntryArgSlot[], regs: PtRegs, data: Uint8Array, arch: ArchSpec): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const w = arch.bits / 8;
  for (const s of slots) {
    if (s.offset + w > data.length) continue;
    writeUnsigned(view, s.offset, w, BigInt.asUintN(arch.bits, regs.argument(s.argnum)), arch.littleEndian);
  }
}

/** The C string at an entry offset (what "%s" prints). */
function entryCString(buf: Uint8Array, at: number): string {
  let s = '';
  for (let i = at; i < buf.length && buf[i] !== 0; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

/** print_type_*(): one stored value as the trace shows it. */
function printValue(a: ProbeArg, buf: Uint8Array, view: DataView, off: number, arch: ArchSpec, lookup: SymbolLookup): string {
  const t = a.type;
  if (t.isString) {
    const dl = view.getUint32(off, arch.littleEndian);
    if (dl >>> 16 === 0) return '(fault)';
    return `"${entryCString(buf, dl & 0xffff)}"`;
  }
  const raw = readUnsigned(view, off, t.size, arch.littleEndian);
  switch (t.kind) {
    case 'u':
      return raw.toString();
    case 's':
      return BigInt.asIntN(t.size * 8, raw).toString();
    case 'x':
      return '0x' + raw.toString(16);
    case 'char':
      return `'${String.fromCharCode(Number(raw))}'`;
    case 'symbol':
      return sprintSymbol(lookup, raw);
    default:
      return raw.toString();
  }
}

/** trace_probe_print_args(): " name=value" for every argument. */
export function printProbeArgs(args: readonly ProbeArg[], buf: Uint8Array, dataOff: number, arch: ArchSpec, lookup: SymbolLookup): string {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let s = '';
  for (const a of args) {
    s += ` ${a.name}=`;
    const base = dataOff + a.offset;
    if (!a.count) {
      s += printValue(a, buf, view, base, arch, lookup);
      continue;
    }
    s += '{';
    for (let j = 0; j < a.count; j++) {
      s += printValue(a, buf, view, base + j * a.type.size, arch, lookup);
      s += j === a.count - 1 ? '}' : ',';
    }
  }
  return s;
}
