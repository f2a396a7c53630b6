// User-space probes: the counterpart of kernel/events/uprobes.c. A uprobe is a (file, offset)
// pair — the file's identity is its guest struct inode pointer, found with the guest's own
// kern_path() — with consumers (trace_uprobe's). While a uprobe has consumers, every address
// space that maps the file's code has BRK #0x005 written at the offset's virtual address in its
// own copy of the page (register_for_each_vma(), and uprobe_mmap() when a program is executed);
// the user BRK trap comes here (handle_swbp()): the consumers run, the original instruction is
// simulated or run out of line in the task's XOL slot, and the task resumes after it.
// Uretprobes swap the return address for the XOL area's trampoline (prepare_uretprobe()) and
// report the return when the task comes back through it (handle_trampoline()).
//
// Everything is synchronous and keyed on guest state, so identical runs hit identically.

import { Arm64Regs } from '../kprobes/arch/arm64-regs.ts';
import type { AddressSpace, FileVma } from '../machine/memory.ts';
import type { HeldPath, UprobeConsumer, UprobesHost } from '../tracing/host.ts';
import { EINVAL, EIO } from '../uapi/errno.ts';
import { arm64UprobeAnalyzeInsn, arm64XolSlot, UPROBE_SWBP_INSN, UPROBE_SWBP_INSN_SIZE, UPROBE_XOL_SLOT_BYTES, UPROBES_BRK_IMM, type UprobeInsnKind } from './arch/arm64-uprobes.ts';
import type { Kernel } from './kernel.ts';
import { KERN_WARNING } from './printk.ts';
import type { Task } from './task.ts';

const PAGE = 4096;
const GFP_KERNEL = 0;
const LOOKUP_FOLLOW = 1;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
/** Slots in the one-page XOL area after the trampoline's. */
const XOL_SLOTS = PAGE / UPROBE_XOL_SLOT_BYTES - 1;
/** MAX_URETPROBE_DEPTH. */
const MAX_URETPROBE_DEPTH = 64;

class Uprobe {
  readonly consumers: UprobeConsumer[] = [];
  /** The original instruction (copy_insn()), read when first installed. */
  insn: number | undefined;
  /** arch_uprobe_analyze_insn()'s verdict, made with the first install. */
  kind: UprobeInsnKind | undefined;

  constructor(
    readonly inode: bigint,
    readonly offset: bigint,
    readonly refCtrOffset: bigint,
  ) {}

  get hasRet(): boolean {
    return this.consumers.some((c) => c.retHandler);
  }
}

interface ReturnInstance {
  readonly uprobe: Uprobe;
  /** The probed function's address. */
  readonly func: bigint;
  readonly origRet: bigint;
  readonly chained: boolean;
}

/** struct uprobe_task: a step in progress and the pending returns. */
interface UprobeTask {
  /** The XOL slot address, and the probed address being stepped (0n: none). */
  slot: number;
  vaddr: number;
  returns: ReturnInstance[];
}

/** offset_to_vaddr() for a code vma that maps the offset (valid_vma(): exec, not writable). */
function vaddrOf(vma: FileVma, offset: bigint): number | undefined {
  if (!vma.exec || vma.write) return undefined;
  const off = Number(offset);
  if (off < vma.pgoff || off >= vma.pgoff + (vma.end - vma.start)) return undefined;
  return vma.start + (off - vma.pgoff);
}

/** The vma and file offset of a user data address (for the reference counter). */
function dataVaddrOf(vma: FileVma, offset: bigint): number | undefined {
  const off = Number(offset);
  if (off < vma.pgoff || off >= vma.pgoff + (vma.end - vma.start)) return undefined;
  return vma.start + (off - vma.pgoff);
}

export class Uprobes implements UprobesHost {
  private readonly uprobes = new Map<string, Uprobe>();
  private readonly utasks = new WeakMap<Task, UprobeTask>();
  /**
   * Inside a consumer: the handlers run from the return to user mode (uprobe_notify_resume)
   * with interrupts enabled, unlike kprobes' in the BRK exception.
   */
  inHandler = false;

  constructor(private readonly kernel: Kernel) {}

  private key(inode: bigint, offset: bigint): string {
    return `${inode.toString(16)}:${offset.toString(16)}`;
  }

  // --- files ---------------------------------------------------------------------------------

  /** kern_path(name, LOOKUP_FOLLOW) in the guest; the path stays held until put(). */
  lookupPath(path: string): HeldPath | number {
    const k = this.kernel;
    const name = Buffer.from(path, 'latin1');
    const pathOff = (name.length + 8) & ~7;
    const buf = k.callGuest('kmalloc', [pathOff + 2 * k.layout.pointerBytes, GFP_KERNEL]); // the name, then a struct path
    if (buf === 0n) return -12;
    const addr = Number(buf & 0xffff_ffff_ffffn);
    k.memory.writeBytes(addr, name);
    k.memory.write8(addr + name.length, 0);
    const ret = Number(BigInt.asIntN(32, k.callGuest('kern_path', [buf, LOOKUP_FOLLOW, buf + BigInt(pathOff)])));
    if (ret < 0) {
      k.callGuest('kfree', [buf]);
      return ret;
    }
    const dentry = k.readPointer(addr + pathOff + k.layout.path.dentry);
    const inode = k.readWord(dentry + k.layout.dentry.inode);
    const mode = inode === 0n ? 0 : k.memory.read16(Number(inode & 0xffff_ffff_ffffn) + k.layout.inode.mode);
    let held = true;
    return {
      inode,
      regular: inode !== 0n && (mode & S_IFMT) === S_IFREG,
      put: () => {
        if (!held) return;
        held = false;
        k.callGuest('path_put', [buf + BigInt(pathOff)]);
        k.callGuest('kfree', [buf]);
      },
    };
  }

  /** The inode of a file as exec saw it (its identity for the mappings), 0n if it cannot be found. */
  fileInode(path: string): bigint {
    const p = this.lookupPath(path);
    if (typeof p === 'number') return 0n;
    const inode = p.inode;
    p.put();
    return inode;
  }

  // --- registration --------------------------------------------------------------------------

  /** uprobe_register(). */
  register(inode: bigint, offset: bigint, refCtrOffset: bigint, uc: UprobeConsumer): number {
    if (!uc.handler && !uc.retHandler) return -EINVAL;
    if (inode === 0n) return -EIO;
    const size = this.kernel.memory.read64(Number(inode & 0xffff_ffff_ffffn) + this.kernel.layout.inode.size);
    if (offset > size) return -EINVAL;
    if (offset % BigInt(UPROBE_SWBP_INSN_SIZE)) return -EINVAL;
    if (refCtrOffset % 2n) return -EINVAL;
    const key = this.key(inode, offset);
    let u = this.uprobes.get(key);
    if (u && u.refCtrOffset !== refCtrOffset) {
      this.kernel.printk.log(KERN_WARNING, `ref_ctr_offset mismatch. inode: 0x${inode.toString(16)} offset: 0x${offset.toString(16)} ref_ctr_offset(old): 0x${u.refCtrOffset.toString(16)} ref_ctr_offset(new): 0x${refCtrOffset.toString(16)}\n`);
      return -EINVAL;
    }
    if (!u) {
      u = new Uprobe(inode, offset, refCtrOffset);
      this.uprobes.set(key, u);
    }
    u.consumers.push(uc);
    if (u.consumers.length === 1) {
      // register_for_each_vma(): every address space mapping the code gets the BRK.
      for (const mm of this.liveMms()) this.installIn(mm, u);
    }
    return 0;
  }

  /** uprobe_unregister(): the last consumer gone, the BRKs come out of every address space. */
  unregister(inode: bigint, offset: bigint, uc: UprobeConsumer): void {
    const key = this.key(inode, offset);
    const u = this.uprobes.get(key);
    if (!u) return;
    const i = u.consumers.indexOf(uc);
    if (i < 0) return;
    u.consumers.splice(i, 1);
    if (u.consumers.length) return;
    for (const mm of this.liveMms()) this.removeFrom(mm, u);
    this.uprobes.delete(key);
  }

  /** uprobe_mmap(): the current task just executed a program into mm; its old image's state goes. */
  mmapped(mm: AddressSpace): void {
    this.utasks.delete(this.kernel.current);
    if (this.uprobes.size === 0) return;
    for (const u of this.uprobes.values()) this.installIn(mm, u);
  }

  /** The inodes of mm's files (vma->vm_file), looked up in the guest once. */
  private resolveFiles(mm: AddressSpace): void {
    const found = new Map<string, bigint>();
    for (const vma of mm.files) {
      if (vma.inode !== 0n) continue;
      let inode = found.get(vma.path);
      if (inode === undefined) {
        inode = this.fileInode(vma.path);
        found.set(vma.path, inode);
      }
      vma.inode = inode;
    }
  }

  private liveMms(): AddressSpace[] {
    const seen = new Set<AddressSpace>();
    for (const t of this.kernel.tasks.values()) if (!t.exited && t.elf) seen.add(t.mm);
    return [...seen];
  }

  /** Run fn with mm as the user half of memory. */
  private withMm<T>(mm: AddressSpace, fn: () => T): T {
    const mem = this.kernel.memory;
    const prev = mem.user;
    if (prev === mm) return fn();
    mem.switchUser(mm);
    try {
      return fn();
    } finally {
      mem.switchUser(prev);
    }
  }

  private readWord(addr: number): number {
    const page = this.kernel.memory.pageAt(addr);
    if (!page) throw new Error('uprobes: unmapped text');
    return page.view.getUint32(addr & (PAGE - 1), true);
  }

  private writeWord(addr: number, value: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value >>> 0, true);
    this.kernel.memory.poke(addr, b);
  }

  /** __update_ref_ctr(): the SDT semaphore (a short in the file's data) moves by d. */
  private updateRefCtr(mm: AddressSpace, u: Uprobe, d: number): void {
    if (!u.refCtrOffset) return;
    for (const vma of mm.files) {
      if (vma.inode !== u.inode || !vma.write) continue;
      const a = dataVaddrOf(vma, u.refCtrOffset);
      if (a === undefined) continue;
      const page = this.kernel.memory.pageAt(a);
      if (!page) continue;
      const v = page.view.getInt16(a & (PAGE - 1), true);
      page.view.setInt16(a & (PAGE - 1), Math.max(0, v + d), true);
    }
  }

  /** install_breakpoint() in every vma of mm that maps the uprobe's code. */
  private installIn(mm: AddressSpace, u: Uprobe): void {
    this.resolveFiles(mm);
    this.withMm(mm, () => {
      let installed = false;
      for (const vma of mm.files) {
        if (vma.inode !== u.inode) continue;
        const vaddr = vaddrOf(vma, u.offset);
        if (vaddr === undefined || !this.kernel.memory.pageAt(vaddr)) continue;
        const word = this.readWord(vaddr);
        if (word === UPROBE_SWBP_INSN && u.insn !== undefined) continue; // already there (a forked copy)
        if (u.insn === undefined) {
          // prepare_uprobe(): the original instruction, checked once.
          if (word === UPROBE_SWBP_INSN) continue; // is_trap_insn(): cannot probe a trap
          const kind = arm64UprobeAnalyzeInsn(word, vaddr);
          if (typeof kind === 'string') continue;
          u.insn = word;
          u.kind = kind;
        }
        this.writeWord(vaddr, UPROBE_SWBP_INSN);
        installed = true;
      }
      if (installed) this.updateRefCtr(mm, u, 1);
    });
  }

  /** remove_breakpoint(): the original instruction back where the BRK is. */
  private removeFrom(mm: AddressSpace, u: Uprobe): void {
    if (u.insn === undefined) return;
    this.withMm(mm, () => {
      let removed = false;
      for (const vma of mm.files) {
        if (vma.inode !== u.inode) continue;
        const vaddr = vaddrOf(vma, u.offset);
        if (vaddr === undefined || !this.kernel.memory.pageAt(vaddr)) continue;
        if (this.readWord(vaddr) !== UPROBE_SWBP_INSN) continue;
        this.writeWord(vaddr, u.insn!);
        removed = true;
      }
      if (removed) this.updateRefCtr(mm, u, -1);
    });
  }

  // --- the trap ------------------------------------------------------------------------------

  /** find_active_uprobe(): the uprobe whose BRK is at vaddr in the current address space. */
  private findUprobe(mm: AddressSpace, vaddr: number): Uprobe | undefined {
    for (const vma of mm.files) {
      if (vaddr < vma.start || vaddr >= vma.end || !vma.exec || vma.write) continue;
      const off = BigInt(vma.pgoff + (vaddr - vma.start));
      const u = this.uprobes.get(this.key(vma.inode, off));
      if (u) return u;
    }
    return undefined;
  }

  /** get_xol_area(): the task's mm's XOL page, mapped on first use below the mmap base. */
  private xolArea(mm: AddressSpace): number {
    if (mm.xolArea) return mm.xolArea;
    mm.mmapBase = (mm.mmapBase || 0x7000_0000_0000) - PAGE;
    const base = mm.mmapBase;
    const mem = this.kernel.memory;
    mem.map(base, PAGE, { user: true, write: false, exec: true });
    // The first slot is the uretprobe trampoline (uprobe_get_trampoline_vaddr()).
    this.writeWord(base, UPROBE_SWBP_INSN);
    mm.xolArea = base;
    return base;
  }

  private utask(task: Task): UprobeTask {
    let ut = this.utasks.get(task);
    if (!ut) {
      ut = { slot: 0, vaddr: 0, returns: [] };
      this.utasks.set(task, ut);
    }
    return ut;
  }

  /**
   * The EL0 BRK #0x005 trap (arm64's uprobe_breakpoint_handler → uprobe_notify_resume →
   * handle_swbp): true if it was a uprobe's (the task goes on), false for a trap of the program's
   * own (it gets SIGTRAP).
   */
  handleBreakpoint(pc: number, imm: number): boolean {
    if (imm !== UPROBES_BRK_IMM) return false;
    const k = this.kernel;
    const task = k.current;
    const mm = task.mm;
    const xol = mm.xolArea;
    if (xol && pc >= xol && pc < xol + PAGE) {
      const ut = this.utasks.get(task);
      if (pc === xol) return this.handleTrampoline(task);
      // The BRK after an out-of-line instruction: arch_uprobe_post_xol(), pc to the next one.
      if (ut && ut.slot && pc === ut.slot + UPROBE_SWBP_INSN_SIZE) {
        const regs = Arm64Regs.fromCpu(k.cpu);
        regs.pc = BigInt(ut.vaddr + UPROBE_SWBP_INSN_SIZE);
        regs.toCpu(k.cpu);
        ut.vaddr = 0;
        return true;
      }
      return false;
    }
    const u = this.findUprobe(mm, pc);
    if (!u || u.insn === undefined || !u.kind) {
      // Removed meanwhile: the instruction is back, run it again (is_trap_at_addr() false).
      return k.memory.pageAt(pc) !== undefined && this.readWord(pc) !== UPROBE_SWBP_INSN;
    }
    const regs = Arm64Regs.fromCpu(k.cpu);
    regs.pc = BigInt(pc);
    // handler_chain(); then prepare_uretprobe() when a consumer wants the return.
    this.runConsumers(() => {
      for (const uc of [...u.consumers]) uc.handler?.(regs);
    });
    if (u.hasRet) this.prepareUretprobe(task, u, regs);
    const kind = u.kind;
    if (kind.kind === 'simulate') {
      // arch_uprobe_skip_sstep(): the PC-relative instruction is simulated in place.
      const mem = k.memory;
      kind.handler(u.insn, BigInt(pc), regs, {
        read32: (a) => mem.read32(a, true),
        read64: (a) => mem.read64(a, true),
      });
      regs.toCpu(k.cpu);
      return true;
    }
    // pre_ssout(): the instruction runs from the task's slot, with a BRK after it.
    const ut = this.utask(task);
    const area = this.xolArea(mm);
    if (!ut.slot || ut.slot < area || ut.slot >= area + PAGE) ut.slot = area + UPROBE_XOL_SLOT_BYTES * (1 + (task.pid % XOL_SLOTS));
    k.memory.poke(ut.slot, arm64XolSlot(u.insn));
    ut.vaddr = pc;
    regs.pc = BigInt(ut.slot);
    regs.toCpu(k.cpu);
    return true;
  }

  private runConsumers(fn: () => void): void {
    const was = this.inHandler;
    this.inHandler = true;
    try {
      fn();
    } finally {
      this.inHandler = was;
    }
  }

  /** prepare_uretprobe() + arch_uretprobe_hijack_return_addr(): x30 → the trampoline. */
  private prepareUretprobe(task: Task, u: Uprobe, regs: Arm64Regs): void {
    const ut = this.utask(task);
    if (ut.returns.length >= MAX_URETPROBE_DEPTH) return;
    const tramp = BigInt(this.xolArea(task.mm));
    let orig = regs.x30;
    let chained = false;
    if (orig === tramp) {
      // A probed function tail-called another: the real return address is the previous one's.
      const prev = ut.returns[ut.returns.length - 1];
      if (!prev) return;
      orig = prev.origRet;
      chained = true;
    }
    regs.x30 = tramp;
    ut.returns.push({ uprobe: u, func: regs.pc, origRet: orig, chained });
  }

  /** handle_trampoline(): report the returns and go back to where the function was called from. */
  private handleTrampoline(task: Task): boolean {
    const ut = this.utasks.get(task);
    if (!ut || ut.returns.length === 0) return false;
    const regs = Arm64Regs.fromCpu(this.kernel.cpu);
    for (;;) {
      const ri = ut.returns.pop()!;
      regs.pc = ri.origRet;
      if (this.uprobes.get(this.key(ri.uprobe.inode, ri.uprobe.offset)) === ri.uprobe) {
        this.runConsumers(() => {
          for (const uc of [...ri.uprobe.consumers]) uc.retHandler?.(ri.func, regs);
        });
      }
      if (!ri.chained || ut.returns.length === 0) break;
    }
    regs.toCpu(this.kernel.cpu);
    return true;
  }
}
