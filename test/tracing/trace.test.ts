// The emulated tracefs end to end (below the guest): kprobe_events, format files, enable,
// probe hits recorded and printed as trace lines, trace/trace_pipe, kprobe_profile, removal,
// busy checks. Expected texts are copied from real-kernel.md (arm64 6.1, Appendix C) and
// linux-6.1-vs-6.12.md §7 (arm64 6.12); only the things a real run does not fix (event IDs, the
// clock, pids) are set up to match.

import { describe, expect, it } from 'vitest';
import { Tracing } from '../../src/tracing/tracing.ts';
import { DEFAULT_SYMBOLS, TestHost, regs, textSymbols, type TestSymbol } from './test-host.ts';

const HEADER =
  '# tracer: nop\n' +
  '#\n' +
  '# entries-in-buffer/entries-written: %N/%N   #P:1\n' +
  '#\n' +
  '#                                _-----=> irqs-off/BH-disabled\n' +
  '#                               / _----=> need-resched\n' +
  '#                              | / _---=> hardirq/softirq\n' +
  '#                              || / _--=> preempt-depth\n' +
  '#                              ||| / _-=> migrate-disable\n' +
  '#                              |||| /     delay\n' +
  '#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n' +
  '#              | |         |   |||||     |         |\n';

const header = (n: number, w = n) => HEADER.replace('%N/%N', `${n}/${w}`);

function setup(firstEventId?: number, symbols: TestSymbol[] = DEFAULT_SYMBOLS) {
  const host = new TestHost(1, symbols, firstEventId);
  const t = new Tracing(host);
  return { host, t };
}

/** The arm64 call of do_sys_openat2(dfd, filename, how) from __arm64_sys_openat. */
function openRegs(host: TestHost, filename: bigint) {
  return regs({
    x0: 0xffffffffffffff9cn,
    x1: filename,
    x2: 0xffff000004013e38n,
    pc: host.sym('do_sys_openat2'),
    sp: 0xffff80000a003e00n,
    x29: 0xffff80000a003e00n,
    x30: host.sym('__arm64_sys_openat') + 0x70n,
  });
}

describe('format files (real-kernel.md, Appendix C, arm64)', () => {
  it('are byte for byte the kernel\'s', () => {
    const { t } = setup(1206);
    expect(t.write('kprobe_events', "p:myopen do_sys_openat2 dfd=%x0:s32 filename=+0(%x1):string ufn=+0(%x1):ustring\n")).toBe(0);
    expect(t.write('kprobe_events', 'r:myopen_ret do_sys_openat2 ret=$retval:s32\n')).toBe(0);
    expect(t.write('kprobe_events', 'p:myopen_args do_sys_openat2 a1=$arg1 a2=$arg2:x64 comm=$comm\n')).toBe(0);
    expect(t.read('kprobe_events')).toBe(
      'p:kprobes/myopen do_sys_openat2 dfd=%x0:s32 filename=+0(%x1):string ufn=+0(%x1):ustring\n' +
        'r10:kprobes/myopen_ret do_sys_openat2 ret=$retval:s32\n' +
        'p:kprobes/myopen_args do_sys_openat2 a1=$arg1 a2=$arg2:x64 comm=$comm\n',
    );
    expect(t.read('events/kprobes/myopen/format')).toBe(
      'name: myopen\n' +
        'ID: 1206\n' +
        'format:\n' +
        '\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n' +
        '\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n' +
        '\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n' +
        '\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n' +
        '\n' +
        '\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;\n' +
        '\tfield:s32 dfd;\toffset:16;\tsize:4;\tsigned:1;\n' +
        '\tfield:__data_loc char[] filename;\toffset:20;\tsize:4;\tsigned:1;\n' +
        '\tfield:__data_loc char[] ufn;\toffset:24;\tsize:4;\tsigned:1;\n' +
        '\n' +
        'print fmt: "(%lx) dfd=%d filename=\\"%s\\" ufn=\\"%s\\"", REC->__probe_ip, REC->dfd, __get_str(filename), __get_str(ufn)\n',
    );
    expect(t.read('events/kprobes/myopen_ret/format')).toBe(
      'name: myopen_ret\n' +
        'ID: 1207\n' +
        'format:\n' +
        '\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n' +
        '\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n' +
        '\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n' +
        '\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n' +
        '\n' +
        '\tfield:unsigned long __probe_func;\toffset:8;\tsize:8;\tsigned:0;\n' +
        '\tfield:unsigned long __probe_ret_ip;\toffset:16;\tsize:8;\tsigned:0;\n' +
        '\tfield:s32 ret;\toffset:24;\tsize:4;\tsigned:1;\n' +
        '\n' +
        'print fmt: "(%lx <- %lx) ret=%d", REC->__probe_func, REC->__probe_ret_ip, REC->ret\n',
    );
    expect(t.read('events/kprobes/myopen/id')).toBe('1206\n');
    expect(t.read('events/kprobes/myopen/enable')).toBe('0\n');
    expect(t.read('events/kprobes/myopen/filter')).toBe('none\n');
  });

  it('a char array shows as TYPE name[] with the array size', () => {
    const { t } = setup(1400);
    expect(t.write('kprobe_events', 'p:c vfs_read c=+0(%x0):char[4]')).toBe(0);
    expect(t.read('events/kprobes/c/format')).toContain('\tfield:u8 c[];\toffset:16;\tsize:4;\tsigned:0;\n');
  });
});

describe('trace lines', () => {
  it('records kprobe and kretprobe hits as the arm64 kernel prints them (Appendix C)', () => {
    const { host, t } = setup();
    t.write('kprobe_events', 'p:myopen do_sys_openat2 dfd=%x0:s32 filename=+0(%x1):string ufn=+0(%x1):ustring\n');
    t.write('kprobe_events', 'r:myopen_ret do_sys_openat2 ret=$retval:s32\n');
    t.write('kprobe_events', 'p:myopen_args do_sys_openat2 a1=$arg1 a2=$arg2:x64 comm=$comm\n');
    expect(t.write('events/kprobes/enable', '1\n', true)).toBe(0);
    expect(t.read('events/kprobes/enable')).toBe('1\n');
    host.mapUser(0xffffd2fc3000n, 0x1000);
    host.putString(0xffffd2fc3f8dn, '/etc/hostname');
    host.task = { pid: 103, comm: 'cat' };
    // Both entry probes sit on one address: the aggregate runs the newest first, as here.
    const r = openRegs(host, 0xffffd2fc3f8dn);
    host.clock = 3_546_046_000n;
    host.hit(host.sym('do_sys_openat2'), r);
    host.clock = 3_549_691_000n;
    r.set('x0', 3n);
    host.ret(r);
    expect(t.write('events/kprobes/enable', '0\n', true)).toBe(0);
    expect(t.read('trace')).toBe(
      header(3) +
        '             cat-103     [000] d....     3.546046: myopen_args: (do_sys_openat2+0x0/0x190) a1=0xffffffffffffff9c a2=0xffffd2fc3f8d comm="cat"\n' +
        '             cat-103     [000] d....     3.546046: myopen: (do_sys_openat2+0x0/0x190) dfd=-100 filename="/etc/hostname" ufn="/etc/hostname"\n' +
        '             cat-103     [000] d....     3.549691: myopen_ret: (__arm64_sys_openat+0x70/0xbc <- do_sys_openat2) ret=3\n',
    );
    expect(t.read('kprobe_profile')).toBe(
      '  myopen                                                     1               0\n' +
        '  myopen_ret                                                 1               0\n' +
        '  myopen_args                                                1               0\n',
    );
  });

  it('6.12 arm64: +u deref to a user string, nested derefs of $retval (linux-6.1-vs-6.12 §7)', () => {
    const syms = [
      { name: '__kretprobe_trampoline', addr: 0xffff800008000800n, size: 8n, type: 't' },
      ...textSymbols([
        ['do_sys_openat2', 0x100],
        ['getname', 0x60],
      ]),
    ];
    const { host, t } = setup(1382, syms);
    expect(t.write('kprobe_events', 'p:kprobes/myopen do_sys_openat2 dfd=$arg1 fn=+u0($arg2):string\n')).toBe(0);
    expect(t.write('kprobe_events', 'r:kprobes/mygetname getname name=+0(+0($retval)):string\n')).toBe(0);
    expect(t.read('kprobe_events')).toBe(
      'p:kprobes/myopen do_sys_openat2 dfd=$arg1 fn=+u0($arg2):string\n' + 'r10:kprobes/mygetname getname name=+0(+0($retval)):string\n',
    );
    expect(t.read('events/kprobes/mygetname/format')).toContain(
      '\tfield:__data_loc char[] name;\toffset:24;\tsize:4;\tsigned:1;\n\nprint fmt: "(%lx <- %lx) name=\\"%s\\"", REC->__probe_func, REC->__probe_ret_ip, __get_str(name)\n',
    );
    t.write('events/kprobes/enable', '1', true);
    host.task = { pid: 139, comm: 'cat' };
    host.mapUser(0xffffe0000000n, 0x1000);
    host.putString(0xffffe0000010n, '/proc/version');
    // struct filename { const char *name; … } in kernel memory, name pointing at its iname.
    const filename = 0xffff800009000100n;
    host.memory.write64(Number(filename & 0xffffffffffffn), filename + 0x20n);
    host.putString(filename + 0x20n, '/proc/version');
    const r = regs({ x0: 0xffffffffffffff9cn, x1: 0xffffe0000010n, x29: 0x10n, x30: host.sym('do_sys_openat2') + 0x90n });
    host.clock = 3_058_834_000n;
    host.hit(host.sym('do_sys_openat2'), r);
    host.clock = 3_058_891_000n;
    host.hit(host.sym('getname'), r);
    r.set('x0', filename);
    host.ret(r);
    expect(t.read('trace').split('\n').slice(12).join('\n')).toBe(
      '             cat-139     [000] d....     3.058834: myopen: (do_sys_openat2+0x0/0x100) dfd=0xffffffffffffff9c fn="/proc/version"\n' +
        '             cat-139     [000] d....     3.058891: mygetname: (do_sys_openat2+0x90/0x100 <- getname) name="/proc/version"\n',
    );
  });

  // symstr stores its string without advancing past the NUL (fetch_store_symstring() returns
  // sprint_symbol()'s length), so a string argument after it lands on that NUL and the symstr
  // prints run together with it: the kernel's behaviour, kept.
  it('prints faults, chars, arrays, symbols, symstr, bitfields and immediates', () => {
    const { host, t } = setup();
    const data = 0xffff800009000000n;
    host.putString(data, 'test');
    expect(
      t.write(
        'kprobe_events',
        'p:e vfs_read s=+0(%x0):string f=+0(%x1):string u=+u0(%x0):string c=+0(%x0):char a=+0(%x0):char[4] y=%x2:symbol ' +
          'ss=%x2:symstr b=%x3:b4@4/32 i=\\42:s8 str=\\"imm" n=%x4:s16',
      ),
    ).toBe(0);
    t.write('events/kprobes/e/enable', '1');
    host.hit(host.sym('vfs_read'), regs({ x0: data, x1: 0x10n, x2: host.sym('vfs_read') + 4n, x3: 0xabcdn, x4: 0xfffen }));
    const line = t.read('trace').split('\n')[12];
    expect(line).toBe(
      '             cat-103     [000] d....     3.546046: e: (vfs_read+0x0/0x1c0) s="test" f=(fault) u=(fault) c=\'t\' a={\'t\',\'e\',\'s\',\'t\'} ' +
        'y=vfs_read+0x4/0x1c0 ss="vfs_read+0x4/0x1c0imm" b=12 i=42 str="imm" n=-2',
    );
  });

  it('shows the trampoline as [unknown/kretprobe\'d] for the older of two kretprobes (real-kernel.md)', () => {
    const { host, t } = setup();
    t.write('kprobe_events', 'r:r1 do_sys_openat2 ret=$retval\nr:r2 do_sys_openat2 ret=$retval:s32\n');
    t.write('events/kprobes/enable', '1');
    const r = openRegs(host, 0n);
    host.hit(host.sym('do_sys_openat2'), r);
    r.set('x0', 0xfffffffffffffffen);
    host.ret(r);
    const lines = t.read('trace').split('\n').slice(12, 14);
    expect(lines).toEqual([
      "             cat-103     [000] d....     3.546046: r1: ([unknown/kretprobe'd] <- do_sys_openat2) ret=0xfffffffffffffffe",
      '             cat-103     [000] d....     3.546046: r2: (__arm64_sys_openat+0x70/0xbc <- do_sys_openat2) ret=-2',
    ]);
  });

  it('a return probe prints $argN as it was at entry (kretprobe_entry_arg.tc)', () => {
    const { host, t } = setup();
    t.write('kprobe_events', 'p:myevent1 vfs_read arg=$arg1\nr:myevent2 vfs_read arg=$arg1 c=$arg3:u32\n');
    t.write('events/kprobes/enable', '1');
    const r = regs({ x0: 0xffff000012345678n, x2: 4096n, x29: 0x20n, x30: host.sym('kernel_clone') + 0x40n });
    host.hit(host.sym('vfs_read'), r);
    // The function clobbers its argument registers before returning.
    r.set('x0', 4096n);
    r.set('x2', 0n);
    host.ret(r);
    const lines = t.read('trace').split('\n').slice(12, 14);
    expect(lines[0]).toBe('             cat-103     [000] d....     3.546046: myevent1: (vfs_read+0x0/0x1c0) arg=0xffff000012345678');
    expect(lines[1]).toBe('             cat-103     [000] d....     3.546046: myevent2: (kernel_clone+0x40/0x3c0 <- vfs_read) arg=0xffff000012345678 c=4096');
  });

  it('flags follow the hit context; unknown pids print <...>', () => {
    const { host, t } = setup();
    t.write('kprobe_events', 'p:e vfs_read');
    t.write('events/kprobes/e/enable', '1');
    host.ctx = { irqsOff: false, needResched: true, preemptResched: true, hardirq: true, preemptCount: 2, migrateDisable: 1 };
    host.hit(host.sym('vfs_read'), regs({}));
    host.ctx = { irqsOff: true, bhOff: true, nmi: true, hardirq: true };
    host.task = { pid: 0, comm: 'swapper/0' };
    host.hit(host.sym('vfs_read'), regs({}));
    const lines = t.read('trace').split('\n').slice(12, 14);
    expect(lines[0]).toBe('             cat-103     [000] .Nh21     3.546046: e: (vfs_read+0x0/0x1c0)');
    expect(lines[1]).toBe('          <idle>-0       [000] D.Z..     3.546046: e: (vfs_read+0x0/0x1c0)');
  });
});

describe('trace, trace_pipe and the buffer files', () => {
  function withEvent() {
    const s = setup();
    s.t.write('kprobe_events', 'p:e vfs_read x=%x0');
    s.t.write('events/kprobes/e/enable', '1');
    return s;
  }

  it('echo > trace clears the buffer and its counters', () => {
    const { host, t } = withEvent();
    host.hit(host.sym('vfs_read'), regs({ x0: 1n }));
    expect(t.read('trace')).toContain('entries-in-buffer/entries-written: 1/1');
    expect(t.write('trace', '\n', true)).toBe(0);
    expect(t.read('trace')).toBe(header(0));
  });

  it('trace_pipe consumes; an empty pipe blocks until a hit, or says EAGAIN with O_NONBLOCK', async () => {
    const { host, t } = withEvent();
    host.hit(host.sym('vfs_read'), regs({ x0: 1n }));
    const pipe = t.root.lookup('trace_pipe');
    if (!pipe || pipe.kind !== 'file') throw new Error('no trace_pipe');
    const f = pipe.open(0);
    if (typeof f === 'number') throw new Error('open');
    const first = f.read(0, 4096);
    expect(Buffer.from(first as Uint8Array).toString()).toBe('             cat-103     [000] d....     3.546046: e: (vfs_read+0x0/0x1c0) x=0x1\n');
    expect(t.read('trace')).toBe(header(0, 0));
    const waiting = f.read(0, 4096);
    expect(waiting).toBeInstanceOf(Promise);
    host.clock += 1000n;
    host.hit(host.sym('vfs_read'), regs({ x0: 2n }));
    expect(Buffer.from((await waiting) as Uint8Array).toString()).toContain('x=0x2');
    const nb = pipe.open(0o4000);
    if (typeof nb === 'number') throw new Error('open');
    expect(nb.read(0, 100)).toBe(-11);
    const ac = new AbortController();
    const p = f.read(0, 100, ac.signal);
    ac.abort();
    expect(await p).toBe(-4);
    // After something was read, turning tracing off ends the stream.
    const p2 = f.read(0, 100);
    t.write('tracing_on', '0');
    expect(((await p2) as Uint8Array).length).toBe(0);
  });

  it('small trace_pipe reads keep the rest of a line for the next read', () => {
    const { host, t } = withEvent();
    host.hit(host.sym('vfs_read'), regs({ x0: 1n }));
    host.hit(host.sym('vfs_read'), regs({ x0: 2n }));
    const pipe = t.root.lookup('trace_pipe');
    if (!pipe || pipe.kind !== 'file') throw new Error();
    const f = pipe.open(0);
    if (typeof f === 'number') throw new Error();
    let s = '';
    for (let i = 0; i < 200; i++) {
      const r = f.read(0, 7);
      if (r instanceof Promise || typeof r === 'number') break;
      s += Buffer.from(r).toString();
    }
    expect(s.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('tracing_on=0 drops hits, kprobe_profile still counts them', () => {
    const { host, t } = withEvent();
    expect(t.write('tracing_on', '0')).toBe(0);
    expect(t.read('tracing_on')).toBe('0\n');
    host.hit(host.sym('vfs_read'), regs({}));
    expect(t.read('trace')).toBe(header(0));
    expect(t.read('kprobe_profile')).toContain('  e                                                          1               0\n');
  });

  it('buffer_size_kb: minimal until first use, 1410 once expanded, resizable', () => {
    const { t } = setup();
    expect(t.read('buffer_size_kb')).toBe('7 (expanded: 1408)\n');
    expect(t.read('buffer_total_size_kb')).toBe('7 (expanded: 1408)\n');
    t.write('kprobe_events', 'p:e vfs_read');
    t.write('events/kprobes/e/enable', '1');
    expect(t.read('buffer_size_kb')).toBe('1410\n');
    expect(t.write('buffer_size_kb', '4')).toBe(0);
    expect(t.read('buffer_size_kb')).toBe('7\n');
    expect(t.read('per_cpu/cpu0/buffer_size_kb')).toBe('7\n');
    expect(t.write('buffer_size_kb', '0')).toBe(-22);
  });

  it('the stacktrace option adds a <stack trace> entry after each event', () => {
    const { host, t } = withEvent();
    expect(t.write('trace_options', 'stacktrace')).toBe(0);
    expect(t.read('options/stacktrace')).toBe('1\n');
    host.stack = [host.sym('__arm64_sys_openat') + 0x70n, host.sym('kernel_clone') + 8n];
    host.hit(host.sym('vfs_read'), regs({ x0: 5n, pc: host.sym('vfs_read') }));
    expect(t.read('trace').split('\n').slice(12).join('\n')).toBe(
      '             cat-103     [000] d....     3.546046: e: (vfs_read+0x0/0x1c0) x=0x5\n' +
        '             cat-103     [000] d....     3.546046: <stack trace>\n' +
        ' => vfs_read\n => __arm64_sys_openat\n => kernel_clone\n',
    );
    expect(t.write('trace_options', 'nostacktrace')).toBe(0);
    expect(t.read('trace_options')).toContain('\nnostacktrace\n');
    expect(t.write('trace_options', 'nosuchoption')).toBe(-22);
  });

  it('pause-on-trace stops recording while trace is open for reading', () => {
    const { host, t } = withEvent();
    expect(t.write('options/pause-on-trace', '1')).toBe(0);
    const tr = t.root.lookup('trace');
    if (!tr || tr.kind !== 'file') throw new Error();
    const f = tr.open(0);
    if (typeof f === 'number') throw new Error();
    host.hit(host.sym('vfs_read'), regs({ x0: 1n }));
    f.release?.();
    host.hit(host.sym('vfs_read'), regs({ x0: 2n }));
    expect(t.read('trace')).toContain('1/1');
  });

  it('trace_marker writes a line', () => {
    const { host, t } = setup();
    host.task = { pid: 200, comm: 'sh' };
    expect(t.write('trace_marker', 'hello')).toBe(0);
    expect(t.read('trace').split('\n')[12]).toBe('              sh-200     [000] .....     3.546046: tracing_mark_write: hello');
  });

  it('per-CPU buffers merge by time; per_cpu files show one CPU', () => {
    const host = new TestHost(2);
    const t = new Tracing(host);
    t.write('kprobe_events', 'p:e vfs_read x=%x0');
    t.write('events/kprobes/e/enable', '1');
    host.cpu = 1;
    host.clock = 10_000n;
    host.hit(host.sym('vfs_read'), regs({ x0: 1n }));
    host.cpu = 0;
    host.clock = 5_000n;
    host.hit(host.sym('vfs_read'), regs({ x0: 0n }));
    const tr = t.read('trace');
    expect(tr).toContain('#P:2');
    const lines = tr.split('\n').slice(12, 14);
    expect(lines[0]).toContain('[000]');
    expect(lines[1]).toContain('[001]');
    expect(t.read('per_cpu/cpu1/trace').split('\n').slice(12).join('\n')).toBe(
      '             cat-103     [001] d....     0.000010: e: (vfs_read+0x0/0x1c0) x=0x1\n',
    );
    expect(t.read('per_cpu/cpu1/stats')).toContain('entries: 1\noverrun: 0\n');
  });
});

describe('kprobe_events semantics', () => {
  it('> fails with EBUSY while an event is enabled (busy_check.tc)', () => {
    const { t } = setup();
    t.write('kprobe_events', 'p:myevent kernel_clone');
    t.write('events/kprobes/myevent/enable', '1');
    expect(t.write('kprobe_events', '', true)).toBe(-16);
    expect(t.write('dynamic_events', '', true)).toBe(-16);
    expect(t.write('kprobe_events', '-:myevent')).toBe(-16);
    t.write('events/kprobes/myevent/enable', '0');
    expect(t.write('kprobe_events', '', true)).toBe(0);
    expect(t.read('kprobe_events')).toBe('');
  });

  it('add, list and remove (add_and_remove.tc, kprobe_args.tc)', () => {
    const { t } = setup();
    expect(t.write('kprobe_events', 'p:myevent kernel_clone')).toBe(0);
    expect(t.root.lookup('events')).toBeDefined();
    expect(t.read('events/kprobes/myevent/enable')).toBe('0\n');
    expect(t.write('kprobe_events', '-:myevent')).toBe(0);
    expect(t.read('kprobe_events')).toBe('');
    expect(() => t.read('events/kprobes/myevent/enable')).toThrow();
    expect(t.write('kprobe_events', '-:myevent')).toBe(-2);
    expect(t.write('kprobe_events', '-:')).toBe(-22);
  });

  it('multiprobe: append, remove one by place, remove all (kprobe_multiprobe.tc)', () => {
    const { t } = setup();
    t.write('kprobe_events', 'p:kprobes/testevent kernel_clone\n');
    t.write('kprobe_events', 'p:kprobes/testevent do_exit\n');
    expect(t.read('kprobe_events')).toBe('p:kprobes/testevent kernel_clone\np:kprobes/testevent do_exit\n');
    expect(t.write('kprobe_events', '-:kprobes/testevent')).toBe(0);
    expect(t.read('kprobe_events')).toBe('');
    t.write('kprobe_events', 'p:kprobes/testevent kernel_clone\np:kprobes/testevent do_exit\n');
    expect(t.write('kprobe_events', '-:kprobes/testevent kernel_clone')).toBe(0);
    expect(t.read('kprobe_events')).toBe('p:kprobes/testevent do_exit\n');
    expect(t.write('kprobe_events', 'p:kprobes/testevent kernel_clone $stack')).toBe(-17);
  });

  it('lines, comments and the first failing line (trace_parse_run_command)', () => {
    const { t } = setup();
    expect(t.write('kprobe_events', '# a comment\np:a vfs_read # trailing\n\np:b vfs_write\np:c nosuch\np:d vfs_read\n')).toBe(-22);
    expect(t.read('kprobe_events')).toBe('p:kprobes/a vfs_read\np:kprobes/b vfs_write\n');
  });

  it('dynamic_events shows and removes kprobes, rejects other types', () => {
    const { t } = setup();
    expect(t.write('dynamic_events', 'p:dynopen do_sys_openat2+0 flags=+0(%x2):x64')).toBe(0);
    expect(t.read('dynamic_events')).toBe('p:kprobes/dynopen do_sys_openat2 flags=+0(%x2):x64\n');
    expect(t.read('kprobe_events')).toBe(t.read('dynamic_events'));
    expect(t.write('dynamic_events', 'f:myfprobe do_sys_openat2')).toBe(-22);
    expect(t.write('dynamic_events', '!p:kprobes/dynopen do_sys_openat2')).toBe(0);
    expect(t.read('dynamic_events')).toBe('');
  });

  it('removing an event that was enabled clears the trace', () => {
    const { host, t } = setup();
    t.write('kprobe_events', 'p:e vfs_read\np:f vfs_write\n');
    t.write('events/kprobes/e/enable', '1');
    host.hit(host.sym('vfs_read'), regs({}));
    t.write('kprobe_events', '-:f');
    expect(t.read('trace')).toContain('1/1');
    t.write('events/kprobes/e/enable', '0');
    t.write('kprobe_events', '-:e');
    expect(t.read('trace')).toContain('0/0');
  });

  it('set_event and available_events', () => {
    const { t } = setup();
    t.write('kprobe_events', 'p:e vfs_read\np:g/f vfs_write\n');
    expect(t.read('available_events')).toBe('kprobes:e\ng:f\n');
    expect(t.write('set_event', 'g:f')).toBe(0);
    expect(t.read('set_event')).toBe('g:f\n');
    expect(t.read('events/enable')).toBe('X\n');
    expect(t.write('set_event', 'kprobes')).toBe(0);
    expect(t.read('events/enable')).toBe('1\n');
    expect(t.write('set_event', '!g:f')).toBe(0);
    expect(t.read('set_event')).toBe('kprobes:e\n');
    expect(t.write('set_event', '', true)).toBe(0);
    expect(t.read('set_event')).toBe('');
    expect(t.write('set_event', 'nosuch:event')).toBe(-22);
  });

  it('a probe on an unloaded module is deferred until the module comes (kprobe_module.tc)', () => {
    const { host, t } = setup();
    const warnings: string[] = [];
    host.warn = (w: string) => warnings.push(w);
    expect(t.write('kprobe_events', 'p trace_printk:trace_printk_irq_work x=%x0')).toBe(0);
    expect(warnings).toEqual(['trace_kprobe: This probe might be able to register after target module is loaded. Continue.']);
    expect(t.read('kprobe_events')).toBe('p:kprobes/p_trace_printk_trace_printk_irq_work_0 trace_printk:trace_printk_irq_work x=%x0\n');
    expect(t.write('events/kprobes/p_trace_printk_trace_printk_irq_work_0/enable', '1')).toBe(0);
    expect(host.kprobes).toHaveLength(0);
    host.symbols.push({ name: 'trace_printk_irq_work', addr: 0xffff800008018000n, size: 0x30n, module: 'trace_printk', type: 't' });
    host.modules.add('trace_printk');
    t.moduleComing('trace_printk');
    host.hit(0xffff800008018000n, regs({ x0: 7n }));
    expect(t.read('trace').split('\n')[12]).toBe(
      '             cat-103     [000] d....     3.546046: p_trace_printk_trace_printk_irq_work_0: (trace_printk_irq_work+0x0/0x30 [trace_printk]) x=0x7',
    );
  });

  it('kprobe_profile counts hits of a probe until it is removed (profile.tc)', () => {
    const { host, t } = setup();
    t.write('kprobe_events', 'p:myevent kernel_clone');
    expect(t.read('kprobe_profile')).toMatch(/^ {2}myevent +0 +0\n$/);
    t.write('events/kprobes/myevent/enable', '1');
    host.hit(host.sym('kernel_clone'), regs({}));
    expect(t.read('kprobe_profile')).toMatch(/^ {2}myevent +1 +0\n$/);
    t.write('events/kprobes/myevent/enable', '0');
    t.write('kprobe_events', '', true);
    expect(t.read('kprobe_profile')).toBe('');
  });

  it('a registration failure leaves nothing behind', () => {
    const { host, t } = setup();
    expect(t.write('kprobe_events', 'p:bad8 do_sys_openat2+2')).toBe(-22);
    expect(t.read('kprobe_events')).toBe('');
    expect(t.read('available_events')).toBe('');
    expect(host.kprobes).toHaveLength(0);
  });

  it('the tree lists what the kernel has', () => {
    const { t } = setup();
    t.write('kprobe_events', 'p:sys_write_event vfs_write');
    const ev = t.root.lookup('events');
    if (!ev || ev.kind !== 'dir') throw new Error();
    const kp = ev.lookup('kprobes');
    if (!kp || kp.kind !== 'dir') throw new Error();
    expect([...kp.list()].sort()).toEqual(['enable', 'filter', 'sys_write_event']);
    const e = kp.lookup('sys_write_event');
    if (!e || e.kind !== 'dir') throw new Error();
    expect([...e.list()].sort()).toEqual(['enable', 'filter', 'format', 'id', 'trigger']);
    for (const f of ['README', 'kprobe_events', 'kprobe_profile', 'dynamic_events', 'error_log', 'trace', 'trace_pipe', 'tracing_on', 'buffer_size_kb', 'trace_options', 'current_tracer', 'available_filter_functions', 'set_event']) {
      expect(t.root.lookup(f), f).toBeDefined();
    }
    expect(t.read('available_filter_functions')).toContain('\nvfs_read\n');
    expect(t.read('current_tracer')).toBe('nop\n');
  });
});
