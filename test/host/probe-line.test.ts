// PROBE arguments of `kprobe host` turned into kprobe_events / uprobe_events lines in the
// session's group: the kernel's forms, perf-tools' short forms, user-space symbols resolved to
// file offsets (binaries built here by gcc), names, and the local check with the project's parser.
// Also where tracefs is found (scratch trees standing in for /sys and /proc) and the dry-run
// recorder.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHostProbe, checkProbeLocally, identifier } from '../../src/host/probe-line.ts';
import { findTracefs, HostError, RecordingTracefs, shellQuote } from '../../src/host/tracefs.ts';
import { resolveUprobeSymbol } from '../../src/host/uprobe-symbols.ts';
import { archSpec } from '../../src/tracing/arch.ts';
import { requireTools } from '../helpers/tools.ts';
import { buildTargets, removeTargets, type Targets } from './support/build.ts';

const G = { group: 'kprobe_42' };

describe('kprobe lines', () => {
  it('the kernel form keeps the place and arguments; the group becomes the session\'s', () => {
    const p = buildHostProbe('p:mygrp/myopen do_sys_openat2 dfd=%di:s32 filename=+0(%si):string', G);
    expect(p).toMatchObject({ kind: 'kprobe', isReturn: false, event: 'myopen', userGroup: 'mygrp', place: 'do_sys_openat2' });
    expect(p.line).toBe('p:kprobe_42/myopen do_sys_openat2 dfd=%di:s32 filename=+0(%si):string');
    expect(buildHostProbe('r10:myret do_sys_openat2 ret=$retval', G).line).toBe('r10:kprobe_42/myret do_sys_openat2 ret=$retval');
    expect(buildHostProbe('p:x do_sys_openat2%return ret=$retval', G)).toMatchObject({ isReturn: true, line: 'p:kprobe_42/x do_sys_openat2%return ret=$retval' });
  });

  it("perf-tools' short form: p:FUNC [ARGS] is named after the function, r: adds __return", () => {
    expect(buildHostProbe('p:do_sys_openat2 filename=+0(%si):string', G).line).toBe('p:kprobe_42/do_sys_openat2 do_sys_openat2 filename=+0(%si):string');
    expect(buildHostProbe('r:do_sys_openat2 $retval', G).line).toBe('r:kprobe_42/do_sys_openat2__return do_sys_openat2 $retval');
    expect(buildHostProbe('p:vfs_read+4', G).event).toBe('vfs_read_4');
  });

  it('without a name, the kernel\'s own auto name', () => {
    expect(buildHostProbe('p do_sys_openat2 x=%di', G).event).toBe('p_do_sys_openat2_0');
    expect(buildHostProbe('r do_sys_openat2', G).event).toBe('r_do_sys_openat2_0');
    expect(buildHostProbe('p vfs_read+0x10', G).event).toBe('p_vfs_read_16');
    expect(buildHostProbe('p 0xffffffff81000000', G).event).toBe('p_0xffffffff81000000');
  });

  it('names stay unique in a session, and are C identifiers', () => {
    const taken = new Set<string>();
    expect(buildHostProbe('p:do_sys_openat2', { ...G, taken }).event).toBe('do_sys_openat2');
    expect(buildHostProbe('p:do_sys_openat2 x=%di', { ...G, taken }).event).toBe('do_sys_openat2_2');
    expect(identifier('libc.so.6:0x10')).toBe('libc_so_6_0x10');
    expect(identifier('9lives')).toBe('_9lives');
  });

  it('what cannot be a PROBE', () => {
    expect(() => buildHostProbe('', G)).toThrow(HostError);
    expect(() => buildHostProbe('q:x do_sys_open', G)).toThrow(/must start with p: or r:/);
    expect(() => buildHostProbe('p:12bad do_sys_open', G)).toThrow(/bad event name.*C identifiers/);
    expect(() => buildHostProbe('p', G)).toThrow(/no place/);
  });

  it('checked locally with the project\'s kprobe parser: the kernel\'s error and caret', () => {
    const arch = archSpec('x86_64');
    expect(checkProbeLocally(buildHostProbe('p:x do_sys_openat2 a=%di:u32', G), arch)).toBeUndefined();
    const bad = checkProbeLocally(buildHostProbe('p:x do_sys_openat2 x=%zz', G), arch)!;
    expect(bad.errors[0]).toMatchObject({ text: 'Invalid register name', command: 'p:kprobe_42/x do_sys_openat2 x=%zz', pos: 'p:kprobe_42/x do_sys_openat2 '.length + 2 });
    expect(checkProbeLocally(buildHostProbe('r:x do_sys_openat2+4', G), arch)!.errors[0]!.text).toBe('Retprobe address must be an function entry');
  });
});

describe.skipIf(!requireTools('gcc', 'strip'))('uprobe lines', () => {
  let t: Targets;
  beforeAll(() => {
    t = buildTargets();
  });
  afterAll(() => removeTargets(t));

  it('BINARY:SYMBOL in all forms becomes PATH:0xOFFSET', () => {
    const off = resolveUprobeSymbol(t.pie, 'probe_me').fileOffset.toString(16);
    expect(buildHostProbe(`p:${t.pie}:probe_me a=%di:s32`, G)).toMatchObject({
      kind: 'uprobe',
      event: 'probe_me',
      line: `p:kprobe_42/probe_me ${t.pie}:0x${off} a=%di:s32`,
      resolved: { symbol: 'probe_me', table: '.symtab' },
    });
    expect(buildHostProbe(`r:${t.pie}:probe_me ret=%ax:s32`, G).line).toBe(`r:kprobe_42/probe_me__return ${t.pie}:0x${off} ret=%ax:s32`);
    expect(buildHostProbe(`p:mine ${t.pie}:probe_me+4`, G).line).toBe(`p:kprobe_42/mine ${t.pie}:0x${(parseInt(off, 16) + 4).toString(16)}`);
    expect(buildHostProbe(`p:mine ${t.pie}:probe_me%return`, G)).toMatchObject({ isReturn: true, line: `p:kprobe_42/mine ${t.pie}:0x${off}%return` });
    expect(buildHostProbe(`p:${t.dynsymOnly}:probe_me`, G).resolved!.table).toBe('.dynsym');
  });

  it('uprobe_events lines pass through; the kernel\'s auto name; r5: loses its maxactive', () => {
    expect(buildHostProbe(`p:raw ${t.pie}:0x1149(0x4010) x=%di`, G).line).toBe(`p:kprobe_42/raw ${t.pie}:0x1149(0x4010) x=%di`);
    expect(buildHostProbe(`p ${t.pie}:4425`, G).event).toBe('p_target_0x1149');
    expect(buildHostProbe(`r5:rr ${t.pie}:0x1149`, G).line).toBe(`r:kprobe_42/rr ${t.pie}:0x1149`);
    expect(buildHostProbe(`p:${t.pie}:0x1149`, G).event).toBe('target_0x1149');
  });

  it('programs by name and libraries (perf-tools: p:bash:readline, p:libc:sleep); MOD:SYM stays a kprobe', () => {
    // node is on PATH wherever these tests run; uv_fs_stat is in its .dynsym (real-kernel.md).
    const node = buildHostProbe('p:node:uv_fs_stat path=+0(%dx):string', G);
    expect(node).toMatchObject({ kind: 'uprobe', event: 'uv_fs_stat' });
    expect(node.place).toMatch(/^\/.*\/node:0x[0-9a-f]+$/);
    const libc = buildHostProbe('p:libc:malloc', G);
    expect(libc.place).toMatch(/libc\.so[^:]*:0x[0-9a-f]+$/);
    expect(buildHostProbe('p:open ext4:ext4_file_open', G).kind).toBe('kprobe');
  });

  it('missing binaries and symbols are plain errors; the local uprobe check sees a missing file', () => {
    expect(() => buildHostProbe(`p:${t.pie}:nope`, G)).toThrow(/no function nope/);
    expect(() => buildHostProbe('p:/no/such/bin:main', G)).toThrow(/no such file/);
    const arch = archSpec('x86_64');
    expect(checkProbeLocally(buildHostProbe(`p:x ${t.pie}:probe_me a=%zz`, G), arch)!.errors[0]!.text).toBe('Invalid register name');
    expect(checkProbeLocally(buildHostProbe(`p:x ${t.pie}:probe_me a=$arg1`, G), arch)!.errors[0]!.text).toBe('$arg* can be used only on function entry or exit');
  });
});

describe('finding tracefs', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });
  function tree(opts: { mounts: string; populated?: string[]; dirs?: string[] }): string {
    const root = mkdtempSync(join(tmpdir(), 'kprobe-root-'));
    roots.push(root);
    mkdirSync(join(root, 'proc'));
    writeFileSync(join(root, 'proc/mounts'), opts.mounts);
    for (const d of opts.dirs ?? []) mkdirSync(join(root, d), { recursive: true });
    for (const d of opts.populated ?? []) mkdirSync(join(root, d, 'events'), { recursive: true });
    return root;
  }

  it('a tracefs listed in /proc/mounts, /sys/kernel/tracing first', () => {
    const root = tree({ mounts: 'nodev /mnt/t tracefs rw 0 0\nnodev /sys/kernel/tracing tracefs rw 0 0\n', populated: ['mnt/t', 'sys/kernel/tracing'] });
    expect(findTracefs({ root })).toMatchObject({ dir: join(root, '/sys/kernel/tracing'), how: 'mounted' });
  });

  it('not mounted: mounts it on /sys/kernel/tracing (and says so); a dry run only plans it', () => {
    const root = tree({ mounts: 'sysfs /sys sysfs rw 0 0\n', dirs: ['sys/kernel/tracing'] });
    const planned = findTracefs({ root, noMount: true });
    expect(planned.how).toBe('unmounted');
    let mounted = '';
    const t = findTracefs({
      root,
      mount: (dir) => {
        mounted = dir;
        mkdirSync(join(dir, 'events'));
        return undefined;
      },
    });
    expect(mounted).toBe(join(root, '/sys/kernel/tracing'));
    expect(t.how).toBe('mounted-now');
  });

  it('no tracefs in the kernel, a failed mount, debugfs\' tracing as the fallback', () => {
    const none = tree({ mounts: '', dirs: ['sys/kernel/tracing'] });
    expect(() => findTracefs({ root: none, mount: () => 'unknown filesystem type \'tracefs\'' })).toThrow(/no tracefs .*CONFIG_TRACING/);
    expect(() => findTracefs({ root: none, mount: () => 'permission denied' })).toThrow(/cannot mount tracefs on \/sys\/kernel\/tracing: permission denied/);
    const debug = tree({ mounts: 'debugfs /sys/kernel/debug debugfs rw 0 0\n', populated: ['sys/kernel/debug/tracing'] });
    expect(findTracefs({ root: debug })).toMatchObject({ how: 'debugfs', dir: join(debug, '/sys/kernel/debug/tracing') });
    const nothing = tree({ mounts: '' });
    expect(() => findTracefs({ root: nothing })).toThrow(/no tracefs: neither \/sys\/kernel\/tracing nor \/sys\/kernel\/debug\/tracing exists/);
  });

  it('a dry run records the commands instead of running them', () => {
    const root = tree({ mounts: '', dirs: ['t'] });
    const rec = new RecordingTracefs(join(root, 't'), 'mounted');
    rec.mkdir('instances/kprobe_1');
    rec.write('uprobe_events', "p:kprobe_1/x /bin/it's:0x10", 'append');
    rec.write('instances/kprobe_1/events/kprobe_1/enable', '1');
    rec.rmdir('instances/kprobe_1');
    expect(rec.commands).toEqual([
      `mkdir ${join(root, 't/instances/kprobe_1')}`,
      `echo 'p:kprobe_1/x /bin/it'\\''s:0x10' >> ${join(root, 't/uprobe_events')}`,
      `echo 1 > ${join(root, 't/instances/kprobe_1/events/kprobe_1/enable')}`,
      `rmdir ${join(root, 't/instances/kprobe_1')}`,
    ]);
    expect(existsSync(join(root, 't/instances'))).toBe(false);
    expect(shellQuote('-:kprobe_1/x')).toBe('-:kprobe_1/x');
  });
});
