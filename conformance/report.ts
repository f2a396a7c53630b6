// The report: the agreement figure, and conformance/disagreements-<arch>.md listing every case on
// which the emulated kernel and the real one differ, each with its reason: what differs (real
// against emulated, after normalisation) and, where one of the known causes below matches, why.

import type { CaseVerdict, Comparison, FieldDiff } from './compare.ts';

/** A known cause of disagreement, recognised from the case and its differences. */
interface Cause {
  name: string;
  explain: string;
  test: (v: CaseVerdict) => boolean;
}

const TYPE4STR = 'This type does not fit for string.';

/** Trace lines that differ only in the flags column. */
function onlyFlagsDiffer(d: FieldDiff): boolean {
  if (!d.field.endsWith('trace')) return false;
  const strip = (s: string) => s.replace(/^(\S+ \[\d+\]) \S+/gm, '$1 <FLAGS>');
  return d.real !== d.emulated && strip(d.real) === strip(d.emulated);
}

export const CAUSES: Cause[] = [
  {
    name: 'BTF type IDs',
    explain:
      "`:string` on a BTF-typed value that is not a `char *` or `char []`: trace_probe.c's btf_type_is_char_ptr() reads `type->type` whatever the kind, so for an integer it takes the integer's size (8 for `ssize_t`, `size_t`, `loff_t`) as a type ID and asks whether that type is an unsigned 8-bit integer. In Debian's vmlinux BTF, type 8 is `const char`: the real kernel accepts `:string` on every 64-bit integer and dereferences it. The emulated kernel runs the same check on the guest kernel's BTF, where pahole numbers the types in the order the guest's sources first use them and type 8 is no character type (`short int` as built), and refuses (BAD_TYPE4STR).",
    test: (v) => v.diffs.some((d) => d.real.includes(TYPE4STR) !== d.emulated.includes(TYPE4STR)),
  },
  {
    name: 'need-resched',
    explain:
      "The trace lines differ only in the flags column. After fork, wake_up_new_task lets the new task preempt its parent (TIF_NEED_RESCHED and the preempt bit: `N`) when the fair scheduler gives it the earlier deadline; the real kernel usually does, but not on every run. The emulated kernel always does.",
    test: (v) => v.diffs.length > 0 && v.diffs.every(onlyFlagsDiffer),
  },
];

export function causesOf(v: CaseVerdict): Cause[] {
  return CAUSES.filter((c) => c.test(v));
}

function fence(s: string): string {
  const body = s === '' ? '(empty)' : s;
  const ticks = body.includes('```') ? '~~~~' : '```';
  return `${ticks}\n${body}\n${ticks}`;
}

function percent(n: number, d: number): string {
  return d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`;
}

export function agreementLine(c: Comparison): string {
  return `agreement ${percent(c.agreeing, c.total)}: ${c.agreeing} of ${c.total} cases (${c.fieldsAgreeing} of ${c.fields} compared fields) between ${c.real} and ${c.emulated}`;
}

export interface ReportInfo {
  arch: string;
  corpus: string;
  realWallMs?: number;
  emulatedWallMs?: number;
  realProblem?: string;
}

/** The disagreements file's text. */
export function renderReport(c: Comparison, info: ReportInfo): string {
  const out: string[] = [];
  const bad = c.verdicts.filter((v) => !v.agree);
  out.push(`# Conformance disagreements, ${info.arch}`);
  out.push('');
  out.push(
    `Written by \`npx tsx conformance/run.ts --arch ${info.arch}\` (conformance/README.md): the corpus \`${info.corpus}\` run on the real kernel (${c.real}, QEMU TCG) and on the emulated one (${c.emulated}), compared after normalisation (conformance/normalise.ts).`,
  );
  out.push('');
  out.push(`**${agreementLine(c)}.**`);
  if (info.realProblem) out.push('', `The real kernel's run did not complete: ${info.realProblem}.`);
  out.push('');
  const byCause = new Map<string, number>();
  for (const v of bad) for (const cause of causesOf(v)) byCause.set(cause.name, (byCause.get(cause.name) ?? 0) + 1);
  const byField = new Map<string, number>();
  for (const v of bad) {
    const kinds = new Set(v.diffs.map((d) => d.field.replace(/^(the write|step \d+|after the steps): /, '').replace(/^format of .*/, 'format file')));
    if (v.missing) kinds.add(`no records from ${v.missing === 'both' ? 'either kernel' : `the ${v.missing} kernel`}`);
    for (const k of kinds) byField.set(k, (byField.get(k) ?? 0) + 1);
  }
  if (bad.length) {
    out.push('| what differs | cases |', '|---|---|');
    for (const [k, n] of [...byField].sort((a, b) => b[1] - a[1])) out.push(`| ${k} | ${n} |`);
    out.push('');
  }
  if (byCause.size) {
    out.push('Known causes:', '');
    for (const cause of CAUSES) if (byCause.has(cause.name)) out.push(`- **${cause.name}** (${byCause.get(cause.name)} cases): ${cause.explain}`);
    out.push('');
  }
  if (!bad.length) out.push('No disagreements.');
  for (const v of bad) {
    out.push(`## ${v.case.id}: \`${v.case.text.replace(/`/g, '\\`')}\``);
    out.push('');
    if (v.case.section) out.push(`Section: ${v.case.section}.`, '');
    const causes = causesOf(v);
    const reasons: string[] = [];
    if (v.missing) reasons.push(`no records from ${v.missing === 'both' ? 'either kernel' : `the ${v.missing} kernel`} (the run stopped or failed before this case)`);
    for (const d of v.diffs) {
      if (!d.real.includes('\n') && !d.emulated.includes('\n') && d.real.length + d.emulated.length < 160) {
        reasons.push(`${d.field}: real \`${d.real || '(empty)'}\`, emulated \`${d.emulated || '(empty)'}\``);
      } else {
        reasons.push(`${d.field} differs`);
      }
    }
    out.push(`Reason: ${reasons.join('; ')}.${causes.length ? ` Cause: ${causes.map((x) => x.name).join(', ')}.` : ''}`);
    out.push('');
    for (const d of v.diffs) {
      if (!d.real.includes('\n') && !d.emulated.includes('\n') && d.real.length + d.emulated.length < 160) continue;
      out.push(`${d.field}, real:`, '', fence(d.real), '', `${d.field}, emulated:`, '', fence(d.emulated), '');
    }
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}
