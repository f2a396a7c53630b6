// Paged guest memory: the emulated machine's physical RAM as seen through one fixed virtual map.
// Counterpart of nothing in Linux itself; it plays the part of the MMU + RAM that arch/*/mm assumes.
//
// Addresses are JavaScript numbers holding a 48-bit virtual address (64-bit ISAs: the low 48 bits
// of a canonical address, so the arm64 kernel's 0xffff800008000000 is 0x800008000000 here; 32-bit
// ISAs: the address itself). Kernel mappings are shared by every task; user mappings belong to an
// AddressSpace that the kernel switches with the current task.
//
// Writes into pages that hold decoded code call the code-write listeners, so a CPU's decode cache
// never runs an instruction that a probe has since overwritten.

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
const PAGE_MASK = PAGE_SIZE - 1;

/** Canonical-address split: addresses at or above this are kernel addresses on 64-bit ISAs. */
export const KERNEL_HALF_48 = 0x8000_0000_0000;

export interface PagePerms {
  user: boolean;
  write: boolean;
  exec: boolean;
}

/** A memory-mapped device: offsets are relative to the start of its mapping. */
export interface MmioDevice {
  readonly name: string;
  read(offset: number, size: 1 | 2 | 4 | 8): number;
  write(offset: number, size: 1 | 2 | 4 | 8, value: number): void;
}

export class Page {
  readonly data = new Uint8Array(PAGE_SIZE);
  readonly view = new DataView(this.data.buffer);
  /** Set by a CPU once it has decoded instructions from this page. */
  hasCode = false;
  constructor(
    public perms: PagePerms,
    readonly device?: MmioDevice,
    readonly deviceBase = 0,
  ) {}
}

export type AccessKind = 'read' | 'write' | 'exec';

/** A guest memory access that hit no mapping or broke the page's permissions. */
export class MemoryFault extends Error {
  constructor(
    readonly address: number,
    readonly access: AccessKind,
    readonly reason: 'unmapped' | 'permission',
  ) {
    super(`${reason} ${access} at 0x${address.toString(16)}`);
  }
}

/**
 * A file-backed mapping of an address space (a vma with vm_file): pages [start, end) hold the
 * file's bytes from pgoff on. The kernel's uprobes find a probed file's code through these.
 */
export interface FileVma {
  /** The file's path as it was executed (d_path of its struct path). */
  readonly path: string;
  /** Identity of the file (the guest's struct inode pointer), looked up when first needed; 0n before. */
  inode: bigint;
  readonly start: number;
  readonly end: number;
  /** File offset of start (vm_pgoff << PAGE_SHIFT). */
  readonly pgoff: number;
  readonly write: boolean;
  readonly exec: boolean;
}

/** The user half of memory for one process: its own pages, switched on a task switch. */
export class AddressSpace {
  readonly pages = new Map<number, Page>();
  /** Program break, maintained by the kernel's brk(). */
  brk = 0;
  startBrk = 0;
  /** Next anonymous mapping goes below this address (0: not yet set). */
  mmapBase = 0;
  /** File-backed mappings (the program's segments), for uprobes. */
  files: FileVma[] = [];
  /** The uprobes XOL page ("[uprobes]" xol_area), 0 until the first uprobe hit. */
  xolArea = 0;

  clone(): AddressSpace {
    const copy = new AddressSpace();
    for (const [n, p] of this.pages) {
      const q = new Page(p.perms);
      q.data.set(p.data);
      copy.pages.set(n, q);
    }
    copy.brk = this.brk;
    copy.startBrk = this.startBrk;
    copy.mmapBase = this.mmapBase;
    copy.files = this.files;
    copy.xolArea = this.xolArea;
    return copy;
  }
}

export type CodeWriteListener = (address: number, length: number) => void;

export class Memory {
  readonly kernelPages = new Map<number, Page>();
  user = new AddressSpace();
  private readonly codeWriteListeners: CodeWriteListener[] = [];
  /** One-entry translation caches: the last page used for a read and for a write. */
  private lastReadPn = -1;
  private lastReadPage: Page | undefined;
  private lastWritePn = -1;
  private lastWritePage: Page | undefined;

  constructor(
    readonly littleEndian: boolean,
    /** Addresses at or above this belong to the kernel half (shared by all tasks). */
    readonly kernelBase: number,
  ) {}

  onCodeWrite(listener: CodeWriteListener): void {
    this.codeWriteListeners.push(listener);
  }

  /** Map zero-filled RAM. Mapping over existing pages keeps their contents. */
  map(address: number, size: number, perms: PagePerms): void {
    const first = Math.floor(address / PAGE_SIZE);
    const last = Math.floor((address + size - 1) / PAGE_SIZE);
    for (let pn = first; pn <= last; pn++) {
      const table = this.tableFor(pn * PAGE_SIZE);
      if (!table.has(pn)) table.set(pn, new Page({ ...perms }));
    }
    this.flushTlb();
  }

  mapDevice(address: number, size: number, device: MmioDevice): void {
    const first = Math.floor(address / PAGE_SIZE);
    const last = Math.floor((address + size - 1) / PAGE_SIZE);
    for (let pn = first; pn <= last; pn++) {
      this.tableFor(pn * PAGE_SIZE).set(pn, new Page({ user: false, write: true, exec: false }, device, address));
    }
    this.flushTlb();
  }

  unmap(address: number, size: number): void {
    const first = Math.floor(address / PAGE_SIZE);
    const last = Math.floor((address + size - 1) / PAGE_SIZE);
    for (let pn = first; pn <= last; pn++) this.tableFor(pn * PAGE_SIZE).delete(pn);
    this.flushTlb();
  }

  /** Change the permissions of the page holding `address`. */
  setPerms(address: number, perms: PagePerms): void {
    const page = this.pageAt(address);
    if (!page) throw new MemoryFault(address, 'write', 'unmapped');
    page.perms = { ...perms };
    this.flushTlb();
  }

  isMapped(address: number): boolean {
    return this.pageAt(address) !== undefined;
  }

  /** Switch the user half to another process's address space. */
  switchUser(space: AddressSpace): void {
    this.user = space;
    this.flushTlb();
  }

  /**
   * Bumped whenever mappings or permissions change (map, unmap, setPerms, switchUser): a CPU that
   * caches page translations of its own drops them when this moves.
   */
  generation = 0;

  flushTlb(): void {
    this.generation++;
    this.lastReadPn = -1;
    this.lastReadPage = undefined;
    this.lastWritePn = -1;
    this.lastWritePage = undefined;
  }

  private tableFor(address: number): Map<number, Page> {
    return address >= this.kernelBase ? this.kernelPages : this.user.pages;
  }

  pageAt(address: number): Page | undefined {
    const pn = Math.floor(address / PAGE_SIZE);
    return (address >= this.kernelBase ? this.kernelPages : this.user.pages).get(pn);
  }

  /** The page for an access, checked against its permissions; user=true for EL0/user mode. */
  translate(address: number, access: AccessKind, user: boolean): Page {
    const pn = Math.floor(address / PAGE_SIZE);
    if (access === 'read' && pn === this.lastReadPn && !user) return this.lastReadPage!;
    if (access === 'write' && pn === this.lastWritePn && !user) return this.lastWritePage!;
    const page = (address >= this.kernelBase ? this.kernelPages : this.user.pages).get(pn);
    if (!page) throw new MemoryFault(address, access, 'unmapped');
    if (user && !page.perms.user) throw new MemoryFault(address, access, 'permission');
    if (access === 'write' && !page.perms.write) throw new MemoryFault(address, access, 'permission');
    if (access === 'exec' && !page.perms.exec) throw new MemoryFault(address, access, 'permission');
    if (!page.device) {
      if (access === 'read') {
        this.lastReadPn = pn;
        this.lastReadPage = page;
      } else if (access === 'write') {
        this.lastWritePn = pn;
        this.lastWritePage = page;
      }
    }
    return page;
  }

  // --- loads -------------------------------------------------------------------------------

  read8(address: number, user = false): number {
    const page = this.translate(address, 'read', user);
    if (page.device) return page.device.read(address - page.deviceBase, 1) & 0xff;
    return page.data[address & PAGE_MASK]!;
  }

  read16(address: number, user = false): number {
    const off = address & PAGE_MASK;
    if (off > PAGE_SIZE - 2) return this.readSplit(address, 2, user);
    const page = this.translate(address, 'read', user);
    if (page.device) return page.device.read(address - page.deviceBase, 2) & 0xffff;
    return page.view.getUint16(off, this.littleEndian);
  }

  read32(address: number, user = false): number {
    const off = address & PAGE_MASK;
    if (off > PAGE_SIZE - 4) return this.readSplit(address, 4, user);
    const page = this.translate(address, 'read', user);
    if (page.device) return page.device.read(address - page.deviceBase, 4) >>> 0;
    return page.view.getUint32(off, this.littleEndian);
  }

  /** A 64-bit load as a BigInt (slow path: handlers, tracing, ELF loading). */
  read64(address: number, user = false): bigint {
    const a = BigInt(this.read32(address, user));
    const b = BigInt(this.read32(address + 4, user));
    return this.littleEndian ? (b << 32n) | a : (a << 32n) | b;
  }

  /** Fetch a 32-bit instruction word (checks execute permission). */
  fetch32(address: number, user: boolean): number {
    const off = address & PAGE_MASK;
    const page = this.translate(address, 'exec', user);
    page.hasCode = true;
    return page.view.getUint32(off, this.littleEndian);
  }

  private readSplit(address: number, size: number, user: boolean): number {
    let v = 0;
    for (let i = 0; i < size; i++) {
      const b = this.read8(address + i, user);
      v = this.littleEndian ? v + b * 2 ** (8 * i) : v * 256 + b;
    }
    return v >>> 0;
  }

  // --- stores ------------------------------------------------------------------------------

  write8(address: number, value: number, user = false): void {
    const page = this.translate(address, 'write', user);
    if (page.device) return page.device.write(address - page.deviceBase, 1, value & 0xff);
    page.data[address & PAGE_MASK] = value;
    if (page.hasCode) this.codeWritten(address, 1);
  }

  write16(address: number, value: number, user = false): void {
    const off = address & PAGE_MASK;
    if (off > PAGE_SIZE - 2) return this.writeSplit(address, value, 2, user);
    const page = this.translate(address, 'write', user);
    if (page.device) return page.device.write(address - page.deviceBase, 2, value & 0xffff);
    page.view.setUint16(off, value, this.littleEndian);
    if (page.hasCode) this.codeWritten(address, 2);
  }

  write32(address: number, value: number, user = false): void {
    const off = address & PAGE_MASK;
    if (off > PAGE_SIZE - 4) return this.writeSplit(address, value, 4, user);
    const page = this.translate(address, 'write', user);
    if (page.device) return page.device.write(address - page.deviceBase, 4, value >>> 0);
    page.view.setUint32(off, value >>> 0, this.littleEndian);
    if (page.hasCode) this.codeWritten(address, 4);
  }

  write64(address: number, value: bigint, user = false): void {
    const lo = Number(value & 0xffff_ffffn);
    const hi = Number((value >> 32n) & 0xffff_ffffn);
    if (this.littleEndian) {
      this.write32(address, lo, user);
      this.write32(address + 4, hi, user);
    } else {
      this.write32(address, hi, user);
      this.write32(address + 4, lo, user);
    }
  }

  private writeSplit(address: number, value: number, size: number, user: boolean): void {
    for (let i = 0; i < size; i++) {
      const shift = this.littleEndian ? 8 * i : 8 * (size - 1 - i);
      this.write8(address + i, Math.floor(value / 2 ** shift) & 0xff, user);
    }
  }

  private codeWritten(address: number, length: number): void {
    for (const l of this.codeWriteListeners) l(address, length);
  }

  // --- blocks ------------------------------------------------------------------------------

  readBytes(address: number, length: number, user = false): Uint8Array {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const a = address + done;
      const page = this.translate(a, 'read', user);
      const off = a & PAGE_MASK;
      const n = Math.min(length - done, PAGE_SIZE - off);
      if (page.device) {
        for (let i = 0; i < n; i++) out[done + i] = page.device.read(a + i - page.deviceBase, 1);
      } else {
        out.set(page.data.subarray(off, off + n), done);
      }
      done += n;
    }
    return out;
  }

  writeBytes(address: number, bytes: Uint8Array, user = false): void {
    let done = 0;
    while (done < bytes.length) {
      const a = address + done;
      const page = this.translate(a, 'write', user);
      const off = a & PAGE_MASK;
      const n = Math.min(bytes.length - done, PAGE_SIZE - off);
      if (page.device) {
        for (let i = 0; i < n; i++) page.device.write(a + i - page.deviceBase, 1, bytes[done + i]!);
      } else {
        page.data.set(bytes.subarray(done, done + n), off);
        if (page.hasCode) this.codeWritten(a, n);
      }
      done += n;
    }
  }

  /** Write bytes ignoring page permissions (loaders and text patching: text is read-only). */
  poke(address: number, bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) {
      const a = address + done;
      const page = this.pageAt(a);
      if (!page || page.device) throw new MemoryFault(a, 'write', 'unmapped');
      const off = a & PAGE_MASK;
      const n = Math.min(bytes.length - done, PAGE_SIZE - off);
      page.data.set(bytes.subarray(done, done + n), off);
      if (page.hasCode) this.codeWritten(a, n);
      done += n;
    }
  }

  /** Read a NUL-terminated string of at most max bytes (the NUL excluded). */
  readCString(address: number, max = 4096, user = false): string {
    const bytes: number[] = [];
    for (let i = 0; i < max; i++) {
      const b = this.read8(address + i, user);
      if (b === 0) break;
      bytes.push(b);
    }
    return Buffer.from(bytes).toString('latin1');
  }
}
