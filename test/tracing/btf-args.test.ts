// Probe arguments by BTF (CONFIG_PROBE_EVENTS_BTF_ARGS) on a host that has the guest kernel's BTF:
// parameter names, fields, $arg* and unnamed $argN expansion, typed $retval, :string on BTF types,
// bitfields, the BTF error codes with their carets, and hits fetching through BTF offsets. The
// expected listings, formats and error logs are the real 6.12 arm64 kernel's (the conformance
// corpus's BTF cases; conformance/corpus.txt). Counterpart of the BTF checks in the ftrace
// selftest kprobe_syntax_errors.tc ("if grep -q '<argname>' README").

import { describe, expect, it } from 'vitest';
import type { Btf } from '../../src/machine/btf.ts';
import { Tracing } from '../../src/tracing/tracing.ts';
import { BtfBuilder, guestBtf } from '../helpers/btf-builder.ts';
import { DEFAULT_SYMBOLS, TestHost, regs } from './test-host.ts';

class BtfHost extends TestHost {
  constructor(readonly btf: Btf) {
    super(1, DEFAULT_SYMBOLS);
  }
}

const GUEST_BTF = guestBtf();

function setup(btf: Btf = GUEST_BTF) {
  const host = new BtfHost(btf);
  return { host, t: new Tracing(host) };
}

/** Write one command; the result, the listing and the error log, then clear both. */
function run(t: Tracing, cmd: string): { ret: number; list: string; log: string } {
  t.write('error_log', '', true);
  const ret = t.write('kprobe_events', cmd + '\n');
  const list = t.read('kprobe_events');
  const log = t.read('error_log').replace(/^\[[ 0-9.]+\] /gm, '');
  t.write('kprobe_events', '', true);
  return { ret, list, log };
}

function errlog(text: string, cmd: string, caret: number): string {
  return `trace_kprobe: error: ${text}\n  Command: ${cmd}\n${' '.repeat(11 + caret)}^\n`;
}

const EINVAL = -22;
const ENOENT = -2;
const EOPNOTSUPP = -95;

describe('BTF argument names (real 6.12 arm64 listings)', () => {
  const accepted: [string, string][] = [
    ['p:e vfs_read file', 'p:kprobes/e vfs_read file=file\n'],
    ['p:e vfs_read file buf count pos', 'p:kprobes/e vfs_read file=file buf=buf count=count pos=pos\n'],
    ['p:e vfs_read $arg*', 'p:kprobes/e vfs_read file=file buf=buf count=count pos=pos\n'],
    ['r:e vfs_read $arg*', 'r10:kprobes/e vfs_read file=file buf=buf count=count pos=pos\n'],
    ['p:e vfs_read $arg*:u32', 'p:kprobes/e vfs_read file=file buf=buf count=count pos=pos\n'],
    ['p:e vfs_read file->f_flags', 'p:kprobes/e vfs_read arg1=file->f_flags\n'],
    ['p:e vfs_read count:u32', 'p:kprobes/e vfs_read count=count:u32\n'],
    ['p:e vfs_read x=$arg5', 'p:kprobes/e vfs_read x=$arg5\n'],
    ['p:e kfree $arg*', 'p:kprobes/e kfree object=object\n'],
    ['p:op do_sys_openat2 %x0:s32 $arg1:s32 +0($arg2):string', 'p:kprobes/op do_sys_openat2 arg1=%x0:s32 dfd=dfd:s32 arg3=+0($arg2):string\n'],
    ['r:e vfs_read $retval', 'r10:kprobes/e vfs_read arg1=$retval\n'],
    ['p:e vfs_read buf:string file->f_path.dentry', 'p:kprobes/e vfs_read buf=buf:string arg2=file->f_path.dentry\n'],
  ];
  for (const [cmd, list] of accepted) {
    it(cmd, () => {
      const { t } = setup();
      const r = run(t, cmd);
      expect(r.log).toBe('');
      expect(r.ret).toBe(0);
      expect(r.list).toBe(list);
    });
  }

  it('the README offers <argname>', () => {
    const { t } = setup();
    expect(t.read('README')).toContain('\t           <argname>[->field[->field|.field...]],\n');
  });
});

describe('BTF errors and their carets (real 6.12 arm64 error_log)', () => {
  const cases: [string, number, string, number][] = [
    ['p:e vfs_read a=x', ENOENT, 'This variable is not found at this probe point', 15],
    ['p:e vfs_read file-f_flags', EINVAL, "Failed to parse single hyphen. Forgot '>'?", 17],
    ['p:e vfs_read file.f_flags', EOPNOTSUPP, 'Non pointer structure/union argument is not supported.', 18],
    ['p:e vfs_read file->nosuch', ENOENT, 'This field is not found.', 19],
    ['p:e vfs_read count->x', EINVAL, 'This is not a pointer to union/structure.', 20],
    ['r:e kfree $retval', ENOENT, "This function returns 'void' type", 10],
    ['p:e vfs_read file:string', EINVAL, 'This type does not fit for string.', 13],
    ['p:e vfs_read $arg5', ENOENT, 'This variable is not found at this probe point', 13],
    ['p:e vfs_read $arg1 $arg*', EINVAL, 'This argument name is already used', 19],
    ['r:e vfs_read a=$retvalx', ENOENT, 'This variable is not found at this probe point', 15],
    ['p:e vfs_read $arg* $arg*', EINVAL, '$arg* can be used only once in the parameters', 19],
    ['p:e vfs_read+8 $arg*', EINVAL, '$arg* can be used only on function entry or exit', 15],
    ['p:e vfs_read+8 file', EINVAL, 'BTF is not available or not supported', 15],
    ['p:e kfree $arg10', ENOENT, 'This variable is not found at this probe point', 10],
    ['p:e vfs_read $arg0', EINVAL, 'Invalid argument number', 13],
    ['p:e vfs_read $arg1x', ENOENT, 'Invalid $-variable specified', 13],
    ['p:e __kretprobe_trampoline x', ENOENT, 'No BTF entry for this probe point', 27],
    ['p:e vfs_read file->f_path->dentry', EINVAL, 'This is not a pointer to union/structure.', 27],
    ['p:e vfs_read a=$arg1:string', EINVAL, 'String accepts only memory argument', 21],
  ];
  for (const [cmd, errno, text, caret] of cases) {
    it(cmd, () => {
      const { t } = setup();
      const r = run(t, cmd);
      expect(r.ret).toBe(errno);
      expect(r.log).toBe(errlog(text, cmd, caret));
      expect(r.list).toBe('');
    });
  }

  it('$arg* that does not fit the 128-byte buffer: ARGS_2LONG', () => {
    const b = new BtfBuilder();
    const int = b.int('int', 4, 32, true);
    b.func('vfs_read', int, [0, 1, 2, 3, 4].map((i) => [`parameter_with_a_long_name_${i}`, int] as [string, number]));
    const { t } = setup(b.build());
    const r = run(t, 'p:e vfs_read $arg*');
    expect(r.ret).toBe(-7); // -E2BIG
    expect(r.log).toBe(errlog('$arg* failed because the argument list is too long', 'p:e vfs_read $arg*', 13));
  });
});

describe('BTF types of arguments', () => {
  /** The field lines of an event's format after the common ones, and its print fmt. */
  function fields(t: Tracing, event: string): string[] {
    return t
      .read(`events/kprobes/${event}/format`)
      .split('\n')
      .filter((l) => (l.includes('field:') && !l.includes('common_') && !l.includes('__probe_')) || l.startsWith('print fmt'));
  }

  it('$retval of ssize_t is s64; a typed one keeps its type', () => {
    const { t } = setup();
    expect(t.write('kprobe_events', 'r:e vfs_read a=$arg3 b=$retval c=$retval:s32\n')).toBe(0);
    expect(fields(t, 'e')).toEqual([
      '\tfield:u64 a;\toffset:24;\tsize:8;\tsigned:0;',
      '\tfield:s64 b;\toffset:32;\tsize:8;\tsigned:1;',
      '\tfield:s32 c;\toffset:40;\tsize:4;\tsigned:1;',
      'print fmt: "(%lx <- %lx) a=0x%Lx b=%Ld c=%d", REC->__probe_func, REC->__probe_ret_ip, REC->a, REC->b, REC->c',
    ]);
  });

  it('parameters take their BTF types: pointers x64, size_t u64, int s32, struct fields theirs', () => {
    const { t } = setup();
    expect(t.write('kprobe_events', 'p:e vfs_read file count file->f_flags\n')).toBe(0);
    expect(t.write('kprobe_events', 'p:o do_sys_openat2 dfd filename\n')).toBe(0);
    expect(fields(t, 'e').slice(0, 3)).toEqual([
      '\tfield:u64 file;\toffset:16;\tsize:8;\tsigned:0;',
      '\tfield:u64 count;\toffset:24;\tsize:8;\tsigned:0;',
      '\tfield:u32 arg3;\toffset:32;\tsize:4;\tsigned:0;',
    ]);
    expect(fields(t, 'o')).toEqual([
      '\tfield:s32 dfd;\toffset:16;\tsize:4;\tsigned:1;',
      '\tfield:u64 filename;\toffset:20;\tsize:8;\tsigned:0;',
      'print fmt: "(%lx) dfd=%d filename=0x%Lx", REC->__probe_ip, REC->dfd, REC->filename',
    ]);
  });

  it('a hit fetches parameters, char * strings and fields at their BTF offsets', () => {
    const { host, t } = setup();
    expect(t.write('kprobe_events', 'p:e vfs_read flags=file->f_flags count fn=buf:string\n')).toBe(0);
    expect(t.write('events/kprobes/e/enable', '1\n', true)).toBe(0);
    // A struct file in kernel memory with f_flags at the offset the BTF gives, and a buffer.
    const file = host.sym('vfs_read') + 0x1000n;
    const fileStruct = GUEST_BTF.typeById(GUEST_BTF.findByNameKind('file', 4))!;
    const fFlags = fileStruct.members!.find((m) => GUEST_BTF.nameByOffset(m.nameOff) === 'f_flags')!;
    host.memory.poke(Number(file & 0xffff_ffff_ffffn) + fFlags.offset / 8, Uint8Array.of(0x02, 0x80, 0, 0));
    host.putString(file + 0x100n, 'hello');
    host.hit(host.sym('vfs_read'), regs({ x0: file, x1: file + 0x100n, x2: 42n }));
    expect(t.read('trace').split('\n').at(-2)).toMatch(/ e: \(vfs_read\+0x0\/0x1c0\) flags=32770 count=42 fn="hello"$/);
  });

  it('a bitfield member gets its own shift (no :TYPE), an anonymous union is looked into', () => {
    const b = new BtfBuilder();
    const u32 = b.int('unsigned int', 4, 32, false);
    const ulong = b.int('long unsigned int', 8, 64, false);
    const inner = b.struct('', 8, [['count', ulong, 0]], true);
    const s = b.struct('thing', 16, [
      ['lo', u32, 0, 3],
      ['hi', u32, 3, 5],
      ['', inner, 64],
    ]);
    const ps = b.ptr(s);
    b.func('vfs_read', ulong, [['t', ps]]);
    const { host, t } = setup(b.build());
    expect(t.write('kprobe_events', 'p:e vfs_read hi=t->hi count=t->count\n')).toBe(0);
    expect(t.read('events/kprobes/e/format')).toContain('\tfield:u32 hi;\toffset:16;\tsize:4;\tsigned:0;\n');
    expect(t.write('events/kprobes/e/enable', '1\n', true)).toBe(0);
    const at = host.sym('vfs_read') + 0x1000n;
    // hi = bits 3..7 of the first word: 0b10110 → 22; count = 7 at byte 8.
    host.memory.poke(Number(at & 0xffff_ffff_ffffn), Uint8Array.of(0b10110_101, 0, 0, 0, 0, 0, 0, 0, 7));
    host.hit(host.sym('vfs_read'), regs({ x0: at }));
    expect(t.read('trace').split('\n').at(-2)).toMatch(/ hi=22 count=7$/);
  });
});

describe('without BTF the host answers as a kernel without CONFIG_PROBE_EVENTS_BTF_ARGS', () => {
  it('refuses names and $arg*, types $retval by default', () => {
    const host = new TestHost();
    const t = new Tracing(host);
    expect(run(t, 'p:e vfs_read file').log).toBe(errlog('BTF is not available or not supported', 'p:e vfs_read file', 13));
    expect(run(t, 'p:e vfs_read $arg*').ret).toBe(EOPNOTSUPP);
    expect(run(t, 'r:e kfree $retval').list).toBe('r10:kprobes/e kfree arg1=$retval\n');
    expect(t.read('README')).not.toContain('<argname>');
  });
});
