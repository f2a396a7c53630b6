// The plan: every corpus case turned into the exact list of tracefs operations both kernels run
// (the real one through conformance/guest/runner.c, the emulated one through emulated.ts), the
// plan's text form for the runner, and the records the operations produce. Each operation has a
// role: what the comparison does with its record.

import type { Case, Trigger } from './corpus.ts';
import { symbolsOf } from './corpus.ts';

export type Role =
  | 'write' // a step's write: accepted or rejected, errno
  | 'errlog' // error_log after a step's write
  | 'enable' // a step's !enable / !disable
  | 'trigger' // the trigger's own result
  | 'trace' // trace after a hit
  | 'listing' // kprobe_events after the steps
  | 'dynlisting' // dynamic_events after the steps (cases with a !dyn step)
  | 'formats' // the format file of every listed event
  | 'cleanup' // clearing kprobe_events at the end
  | 'after' // kprobe_events after the clean-up (must be empty on both)
  | 'aux'; // housekeeping (clearing error_log and trace), not compared

export type Op =
  | { op: 'A' | 'T'; file: string; data: string; role: Role; step: number }
  | { op: 'R'; file: string; role: Role; step: number }
  | { op: 'F'; role: Role; step: number }
  | { op: 'N'; value: 0 | 1; role: Role; step: number }
  | { op: 'G'; trigger: Trigger; role: Role; step: number };

export interface PlannedCase {
  case: Case;
  ops: Op[];
}

/** One event's format file, from an F operation. */
export interface FormatRecord {
  event: string;
  rc: number;
  text: string;
}

/** What one operation gave: rc (result or -errno), the text read (latin1), formats, fork children. */
export interface OpRecord {
  rc: number;
  text?: string;
  formats?: FormatRecord[];
  children?: number[];
}

export interface CaseRecords {
  id: string;
  records: OpRecord[];
}

/** Everything one kernel produced for a plan. */
export interface RunResult {
  /** The kernel under test, e.g. "real 6.12.117+deb12-arm64" or "emulated arm64". */
  kernel: string;
  /** The pid of the process that ran the plan (its trace lines are the case's). */
  pid: number;
  /** {addr:SYM} resolutions, SYM → "0x…". */
  symbols: Record<string, string>;
  cases: Map<string, CaseRecords>;
}

export function planCase(c: Case): PlannedCase {
  const ops: Op[] = [{ op: 'T', file: 'error_log', data: '', role: 'aux', step: -1 }];
  let dyn = false;
  c.steps.forEach((s, step) => {
    switch (s.kind) {
      case 'write':
        dyn ||= s.file === 'dynamic_events';
        ops.push({ op: s.trunc ? 'T' : 'A', file: s.file, data: s.data, role: 'write', step });
        ops.push({ op: 'R', file: 'error_log', role: 'errlog', step });
        ops.push({ op: 'T', file: 'error_log', data: '', role: 'aux', step });
        break;
      case 'enable':
      case 'disable':
        ops.push({ op: 'N', value: s.kind === 'enable' ? 1 : 0, role: 'enable', step });
        break;
      case 'hit':
        ops.push({ op: 'T', file: 'trace', data: '', role: 'aux', step });
        ops.push({ op: 'N', value: 1, role: 'enable', step });
        ops.push({ op: 'G', trigger: s.trigger, role: 'trigger', step });
        ops.push({ op: 'N', value: 0, role: 'enable', step });
        ops.push({ op: 'R', file: 'trace', role: 'trace', step });
        break;
    }
  });
  const end = c.steps.length;
  ops.push({ op: 'R', file: 'kprobe_events', role: 'listing', step: end });
  if (dyn) ops.push({ op: 'R', file: 'dynamic_events', role: 'dynlisting', step: end });
  ops.push({ op: 'F', role: 'formats', step: end });
  ops.push({ op: 'N', value: 0, role: 'aux', step: end });
  ops.push({ op: 'T', file: 'kprobe_events', data: '', role: 'cleanup', step: end });
  ops.push({ op: 'T', file: 'trace', data: '', role: 'aux', step: end });
  ops.push({ op: 'T', file: 'error_log', data: '', role: 'aux', step: end });
  ops.push({ op: 'R', file: 'kprobe_events', role: 'after', step: end });
  return { case: c, ops };
}

export function planCorpus(cases: readonly Case[]): PlannedCase[] {
  return cases.map(planCase);
}

/** The plan as runner.c reads it (/plan in the initramfs). */
export function planText(planned: readonly PlannedCase[]): string {
  const out: string[] = symbolsOf(planned.map((p) => p.case)).map((s) => `S ${s}`);
  const hex = (s: string) => Buffer.from(s, 'latin1').toString('hex');
  for (const p of planned) {
    out.push(`C ${p.case.id}`);
    for (const o of p.ops) {
      switch (o.op) {
        case 'A':
        case 'T':
          out.push(`${o.op} ${o.file} ${hex(o.data)}`);
          break;
        case 'R':
          out.push(`R ${o.file}`);
          break;
        case 'F':
          out.push('F');
          break;
        case 'N':
          out.push(`N ${o.value}`);
          break;
        case 'G':
          out.push(`G ${o.trigger}`);
          break;
      }
    }
    out.push('E');
  }
  return out.join('\n') + '\n';
}

/**
 * The records in the runner's console output (lines starting with "@@", see runner.c), by case.
 * A case the guest did not finish (a crash, a hang) is missing from the map.
 */
export function parseRunnerOutput(consoleText: string, kernel: string): RunResult {
  const result: RunResult = { kernel, pid: 0, symbols: {}, cases: new Map() };
  let current: CaseRecords | null = null;
  let formats: FormatRecord[] | null = null;
  let children: number[] = [];
  const b64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('latin1');
  for (const raw of consoleText.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const at = line.indexOf('@@');
    if (at < 0) continue;
    const [tag, ...rest] = line.slice(at).split(' ');
    switch (tag) {
      case '@@P':
        result.pid = Number(rest[0]);
        break;
      case '@@S':
        result.symbols[rest[0]!] = rest[1]!;
        break;
      case '@@C':
        current = { id: rest[0]!, records: [] };
        break;
      case '@@E':
        if (current) result.cases.set(current.id, current);
        current = null;
        break;
      case '@@W':
      case '@@N':
        current?.records.push({ rc: Number(rest[0]) });
        break;
      case '@@G':
        current?.records.push({ rc: Number(rest[0]), children });
        children = [];
        break;
      case '@@K':
        children.push(Number(rest[0]));
        break;
      case '@@R':
        current?.records.push({ rc: Number(rest[0]), text: b64(rest[1]) });
        break;
      case '@@F':
        if (rest[0] === '.') {
          current?.records.push({ rc: 0, formats: formats ?? [] });
          formats = null;
        } else {
          (formats ??= []).push({ event: rest[0]!, rc: Number(rest[1]), text: b64(rest[2]) });
        }
        break;
    }
  }
  return result;
}
