// The ftrace selftest kprobe_syntax_errors.tc (tools/testing/selftests/ftrace/test.d/kprobe, 6.12):
// every ftrace_errlog_check case that applies to arm64 without BTF. As ftracetest does it: clear
// error_log, write the command without '^' (it must fail), find "trace_kprobe: error:", and check
// that the caret line's length is 13 + the position of '^'.

import { describe, expect, it } from 'vitest';
import { Tracing } from '../../src/tracing/tracing.ts';
import { TestHost } from './test-host.ts';

function setup() {
  const host = new TestHost();
  return { host, t: new Tracing(host) };
}

/** ftrace_errlog_check(): returns the error_log text for inspection. */
function errlogCheck(t: Tracing, prefix: string, cmdWithCaret: string, file = 'kprobe_events'): string {
  const pos = Buffer.byteLength(cmdWithCaret.slice(0, cmdWithCaret.lastIndexOf('^')), 'latin1');
  const command = cmdWithCaret.replace(/\^/g, '');
  expect(t.write('error_log', '', true)).toBe(0);
  const ret = t.write(file, command);
  expect(ret, `command "${command}" should fail`).toBeLessThan(0);
  const log = t.read('error_log');
  expect(log).toContain(`${prefix}: error:`);
  const lines = log.split('\n');
  const last = lines[lines.length - 2]!;
  expect(last.length + 1, `caret position for "${cmdWithCaret}"\n${log}`).toBe(13 + pos);
  return log;
}

const cases: [string, string][] = [
  ['p^100 vfs_read', 'Maxactive is only for function exit'],
  ['r^1a111 vfs_read', 'Invalid maxactive number'],
  ['r^100000 vfs_read', 'Maxactive is too big'],
  ['p ^non_exist_func', 'Invalid probed address or symbol'],
  ['p ^hoge-fuga', 'Invalid probed address or symbol'],
  ['p ^hoge+1000-1000', 'Invalid probed address or symbol'],
  ['r ^vfs_read+10', 'Retprobe address must be an function entry'],
  ['p:^/bar vfs_read', 'Group name is not specified'],
  ['p:^12345678901234567890123456789012345678901234567890123456789012345/bar vfs_read', 'Group name is too long'],
  ['p:^foo.1/bar vfs_read', 'Group name must follow the same rules as C identifiers'],
  ['p:^ vfs_read', 'Event name is not specified'],
  ['p:foo/^12345678901234567890123456789012345678901234567890123456789012345 vfs_read', 'Event name is too long'],
  ['p:foo/^bar.1 vfs_read', 'Event name must follow the same rules as C identifiers'],
  ['p vfs_read ^$retval', '$retval is not available on probe'],
  ['p vfs_read ^$stack10000', 'Invalid stack number'],
  ['p vfs_read ^$arg10000', 'Invalid argument number'],
  ['p vfs_read ^$none_var', 'Invalid $-variable specified'],
  ['p vfs_read ^%none_reg', 'Invalid register name'],
  ['p vfs_read ^@12345678abcde', 'Invalid memory address'],
  ['p vfs_read ^@+10', 'File offset is not available with kprobe'],
  ['p vfs_read arg1=\\^x', 'Invalid immediate value'],
  ['p vfs_read arg1=\\"abcd^', 'String is not closed with \'"\''],
  ['p vfs_read ^+0@0)', 'Dereference needs a brace'],
  ['p vfs_read ^+0ab1(@0)', 'Invalid dereference offset'],
  ['p vfs_read +0(+0(@0^)', 'Dereference brace is not closed'],
  ['p vfs_read +0(^$comm)', '$comm can not be dereferenced'],
  ['p vfs_read ^&1', 'Invalid fetch argument'],
  ['p vfs_read +0(^+0(+0(+0(+0(+0(+0(+0(+0(+0(+0(+0(+0(+0(@0))))))))))))))', 'Dereference is too much nested'],
  ['p vfs_read +0(@11):u8[10^', 'Array is not closed'],
  ['p vfs_read +0(@11):u8[10]^a', 'Array has wrong suffix'],
  ['p vfs_read +0(@11):u8[^10a]', 'Invalid array size'],
  ['p vfs_read +0(@11):u8[^256]', 'Array number is too big'],
  ['p vfs_read @11:^unknown_type', 'Unknown type is specified'],
  ['p vfs_read $stack0:^string', 'String accepts only memory argument'],
  ['p vfs_read @11:^b10@a/16', 'Invalid bitfield'],
  ['p vfs_read ^arg123456789012345678901234567890=@11', 'Argument name is too long'],
  ['p vfs_read ^=@11', 'Argument name is not specified'],
  ['p vfs_read ^var.1=@11', 'Argument name must follow the same rules as C identifiers'],
  ['p vfs_read var1=@11 ^var1=@12', 'This argument name is already used'],
  ['p vfs_read ^+1234567(+1234567(+1234567(+1234567(+1234567(+1234567(@1234))))))', 'Argument expression is too long'],
  ['p vfs_read arg1=^', 'No argument expression'],
  ['p vfs_read^%hoge', 'Invalid probed address suffix'],
  ['p ^vfs_read+10%return', 'Retprobe address must be an function entry'],
  // No BTF on this machine, so the README has no <argname> and $arg* is refused.
  ['p vfs_read ^$arg*', 'BTF is not available or not supported'],
];

describe('kprobe_syntax_errors.tc', () => {
  it('the README offers every feature these cases depend on', () => {
    const { t } = setup();
    const readme = t.read('README');
    for (const s of ['r[maxactive]', '$arg<N>', 'imm-value', 'imm-string', ' <type>\\[<array-size>\\]', 'Create/append/', 'place (kretprobe): ']) {
      expect(readme).toContain(s);
    }
    expect(readme).toMatch(/place \(kretprobe\): .*%return.*/);
    expect(readme).not.toContain('<argname>');
    const fetchargs = readme.split('\n');
    const i = fetchargs.findIndex((l) => l.includes('fetcharg:'));
    expect(fetchargs[i + 1]).toContain('$comm');
  });

  for (const [cmd, text] of cases) {
    it(cmd, () => {
      const { t } = setup();
      const log = errlogCheck(t, 'trace_kprobe', cmd);
      expect(log).toContain(`trace_kprobe: error: ${text}\n`);
    });
  }

  it('multiprobe errors', () => {
    const { t } = setup();
    expect(t.write('kprobe_events', 'p:kprobes/testevent kernel_clone', true)).toBe(0);
    expect(errlogCheck(t, 'trace_kprobe', '^r:kprobes/testevent do_exit')).toContain('Probe type is different from existing probe');
    expect(t.write('kprobe_events', 'p:kprobes/testevent kernel_clone abcd=\\1', true)).toBe(0);
    for (const c of ['p:kprobes/testevent kernel_clone ^bcd=\\1', 'p:kprobes/testevent kernel_clone ^abcd=\\1:u8', 'p:kprobes/testevent kernel_clone ^abcd=\\"foo"']) {
      expect(errlogCheck(t, 'trace_kprobe', c)).toContain('Argument type or name is different from existing probe');
    }
    expect(errlogCheck(t, 'trace_kprobe', '^p:kprobes/testevent kernel_clone abcd=\\1')).toContain('There is already the exact same probe event');
  });

  it('writes fail with the kernel errno (6.12)', () => {
    const { t } = setup();
    expect(t.write('kprobe_events', 'p:bad5 no_such_function_xyz')).toBe(-22);
    expect(t.write('kprobe_events', 'p:e name_show')).toBe(-22);
    expect(t.read('error_log')).toContain('The symbol is not unique');
    expect(t.write('kprobe_events', 'p:bad11 do_sys_openat2 x=@no_such_symbol_xyz')).toBe(-2);
    const log = t.read('error_log').split('\n');
    // The caret points at the probed symbol, as on the real kernel.
    expect(log.slice(-3).join('\n')).toBe('  Command: p:bad11 do_sys_openat2 x=@no_such_symbol_xyz\n                   ^\n');
    expect(t.write('kprobe_events', 'p:bad8 do_sys_openat2+2')).toBe(-22);
    expect(t.read('error_log')).toContain('Failed to register probe event');
    expect(t.write('kprobe_events', 'p:bad26 vfs_read x=%x0')).toBe(0);
    expect(t.write('kprobe_events', 'p:bad26 vfs_write x=%x0')).toBe(0);
    expect(t.write('kprobe_events', 'p:bad26 vfs_write x=%x0:u32')).toBe(-17);
    expect(t.write('kprobe_events', 'q:bad21 do_sys_openat2')).toBe(-22);
    expect(t.write('kprobe_events', 'p:e vfs_read x=$comm:u32')).toBe(-22);
    expect(t.read('error_log')).toContain('$comm and immediate-string only accepts string type');
    const args = Array.from({ length: 129 }, (_, i) => `a${i + 1}=%x0`).join(' ');
    expect(t.write('error_log', '', true)).toBe(0);
    expect(t.write('kprobe_events', `p:e vfs_read ${args}`)).toBe(-7);
    expect(t.read('error_log')).toBe('');
  });

  it('keeps the last 8 errors', () => {
    const { t } = setup();
    for (let i = 0; i < 10; i++) t.write('kprobe_events', `p:e${i} vfs_read x=%zz`);
    const log = t.read('error_log');
    expect(log.match(/trace_kprobe: error:/g)).toHaveLength(8);
    expect(log).toContain('p:e2 vfs_read');
    expect(log).not.toContain('p:e1 vfs_read');
  });

  it('error_log lines carry the clock', () => {
    const { t, host } = setup();
    host.clock = 3_640_088_123n;
    t.write('kprobe_events', 'p:bad1 do_sys_openat2 x=%di');
    expect(t.read('error_log')).toBe(
      '[    3.640088] trace_kprobe: error: Invalid register name\n' +
        '  Command: p:bad1 do_sys_openat2 x=%di\n' +
        '                                   ^\n',
    );
  });
});
