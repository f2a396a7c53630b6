// The comparison: for every case, the records of the real kernel and of the emulated one, op by
// op, after normalisation (normalise.ts). Compared: each write accepted or rejected and its errno,
// the error_log entry (text, command, caret), enable and trigger results, the trace lines of a hit,
// the kprobe_events (and dynamic_events) listing, every listed event's format file, and the
// clean-up. A case agrees when every one of these agrees.

import type { Case } from './corpus.ts';
import { errnoName } from './errno-names.ts';
import type { SideContext } from './normalise.ts';
import { normaliseErrorLog, normaliseFormat, normaliseListing, normaliseTrace, placeholderValues } from './normalise.ts';
import type { OpRecord, PlannedCase, Role, RunResult } from './plan.ts';

export interface FieldDiff {
  /** What differs, e.g. "step 1 write", "error_log after step 1", "listing", "format of kprobes/e". */
  field: string;
  real: string;
  emulated: string;
}

export interface CaseVerdict {
  case: Case;
  agree: boolean;
  /** Set when one kernel produced no records for the case. */
  missing?: 'real' | 'emulated' | 'both';
  diffs: FieldDiff[];
  /** Number of compared fields, and of those that agree. */
  fields: number;
  fieldsAgreeing: number;
}

export interface Comparison {
  real: string;
  emulated: string;
  verdicts: CaseVerdict[];
  agreeing: number;
  total: number;
  fields: number;
  fieldsAgreeing: number;
}

/** A write's result as text: "accepted (N bytes)" or "EINVAL (-22)". */
export function describeRc(rc: number): string {
  return rc >= 0 ? `accepted (${rc} bytes)` : `${errnoName(-rc)} (${rc})`;
}

function rcText(role: Role, rc: number): string {
  if (role === 'write') return describeRc(rc);
  return rc < 0 ? `${errnoName(-rc)} (${rc})` : String(rc);
}

function stepName(c: Case, step: number): string {
  return step >= c.steps.length ? 'after the steps' : c.steps.length === 1 ? 'the write' : `step ${step + 1}`;
}

type Ctx = Omit<SideContext, 'children'>;

function compareOps(pc: PlannedCase, real: OpRecord[], emu: OpRecord[], realCtx: Ctx, emuCtx: Ctx): { diffs: FieldDiff[]; fields: number } {
  const c = pc.case;
  const rp = placeholderValues(c, realCtx.symbols);
  const ep = placeholderValues(c, emuCtx.symbols);
  const diffs: FieldDiff[] = [];
  let fields = 0;
  let realChildren: number[] = [];
  let emuChildren: number[] = [];
  const cmp = (field: string, r: string, e: string) => {
    fields++;
    if (r !== e) diffs.push({ field, real: r, emulated: e });
  };
  pc.ops.forEach((o, i) => {
    const r = real[i];
    const e = emu[i];
    if (!r || !e) return;
    const at = stepName(c, o.step);
    switch (o.role) {
      case 'aux':
        return;
      case 'write':
        cmp(`${at}: write to ${o.op === 'A' || o.op === 'T' ? o.file : ''}`, rcText('write', r.rc), rcText('write', e.rc));
        return;
      case 'errlog':
        cmp(`${at}: error_log`, normaliseErrorLog(r.text ?? `(read failed: ${r.rc})`, rp), normaliseErrorLog(e.text ?? `(read failed: ${e.rc})`, ep));
        return;
      case 'enable':
        cmp(`${at}: enabling/disabling the events`, rcText('enable', r.rc), rcText('enable', e.rc));
        return;
      case 'trigger':
        realChildren = r.children ?? [];
        emuChildren = e.children ?? [];
        cmp(`${at}: trigger result`, rcText('trigger', r.rc), rcText('trigger', e.rc));
        return;
      case 'trace':
        cmp(
          `${at}: trace`,
          normaliseTrace(r.text ?? '', { ...realCtx, children: realChildren }, rp).join('\n'),
          normaliseTrace(e.text ?? '', { ...emuCtx, children: emuChildren }, ep).join('\n'),
        );
        return;
      case 'listing':
      case 'dynlisting':
      case 'after': {
        const name = o.role === 'listing' ? 'kprobe_events' : o.role === 'dynlisting' ? 'dynamic_events' : 'kprobe_events after clearing';
        cmp(name, r.rc < 0 ? `(read failed: ${r.rc})` : normaliseListing(r.text ?? '', rp, 'real'), e.rc < 0 ? `(read failed: ${e.rc})` : normaliseListing(e.text ?? '', ep, 'emulated'));
        return;
      }
      case 'formats': {
        const rf = r.formats ?? [];
        const ef = e.formats ?? [];
        cmp('listed events', rf.map((f) => normaliseListing(f.event, rp)).join(' '), ef.map((f) => normaliseListing(f.event, ep)).join(' '));
        for (let k = 0; k < Math.min(rf.length, ef.length); k++) {
          const a = rf[k]!;
          const b = ef[k]!;
          cmp(
            `format of ${normaliseListing(a.event, rp)}`,
            a.rc < 0 ? `(read failed: ${a.rc})` : normaliseFormat(a.text),
            b.rc < 0 ? `(read failed: ${b.rc})` : normaliseFormat(b.text),
          );
        }
        return;
      }
      case 'cleanup':
        cmp('clearing kprobe_events (O_TRUNC)', rcText('cleanup', r.rc), rcText('cleanup', e.rc));
        return;
    }
  });
  if (real.length !== emu.length) cmp('number of records', String(real.length), String(emu.length));
  return { diffs, fields };
}

export function compareRuns(planned: readonly PlannedCase[], real: RunResult, emulated: RunResult): Comparison {
  const verdicts: CaseVerdict[] = [];
  let fields = 0;
  let fieldsAgreeing = 0;
  for (const pc of planned) {
    const r = real.cases.get(pc.case.id);
    const e = emulated.cases.get(pc.case.id);
    if (!r || !e) {
      const missing = !r && !e ? 'both' : !r ? 'real' : 'emulated';
      verdicts.push({ case: pc.case, agree: false, missing, diffs: [], fields: 0, fieldsAgreeing: 0 });
      continue;
    }
    const { diffs, fields: n } = compareOps(pc, r.records, e.records, { side: 'real', pid: real.pid, symbols: real.symbols }, { side: 'emulated', pid: emulated.pid, symbols: emulated.symbols });
    fields += n;
    fieldsAgreeing += n - diffs.length;
    verdicts.push({ case: pc.case, agree: diffs.length === 0, diffs, fields: n, fieldsAgreeing: n - diffs.length });
  }
  return {
    real: real.kernel,
    emulated: emulated.kernel,
    verdicts,
    agreeing: verdicts.filter((v) => v.agree).length,
    total: verdicts.length,
    fields,
    fieldsAgreeing,
  };
}
