// The pure probe-event module: parse → KprobeDefinition → listing line, names, fields and print
// fmt, removal commands. Expectations are the kernel's (real-kernel.md listings, the
// linux-6.1-vs-6.12 notes, and the ftrace selftests' kprobe_*.tc).

import { describe, expect, it } from 'vitest';
import { archSpec } from '../../src/tracing/arch.ts';
import {
  kprobeEventFields,
  kprobeListing,
  kprobeMatches,
  parseKprobeLine,
  parseRemoveCommand,
  type KprobeDefinition,
  type KprobeParseEnv,
} from '../../src/tracing/probe-event.ts';
import { ProbeLog } from '../../src/tracing/probe-errors.ts';
import { argvSplit, globMatch, kstrtoul, kstrtol } from '../../src/tracing/kstr.ts';
import { DEFAULT_SYMBOLS, TestHost } from './test-host.ts';

const arm64 = archSpec('arm64');

/** An environment that answers symbol questions from the test symbol table. */
function env(): KprobeParseEnv {
  const host = new TestHost(1, DEFAULT_SYMBOLS);
  return {
    arch: arm64,
    symbols: {
      countSymbols: (n, m) => host.countSymbols(n, m),
      isModuleLoaded: (m) => host.isModuleLoaded(m),
      onFuncEntry: (sym, off) => {
        const base = host.lookupName(sym);
        if (base === undefined) return -2;
        const at = host.lookupAddress(base + BigInt(off));
        if (!at) return -2;
        return at.offset === 0n ? 0 : -22;
      },
    },
  };
}

function parse(line: string, e: KprobeParseEnv = env()): KprobeDefinition {
  const r = parseKprobeLine(line, e);
  if (!r.ok) throw new Error(`${line}: ${r.errno} ${r.errors.map((x) => x.text).join('; ')}`);
  return r.def;
}

function listing(line: string, maxactive?: number): string {
  const d = parse(line);
  return kprobeListing(d, { arch: arm64 }, maxactive ?? (d.isReturn ? 10 : 0));
}

describe('listing (kprobe_events)', () => {
  it('lists definitions as the arm64 kernel does', () => {
    expect(listing('p:myopen do_sys_openat2 dfd=%x0:s32 filename=+0(%x1):string ufn=+0(%x1):ustring')).toBe(
      'p:kprobes/myopen do_sys_openat2 dfd=%x0:s32 filename=+0(%x1):string ufn=+0(%x1):ustring',
    );
    expect(listing('r:myopen_ret do_sys_openat2 ret=$retval:s32')).toBe('r10:kprobes/myopen_ret do_sys_openat2 ret=$retval:s32');
    expect(listing('p:myopen_args do_sys_openat2 a1=$arg1 a2=$arg2:x64 comm=$comm')).toBe(
      'p:kprobes/myopen_args do_sys_openat2 a1=$arg1 a2=$arg2:x64 comm=$comm',
    );
    expect(listing('p:mygrp/vfsread vfs_read count=%x2:u64 file=%x0:x64')).toBe('p:mygrp/vfsread vfs_read count=%x2:u64 file=%x0:x64');
    expect(listing('p:dynopen do_sys_openat2+0 flags=+0(%x2):x64')).toBe('p:kprobes/dynopen do_sys_openat2 flags=+0(%x2):x64');
  });

  it('r: shows the maxactive register_kretprobe() settled on; r<N>: keeps N', () => {
    expect(listing('r:x vfs_read', 0)).toBe('r:kprobes/x vfs_read');
    const d = parse('r100:x vfs_read');
    expect(d.maxactive).toBe(100);
    expect(kprobeListing(d, { arch: arm64 })).toBe('r100:kprobes/x vfs_read');
  });

  it('SYM%return lists exactly like r: (kretprobe_return_suffix.tc)', () => {
    expect(listing('p:myopen_ret2 do_sys_openat2%return ret=$retval:s32')).toBe(listing('r:myopen_ret2 do_sys_openat2 ret=$retval:s32'));
  });

  it('names unnamed arguments argN (kprobe_args.tc, kretprobe_args.tc)', () => {
    expect(listing('p:testprobe kernel_clone $stack $stack0 +0($stack)')).toBe(
      'p:kprobes/testprobe kernel_clone arg1=$stack arg2=$stack0 arg3=+0($stack)',
    );
    expect(listing('r:testprobe2 kernel_clone $retval')).toBe('r10:kprobes/testprobe2 kernel_clone arg1=$retval');
    expect(listing('p:e vfs_read comm=$comm')).toBe('p:kprobes/e vfs_read comm=$comm');
  });

  it('offsets print in decimal, +0 is dropped', () => {
    expect(listing('p:e vfs_read+0x10')).toBe('p:kprobes/e vfs_read+16');
    expect(listing('p:e vfs_read+0')).toBe('p:kprobes/e vfs_read');
  });

  it('$argN on return probes (6.12) and the entry data they need', () => {
    const d = parse('r:x vfs_read a1=$arg1 a3=$arg3 again=$arg1');
    expect(kprobeListing(d, { arch: arm64 }, 10)).toBe('r10:kprobes/x vfs_read a1=$arg1 a3=$arg3 again=$arg1');
    expect(d.entryArg!.slots).toEqual([
      { argnum: 0, offset: 0 },
      { argnum: 2, offset: 8 },
    ]);
    expect(d.entryArg!.dataSize).toBe(16);
  });

  it('rewrites %pd / %pD into string fetches', () => {
    expect(listing('p:e vfs_read d=+8(%x0):%pd')).toBe('p:kprobes/e vfs_read d=+0x0(+0x28(+8(%x0))):string');
    expect(listing('p:e vfs_read f=%x0:%pD')).toBe('p:kprobes/e vfs_read f=+0x0(+0x28(+0x48(%x0))):string');
    expect(listing('p:e vfs_read \\1:%pd')).toBe('p:kprobes/e vfs_read arg1=+0x0(+0x28(\\1)):string');
  });
});

describe('event names (kprobe_eventname.tc)', () => {
  it('auto-names p_<sym>_<offs> / r_<sym>_<offs>', () => {
    expect(parse('p vfs_read').event).toBe('p_vfs_read_0');
    expect(parse('r vfs_read').event).toBe('r_vfs_read_0');
    expect(parse('p vfs_read+8').event).toBe('p_vfs_read_8');
    expect(parse('r10 inet_csk_accept').event).toBe('r_inet_csk_accept_0');
    expect(parse('p:event1 vfs_read').event).toBe('event1');
    const g = parse('p:kprobes2/event2 vfs_read');
    expect([g.group, g.event]).toEqual(['kprobes2', 'event2']);
    const dot = parse('p:grp.ev vfs_read');
    expect([dot.group, dot.event]).toEqual(['grp', 'ev']);
    const auto = parse('p:mygroup/ vfs_read');
    expect([auto.group, auto.event]).toEqual(['mygroup', 'p_vfs_read_0']);
  });

  it('sanitizes module and suffixed names', () => {
    const d = parse('p trace_printk:trace_printk_irq_work');
    expect(d.event).toBe('p_trace_printk_trace_printk_irq_work_0');
    expect(d.symbol).toBe('trace_printk:trace_printk_irq_work');
    const host = new TestHost(1, [...DEFAULT_SYMBOLS, { name: 'foo.isra.0', addr: 0xffff800008100000n, size: 0x40n, type: 't' }]);
    const e: KprobeParseEnv = {
      arch: arm64,
      symbols: { countSymbols: (n, m) => host.countSymbols(n, m), isModuleLoaded: () => false, onFuncEntry: () => 0 },
    };
    expect(parse('p foo.isra.0', e).event).toBe('p_foo_isra_0_0');
  });

  it('names address probes p_0x<hashed pointer> and lists the hashed address', () => {
    const d = parse('p 0xffff800008010000');
    expect(d.addr).toBe(0xffff800008010000n);
    expect(d.event).toMatch(/^p_0x00000000[0-9a-f]{8}$/);
    expect(kprobeListing(d, { arch: arm64 })).toBe(`p:kprobes/${d.event} ${d.event.slice(2)}`);
  });
});

describe('types, fields and print fmt', () => {
  it('lays out fields like the kernel (myopen_args)', () => {
    const d = parse('p:myopen_args do_sys_openat2 a1=$arg1 a2=$arg2:x64 fn=+0($arg2):ustring comm=$comm');
    expect(kprobeEventFields(d, arm64)).toEqual([
      { type: 'unsigned long', name: '__probe_ip', offset: 8, size: 8, isSigned: false },
      { type: 'u64', name: 'a1', offset: 16, size: 8, isSigned: false },
      { type: 'u64', name: 'a2', offset: 24, size: 8, isSigned: false },
      { type: '__data_loc char[]', name: 'fn', offset: 32, size: 4, isSigned: true },
      { type: '__data_loc char[]', name: 'comm', offset: 36, size: 4, isSigned: true },
    ]);
    expect(d.printFmt).toBe(
      '"(%lx) a1=0x%Lx a2=0x%Lx fn=\\"%s\\" comm=\\"%s\\"", REC->__probe_ip, REC->a1, REC->a2, __get_str(fn), __get_str(comm)',
    );
  });

  it('prints every basic type with its format', () => {
    const d = parse('p:e vfs_read a=%x0:u8 b=%x0:u16 c=%x0:u32 d=%x0:u64 e=%x0:s8 f=%x0:s16 g=%x0:s32 h=%x0:s64 i=%x0:x8 j=%x0:x16 k=%x0:x32 l=%x0:x64 m=%x0:char n=%x0:symbol');
    expect(d.printFmt).toBe(
      '"(%lx) a=%u b=%u c=%u d=%Lu e=%d f=%d g=%d h=%Ld i=0x%x j=0x%x k=0x%x l=0x%Lx m=\'%c\' n=%pS", REC->__probe_ip, REC->a, REC->b, REC->c, REC->d, REC->e, REC->f, REC->g, REC->h, REC->i, REC->j, REC->k, REC->l, REC->m, REC->n',
    );
    expect(d.size).toBe(1 + 2 + 4 + 8 + 1 + 2 + 4 + 8 + 1 + 2 + 4 + 8 + 1 + 8);
  });

  it('arrays: char[4] and string[4]', () => {
    const d = parse('p:e vfs_read c=+0(%x0):char[4] s=+0(%x1):string[2]');
    const f = kprobeEventFields(d, arm64);
    expect(f[1]).toEqual({ type: 'u8[4]', name: 'c', offset: 16, size: 4, isSigned: false });
    expect(f[2]).toEqual({ type: '__data_loc char[][2]', name: 's', offset: 20, size: 8, isSigned: true });
    expect(d.printFmt).toBe(
      '"(%lx) c={\'%c\',\'%c\',\'%c\',\'%c\'} s={\\"%s\\",\\"%s\\"}", REC->__probe_ip, REC->c[0], REC->c[1], REC->c[2], REC->c[3], __get_str(s[0]), __get_str(s[1])',
    );
  });

  it('bitfields use their container type', () => {
    const d = parse('p:e vfs_read $stack0:b4@4/32');
    expect(d.args[0]!.type.name).toBe('u32');
    expect(d.args[0]!.code.map((c) => c.op)).toEqual(['stack', 'st_raw', 'mod_bf', 'end']);
    expect(d.args[0]!.code[2]).toMatchObject({ lshift: 24, rshift: 28, basesize: 4 });
  });

  it('accepts what kprobe_args_syntax.tc accepts and refuses what it refuses', () => {
    const good = [
      '%x0', '@linux_proc_banner', '@0xffff800009000000', '@linux_proc_banner+10', '@linux_proc_banner-10',
      '$stack', '$stack0', '$stack1', '$comm', '+0(%x0)', '-0(%x0)', '+10($stack)', '+0($stack1)',
      '+10(@linux_proc_banner-10)', '+0(+10(+20($stack)))', 'varname=%x0', '%x0:x16', '$comm:string', '+0($stack):string',
    ];
    for (const g of good) expect(parseKprobeLine(`p vfs_read ${g}`, env()).ok, g).toBe(true);
    const bad = ['%ax', '$stackp', '$stack0+10', '$stack1-10', '+(%x0)', '(%x0+10)', '-(%x0)', '(%x0)', '+10($comm)',
      'varname=varname2=%x0', '%x0::x16', '%x0:y16', 'x16:%x0', '$comm:x64', '$stack:string', '%x0:string'];
    for (const b of bad) expect(parseKprobeLine(`p vfs_read ${b}`, env()).ok, b).toBe(false);
    expect(parseKprobeLine('r vfs_read $retval', env()).ok).toBe(true);
  });

  it('6.12 only: char, $argN on returns, \\"str" types', () => {
    expect(parseKprobeLine('p:e vfs_read c=%x0:char', env()).ok).toBe(true);
    expect(parseKprobeLine('p:e vfs_read d=\\65:char', env()).ok).toBe(true);
    expect(parseKprobeLine('p:e vfs_read s=\\"abc":string', env()).ok).toBe(true);
    expect(parseKprobeLine('p:e vfs_read s=\\"abc":u32', env()).ok).toBe(false);
    const off = parseKprobeLine('p:x vfs_read+8 x=$arg1', env());
    expect(!off.ok && off.errors[0]!.text).toBe('$arg* can be used only on function entry or exit');
  });
});

describe('error positions (ProbeLog)', () => {
  it('an index past the last word puts the caret one past the end', () => {
    const log = new ProbeLog('trace_kprobe', ['p', 'vfs_read']);
    log.setIndex(2);
    log.err(5, 'BAD_VAR');
    expect(log.errors[0]!.pos).toBe('p vfs_read'.length + 1);
  });
});

describe('removal commands', () => {
  const d1 = parse('p:kprobes/testevent kernel_clone');
  const d2 = parse('p:kprobes/testevent do_exit a=%x0');
  const e = { arch: arm64 };
  it('parses -:[GRP/]EVENT [PLACE ARGS]', () => {
    expect(parseRemoveCommand('-:kprobes/testevent kernel_clone')).toEqual({ system: 'kprobes', event: 'testevent', args: ['kernel_clone'] });
    expect(parseRemoveCommand('-:')).toBe(-22);
    expect(parseRemoveCommand('-foo')).toBe(-22);
    expect(parseRemoveCommand('-:grp/')).toEqual({ system: 'grp', event: '', args: [] });
    expect(parseRemoveCommand('!p:kprobes/x vfs_read')).toEqual({ system: 'kprobes', event: 'x', args: ['vfs_read'] });
  });
  it('matches by name, group, place and leading arguments', () => {
    const m = (cmd: string, d: KprobeDefinition) => kprobeMatches(d, parseRemoveCommand(cmd) as never, e);
    expect(m('-:testevent', d1)).toBe(true);
    expect(m('-:kprobes/testevent kernel_clone', d1)).toBe(true);
    expect(m('-:kprobes/testevent kernel_clone', d2)).toBe(false);
    expect(m('-:testevent do_exit a=%x0', d2)).toBe(true);
    expect(m('-:testevent do_exit a=%x1', d2)).toBe(false);
    expect(m('-:other/testevent', d1)).toBe(false);
    expect(m('-:kprobes/', d2)).toBe(true);
  });
});

describe('kernel string helpers', () => {
  it('kstrto* accept what the kernel accepts', () => {
    expect(kstrtoul('0x10')).toEqual({ ok: true, value: 16n });
    expect(kstrtoul('010')).toEqual({ ok: true, value: 8n });
    expect(kstrtoul('10\n')).toEqual({ ok: true, value: 10n });
    expect(kstrtoul('+7')).toEqual({ ok: true, value: 7n });
    expect(kstrtoul('0x').ok).toBe(false);
    expect(kstrtoul('1a').ok).toBe(false);
    expect(kstrtoul('18446744073709551616').ok).toBe(false);
    expect(kstrtol('-0x10')).toEqual({ ok: true, value: -16n });
    expect(kstrtol('-9223372036854775809').ok).toBe(false);
  });
  it('argv_split and glob_match', () => {
    expect(argvSplit('  p:a  vfs_read\tx=%x0 \n')).toEqual(['p:a', 'vfs_read', 'x=%x0']);
    expect(globMatch('*:%p[dD]', 'a=%x0:%pD')).toBe(true);
    expect(globMatch('*:%p[dD]', 'a=%x0:%px')).toBe(false);
    expect(globMatch('f?o*', 'foobar')).toBe(true);
    expect(globMatch('[!a]bc', 'abc')).toBe(false);
    expect(globMatch('a\\*c', 'a*c')).toBe(true);
  });
});
