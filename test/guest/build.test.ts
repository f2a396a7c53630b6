// Tests of the committed guest images (guest/images): that guest/build.sh reproduces them byte
// for byte where the cross compilers are installed (each arch on its own), and that each kernel
// image (arm64, mips) has what the rest of the project relies on: the functions the issue names
// as sized FUNC symbols, the section markers of the kprobe blacklist, and a system-call path that
// really calls through each named function. No Linux counterpart (compare scripts/kallsyms and
// the kernel's objtool checks).

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseElf, type ElfFile, type ElfSymbol } from '../../src/machine/elf.ts';
import { requireTool } from '../helpers/tools.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const IMAGES = join(REPO, 'guest/images');
const VMLINUX = join(IMAGES, 'arm64/vmlinux');

/** `sha256  relative/path` lines of guest/images/SHA256SUMS. */
function committedSums(): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of readFileSync(join(IMAGES, 'SHA256SUMS'), 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (m) sums.set(m[2]!, m[1]!);
  }
  return sums;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

const BUILDERS = [
  { arch: 'arm64', cc: 'aarch64-linux-gnu-gcc' },
  { arch: 'mips', cc: 'mips-linux-gnu-gcc' },
] as const;

describe('guest/build.sh', () => {
  const out = mkdtempSync(join(tmpdir(), 'kprobe-guest-build-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  for (const { arch, cc } of BUILDERS) {
    // pahole (Debian's dwarves) makes the kernel's BTF.
    const haveCompiler = requireTool(cc) && requireTool('pahole');
    it.skipIf(!haveCompiler)(`rebuilds every committed ${arch} image byte for byte`, () => {
      const dir = join(out, arch);
      const r = spawnSync('bash', [join(REPO, 'guest/build.sh'), dir, arch], { cwd: REPO, encoding: 'utf8', timeout: 110_000 });
      expect(r.status, `build.sh failed:\n${r.stderr}`).toBe(0);

      const sums = new Map([...committedSums()].filter(([file]) => file.startsWith(`${arch}/`)));
      expect(sums.size).toBeGreaterThan(1);
      const mismatched: string[] = [];
      for (const [file, want] of sums) {
        let got: string;
        try {
          got = sha256(join(dir, file));
        } catch {
          got = 'missing';
        }
        if (got !== want) mismatched.push(`${file}: committed ${want}, rebuilt ${got}`);
      }
      const listed = spawnSync('find', ['.', '-type', 'f'], { cwd: dir, encoding: 'utf8' })
        .stdout.split('\n')
        .filter(Boolean)
        .map((p) => p.replace(/^\.\//, ''));
      for (const file of listed) if (!sums.has(file)) mismatched.push(`${file}: built but not in SHA256SUMS`);
      expect(mismatched, 'images differ from guest/images/SHA256SUMS (run guest/build.sh and commit)').toEqual([]);
    });
  }

  it('the committed images match SHA256SUMS, for every arch', () => {
    const sums = committedSums();
    for (const { arch } of BUILDERS) expect([...sums.keys()]).toContain(`${arch}/vmlinux`);
    const bad: string[] = [];
    for (const [file, want] of sums) {
      if (sha256(join(IMAGES, file)) !== want) bad.push(file);
    }
    expect(bad).toEqual([]);
  });
});

/** A kernel image's symbols by name (the first of a name wins); a missing one throws. */
function symbolLookup(elf: ElfFile): (name: string) => ElfSymbol {
  const byName = new Map<string, ElfSymbol>();
  for (const s of elf.symtab) if (s.name && !byName.has(s.name)) byName.set(s.name, s);
  return (name) => {
    const s = byName.get(name);
    if (!s) throw new Error(`no symbol ${name}`);
    return s;
  };
}

function expectFunction(s: ElfSymbol): void {
  expect(s.type).toBe('FUNC');
  expect(s.size).toBeGreaterThan(0);
}

/** Symbol `name` lies wholly between the section markers `start` and `end`. */
function expectInside(sym: (name: string) => ElfSymbol, name: string, start: string, end: string): void {
  const s = sym(name);
  expect(s.value, `${name} in ${start}..${end}`).toBeGreaterThanOrEqual(sym(start).value);
  expect(s.value + s.size).toBeLessThanOrEqual(sym(end).value);
}

describe('the arm64 kernel image', () => {
  const elf: ElfFile = parseElf(new Uint8Array(readFileSync(VMLINUX)));
  const sym = symbolLookup(elf);

  /** The 32-bit instruction words of a function. */
  function words(name: string): number[] {
    const s = sym(name);
    const out: number[] = [];
    for (let a = s.value; a < s.value + s.size; a += 4) out.push(read32(a));
    return out;
  }

  function read32(addr: number): number {
    for (const ph of elf.programHeaders) {
      if (ph.type === 1 && addr >= ph.vaddr && addr + 4 <= ph.vaddr + ph.filesz) {
        const off = ph.offset + (addr - ph.vaddr);
        return (elf.bytes[off]! | (elf.bytes[off + 1]! << 8) | (elf.bytes[off + 2]! << 16) | (elf.bytes[off + 3]! << 24)) >>> 0;
      }
    }
    throw new Error(`address 0x${addr.toString(16)} is not in the image`);
  }

  /** A stored 64-bit pointer as the 48-bit address the project uses (low 48 bits). */
  function readPointer(addr: number): number {
    return read32(addr) + (read32(addr + 4) & 0xffff) * 2 ** 32;
  }

  /** Targets of the direct `bl` instructions in a function. */
  function calls(name: string): Set<number> {
    const s = sym(name);
    const targets = new Set<number>();
    words(name).forEach((w, i) => {
      if ((w & 0xfc000000) >>> 0 === 0x94000000) {
        let imm = w & 0x03ffffff;
        if (imm & 0x02000000) imm -= 0x04000000;
        targets.add(s.value + 4 * i + imm * 4);
      }
    });
    return targets;
  }

  const named = [
    // the list
    'el0_svc', 'kernel_clone', 'copy_process', 'wake_up_new_task', 'do_exit',
    'sys_write', 'ksys_write', 'vfs_write', 'sys_read', 'ksys_read', 'vfs_read',
    'sys_openat', 'do_sys_openat2', 'getname', 'do_filp_open', 'vfs_open', 'sys_getdents64',
    // the rest of the system-call path and the other functions ABI.md names
    'do_el0_svc', 'el0_svc_common', 'invoke_syscall', '__arm64_sys_write', '__arm64_sys_read',
    '__arm64_sys_openat', '__arm64_sys_getdents64', 'start_kernel', 'schedule', 'sys_execve',
    'sys_wait4', 'sys_clone', 'sys_exit', 'sys_exit_group', 'vfs_getattr', 'dput', 'iterate_dir',
    // what the ftrace selftests probe: event directories, symbolic links, accept
    'tracefs_create_dir', 'eventfs_create_dir', 'eventfs_remove_dir', 'vfs_symlink', 'do_symlinkat',
    'vfs_readlink', 'vfs_link', '__sys_socket', '__sys_accept4', 'inet_csk_accept', 'tcp_sendmsg', 'tcp_recvmsg',
    // lib/test_kprobes.c and trace_kprobe.c's self-test targets
    'kprobe_target', 'kprobe_target2', 'kprobe_recursed_target', 'kprobe_trace_selftest_target',
    // arch entry points
    '_start', 'vectors', 'ret_to_user', '__kretprobe_trampoline', 'host_call_return',
  ];

  it.each(named)('%s is a FUNC symbol with a size', (name) => expectFunction(sym(name)));

  it('has the section markers kprobes blacklists by', () => {
    const inside = (name: string, start: string, end: string) => expectInside(sym, name, start, end);
    inside('vectors', '__entry_text_start', '__entry_text_end');
    inside('ret_to_user', '__entry_text_start', '__entry_text_end');
    inside('el0_svc', '__noinstr_text_start', '__noinstr_text_end');
    inside('el0t_64_sync_handler', '__noinstr_text_start', '__noinstr_text_end');
    inside('host_call_return', '__kprobes_text_start', '__kprobes_text_end');
    for (const n of ['_text', '_stext', '_etext', '__heap_start', '__start___ex_table', '__stop___ex_table']) sym(n);
    // The BTF pahole made, in the read-only part of the image (test/machine/btf.test.ts reads it).
    expect(sym('__stop_BTF').value).toBeGreaterThan(sym('__start_BTF').value);
    expect(sym('__start_BTF').value).toBeGreaterThan(sym('_etext').value);
    expect(sym('_text').value).toBe(0x8000_0800_0000); // 0xffff800008000000 as a 48-bit address
    expect(sym('__heap_start').value % 4096).toBe(0);
    expect(sym('vectors').value % 2048).toBe(0);
    expect(elf.header.entry).toBe(sym('_start').value);
  });

  it('stores function addresses in _kprobe_blacklist (NOKPROBE_SYMBOL)', () => {
    const start = sym('__start__kprobe_blacklist').value;
    const stop = sym('__stop__kprobe_blacklist').value;
    expect(stop).toBeGreaterThan(start);
    const funcs = new Map<number, string>();
    for (const s of elf.symtab) if (s.type === 'FUNC') funcs.set(s.value, s.name);
    const names: string[] = [];
    for (let a = start; a < stop; a += 8) {
      const addr = readPointer(a);
      const name = funcs.get(addr);
      expect(name, `entry at 0x${a.toString(16)}`).toBeDefined();
      names.push(name!);
    }
    expect(names).toContain('do_mem_abort');
  });

  it('the arm64 kretprobe trampoline is brk #KRETPROBES_BRK_IMM', () => {
    expect(words('__kretprobe_trampoline')[0]).toBe((0xd4200000 | (7 << 5)) >>> 0);
    expect(words('host_call_return')[0]).toBe((0xd4000002 | (7 << 5)) >>> 0); // hvc #7
  });

  it('has an IPA-SRA clone (a .isra. function), as gcc -O2 makes of a local function reading one field', () => {
    const isra = elf.symtab.filter((s) => s.type === 'FUNC' && s.name.includes('.isra.')).map((s) => s.name);
    expect(isra).toContain('inet_csk_bind_conflict.isra.0');
    expect(elf.symtab.some((s) => s.name === 'inet_csk_bind_conflict')).toBe(false);
  });

  it('the test targets compute v/3, v/3+1 and the sum of six arguments as separate functions', () => {
    const addrs = ['kprobe_target', 'kprobe_target2', 'kprobe_recursed_target'].map((n) => sym(n).value);
    expect(new Set(addrs).size).toBe(3);
    // No identical-code folding: kprobe_recursed_target has its own body, not a branch.
    const first = words('kprobe_recursed_target')[0]!;
    expect((first & 0xfc000000) >>> 0).not.toBe(0x14000000);
  });

  it('the system-call path calls through every named function', () => {
    const edges: [string, string][] = [
      ['el0t_64_sync_handler', 'el0_svc'],
      ['el0_svc', 'do_el0_svc'],
      ['do_el0_svc', 'el0_svc_common'],
      ['el0_svc_common', 'invoke_syscall'],
      ['__arm64_sys_write', 'sys_write'],
      ['sys_write', 'ksys_write'],
      ['ksys_write', 'vfs_write'],
      ['__arm64_sys_read', 'sys_read'],
      ['sys_read', 'ksys_read'],
      ['ksys_read', 'vfs_read'],
      ['__arm64_sys_openat', 'sys_openat'],
      ['do_sys_openat2', 'getname'],
      ['do_sys_openat2', 'do_filp_open'],
      ['do_filp_open', 'vfs_open'],
      ['__arm64_sys_getdents64', 'sys_getdents64'],
      ['sys_getdents64', 'iterate_dir'],
      ['sys_clone', 'kernel_clone'],
      ['kernel_clone', 'copy_process'],
      ['kernel_clone', 'wake_up_new_task'],
      ['sys_exit', 'do_exit'],
      ['do_exit', 'schedule'],
      ['rest_init', 'kernel_clone'],
      ['sys_symlinkat', 'do_symlinkat'],
      ['do_symlinkat', 'vfs_symlink'],
      ['sys_socket', '__sys_socket'],
      ['sys_accept', '__sys_accept4'],
      ['sys_accept4', '__sys_accept4'],
      ['tracer_init_tracefs', 'tracefs_create_dir'],
    ];
    const missing = edges.filter(([from, to]) => !calls(from).has(sym(to).value)).map(([f, t]) => `${f} -> ${t}`);
    expect(missing).toEqual([]);

    // invoke_syscall reaches the table entry through __invoke_syscall's indirect call (blr).
    const inv = calls('invoke_syscall');
    expect(inv.has(sym('__invoke_syscall').value)).toBe(true);
    expect(words('__invoke_syscall').some((w) => (w & 0xfffffc1f) >>> 0 === 0xd63f0000)).toBe(true);

    // sys_call_table[__NR_write] is __arm64_sys_write, and so on (8-byte kernel pointers).
    const table = sym('sys_call_table').value;
    const entry = (nr: number) => readPointer(table + 8 * nr);
    expect(entry(64)).toBe(sym('__arm64_sys_write').value);
    expect(entry(63)).toBe(sym('__arm64_sys_read').value);
    expect(entry(56)).toBe(sym('__arm64_sys_openat').value);
    expect(entry(61)).toBe(sym('__arm64_sys_getdents64').value);
    expect(entry(220)).toBe(sym('__arm64_sys_clone').value);
    expect(entry(1)).toBe(sym('__arm64_sys_ni_syscall').value);
  });
});

describe('the mips kernel image', () => {
  const elf: ElfFile = parseElf(new Uint8Array(readFileSync(join(IMAGES, 'mips/vmlinux'))));
  const sym = symbolLookup(elf);

  /** A big-endian 32-bit word of the image. */
  function read32(addr: number): number {
    for (const ph of elf.programHeaders) {
      if (ph.type === 1 && addr >= ph.vaddr && addr + 4 <= ph.vaddr + ph.filesz) {
        const off = ph.offset + (addr - ph.vaddr);
        return ((elf.bytes[off]! << 24) | (elf.bytes[off + 1]! << 16) | (elf.bytes[off + 2]! << 8) | elf.bytes[off + 3]!) >>> 0;
      }
    }
    throw new Error(`address 0x${addr.toString(16)} is not in the image`);
  }

  function words(name: string): number[] {
    const s = sym(name);
    const out: number[] = [];
    for (let a = s.value; a < s.value + s.size; a += 4) out.push(read32(a));
    return out;
  }

  /** Targets of the direct jal instructions in a function. */
  function calls(name: string): Set<number> {
    const s = sym(name);
    const targets = new Set<number>();
    words(name).forEach((w, i) => {
      if (w >>> 26 === 3) targets.add((((s.value + 4 * i + 4) & 0xf000_0000) | ((w & 0x03ff_ffff) << 2)) >>> 0);
    });
    return targets;
  }

  it('is a 32-bit big-endian MIPS executable linked at 0x80100000, entered at _start', () => {
    expect(elf.header.littleEndian).toBe(false);
    expect(elf.header.machine).toBe(8); // EM_MIPS
    expect(sym('_text').value).toBe(0x8010_0000);
    expect(elf.header.entry).toBe(sym('_start').value);
  });

  const named = [
    'kernel_clone', 'copy_process', 'wake_up_new_task', 'do_exit',
    'sys_write', 'ksys_write', 'vfs_write', 'sys_read', 'ksys_read', 'vfs_read',
    'sys_openat', 'do_sys_openat2', 'getname', 'do_filp_open', 'vfs_open', 'sys_getdents64',
    'start_kernel', 'schedule', 'sys_execve', 'sys_wait4', 'sys_clone', '__sys_clone', 'sys_exit',
    'sys_exit_group', 'sys_fstatat64', 'sys_fstat64', 'sys_llseek', 'sys_mips_mmap', 'sys_mips_mmap2',
    'sys_clock_gettime32', 'sys_fcntl64', 'vfs_getattr', 'iterate_dir', 'eventfs_create_dir',
    'kprobe_target', 'kprobe_target2', 'kprobe_recursed_target', 'kprobe_trace_selftest_target',
    // arch entry points and handlers
    '_start', 'except_vec3_generic', 'handle_sys', 'handle_bp', 'handle_tlbl', 'tlb_do_page_fault_0',
    'ret_from_exception', 'do_syscall', 'do_bp', 'do_ri', 'do_ade', 'do_page_fault',
    '__kretprobe_trampoline', 'host_call_return', '__copy_user', '__strncpy_from_user_asm',
  ];

  it.each(named)('%s is a FUNC symbol with a size', (name) => expectFunction(sym(name)));

  it('has the exception vector page and the section markers kprobes blacklists by', () => {
    const inside = (name: string, start: string, end: string) => expectInside(sym, name, start, end);
    // EBase + 0x180: the general exception vector.
    expect(sym('ebase').value % 4096).toBe(0);
    expect(sym('except_vec3_generic').value).toBe(sym('ebase').value + 0x180);
    for (const n of ['except_vec3_generic', 'handle_sys', 'handle_bp', 'tlb_do_page_fault_1', 'ret_from_exception']) {
      inside(n, '__entry_text_start', '__entry_text_end');
    }
    inside('host_call_return', '__kprobes_text_start', '__kprobes_text_end');
    for (const n of ['_stext', '_etext', '__heap_start', '__start___ex_table', '__stop___ex_table', 'kernelsp', 'current_task']) sym(n);
    expect(sym('__stop___ex_table').value).toBeGreaterThan(sym('__start___ex_table').value);
    expect(sym('__stop_BTF').value).toBeGreaterThan(sym('__start_BTF').value);
    expect(sym('__start_BTF').value).toBeGreaterThan(sym('_etext').value);
    expect(sym('__heap_start').value % 65536).toBe(0);
    expect(sym('__heap_start').value).toBeLessThan(0x8200_0000);
  });

  it('stores function addresses in _kprobe_blacklist (NOKPROBE_SYMBOL)', () => {
    const start = sym('__start__kprobe_blacklist').value;
    const stop = sym('__stop__kprobe_blacklist').value;
    expect(stop).toBeGreaterThan(start);
    const funcs = new Map<number, string>();
    for (const s of elf.symtab) if (s.type === 'FUNC') funcs.set(s.value, s.name);
    const names: string[] = [];
    for (let a = start; a < stop; a += 4) {
      const name = funcs.get(read32(a));
      expect(name, `entry at 0x${a.toString(16)}`).toBeDefined();
      names.push(name!);
    }
    expect(names).toContain('do_page_fault');
    expect(names).toContain('do_bp');
  });

  it('the kretprobe trampoline is a nop to probe, and host calls end in hypcall 7', () => {
    expect(words('__kretprobe_trampoline')[0]).toBe(0); // nop: the kprobe core's trampoline_p goes here
    expect(words('host_call_return')[0]).toBe((0x4200_0028 | (7 << 11)) >>> 0); // hypcall 7
  });

  it('the system-call path calls through every named function', () => {
    const edges: [string, string][] = [
      ['handle_sys', 'do_syscall'],
      ['sys_write', 'ksys_write'],
      ['ksys_write', 'vfs_write'],
      ['sys_read', 'ksys_read'],
      ['ksys_read', 'vfs_read'],
      ['do_sys_openat2', 'getname'],
      ['do_sys_openat2', 'do_filp_open'],
      ['do_filp_open', 'vfs_open'],
      ['sys_getdents64', 'iterate_dir'],
      ['sys_clone', 'kernel_clone'],
      ['kernel_clone', 'copy_process'],
      ['kernel_clone', 'wake_up_new_task'],
      ['sys_exit', 'do_exit'],
      ['do_exit', 'schedule'],
      ['sys_mips_mmap2', 'ksys_mmap_pgoff'],
      ['tlb_do_page_fault_0', 'do_page_fault'],
      ['handle_bp', 'do_bp'],
    ];
    const missing = edges.filter(([from, to]) => !calls(from).has(sym(to).value)).map(([f, t]) => `${f} -> ${t}`);
    expect(missing).toEqual([]);

    // sys_call_table[nr - 4000]: 4-byte kernel pointers to the sys_* functions themselves.
    const table = sym('sys_call_table').value;
    const entry = (nr: number) => read32(table + 4 * (nr - 4000));
    expect(entry(4004)).toBe(sym('sys_write').value);
    expect(entry(4003)).toBe(sym('sys_read').value);
    expect(entry(4288)).toBe(sym('sys_openat').value);
    expect(entry(4219)).toBe(sym('sys_getdents64').value);
    expect(entry(4120)).toBe(sym('__sys_clone').value);
    expect(entry(4293)).toBe(sym('sys_fstatat64').value);
    expect(entry(4403)).toBe(sym('sys_clock_gettime').value);
    expect(entry(4000)).toBe(sym('sys_ni_syscall').value);
    expect(sym('sys_call_table').size).toBe(463 * 4);
  });

  it('exception_handlers dispatches each Cause.ExcCode to its handler', () => {
    const table = sym('exception_handlers').value;
    const h = (code: number) => read32(table + 4 * code);
    expect(h(8)).toBe(sym('handle_sys').value);
    expect(h(9)).toBe(sym('handle_bp').value);
    expect(h(2)).toBe(sym('handle_tlbl').value);
    expect(h(10)).toBe(sym('handle_ri').value);
    expect(h(31)).toBe(sym('handle_reserved').value);
  });
});
