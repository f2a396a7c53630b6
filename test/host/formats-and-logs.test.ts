// The tracefs files the host target reads, on real kernels' text: event format files (typing
// each argument), error_log (entries, matched by command, printed again), the README (features
// as ftracetest's check_requires reads them, for Linux 6.18 without kprobes and 6.12 with), the
// per-CPU stats (lost events) and the dynamic-events listings (what the sweep looks at).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDynamicEvents } from '../../src/host/dynamic-events.ts';
import { commandText, formatErrorEntry, parseErrorLog } from '../../src/host/error-log.ts';
import { parseEventFormat } from '../../src/host/event-format.ts';
import { parseCpuStats } from '../../src/host/instance.ts';
import { featuresFromReadme, kprobeAbsence, missingArgFeatures, uprobeAbsence } from '../../src/host/readme.ts';
import { archSpec } from '../../src/tracing/arch.ts';
import { argvSplit } from '../../src/tracing/kstr.ts';
import { kprobeEventFields, parseKprobeCommand } from '../../src/tracing/probe-event.ts';
import { readmeText } from '../../src/tracing/readme.ts';
import { TraceEventCall } from '../../src/tracing/trace-events.ts';

/** tracefs READMEs of real kernels (saved by the team's real-kernel runs). */
const readLog = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const FILES = { kprobeEvents: true, uprobeEvents: true, dynamicEvents: true, errorLog: true, instances: true };

describe('event format files', () => {
  it('a 6.1 kprobe format: fields and argument kinds from the print fmt', () => {
    const f = parseEventFormat(`name: myopen
ID: 1338
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;
\tfield:u64 dfd;\toffset:16;\tsize:8;\tsigned:0;
\tfield:__data_loc char[] filename;\toffset:24;\tsize:4;\tsigned:1;

print fmt: "(%lx) dfd=0x%Lx filename=\\"%s\\"", REC->__probe_ip, REC->dfd, __get_str(filename)
`);
    expect(f).toMatchObject({ name: 'myopen', id: 1338, isReturn: false });
    expect(f.fields).toHaveLength(7);
    expect(f.fields[5]).toEqual({ type: 'u64', name: 'dfd', isArray: false, offset: 16, size: 8, isSigned: false });
    expect(f.args).toEqual([
      { name: 'dfd', kind: 'x', count: 0, size: 8, isSigned: false },
      { name: 'filename', kind: 'string', count: 0, size: 4, isSigned: true },
    ]);
  });

  it('every type of the probe-event language, through the emulated f_show() and back', () => {
    const arch = archSpec('x86_64');
    const line =
      'p:g/e vfs_read a=%di:u8 b=%di:s16 c=%di:x32 d=%di:u64 e=%di:s64 f=%di:x8 g=+0(%si):string h=+0(%si):ustring i=%di:symbol j=+0(%si):char k=%di:b4@4/32 l=+0(%si):u16[3] m=+0(%si):string[2] n=$comm';
    const r = parseKprobeCommand(argvSplit(line), { arch });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const call = new TraceEventCall(9, 'g', 'e', { fields: () => kprobeEventFields(r.def, arch), printFmt: () => r.def.printFmt, print: () => '', reg: () => 0 });
    const f = parseEventFormat(call.format());
    expect(f.args.map((a) => `${a.name}:${a.kind}${a.count ? `[${a.count}]` : ''}:${a.size}`)).toEqual([
      'a:u:1',
      'b:s:2',
      'c:x:4',
      'd:u:8',
      'e:s:8',
      'f:x:1',
      'g:string:4',
      'h:string:4',
      'i:symbol:8',
      'j:char:1',
      'k:u:4',
      'l:u[3]:2',
      'm:string[2]:4',
      'n:string:4',
    ]);
  });
});

describe('error_log', () => {
  const text = `[ 2606.916557] trace_uprobe: error: Invalid uprobe offset
  Command: p:kpxe/bad8 /tmp/kpx/t:0x11zz
                                  ^
[    6.965512] trace_kprobe: error: Invalid register name
  Command: p:bad1 do_sys_openat2 x=%zz
                                   ^
[ 2606.916768] trace_uprobe: error: Unknown type is specified
  Command: p:kpxe/bad15 /tmp/kpx/t:0x1149 x=+0(%di):symbol
                                                    ^
`;
  it('entries with their position, printed again as the kernel prints them', () => {
    const e = parseErrorLog(text);
    expect(e.map((x) => [x.location, x.message, x.pos])).toEqual([
      ['trace_uprobe', 'Invalid uprobe offset', 23],
      ['trace_kprobe', 'Invalid register name', 24],
      ['trace_uprobe', 'Unknown type is specified', 41],
    ]);
    expect(e[1]!.timestamp).toBe(6.965512);
    for (const x of e) expect(x.text.split('\n').slice(1).join('\n')).toBe(formatErrorEntry(x).split('\n').slice(1).join('\n'));
    expect(parseErrorLog('')).toEqual([]);
  });
  it('the command as the kernel joins it (single spaces)', () => {
    expect(commandText('  p:a/b   /bin/x:0x10\tx=%di ')).toBe('p:a/b /bin/x:0x10 x=%di');
  });
});

describe('README features', () => {
  it('Linux 6.18 without kprobes: uprobes, %return, no kprobe place', () => {
    const readme = readLog('host-6.18-tracefs-README.txt');
    const f = featuresFromReadme(readme, { ...FILES, kprobeEvents: false });
    expect(f).toMatchObject({ uretprobeSuffix: true, refCtrOffset: true, ustring: true, userDeref: true, argN: true, comm: true, symstr: true, arrays: true, kretprobeSuffix: false, maxactive: true });
  });
  it('Linux 6.12 with kprobes: kretprobe %return, return probe args', () => {
    const readme = readLog('guest-6.12-amd64-tracefs-README.txt');
    const f = featuresFromReadme(readme, FILES);
    expect(f).toMatchObject({ kretprobeSuffix: true, uretprobeSuffix: true, returnProbeArgs: true, hexTypes: true, bitfields: true, immString: true, dentry: true, charType: true });
  });
  it('the emulated machine\'s README reads the same way; an old kernel misses features', () => {
    const f = featuresFromReadme(readmeText(archSpec('arm64'), { btfArgs: false }), FILES);
    expect(f).toMatchObject({ argN: true, ustring: true, kretprobeSuffix: true, symstr: true });
    const old = featuresFromReadme('\t     args: <name>=fetcharg[:type]\n\t     type: s8/16/32/64, u8/16/32/64, x8/16/32/64, string\n', FILES);
    expect(missingArgFeatures(['s=+0(%si):ustring', 'u=+u0(%si):u32', 'c=$comm', 'a=$arg1', 'x=%di:x32', 'arr=+0(%si):u8[4]'], old, 'kprobe')).toEqual([
      'the ustring type',
      '+u<offset>(…) user-space dereference',
      '$comm',
      '$arg<N>',
      'array types',
    ]);
  });
  it('why kprobes are missing, from the kernel configuration, and that uprobes still work', () => {
    const f = featuresFromReadme('', { ...FILES, kprobeEvents: false });
    expect(kprobeAbsence(f, new Map([['CONFIG_KPROBES', 'n']]), '6.18.44')).toBe(
      "this kernel (6.18.44) has no kprobes: CONFIG_KPROBES is not set, so tracefs has no kprobe_events. Uprobes still work: probe a user-space function with 'p:/path/to/binary:function' ('kprobe host -l BINARY' lists them).",
    );
    expect(kprobeAbsence(f, new Map([['CONFIG_KPROBES', 'y']]), '6.1')).toMatch(/CONFIG_KPROBE_EVENTS is not set/);
    expect(kprobeAbsence(f, undefined, '6.1')).toMatch(/built without CONFIG_KPROBES or CONFIG_KPROBE_EVENTS/);
    expect(kprobeAbsence(featuresFromReadme('', FILES), undefined)).toBeUndefined();
    expect(uprobeAbsence(featuresFromReadme('', { ...FILES, uprobeEvents: false }), new Map([['CONFIG_UPROBES', 'n']]), '6.1')).toBe(
      'this kernel (6.1) has no uprobes: CONFIG_UPROBES is not set, so tracefs has no uprobe_events. Kprobes still work.',
    );
  });
});

describe('per-CPU stats and dynamic-event listings', () => {
  it('overrun and dropped events of per_cpu/cpuN/stats', () => {
    const s = parseCpuStats(1, 'entries: 492\noverrun: 340\ncommit overrun: 0\nbytes: 12\noldest event ts:  2492.370617\nnow ts:  2493.926993\ndropped events: 2449\nread events: 7\n');
    expect(s).toEqual({ cpu: 1, entries: 492, overrun: 340, commitOverrun: 0, dropped: 2449, readEvents: 7 });
  });
  it('kprobes, uprobes and other dynamic events, with group and event', () => {
    const l = parseDynamicEvents(
      [
        'p:kprobe_5114/probe_me /tmp/kpx/t:0x0000000000001149 a=%di:s32',
        'r10:kprobes/myopen_ret do_sys_openat2 ret=$retval',
        'p:mygrp/vfsread vfs_read count=%dx:u64',
        'r:kprobe_5114/probe_me__return /tmp/kpx/t:0x0000000000001149',
        's:synthetic/wakeup_latency u64 lat',
        'garbage',
      ].join('\n'),
    );
    expect(l.map((e) => [e.type, e.group, e.event, e.kind])).toEqual([
      ['p', 'kprobe_5114', 'probe_me', 'uprobe'],
      ['r', 'kprobes', 'myopen_ret', 'kprobe'],
      ['p', 'mygrp', 'vfsread', 'kprobe'],
      ['r', 'kprobe_5114', 'probe_me__return', 'uprobe'],
      ['s', 'synthetic', 'wakeup_latency', undefined],
    ]);
  });
});
