// The check the QEMU test runs in a guest with kprobes (support/openat2-check.ts), fed with what
// `kprobe host --json` makes of trace lines real kernels printed for the same probes (Linux 6.1
// x86_64 and arm64 guests, real-kernel.md): it passes on them, and names what is wrong otherwise.
// On this machine the real run is the test in real-kernel.test.ts when the kernel has kprobes.

import { describe, expect, it } from 'vitest';
import { parseEventFormat } from '../../src/host/event-format.ts';
import { jsonEvent, parseProbeBody, parseTraceLine } from '../../src/host/trace-line.ts';
import { archSpec } from '../../src/tracing/arch.ts';
import { argvSplit } from '../../src/tracing/kstr.ts';
import { kprobeEventFields, parseKprobeCommand } from '../../src/tracing/probe-event.ts';
import { TraceEventCall } from '../../src/tracing/trace-events.ts';
import { checkOpenat2, openat2Args, OPENAT2_PROBES } from './support/openat2-check.ts';

/** The format files the kernel makes for the check's probes (named as kprobe host names them). */
function specs(arch: 'x86_64' | 'arm64') {
  const a = archSpec(arch);
  const out = new Map<string, ReturnType<typeof parseEventFormat>['args']>();
  for (const [line, name] of [
    [OPENAT2_PROBES[0].replace('p:do_sys_openat2 ', 'p:kprobe_1/do_sys_openat2 do_sys_openat2 '), 'do_sys_openat2'],
    [OPENAT2_PROBES[1].replace('r:do_sys_openat2 ', 'r:kprobe_1/do_sys_openat2__return do_sys_openat2 '), 'do_sys_openat2__return'],
  ] as const) {
    const r = parseKprobeCommand(argvSplit(line), { arch: a });
    if (!r.ok) throw new Error(line);
    const call = new TraceEventCall(1, 'kprobe_1', name, { fields: () => kprobeEventFields(r.def, a), printFmt: () => r.def.printFmt, print: () => '', reg: () => 0 });
    out.set(name, parseEventFormat(call.format()).args);
  }
  return out;
}

function json(lines: string[], arch: 'x86_64' | 'arm64'): string {
  const s = specs(arch);
  return lines
    .map((l) => {
      const t = parseTraceLine(l);
      if (t.kind !== 'event') throw new Error(l);
      return JSON.stringify(jsonEvent(t.rec, parseProbeBody(t.rec.body, s.get(t.rec.event)), s.get(t.rec.event)));
    })
    .join('\n');
}

const X86 = [
  '             cat-118     [000] .....     6.337097: do_sys_openat2: (do_sys_openat2+0x0/0x170) filename="/etc/hostname"',
  '             cat-118     [000] .....     6.337261: do_sys_openat2__return: (__x64_sys_openat+0x6a/0xa0 <- do_sys_openat2) ret=3',
  '             cat-119     [000] .....     6.354100: do_sys_openat2: (do_sys_openat2+0x0/0x170) filename="/nonexistent-kprobe-file"',
  '             cat-119     [000] .....     6.354183: do_sys_openat2__return: (__x64_sys_openat+0x6a/0xa0 <- do_sys_openat2) ret=-2',
];

const ARM64 = [
  '             cat-103     [000] d....     3.547695: do_sys_openat2: (do_sys_openat2+0x0/0x190) filename="/etc/hostname"',
  '              sh-105     [000] d....     3.577794: do_sys_openat2: (do_sys_openat2+0x0/0x190) filename="events/kprobes/enable"',
  '             cat-103     [000] .....     3.549691: do_sys_openat2__return: (__arm64_sys_openat+0x70/0xbc <- do_sys_openat2) ret=3',
  '              sh-105     [000] .....     3.577989: do_sys_openat2__return: (__arm64_sys_openat+0x70/0xbc <- do_sys_openat2) ret=3',
  '             cat-104     [000] d....     3.565782: do_sys_openat2: (do_sys_openat2+0x0/0x190) filename="/nonexistent-kprobe-file"',
  '             cat-104     [000] .....     3.566100: do_sys_openat2__return: (__arm64_sys_openat+0x70/0xbc <- do_sys_openat2) ret=-2',
];

describe('the QEMU check of kprobe host on do_sys_openat2', () => {
  it('what it runs', () => {
    expect(openat2Args()).toEqual([
      'host',
      '--json',
      '-c',
      'cat /etc/hostname > /dev/null; cat /nonexistent-kprobe-file 2> /dev/null; exit 0',
      '-e',
      'r:do_sys_openat2 ret=$retval:s64',
      'p:do_sys_openat2 filename=+0($arg2):ustring',
    ]);
  });

  it('passes on the JSON of real kernels\' lines (x86_64, and arm64 with other tasks interleaved)', () => {
    expect(checkOpenat2(json(X86, 'x86_64'))).toEqual([]);
    expect(checkOpenat2(json(ARM64, 'arm64'))).toEqual([]);
    const first = JSON.parse(json(X86, 'x86_64').split('\n')[1]!);
    expect(first).toEqual({ comm: 'cat', pid: 118, cpu: 0, flags: '.....', timestamp: 6.337261, event: 'do_sys_openat2__return', caller: '__x64_sys_openat+0x6a/0xa0', func: 'do_sys_openat2', args: { ret: 3 } });
  });

  it('says what is wrong', () => {
    expect(checkOpenat2(json([X86[0]!, X86[1]!], 'x86_64'))).toEqual(['no do_sys_openat2 of /nonexistent-kprobe-file']);
    expect(checkOpenat2(json([X86[0]!, X86[1]!.replace('ret=3', 'ret=-13'), X86[2]!, X86[3]!.replace('ret=-2', 'ret=-13')], 'x86_64'))).toEqual([
      '/etc/hostname returned -13, not a file descriptor',
      '/nonexistent-kprobe-file returned -13, not -2 (ENOENT)',
    ]);
    expect(checkOpenat2('garbage\n')[0]).toBe('not JSON: garbage');
  });
});
