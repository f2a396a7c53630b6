// trace_pipe lines parsed back into typed events, and formatted again byte for byte: lines real
// kernels printed (Linux 6.18 uprobes on this machine, 6.1 kprobes on x86_64 and arm64 under QEMU,
// from real-kernel.md), the kernel's unescaped strings, (fault), arrays, chars, LOST lines and
// stack traces; and 20 000 events made by the emulated kernel's fetch-and-print code (the bench's
// data), each checked against the register and memory values it was made from.

import { describe, expect, it } from 'vitest';
import { parseEventFormat } from '../../src/host/event-format.ts';
import {
  decodeLatFmt,
  formatContext,
  formatProbeLine,
  jsonArgs,
  parseProbeBody,
  parseTraceLine,
  timestampNs,
  type ArgValue,
  type TraceRecord,
} from '../../src/host/trace-line.ts';
import { latFmt } from '../../src/tracing/trace-output.ts';
import { syntheticTrace } from '../../bench/host-trace-pipe.ts';

const UPROBE_FORMAT = `name: probe_me
ID: 2326
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;
\tfield:s32 a;\toffset:16;\tsize:4;\tsigned:1;
\tfield:s64 b;\toffset:20;\tsize:8;\tsigned:1;
\tfield:__data_loc char[] s;\toffset:28;\tsize:4;\tsigned:1;

print fmt: "(%lx) a=%d b=%Ld s=\\"%s\\"", REC->__probe_ip, REC->a, REC->b, __get_str(s)
`;

const RET_FORMAT = `name: probe_me_ret
ID: 2327
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:unsigned long __probe_func;\toffset:8;\tsize:8;\tsigned:0;
\tfield:unsigned long __probe_ret_ip;\toffset:16;\tsize:8;\tsigned:0;
\tfield:s32 ret;\toffset:24;\tsize:4;\tsigned:1;

print fmt: "(%lx <- %lx) ret=%d", REC->__probe_func, REC->__probe_ret_ip, REC->ret
`;

const KPROBE_FORMAT = `name: myopen_args
ID: 1340
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;
\tfield:u64 a1;\toffset:16;\tsize:8;\tsigned:0;
\tfield:u64 a2;\toffset:24;\tsize:8;\tsigned:0;
\tfield:__data_loc char[] fn;\toffset:32;\tsize:4;\tsigned:1;
\tfield:__data_loc char[] comm;\toffset:36;\tsize:4;\tsigned:1;

print fmt: "(%lx) a1=0x%Lx a2=0x%Lx fn=\\"%s\\" comm=\\"%s\\"", REC->__probe_ip, REC->a1, REC->a2, __get_str(fn), __get_str(comm)
`;

function event(line: string): TraceRecord {
  const t = parseTraceLine(line);
  if (t.kind !== 'event') throw new Error(`not an event: ${line}`);
  return t.rec;
}

describe('trace_pipe lines of real kernels', () => {
  const up = parseEventFormat(UPROBE_FORMAT).args;
  const ret = parseEventFormat(RET_FORMAT).args;
  const kp = parseEventFormat(KPROBE_FORMAT).args;

  it('a 6.18 uprobe line: context, address, typed arguments; formatted back byte for byte', () => {
    const line = '          target-5270    [000] DBZff   239.355677: probe_me: (0x555c07426159) a=0 b=1000 s="hello-uprobe"';
    const rec = event(line);
    expect(rec).toMatchObject({ comm: 'target', pid: 5270, cpu: 0, flags: 'DBZff', timestamp: '239.355677', event: 'probe_me' });
    const body = parseProbeBody(rec.body, up)!;
    expect(body).toEqual({ ip: '0x555c07426159', args: { a: 0n, b: 1000n, s: 'hello-uprobe' }, typed: true });
    expect(formatProbeLine(rec, rec.event, body, up)).toBe(line);
  });

  it('return probes: (return site <- function), for uprobes and kprobes', () => {
    const line = '          target-5270    [000] DBZff   239.355698: probe_me_ret: (0x555c074261c6 <- 0x555c07426159) ret=1012';
    const rec = event(line);
    const body = parseProbeBody(rec.body, ret)!;
    expect(body).toMatchObject({ caller: '0x555c074261c6', func: '0x555c07426159', args: { ret: 1012n } });
    expect(formatProbeLine(rec, rec.event, body, ret)).toBe(line);
    const k = parseProbeBody("([unknown/kretprobe'd] <- do_sys_openat2) ret=0xfffffffffffffffe", [{ name: 'ret', kind: 'x', count: 0, size: 8, isSigned: false }])!;
    expect(k).toMatchObject({ caller: "[unknown/kretprobe'd]", func: 'do_sys_openat2', args: { ret: 0xfffffffffffffffen } });
  });

  it('6.1 kprobe lines on x86_64 and arm64 (flags ..... and d....), and <...> for an uncached comm', () => {
    const line = '             cat-118     [000] .....     6.337076: myopen_args: (do_sys_openat2+0x0/0x170) a1=0xffffff9c a2=0x7fff3858ef8d fn="/etc/hostname" comm="cat"';
    const rec = event(line);
    expect(rec).toMatchObject({ comm: 'cat', pid: 118, flags: '.....', timestamp: '6.337076' });
    const body = parseProbeBody(rec.body, kp)!;
    expect(body.ip).toBe('do_sys_openat2+0x0/0x170');
    expect(body.args).toEqual({ a1: 0xffffff9cn, a2: 0x7fff3858ef8dn, fn: '/etc/hostname', comm: 'cat' });
    expect(formatProbeLine(rec, rec.event, body, kp)).toBe(line);
    const arm = event('             cat-103     [000] d....     3.546046: myopen_args: (do_sys_openat2+0x0/0x190) a1=0xffffffffffffff9c a2=0xffffd2fc3f8d comm="cat"');
    expect(arm).toMatchObject({ flags: 'd....', pid: 103 });
    const unk = event('           <...>-105     [000] d....     3.577765: myopen: (do_sys_openat2+0x0/0x190)');
    expect(unk).toMatchObject({ comm: '<...>', pid: 105 });
    // A comm with dashes and a long pid, and node's non-PIE address.
    const n = event('            node-5271    [000] DBZff   239.491071: node_uv_fs_stat: (0x18b2710) path="/etc/hostname"');
    expect(parseProbeBody(n.body)).toEqual({ ip: '0x18b2710', args: { path: '"/etc/hostname"' }, typed: false });
    expect(event('kworker/u8:2-events_unbound-123456  [001] d..2. 99999.000001: x: (y)')).toMatchObject({ comm: 'kworker/u8:2-events_unbound', pid: 123456, cpu: 1 });
  });

  it('strings the kernel does not escape: quotes and " name=" inside, (fault) unquoted', () => {
    const specs = [
      { name: 's', kind: 'string' as const, count: 0, size: 4, isSigned: true },
      { name: 't', kind: 'string' as const, count: 0, size: 4, isSigned: true },
    ];
    expect(parseProbeBody('(0x401136) s="a" t="b" t=(fault)', specs)!.args).toEqual({ s: 'a" t="b', t: null });
    expect(parseProbeBody('(0x401136) s="hello "quoted" x=1" t=""', specs)!.args).toEqual({ s: 'hello "quoted" x=1', t: '' });
    expect(parseProbeBody('(0x401136) s=(fault) t="x t=(fault)"', specs)!.args).toEqual({ s: null, t: 'x t=(fault)' });
    // UTF-8 bytes arrive as latin1 characters and are decoded.
    const utf = Buffer.from('(0x1) s="héllo" t=""', 'utf8').toString('latin1');
    expect(parseProbeBody(utf, specs)!.args.s).toBe('héllo');
  });

  it('chars, arrays (of strings too), symbols with a module, and a fallback when the format does not fit', () => {
    const fmt = parseEventFormat(`name: pm
ID: 1
format:
\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;
\tfield:u8 c;\toffset:16;\tsize:1;\tsigned:0;
\tfield:u8 arr[];\toffset:17;\tsize:3;\tsigned:0;
\tfield:__data_loc char[] ss[];\toffset:20;\tsize:8;\tsigned:1;
\tfield:u64 sym;\toffset:28;\tsize:8;\tsigned:0;
\tfield:s16 n;\toffset:36;\tsize:2;\tsigned:1;

print fmt: "(%lx) c='%c' arr={0x%x,0x%x,0x%x} ss={\\"%s\\",\\"%s\\"} sym=%pS n=%d", REC->__probe_ip, REC->c, REC->arr[0], REC->arr[1], REC->arr[2], __get_str(ss[0]), __get_str(ss[1]), REC->sym, REC->n
`);
    expect(fmt.args.map((a) => [a.name, a.kind, a.count])).toEqual([
      ['c', 'char', 0],
      ['arr', 'x', 3],
      ['ss', 'string', 2],
      ['sym', 'symbol', 0],
      ['n', 's', 0],
    ]);
    const body = "(vfs_read+0x0/0x310) c=' ' arr={0x68,0x65,0x6c} ss={\"a,b\",(fault)} sym=ext4_file_read_iter+0x0/0x1c0 [ext4] n=-3";
    const p = parseProbeBody(body, fmt.args)!;
    expect(p.args).toEqual({ c: ' ', arr: [0x68n, 0x65n, 0x6cn], ss: ['a,b', null], sym: 'ext4_file_read_iter+0x0/0x1c0 [ext4]', n: -3n });
    // Typed as something else than the line: the raw split, not an error.
    const raw = parseProbeBody('(0x1) a=zz b=1', up)!;
    expect(raw).toEqual({ ip: '0x1', args: { a: 'zz', b: '1' }, typed: false });
  });

  it('LOST lines, stack trace headers and frames, and what is not a trace line', () => {
    expect(parseTraceLine('CPU:1 [LOST 340 EVENTS]')).toEqual({ kind: 'lost', cpu: 1, count: 340 });
    expect(parseTraceLine('CPU:0 [LOST EVENTS]')).toEqual({ kind: 'lost', cpu: 0, count: undefined });
    const st = parseTraceLine('               t-16305   [001] DBZff  2395.853069: <user stack trace>');
    expect(st).toMatchObject({ kind: 'stack', user: true, rec: { comm: 't', pid: 16305 } });
    expect(parseTraceLine('            bash-1234    [000] d..1.   123.000001: <stack trace>')).toMatchObject({ kind: 'stack', user: false });
    expect(parseTraceLine(' => /tmp/kpx/t[+0x149]')).toEqual({ kind: 'frame', frame: '/tmp/kpx/t[+0x149]' });
    expect(parseTraceLine(' =>  <000055e4cd0e1149>')).toEqual({ kind: 'frame', frame: ' <000055e4cd0e1149>' });
    expect(parseTraceLine('# tracer: nop')).toEqual({ kind: 'other', text: '# tracer: nop' });
  });

  it('the tgid column (options/record-tgid) and irq-info off', () => {
    const rec = event('            bash-1977    (   1977) [000] .....    17.000001: probe_me: (0x1)');
    expect(rec).toMatchObject({ comm: 'bash', pid: 1977, tgid: 1977, cpu: 0, flags: '.....' });
    expect(formatContext(rec)).toBe('            bash-1977    (   1977) [000] .....    17.000001: ');
    const unknown = event('            bash-1978    (-------) [000] .....    17.000001: probe_me: (0x1)');
    expect(unknown.tgid).toBe(0);
    expect(formatContext(unknown)).toBe('            bash-1978    (-------) [000] .....    17.000001: ');
    const noirq = event('            bash-1977    [000]     17.000001: probe_me: (0x1)');
    expect(noirq).toMatchObject({ flags: '', timestamp: '17.000001' });
    expect(formatContext(noirq)).toBe('            bash-1977    [000]     17.000001: ');
  });

  it('flags decode to the trace_entry bits latFmt prints again, for every combination', () => {
    for (let f = 0; f < 256; f++) {
      for (const pc of [0, 1, 0xf, 0x10, 0x21, 0xff]) {
        const text = latFmt(f, pc);
        const d = decodeLatFmt(text)!;
        expect(latFmt(d.flags, d.preemptCount)).toBe(text);
      }
    }
    expect(decodeLatFmt('d...')).toBeUndefined();
    expect(timestampNs('2395.853014')).toBe(2395853014000n);
  });

  it('JSON: decimal kinds as numbers (strings past 2^53), hex kinds as printed, strings, null for a fault', () => {
    const specs = [
      { name: 'a', kind: 's' as const, count: 0, size: 4, isSigned: true },
      { name: 'big', kind: 'u' as const, count: 0, size: 8, isSigned: false },
      { name: 'h', kind: 'x' as const, count: 0, size: 8, isSigned: false },
      { name: 's', kind: 'string' as const, count: 0, size: 4, isSigned: true },
      { name: 'arr', kind: 'x' as const, count: 2, size: 1, isSigned: false },
    ];
    const args: Record<string, ArgValue> = { a: -100n, big: 18446744073709551615n, h: 255n, s: null, arr: [1n, 2n] };
    expect(JSON.stringify(jsonArgs(args, specs))).toBe('{"a":-100,"big":"18446744073709551615","h":"0xff","s":null,"arr":["0x1","0x2"]}');
  });
});

describe('20 000 events from the emulated kernel\'s fetch-and-print code', () => {
  it('parse to the register and memory values they were made from, and format back to the same line', () => {
    const gen = syntheticTrace(20000, 7);
    let typed = 0;
    for (let i = 0; i < gen.lines.length; i++) {
      const line = gen.lines[i]!;
      const truth = gen.truth[i]!;
      const p = gen.probes[truth.probe]!;
      const rec = event(line);
      expect(rec.event).toBe(p.event);
      const body = parseProbeBody(rec.body, p.specs)!;
      expect(body.typed, line).toBe(true);
      typed++;
      const s32 = (v: bigint): bigint => BigInt.asIntN(32, v);
      const str = truth.string ?? null;
      switch (p.event) {
        case 'probe_me':
          expect(body.args).toEqual({ a: s32(truth.regs.di!), b: BigInt.asIntN(64, truth.regs.si!), s: str, c: str === null ? '\0' : str[0] });
          if (str === null) expect(line).toContain(' s=(fault) ');
          break;
        case 'probe_me__return':
          expect(body.args).toEqual({ ret: s32(truth.regs.ax!) });
          break;
        case 'myopen': {
          const raw = str === null ? [0n, 0n, 0n, 0n] : [...Buffer.from(str.padEnd(4, '\0').slice(0, 4), 'latin1')].map(BigInt);
          expect(body.args).toEqual({ dfd: s32(truth.regs.di!), filename: str, flags: BigInt.asUintN(32, truth.regs.dx!), raw });
          break;
        }
        case 'myopen__return':
          expect(body.args).toEqual({ ret: BigInt.asIntN(64, truth.regs.ax!) });
          break;
      }
      if (!line.includes("c='\0'")) expect(formatProbeLine(rec, rec.event, body, p.specs)).toBe(line);
    }
    expect(typed).toBe(20000);
  });
});
