// The conformance harness's parts without QEMU: corpus syntax, the plan and its text form, the
// runner's output, the normaliser's rules, the comparison and the report, the cpio writer.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../conformance/compare.ts';
import { parseCorpus, symbolsOf, unescapeRaw } from '../../conformance/corpus.ts';
import { buildCpio, withParents } from '../../conformance/cpio.ts';
import { normaliseErrorLog, normaliseFormat, normaliseListing, normaliseTrace, placeholderValues } from '../../conformance/normalise.ts';
import type { RunResult } from '../../conformance/plan.ts';
import { parseRunnerOutput, planCase, planText } from '../../conformance/plan.ts';
import { causesOf, renderReport } from '../../conformance/report.ts';
import { requireTool } from '../helpers/tools.ts';

describe('corpus', () => {
  it('parses cases, steps, directives and sections', () => {
    const cases = parseCorpus(
      ['# Names', 'p:e vfs_read', '', '# Hits', '  # more comment', 'p:e vfs_read # kept || !hit read', '!raw a\\nb\\x01 || !dyn -:e || !trunc p x'].join('\n'),
    );
    expect(cases.map((c) => [c.id, c.section])).toEqual([
      ['L2', 'Names'],
      ['L6', 'Hits'],
      ['L7', 'Hits'],
    ]);
    expect(cases[1]!.steps).toEqual([
      { kind: 'write', file: 'kprobe_events', trunc: false, data: 'p:e vfs_read # kept' },
      { kind: 'hit', trigger: 'read' },
    ]);
    expect(cases[2]!.steps).toEqual([
      { kind: 'write', file: 'kprobe_events', trunc: false, data: 'a\nb\x01' },
      { kind: 'write', file: 'dynamic_events', trunc: false, data: '-:e' },
      { kind: 'write', file: 'kprobe_events', trunc: true, data: 'p x' },
    ]);
    expect(() => parseCorpus('!hit nothing')).toThrow(/unknown trigger/);
    expect(() => parseCorpus('!frob x')).toThrow(/unknown directive/);
    expect(unescapeRaw('a\\\\n\\t')).toBe('a\\n\t');
    expect(symbolsOf(parseCorpus('p {addr:vfs_read+8} || p {addr:ksys_read}'))).toEqual(['ksys_read', 'vfs_read']);
  });
});

describe('plan and runner records', () => {
  it('plans a hit case and reads the records back by case', () => {
    const [c] = parseCorpus('p:e {addr:vfs_read} || !hit fork');
    const p = planCase(c!);
    expect(p.ops.map((o) => `${o.op}:${o.role}`)).toEqual([
      'T:aux', 'A:write', 'R:errlog', 'T:aux', 'T:aux', 'N:enable', 'G:trigger', 'N:enable', 'R:trace',
      'R:listing', 'F:formats', 'N:aux', 'T:cleanup', 'T:aux', 'T:aux', 'R:after',
    ]);
    const text = planText([p]);
    expect(text.split('\n').slice(0, 3)).toEqual(['S vfs_read', 'C L1', 'T error_log ']);
    expect(text).toContain(`A kprobe_events ${Buffer.from('p:e {addr:vfs_read}').toString('hex')}\n`);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const out = [
      'noise', '@@BEGIN\r', '@@P 1', '@@S vfs_read 0xffff800080455048', '@@C L1', '@@W 0', '@@W 27', `@@R 0 `,
      '@@K 77', '@@G 0', `@@F kprobes/e 5 ${b64('name:')}`, '@@F .', '[  3.1] kernel message', '@@E', '@@C L2',
    ].join('\n');
    const r = parseRunnerOutput(out, 'real');
    expect(r.pid).toBe(1);
    expect(r.symbols).toEqual({ vfs_read: '0xffff800080455048' });
    expect([...r.cases.keys()]).toEqual(['L1']);
    expect(r.cases.get('L1')!.records).toEqual([
      { rc: 0 }, { rc: 27 }, { rc: 0, text: '' }, { rc: 0, children: [77] }, { rc: 0, formats: [{ event: 'kprobes/e', rc: 5, text: 'name:' }] },
    ]);
  });
});

describe('normaliser', () => {
  const [c] = parseCorpus('p:e {addr:vfs_read} x=%x99');
  const realPairs = placeholderValues(c!, { vfs_read: '0xffff800080455048' });
  const emuPairs = placeholderValues(c!, { vfs_read: '0xffff8000080a0' });

  it('puts addresses back as placeholders and keeps the caret on the same character', () => {
    const real = '[    3.865750] trace_kprobe: error: Invalid register name\n  Command: p:e 0xffff800080455048 x=%x99\n' + ' '.repeat(11 + 25) + '^\n';
    const emu = '[    0.002000] trace_kprobe: error: Invalid register name\n  Command: p:e 0xffff8000080a0 x=%x99\n' + ' '.repeat(11 + 22) + '^\n';
    const want = '[<TS>] trace_kprobe: error: Invalid register name\n  Command: p:e {addr:vfs_read} x=%x99\n' + ' '.repeat(11 + 22) + '^\n';
    expect(normaliseErrorLog(real, realPairs)).toBe(want);
    expect(normaliseErrorLog(emu, emuPairs)).toBe(want);
    // A caret one character off stays one character off.
    expect(normaliseErrorLog(real.replace(/ \^/, '^'), realPairs)).not.toBe(want);
  });

  it('hashed pointers, event IDs', () => {
    expect(normaliseListing('p:kprobes/p_0x00000000466556c4 0x000000001d647d40\n', [])).toBe('p:kprobes/p_0x<HASHED> 0x<HASHED>\n');
    expect(normaliseListing('p:kprobes/e 0xffffffffffffffff\n', [])).toBe('p:kprobes/e 0xffffffffffffffff\n');
    expect(normaliseFormat('name: e\nID: 1382\nformat:\n')).toBe('name: e\nID: <ID>\nformat:\n');
  });

  it('trace lines: own tasks only, context, sizes, call sites of the build, kernel addresses', () => {
    const text = [
      '# tracer: nop',
      '           <...>-1       [000] d....     3.701363: op: (do_sys_openat2+0x0/0x100) fn="/x" p=0xffff000012345678',
      '     kworker/0:1-12      [000] d....     3.701364: op: (do_sys_openat2+0x0/0x100) fn="/y"',
      '          kpconf-40      [000] dN...     3.701365: ret: (__arm64_sys_openat+0x70/0xbc <- do_sys_openat2) ret=-2',
      '          kpconf-40      [000] d....     3.701366: ret: (el0_svc+0x10/0x20 <- do_sys_openat2) ret=-2',
    ].join('\n');
    expect(normaliseTrace(text, { side: 'real', pid: 1, children: [40], symbols: {} }, [])).toEqual([
      '<COMM>-<PID> [000] d.... <TS>: op: (do_sys_openat2+0x0/<SIZE>) fn="/x" p=<KADDR>',
      '<COMM>-<CHILD1> [000] dN... <TS>: ret: (<CALLER:do_sys_openat2>+<OFF>/<SIZE> <- do_sys_openat2) ret=-2',
      '<COMM>-<CHILD1> [000] d.... <TS>: ret: (el0_svc+<OFF>/<SIZE> <- do_sys_openat2) ret=-2',
    ]);
    // The emulated kernel's own wrapper maps to the same placeholder; the real kernel's name does not.
    const emu = '   kpconf-5  [000] d....   0.1: ret: (do_sys_open+0x1c/0x40 <- do_sys_openat2) ret=-2';
    expect(normaliseTrace(emu, { side: 'emulated', pid: 5, children: [], symbols: {} }, [])[0]).toContain('(<CALLER:do_sys_openat2>+<OFF>/<SIZE> <- do_sys_openat2)');
    expect(normaliseTrace(emu, { side: 'real', pid: 5, children: [], symbols: {} }, [])[0]).toContain('(do_sys_open+<OFF>/<SIZE> <- do_sys_openat2)');
  });
});

describe('comparison and report', () => {
  const cases = parseCorpus(['# Section', 'p:e vfs_read', 'p:e vfs_read count:string', 'p:e vfs_read a=%x99'].join('\n'));
  const planned = cases.map(planCase);
  const run = (kernel: string, write: (id: string) => { rc: number; log: string; listing: string }): RunResult => {
    const r: RunResult = { kernel, pid: 1, symbols: {}, cases: new Map() };
    for (const p of planned) {
      const w = write(p.case.id);
      const records = p.ops.map((o) => {
        switch (o.role) {
          case 'write':
            return { rc: w.rc };
          case 'errlog':
            return { rc: w.log.length, text: w.log };
          case 'listing':
            return { rc: w.listing.length, text: w.listing };
          case 'formats':
            return { rc: 0, formats: [] };
          default:
            return o.op === 'R' ? { rc: 0, text: '' } : { rc: 0 };
        }
      });
      r.cases.set(p.case.id, { id: p.case.id, records });
    }
    return r;
  };
  const err = (text: string, cmd: string, pos: number) => `[    1.000000] trace_kprobe: error: ${text}\n  Command: ${cmd}\n${' '.repeat(11 + pos)}^\n`;
  const real = run('real', (id) =>
    id === 'L2' ? { rc: 17, log: '', listing: 'p:kprobes/e vfs_read\n' }
    : id === 'L3' ? { rc: 25, log: '', listing: 'p:kprobes/e vfs_read count=count:string\n' }
    : { rc: -22, log: err('Invalid register name', 'p:e vfs_read a=%x99', 15), listing: '' },
  );
  const emulated = run('emulated', (id) =>
    id === 'L2' ? { rc: 17, log: '', listing: 'p:kprobes/e vfs_read\n' }
    : id === 'L3' ? { rc: -22, log: err('This type does not fit for string.', 'p:e vfs_read count:string', 13), listing: '' }
    : { rc: -22, log: err('Invalid register name', 'p:e vfs_read a=%x99', 13), listing: '' },
  );
  const cmp = compareRuns(planned, real, emulated);

  it('agrees field by field and names what differs', () => {
    expect(cmp.agreeing).toBe(1);
    expect(cmp.total).toBe(3);
    const l3 = cmp.verdicts[1]!;
    expect(l3.diffs.map((d) => d.field)).toEqual(['the write: write to kprobe_events', 'the write: error_log', 'kprobe_events']);
    expect(l3.diffs[0]).toMatchObject({ real: 'accepted (25 bytes)', emulated: 'EINVAL (-22)' });
    expect(causesOf(l3).map((c) => c.name)).toEqual(['BTF type IDs']);
    const l4 = cmp.verdicts[2]!;
    expect(l4.diffs.map((d) => d.field)).toEqual(['the write: error_log']);
    expect(causesOf(l4)).toEqual([]);
  });

  it('writes every disagreement with its reason', () => {
    const md = renderReport(cmp, { arch: 'arm64', corpus: 'corpus.txt' });
    expect(md).toContain('**agreement 33.3%: 1 of 3 cases');
    expect(md).toContain('## L3: `p:e vfs_read count:string`\n\nSection: Section.\n\nReason: the write: write to kprobe_events: real `accepted (25 bytes)`, emulated `EINVAL (-22)`; the write: error_log differs; kprobe_events differs. Cause: BTF type IDs.');
    expect(md).toContain('## L4: `p:e vfs_read a=%x99`');
    expect(md).not.toContain('## L2:');
  });
});

describe.skipIf(!requireTool('cpio'))('cpio writer', () => {
  it('writes an archive cpio lists and extracts, with device nodes and modes', () => {
    const archive = buildCpio(withParents([
      { path: '/init', type: 'file', data: '#!/bin/sh\n', mode: 0o755 },
      { path: '/a/b/c.txt', type: 'file', data: 'hello' },
      { path: '/dev/console', type: 'char', major: 5, minor: 1 },
      { path: '/bin/sh', type: 'symlink', target: 'busybox' },
    ]));
    expect(archive.length % 4).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'cpio-'));
    writeFileSync(join(dir, 'x.cpio'), archive);
    const listing = execFileSync('cpio', ['-itv', '--quiet', '-F', join(dir, 'x.cpio')], { encoding: 'utf8' });
    const lines = listing.trim().split('\n').map((l) => `${l.split(/\s+/)[0]} ${l.split(/\s+/).slice(-1)[0]}`);
    expect(lines).toEqual(['drwxr-xr-x a', 'drwxr-xr-x bin', 'drwxr-xr-x dev', 'drwxr-xr-x a/b', '-rwxr-xr-x init', '-rw-r--r-- a/b/c.txt', 'crw------- dev/console', 'lrwxrwxrwx busybox']);
  });
});
