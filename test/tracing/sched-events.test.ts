// The sched events of the tracing layer (src/tracing/trace-sched.ts) on a test host whose
// tracepoints the test fires itself: the format files as the real 6.12 arm64 kernel writes them,
// registration while enabled, entries and their trace lines (sched_switch's prev_state letters,
// the dynamic filename of sched_process_exec), filters on the static comm arrays.
// Counterpart of include/trace/events/sched.h's TRACE_EVENTs.

import { describe, expect, it } from 'vitest';
import type { TracepointHost, TracepointProbe } from '../../src/tracing/host.ts';
import { traceSchedSwitchState, type SchedTask, type SchedTracepointArgs } from '../../src/tracing/trace-sched.ts';
import { Tracing } from '../../src/tracing/tracing.ts';
import { TestHost } from './test-host.ts';

class TracepointTestHost extends TestHost implements TracepointHost {
  readonly names = ['sched_switch', 'sched_wakeup', 'sched_process_exec', 'sched_process_fork'];
  readonly probes = new Map<string, Set<TracepointProbe>>();
  readonly tracepoints: TracepointHost = this;

  register(name: string, probe: TracepointProbe): number {
    if (!this.names.includes(name)) return -2;
    if (!this.probes.has(name)) this.probes.set(name, new Set());
    this.probes.get(name)!.add(probe);
    return 0;
  }

  unregister(name: string, probe: TracepointProbe): void {
    this.probes.get(name)?.delete(probe);
  }

  fire(args: SchedTracepointArgs): void {
    for (const p of this.probes.get(args.tp) ?? []) p(args);
  }
}

const task = (pid: number, comm: string): SchedTask => ({ pid, comm, prio: 120, cpu: 0 });

function setup() {
  const host = new TracepointTestHost();
  return { host, t: new Tracing(host) };
}

const lines = (t: Tracing) =>
  t
    .read('trace')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));

describe('sched events', () => {
  it('exist for the host\'s tracepoints, with the kernel\'s formats', () => {
    const { t } = setup();
    expect(t.read('available_events')).toBe('sched:sched_wakeup\nsched:sched_switch\nsched:sched_process_fork\nsched:sched_process_exec\n');
    expect(t.read('events/sched/sched_wakeup/format').replace(/^ID: \d+$/m, 'ID: <ID>')).toBe(
      'name: sched_wakeup\nID: <ID>\nformat:\n' +
        '\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n' +
        '\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n' +
        '\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n' +
        '\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n' +
        '\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n' +
        '\tfield:pid_t pid;\toffset:24;\tsize:4;\tsigned:1;\n' +
        '\tfield:int prio;\toffset:28;\tsize:4;\tsigned:1;\n' +
        '\tfield:int target_cpu;\toffset:32;\tsize:4;\tsigned:1;\n\n' +
        'print fmt: "comm=%s pid=%d prio=%d target_cpu=%03d", REC->comm, REC->pid, REC->prio, REC->target_cpu\n',
    );
    expect(t.read('events/sched/sched_process_exec/format')).toContain(
      '\tfield:__data_loc char[] filename;\toffset:8;\tsize:4;\tsigned:0;\n\tfield:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;\n\tfield:pid_t old_pid;\toffset:16;\tsize:4;\tsigned:1;\n',
    );
  });

  it('attach a probe only while enabled and print what the tracepoints pass', () => {
    const { host, t } = setup();
    expect(host.probes.get('sched_switch')?.size ?? 0).toBe(0);
    expect(t.write('events/sched/enable', '1\n', true)).toBe(0);
    expect(host.probes.get('sched_switch')!.size).toBe(1);
    host.fire({ tp: 'sched_process_fork', parent: task(2, 'sh'), child: task(8, 'sh') });
    host.fire({ tp: 'sched_switch', preempt: true, prev: task(2, 'sh'), prevState: 0, prevExitState: 0, next: task(8, 'sh') });
    host.fire({ tp: 'sched_process_exec', p: task(8, 'cat'), oldPid: 8, filename: '/bin/cat' });
    host.fire({ tp: 'sched_switch', preempt: false, prev: task(8, 'cat'), prevState: 0x80, prevExitState: 0x20, next: task(2, 'sh') });
    host.fire({ tp: 'sched_switch', preempt: false, prev: task(2, 'sh'), prevState: 1, prevExitState: 0, next: task(0, 'swapper/0') });
    host.fire({ tp: 'sched_wakeup', p: task(2, 'sh') });
    expect(t.write('events/sched/enable', '0\n', true)).toBe(0);
    expect(host.probes.get('sched_switch')!.size).toBe(0);
    host.fire({ tp: 'sched_wakeup', p: task(3, 'late') });
    expect(lines(t).map((l) => l.replace(/^.*?: (sched_)/, '$1'))).toEqual([
      'sched_process_fork: comm=sh pid=2 child_comm=sh child_pid=8',
      'sched_switch: prev_comm=sh prev_pid=2 prev_prio=120 prev_state=R+ ==> next_comm=sh next_pid=8 next_prio=120',
      'sched_process_exec: filename=/bin/cat pid=8 old_pid=8',
      'sched_switch: prev_comm=cat prev_pid=8 prev_prio=120 prev_state=Z ==> next_comm=sh next_pid=2 next_prio=120',
      'sched_switch: prev_comm=sh prev_pid=2 prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120',
      'sched_wakeup: comm=sh pid=2 prio=120 target_cpu=000',
    ]);
  });

  it('filter on their static comm arrays', () => {
    const { host, t } = setup();
    expect(t.write('events/sched/sched_wakeup/filter', 'comm == "sh"\n', true)).toBe(0);
    expect(t.write('events/sched/sched_wakeup/enable', '1\n', true)).toBe(0);
    host.fire({ tp: 'sched_wakeup', p: task(2, 'sh') });
    host.fire({ tp: 'sched_wakeup', p: task(3, 'cat') });
    expect(lines(t).map((l) => l.replace(/^.*?: (sched_)/, '$1'))).toEqual(['sched_wakeup: comm=sh pid=2 prio=120 target_cpu=000']);
  });

  it('take their names: a kprobe event cannot', () => {
    const { t } = setup();
    expect(t.write('kprobe_events', 'p:sched/sched_switch vfs_read\n')).toBe(-17);
    expect(t.read('error_log')).toContain('trace_kprobe: error: Given group/event name is already used by another event\n');
  });
});

describe('__trace_sched_switch_state()', () => {
  it('reports the state index as one bit, preemption as TASK_REPORT_MAX', () => {
    expect(traceSchedSwitchState(true, 1, 0)).toBe(0x100);
    expect(traceSchedSwitchState(false, 0, 0)).toBe(0);
    expect(traceSchedSwitchState(false, 1, 0)).toBe(1);
    expect(traceSchedSwitchState(false, 2, 0)).toBe(2);
    expect(traceSchedSwitchState(false, 0x80, 0x20)).toBe(0x20); // TASK_DEAD, EXIT_ZOMBIE: Z
    expect(traceSchedSwitchState(false, 0x80, 0x10)).toBe(0x10); // EXIT_DEAD: X
    expect(traceSchedSwitchState(false, 0x402, 0)).toBe(0x80); // TASK_IDLE: I
  });
});
