// The uprobe-event language (src/tracing/uprobe-event.ts): parse → UprobeDefinition → the
// uprobe_events listing, the kernel's auto names, and the error_log entries with their carets.
// Expectations are the real kernel's: lines written to /sys/kernel/tracing/uprobe_events of this
// machine's Linux 6.18 and what it answered (real-kernel.md and the host target's notes).

import { describe, expect, it } from 'vitest';
import { archSpec } from '../../src/tracing/arch.ts';
import { kprobeEventFields } from '../../src/tracing/probe-event.ts';
import { argvSplit } from '../../src/tracing/kstr.ts';
import { isUprobePlace, parseUprobeCommand, uprobeAutoEventName, uprobeListing, type UprobeParseEnv } from '../../src/tracing/uprobe-event.ts';
import { E2BIG, ECANCELED, EINVAL, ENOENT } from '../../src/uapi/errno.ts';

const x86 = archSpec('x86_64');
/** /tmp/kpx/t is a regular file, /tmp a directory, anything else missing. */
const env: UprobeParseEnv = {
  arch: x86,
  statPath: (p) => (p === '/tmp/kpx/t' || p === 'real-kernel/host-uprobe/target' ? 'regular' : p === '/tmp' ? 'other' : -ENOENT),
};

function parse(line: string, e: UprobeParseEnv = env) {
  return parseUprobeCommand(argvSplit(line), e);
}

/** The error_log entry's message and caret line as the kernel prints them. */
function errlog(line: string): string {
  const r = parse(line);
  if (r.ok) throw new Error(`accepted: ${line}`);
  const e = r.errors[0]!;
  return `${e.location}: error: ${e.text}\n  Command: ${e.command}\n${' '.repeat(11 + e.pos)}^`;
}

describe('uprobe_events lines', () => {
  it('lists as the kernel does: 16 hex digits of offset, r: for %return', () => {
    const r = parse('p:hostchk/probe_me real-kernel/host-uprobe/target:0x1159 a=%di:s32 b=%si:s64 s=+0(%dx):string');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(uprobeListing(r.def, x86)).toBe('p:hostchk/probe_me real-kernel/host-uprobe/target:0x0000000000001159 a=%di:s32 b=%si:s64 s=+0(%dx):string');
    const ret = parse('p:g/e /tmp/kpx/t:0x1149%return ret=%ax:s32');
    expect(ret.ok && uprobeListing(ret.def, x86)).toBe('r:g/e /tmp/kpx/t:0x0000000000001149 ret=%ax:s32');
    const rc = parse('p:g/sdt /tmp/kpx/t:0x1149(0x4010)');
    expect(rc.ok && uprobeListing(rc.def, x86)).toBe('p:g/sdt /tmp/kpx/t:0x0000000000001149(0x4010)');
  });

  it('names: default group uprobes; auto name p_<basename>_0x<offset>, even for r5: (no maxactive for uprobes)', () => {
    const r = parse('r5:kpxe/x /tmp/kpx/t:0x1149 x=$retval');
    expect(r.ok && [r.def.group, r.def.event, r.def.isReturn]).toEqual(['uprobes', 'p_t_0x1149', true]);
    expect(uprobeAutoEventName('/usr/lib/x86_64-linux-gnu/libc.so.6', 0x8db60n)).toBe('p_libc_0x8db60');
    expect(uprobeAutoEventName('/opt/my-tool_v2', 0x10n)).toBe('p_my_0x10');
    const d = parse('p /tmp/kpx/t:4425');
    expect(d.ok && d.def.event).toBe('p_t_0x1149');
  });

  it('the same fields and print fmt as the kernel writes in the format file', () => {
    const r = parse('p:kpxtest/pm /tmp/kpx/t:0x1149 a=%di:s32 b=%si:s64 s=+0(%dx):string c=+0(%dx):char arr=+0(%dx):x8[3] u=+0(%dx):ustring');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.def.printFmt).toBe(
      `"(%lx) a=%d b=%Ld s=\\"%s\\" c='%c' arr={0x%x,0x%x,0x%x} u=\\"%s\\"", REC->__probe_ip, REC->a, REC->b, __get_str(s), REC->c, REC->arr[0], REC->arr[1], REC->arr[2], __get_str(u)`,
    );
    expect(kprobeEventFields(r.def, x86).map((f) => `${f.type} ${f.name} ${f.offset} ${f.size} ${Number(f.isSigned)}`)).toEqual([
      'unsigned long __probe_ip 8 8 0',
      's32 a 16 4 1',
      's64 b 20 8 1',
      '__data_loc char[] s 28 4 1',
      'u8 c 32 1 0',
      'u8[3] arr 33 3 0',
      '__data_loc char[] u 36 4 1',
    ]);
    const ret = parse('r:kpxtest/pmr /tmp/kpx/t:0x1149 ret=%ax:s32 sp=$stack');
    expect(ret.ok && ret.def.printFmt).toBe('"(%lx <- %lx) ret=%d sp=0x%Lx", REC->__probe_func, REC->__probe_ret_ip, REC->ret, REC->sp');
  });

  it('error_log entries: text and caret as Linux 6.18 wrote them', () => {
    expect(errlog('p:kpxe/bad1 /tmp/kpx/t:0x1149 x=%zz')).toBe(
      'trace_uprobe: error: Invalid register name\n  Command: p:kpxe/bad1 /tmp/kpx/t:0x1149 x=%zz\n                                           ^',
    );
    expect(errlog('p:kpxe/bad2 /tmp/kpx/t:0x1149 x=%di:u33')).toBe(
      'trace_uprobe: error: Unknown type is specified\n  Command: p:kpxe/bad2 /tmp/kpx/t:0x1149 x=%di:u33\n                                               ^',
    );
    expect(errlog('p:kpxe/bad6 /nonexistent/bin:0x10')).toBe(
      'trace_uprobe: error: Failed to find the given file\n  Command: p:kpxe/bad6 /nonexistent/bin:0x10\n                       ^',
    );
    expect(errlog('p:kpxe/bad7 /tmp/kpx/t:0x1149%retur')).toBe(
      'trace_uprobe: error: Invalid probed address suffix\n  Command: p:kpxe/bad7 /tmp/kpx/t:0x1149%retur\n                                        ^',
    );
    expect(errlog('p:kpxe/bad8 /tmp/kpx/t:0x11zz')).toBe('trace_uprobe: error: Invalid uprobe offset\n  Command: p:kpxe/bad8 /tmp/kpx/t:0x11zz\n                                  ^');
    expect(errlog('p:kpxe/bad9 /tmp/kpx/t:0x1149(0x10')).toBe(
      'trace_uprobe: error: Reference counter brace is not closed\n  Command: p:kpxe/bad9 /tmp/kpx/t:0x1149(0x10\n                                             ^',
    );
    expect(errlog('p:kpxe/bad10 /tmp/kpx/t:0x1149(0x10)x')).toBe(
      'trace_uprobe: error: Reference counter has wrong suffix\n  Command: p:kpxe/bad10 /tmp/kpx/t:0x1149(0x10)x\n                                               ^',
    );
    expect(errlog('p:kpxe/bad11 /tmp/kpx/t:0x1149(zz)')).toBe(
      'trace_uprobe: error: Invalid reference counter offset\n  Command: p:kpxe/bad11 /tmp/kpx/t:0x1149(zz)\n                                          ^',
    );
    expect(errlog('p:kpxe/bad12 /tmp:0x10')).toBe('trace_uprobe: error: Not a regular file\n  Command: p:kpxe/bad12 /tmp:0x10\n                        ^');
    expect(errlog('p:kpx!e/bad13 /tmp/kpx/t:0x10')).toBe(
      'trace_uprobe: error: Group name must follow the same rules as C identifiers\n  Command: p:kpx!e/bad13 /tmp/kpx/t:0x10\n             ^',
    );
    expect(errlog('p:kpxe/bad14 /tmp/kpx/t:0x1149 x=@sym')).toBe(
      'trace_uprobe: error: Symbol is not available with uprobe\n  Command: p:kpxe/bad14 /tmp/kpx/t:0x1149 x=@sym\n                                            ^',
    );
    expect(errlog('p:kpxe/bad15 /tmp/kpx/t:0x1149 x=+0(%di):symbol')).toBe(
      'trace_uprobe: error: Unknown type is specified\n  Command: p:kpxe/bad15 /tmp/kpx/t:0x1149 x=+0(%di):symbol\n                                                    ^',
    );
    expect(errlog('p:kpxe/bad16 /tmp/kpx/t:0x1149 x=$arg1')).toBe(
      'trace_uprobe: error: $arg* can be used only on function entry or exit\n  Command: p:kpxe/bad16 /tmp/kpx/t:0x1149 x=$arg1\n                                            ^',
    );
    expect(errlog('p:hostchk/bad4 real-kernel/host-uprobe/target:0x1159 x=$retval')).toMatch(/\$retval is not available on probe/);
    const dup = 'p:hostchk/bad9 real-kernel/host-uprobe/target:0x1159 x=%di y=%si x=%dx';
    expect(errlog(dup)).toBe(`trace_uprobe: error: This argument name is already used\n  Command: ${dup}\n${' '.repeat(11 + dup.indexOf('x=%dx'))}^`);
  });

  it('errnos: ENOENT for a missing file, ECANCELED for what is not a uprobe line (EINVAL from the file), $stackN unbounded', () => {
    expect(parse('p:g/e /nonexistent/bin:0x10')).toMatchObject({ ok: false, errno: -ENOENT });
    expect(parse('p:g/e /tmp/kpx/t')).toMatchObject({ ok: false, errno: -ECANCELED, errors: [] });
    expect(parse('p:g/e /tmp/kpx/t:main')).toMatchObject({ ok: false, errno: -ECANCELED });
    expect(parse('p:g/e do_sys_openat2')).toMatchObject({ ok: false, errno: -ECANCELED });
    expect(parse('x:g/e /tmp/kpx/t:0x10')).toMatchObject({ ok: false, errno: -ECANCELED });
    expect(parse('p:g/e /tmp/kpx/t:0x10 x=%zz')).toMatchObject({ ok: false, errno: -EINVAL });
    expect(parse(`p:g/e /tmp/kpx/t:0x10 ${Array.from({ length: 129 }, (_, i) => `a${i}=%di`).join(' ')}`)).toMatchObject({ ok: false, errno: -E2BIG });
    // Accepted by 6.18: a user-space $stack index is not bounded by THREAD_SIZE.
    expect(parse('p:kpxe/bad17 /tmp/kpx/t:0x1149 x=$stack99999999').ok).toBe(true);
    // Without statPath the file is left to the kernel.
    expect(parse('p:g/e /nonexistent/bin:0x10', { arch: x86 }).ok).toBe(true);
  });

  it('isUprobePlace: a / and a digit after the last :', () => {
    expect(isUprobePlace('/bin/bash:0x10')).toBe(true);
    expect(isUprobePlace('./a:b:12')).toBe(true);
    expect(isUprobePlace('/bin/bash:readline')).toBe(false);
    expect(isUprobePlace('ext4:ext4_file_open')).toBe(false);
    expect(isUprobePlace('do_sys_openat2')).toBe(false);
  });
});
