// The TypeScript side of execve (HVC_EXEC): load a static ELF program into a fresh address space
// and point the system call's pt_regs at its entry with the initial stack Linux builds; or, for a
// TypeScript command file in /bin, just mark the task as running that command. Counterpart of
// fs/binfmt_elf.c (load_elf_binary, create_elf_tables) and the arch's start_thread().

import { AddressSpace } from '../machine/memory.ts';
import { parseElf, PT_LOAD } from '../machine/elf.ts';
import { EACCES, EFAULT, ENOEXEC } from '../uapi/errno.ts';
import type { Kernel } from './kernel.ts';

/** The first line of a /bin file that names a TypeScript command rather than a program. */
export const BUILTIN_MAGIC = '#!kprobe-builtin ';

export interface ExecRequest {
  path: string;
  ptRegs: number;
  argv: number;
  envp: number;
  data: number;
  size: number;
}

const AT_NULL = 0;
const AT_PHDR = 3;
const AT_PHENT = 4;
const AT_PHNUM = 5;
const AT_PAGESZ = 6;
const AT_ENTRY = 9;
const AT_UID = 11;
const AT_EUID = 12;
const AT_GID = 13;
const AT_EGID = 14;
const AT_HWCAP = 16;
const AT_CLKTCK = 17;
const AT_RANDOM = 25;
const AT_EXECFN = 31;

/** Read a NULL-terminated array of user string pointers (argv/envp) from the caller's memory. */
function readStringArray(kernel: Kernel, ptr: number): string[] | null {
  const out: string[] = [];
  if (ptr === 0) return out;
  try {
    for (let i = 0; i < 4096; i++) {
      const w = kernel.machine.wordBytes;
      const p = w === 8 ? Number(kernel.memory.read64(ptr + 8 * i, true) & 0xffff_ffff_ffffn) : kernel.memory.read32(ptr + 4 * i, true) >>> 0;
      if (p === 0) break;
      out.push(kernel.memory.readCString(p, 4096, true));
    }
  } catch {
    return null;
  }
  return out;
}

export function loadProgram(kernel: Kernel, req: ExecRequest): number {
  const mem = kernel.memory;
  const task = kernel.current;
  const bytes = req.size > 0 ? mem.readBytes(req.data, req.size) : new Uint8Array(0);
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  if (head.startsWith(BUILTIN_MAGIC)) {
    task.program = head.slice(BUILTIN_MAGIC.length).split('\n')[0]!.trim();
    task.elf = false;
    return 0;
  }
  if (!head.startsWith('\x7fELF')) return -ENOEXEC;
  const argv = readStringArray(kernel, req.argv);
  const envp = readStringArray(kernel, req.envp);
  if (!argv || !envp) return -EFAULT;

  let elf;
  try {
    elf = parseElf(bytes);
  } catch {
    return -ENOEXEC;
  }
  const hdr = elf.header;
  if (hdr.machine !== kernel.arch.elfMachine || hdr.type !== 2 /* ET_EXEC */) return -ENOEXEC;
  const loads = elf.programHeaders.filter((ph) => ph.type === PT_LOAD);
  if (loads.length === 0) return -ENOEXEC;

  // Point of no return: the old image is replaced (flush_old_exec).
  const mm = new AddressSpace();
  mem.switchUser(mm);
  task.mm = mm;
  let brk = 0;
  let phdrAddr = 0;
  // Map every segment writable while its bytes go in, then give each page the union of the
  // permissions of the segments that touch it.
  const pagePerms = new Map<number, { user: boolean; write: boolean; exec: boolean }>();
  for (const ph of loads) {
    if (ph.memsz === 0) continue;
    mem.map(ph.vaddr, ph.memsz, { user: true, write: true, exec: true });
    mem.poke(ph.vaddr, bytes.subarray(ph.offset, ph.offset + ph.filesz));
    for (let a = Math.floor(ph.vaddr / 4096) * 4096; a < ph.vaddr + ph.memsz; a += 4096) {
      const p = pagePerms.get(a) ?? { user: true, write: false, exec: false };
      p.write ||= (ph.flags & 2) !== 0;
      p.exec ||= (ph.flags & 1) !== 0;
      pagePerms.set(a, p);
    }
    if (ph.offset <= hdr.phoff && hdr.phoff < ph.offset + ph.filesz) phdrAddr = ph.vaddr + (hdr.phoff - ph.offset);
    brk = Math.max(brk, ph.vaddr + ph.memsz);
  }
  for (const [a, perms] of pagePerms) mem.setPerms(a, perms);
  // The segments as file-backed vmas (page-granular, vm_pgoff from the file offset), which
  // uprobes probe; the file's inode is looked up by uprobes when it needs it.
  mm.files = loads
    .filter((ph) => ph.filesz > 0)
    .map((ph) => {
      const start = Math.floor(ph.vaddr / 4096) * 4096;
      return {
        path: req.path,
        inode: 0n,
        start,
        end: Math.ceil((ph.vaddr + ph.filesz) / 4096) * 4096,
        pgoff: ph.offset - (ph.vaddr - start),
        write: (ph.flags & 2) !== 0,
        exec: (ph.flags & 1) !== 0,
      };
    });
  mm.startBrk = mm.brk = Math.ceil(brk / 4096) * 4096;
  mem.flushTlb();

  // The initial stack, laid out as create_elf_tables() does.
  const layout = kernel.arch.layout;
  const top = layout.userStackTop;
  mem.map(top - layout.userStackSize, layout.userStackSize, { user: true, write: true, exec: false });
  let sp = top;
  const pushString = (s: string): number => {
    const b = Buffer.from(s + '\0', 'latin1');
    sp -= b.length;
    mem.writeBytes(sp, b, true);
    return sp;
  };
  const execfn = pushString(req.path);
  const envPtrs = envp.map(pushString);
  const argPtrs = argv.map(pushString);
  sp -= 16;
  const random = sp;
  for (let i = 0; i < 16; i++) mem.write8(random + i, (i * 37 + 11) & 0xff, true);
  const auxv: [number, number][] = [
    [AT_HWCAP, 0],
    [AT_PAGESZ, 4096],
    [AT_CLKTCK, 100],
    [AT_PHDR, phdrAddr],
    [AT_PHENT, hdr.phentsize],
    [AT_PHNUM, hdr.phnum],
    [AT_ENTRY, hdr.entry],
    [AT_UID, 0],
    [AT_EUID, 0],
    [AT_GID, 0],
    [AT_EGID, 0],
    [AT_RANDOM, random],
    [AT_EXECFN, execfn],
    [AT_NULL, 0],
  ];
  // Words of the user's `long` width: 8 bytes on arm64, 4 on mips32 (big-endian there).
  const words: number[] = [argv.length, ...argPtrs, 0, ...envPtrs, 0, ...auxv.flat()];
  const wordBytes = kernel.machine.wordBytes;
  sp = Math.floor((sp - words.length * wordBytes) / 16) * 16;
  if (wordBytes === 8) words.forEach((w, i) => mem.write64(sp + 8 * i, BigInt(w), true));
  else words.forEach((w, i) => mem.write32(sp + 4 * i, w >>> 0, true));

  // start_thread(): user registers cleared, pc at the entry, sp at argc.
  if (req.ptRegs === 0) return -EACCES;
  kernel.arch.startThread(mem, req.ptRegs, hdr.entry, sp);
  task.elf = true;
  task.program = req.path;
  kernel.uprobes?.mmapped(mm);
  return 0;
}
