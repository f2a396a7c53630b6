// Event filters (kernel/trace/trace_events_filter.c): the program the kernel compiles, the
// records it keeps, and how rejected filters are shown in the filter file and error_log.

import { describe, expect, it } from 'vitest';
import { Tracing } from '../../src/tracing/tracing.ts';
import { TestHost, regs } from './test-host.ts';

function setup() {
  const host = new TestHost();
  const t = new Tracing(host);
  expect(t.write('kprobe_events', 'p:mygrp/vfsread vfs_read count=%x2:u64 file=%x0:x64 n=%x1:s32 fn=+0(%x3):string c=+0(%x3):char[4]')).toBe(0);
  expect(t.write('events/mygrp/vfsread/enable', '1')).toBe(0);
  const data = 0xffff800009000000n;
  host.putString(data, '/etc/hostname');
  host.putString(data + 0x20n, '/dev/null');
  const fire = (count: number, n = 0, name = data, comm = 'dd') => {
    host.task = { pid: 120, comm };
    host.hit(host.sym('vfs_read'), regs({ x0: 0xffff000005e5cb00n, x1: BigInt.asUintN(64, BigInt(n)), x2: BigInt(count), x3: name }));
  };
  const counts = () =>
    t
      .read('trace')
      .split('\n')
      .slice(12)
      .filter(Boolean)
      .map((l) => Number(/count=(\d+)/.exec(l)![1]));
  return { host, t, fire, counts, data };
}

describe('filters keep matching events', () => {
  it('count == 7 (real-kernel.md)', () => {
    const { t, fire, counts } = setup();
    expect(t.write('events/mygrp/vfsread/filter', 'count == 7\n', true)).toBe(0);
    expect(t.read('events/mygrp/vfsread/filter')).toBe('count == 7\n');
    for (const c of [1, 7, 8192, 7]) fire(c);
    expect(counts()).toEqual([7, 7]);
    expect(t.read('trace')).toContain('entries-in-buffer/entries-written: 2/2');
  });

  it('relational operators, signedness, &', () => {
    const cases: [string, number[]][] = [
      ['count < 8', [1, 7]],
      ['count <= 8', [1, 7, 8]],
      ['count > 8', [9, 4096]],
      ['count >= 4096', [4096]],
      ['count != 7', [1, 8, 9, 4096]],
      ['count & 1', [1, 7, 9]],
      ['n < 0', [8]],
      ['n == -1', [8]],
    ];
    for (const [f, want] of cases) {
      const { t, fire, counts } = setup();
      expect(t.write('events/mygrp/vfsread/filter', f), f).toBe(0);
      fire(1, 5);
      fire(7, 5);
      fire(8, -1);
      fire(9, 5);
      fire(4096, 5);
      expect(counts(), f).toEqual(want);
    }
  });

  it('strings, globs, comm, &&, ||, !, parentheses', () => {
    const cases: [string, number[]][] = [
      ['fn == "/etc/hostname"', [1, 3]],
      ['fn ~ "/etc/*"', [1, 3]],
      ['fn ~ "*null"', [2]],
      ['fn ~ "*host*"', [1, 3]],
      ['fn ~ "/d?v/*"', [2]],
      ['fn != "/dev/null"', [1, 3]],
      ['comm == "cat"', [3]],
      ['COMM ~ "d*"', [1, 2]],
      ['count == 1 || count == 3', [1, 3]],
      ['fn == "/etc/hostname" && comm == "dd"', [1]],
      ['!(count == 1 || count == 2)', [3]],
      ['(count == 1 || count == 2) && !(fn ~ "*null")', [1]],
      ['common_pid == 120 && cpu == 0', [1, 2, 3]],
      ['count == 2 || fn == "/etc/hostname" && comm == "cat"', [2, 3]],
    ];
    for (const [f, want] of cases) {
      const { t, fire, counts, data } = setup();
      expect(t.write('events/mygrp/vfsread/filter', f), f).toBe(0);
      fire(1, 0, data, 'dd');
      fire(2, 0, data + 0x20n, 'dd');
      fire(3, 0, data, 'cat');
      expect(counts(), f).toEqual(want);
    }
  });

  it('0 clears the filter', () => {
    const { t, fire, counts } = setup();
    t.write('events/mygrp/vfsread/filter', 'count == 7');
    t.write('events/mygrp/vfsread/filter', '0', true);
    expect(t.read('events/mygrp/vfsread/filter')).toBe('none\n');
    fire(1);
    expect(counts()).toEqual([1]);
  });

  it('a system filter applies to every event of the group', () => {
    const { t, fire, counts } = setup();
    expect(t.read('events/mygrp/filter')).toBe(
      '### global filter ###\n# Use this to set filters for multiple events.\n# Only events with the given fields will be affected.\n# If no events are modified, an error message will be displayed here\n',
    );
    expect(t.write('events/mygrp/filter', 'count > 5')).toBe(0);
    expect(t.read('events/mygrp/vfsread/filter')).toBe('count > 5\n');
    fire(3);
    fire(6);
    expect(counts()).toEqual([6]);
    expect(t.write('events/mygrp/filter', 'nosuch > 5')).toBe(-22);
    expect(t.read('events/mygrp/filter')).toBe("nosuch > 5\n^\nparse_error: Couldn't find or set field in one of a subsystem's events\n\n");
  });
});

describe('rejected filters', () => {
  // Positions as parse_pred() computes them (one past the predicate start, the kernel's own
  // off-by-one), the caret drawn by append_filter_err(), and print_event_filter()'s "%s\n" after
  // the text that already ends in a newline. calc_stack() failures return -1/-2/-3 as they are.
  const bad: [string, number, string, string][] = [
    ['foo == 1', -22, 'foo == 1\n    ^\nparse_error: Field not found\n\n', 'Field not found'],
    ['count == "a"', -22, 'count == "a"\n          ^\nparse_error: Expecting numeric field\n\n', 'Expecting numeric field'],
    ['fn == 1', -22, 'fn == 1\n       ^\nparse_error: Expecting string field\n\n', 'Expecting string field'],
    ['count ~ 1', -22, 'count ~ 1\n         ^\nparse_error: Illegal operation for field type\n\n', 'Illegal operation for field type'],
    ['count = 1', -22, 'count = 1\n       ^\nparse_error: Invalid operator\n\n', 'Invalid operator'],
    ['count == 1 &&', -22, 'count == 1 &&\n             ^\nparse_error: Meaningless filter expression\n\n', 'Meaningless filter expression'],
    ['(count == 1', -2, "(count == 1\n^\nparse_error: Too many '('\n\n", "Too many '('"],
    ['count == 1)', -1, "count == 1)\n          ^\nparse_error: Too few '('\n\n", "Too few '('"],
    ['fn == "abc', -3, 'fn == "abc\n      ^\nparse_error: Missing matching quote\n\n', 'Missing matching quote'],
    ['count == 1x', -22, 'count == 1x\n          ^\nparse_error: Illegal integer value\n\n', 'Illegal integer value'],
    ['count == abc', -22, 'count == abc\n          ^\nparse_error: Invalid value (did you forget quotes)?\n\n', 'Invalid value (did you forget quotes)?'],
    ['count == 1 count == 2', -1, 'count == 1 count == 2\n           ^\nparse_error: Too many terms in predicate expression\n\n', 'Too many terms in predicate expression'],
  ];
  for (const [f, errno, shown, text] of bad) {
    it(f, () => {
      const { t } = setup();
      t.write('error_log', '', true);
      expect(t.write('events/mygrp/vfsread/filter', f)).toBe(errno);
      expect(t.read('events/mygrp/vfsread/filter')).toBe(shown);
      const log = t.read('error_log');
      expect(log).toContain(`event filter parse error: error: ${text}\n  Command: ${f}\n`);
      // error_log's caret column is the error position (the filter file draws it at pos + 1).
      const caretCol = shown.split('\n')[1]!.length - 1;
      expect(log.split('\n').at(-2)).toBe(' '.repeat(11 + caretCol) + '^');
    });
  }

  it('a rejected filter does not filter', () => {
    const { t, fire, counts } = setup();
    t.write('events/mygrp/vfsread/filter', 'foo == 1');
    fire(1);
    expect(counts()).toEqual([1]);
  });
});
