// The emulated kernel's static trace events and scheduler flags, end to end through the shell:
// the sched group (the guest's tracepoints and TypeScript's task switches) listed, formatted,
// enabled and recorded; a kprobe event may not take a static event's name; and the need-resched
// flag a fork sets on its parent shows in trace lines as the real kernel shows it ('N').
// Counterpart of include/trace/events/sched.h's events and tracing_gen_ctx()'s flags on Linux.

import { beforeAll, describe, expect, it } from 'vitest';
import { bootMachine, type BootedKernel } from '../../src/shell/machine.ts';
import { Shell } from '../../src/shell/shell.ts';

let m: BootedKernel;
let out = '';

beforeAll(async () => {
  const decoder = new TextDecoder();
  m = await bootMachine({ arch: 'arm64', output: (bytes: Uint8Array) => void (out += decoder.decode(bytes, { stream: true })) });
});

async function run(text: string): Promise<string> {
  const sh = await Shell.start({ kernel: m.kernel, proc: m.shellProcess, interactive: false });
  out = '';
  for (const line of text.split('\n')) await sh.feed(line);
  await sh.finish();
  return out;
}

/** The trace's event lines without the task-pid, CPU, flags and timestamp columns. */
function events(trace: string): string[] {
  return trace
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.replace(/^.*?\[000\] \S+ +[0-9.]+: /, ''));
}

describe('the sched events', () => {
  it('are listed with the kernel formats', async () => {
    const o = await run('cd /sys/kernel/tracing\nls events/sched\ngrep sched: available_events\ncat events/sched/sched_process_fork/format');
    expect(o).toContain('sched_switch');
    expect(o).toContain('sched:sched_process_exec\n');
    expect(o).toContain(
      '\tfield:char parent_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n' +
        '\tfield:pid_t parent_pid;\toffset:24;\tsize:4;\tsigned:1;\n' +
        '\tfield:char child_comm[16];\toffset:28;\tsize:16;\tsigned:0;\n' +
        '\tfield:pid_t child_pid;\toffset:44;\tsize:4;\tsigned:1;\n\n' +
        'print fmt: "comm=%s pid=%d child_comm=%s child_pid=%d", REC->parent_comm, REC->parent_pid, REC->child_comm, REC->child_pid\n',
    );
  });

  it('record a fork, exec, exit and wait, and the switches between the tasks', async () => {
    const o = await run(
      'cd /sys/kernel/tracing\necho > trace\necho 1 > events/sched/enable\n/bin/true\necho 0 > events/sched/enable\ncat trace',
    );
    const ev = events(o);
    const fork = ev.findIndex((l) => l.startsWith('sched_process_fork: comm=sh '));
    expect(fork, o).toBeGreaterThanOrEqual(0);
    const child = /child_pid=(\d+)/.exec(ev[fork]!)![1];
    expect(ev.slice(fork, fork + 7)).toEqual([
      expect.stringMatching(new RegExp(`^sched_process_fork: comm=sh pid=\\d+ child_comm=sh child_pid=${child}$`)),
      `sched_wakeup_new: comm=sh pid=${child} prio=120 target_cpu=000`,
      expect.stringMatching(new RegExp(`^sched_switch: prev_comm=sh prev_pid=\\d+ prev_prio=120 prev_state=R\\+ ==> next_comm=sh next_pid=${child} next_prio=120$`)),
      `sched_process_exec: filename=/bin/true pid=${child} old_pid=${child}`,
      `sched_process_exit: comm=true pid=${child} prio=120`,
      expect.stringMatching(new RegExp(`^sched_switch: prev_comm=true prev_pid=${child} prev_prio=120 prev_state=Z ==> next_comm=sh `)),
      expect.stringMatching(new RegExp(`^sched_process_wait: comm=sh pid=(${child}|0) prio=120$`)),
    ]);
    expect(ev).toContain(`sched_process_free: comm=true pid=${child} prio=120`);
  });

  it('own their names: a kprobe event cannot take one', async () => {
    const o = await run('cd /sys/kernel/tracing\necho > error_log\necho "p:sched/sched_switch vfs_read" >> kprobe_events\ncat error_log');
    expect(o).toContain('write error: File exists');
    expect(o).toContain('trace_kprobe: error: Given group/event name is already used by another event\n  Command: p:sched/sched_switch vfs_read\n           ^\n');
  });
});

describe('need-resched', () => {
  it('is set on the parent by wake_up_new_task and cleared on its way back to user mode', async () => {
    const o = await run(
      'cd /sys/kernel/tracing\necho > trace\necho "r:ret kernel_clone" > kprobe_events\necho "p:ent kernel_clone" >> kprobe_events\n' +
        'echo 1 > events/kprobes/enable\n/bin/true\n/bin/true\necho 0 > events/kprobes/enable\ncat trace\necho > kprobe_events',
    );
    const lines = o.split('\n').filter((l) => / (ent|ret): /.test(l));
    expect(lines.length).toBe(4);
    for (const l of lines) expect(l).toMatch(/ ent: /.test(l) ? /\[000\] d\.\.\.\. / : /\[000\] dN\.\.\. /);
  });
});
