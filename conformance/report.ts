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

const BTF_TEXTS = [
  'BTF is not available or not supported',
  'This variable is not found at this probe point',
  'No BTF entry for this probe point',
  "This function returns 'void' type",
  'This is not a pointer to union/structure.',
  'Non pointer structure/union argument is not supported.',
  "Failed to parse single hyphen. Forgot '>'?",
  'This field is not found.',
  'This type does not fit for string.',
  '$arg* can be used only once in the parameters',
];

/** The argument words of every kprobe_events line a case writes (after the command and the place). */
function argWords(v: CaseVerdict): { probe: string; args: string[] }[] {
  const out: { probe: string; args: string[] }[] = [];
  for (const step of v.case.steps) {
    if (step.kind !== 'write') continue;
    for (const line of step.data.split('\n').map((l) => l.split('\0')[0]!)) {
      const words = line.replace(/#.*/, '').trim().split(/\s+/);
      if (words.length < 3 || words[0]!.startsWith('-')) continue;
      out.push({ probe: words[0]!, args: words.slice(2) });
    }
  }
  return out;
}

/** An argument whose meaning comes from BTF on a kernel that has it. */
function btfDependent(arg: string): boolean {
  const body = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg;
  if (/^[A-Za-z_]/.test(arg) && !arg.includes('=')) return true; // a parameter name or field
  if (body.startsWith('$arg*')) return true;
  if (!arg.includes('=') && /^\$arg\d+(:|$)/.test(arg)) return true; // unnamed $argN takes the parameter's name
  if (/^\$retval\w/.test(body)) return true;
  if (/^\$retval(?!:[usx](8|16|32|64)$)/.test(body)) return true; // $retval takes the return type
  return false;
}

const realMentions = (v: CaseVerdict, texts: string[]) => v.diffs.some((d) => texts.some((t) => d.real.includes(t)));

/** Trace lines that differ only in the flags column. */
function onlyFlagsDiffer(d: FieldDiff): boolean {
  if (!d.field.endsWith('trace')) return false;
  const strip = (s: string) => s.replace(/^(\S+ \[\d+\]) \S+/gm, '$1 <FLAGS>');
  return d.real !== d.emulated && strip(d.real) === strip(d.emulated);
}

export const CAUSES: Cause[] = [
  {
    name: 'BTF',
    explain:
      'The real kernel has BTF (CONFIG_DEBUG_INFO_BTF, CONFIG_PROBE_EVENTS_BTF_ARGS): parameter names and fields (`file`, `count->x`, `$arg*`), an unnamed `$argN` named after its parameter, `$retval` typed by the return type (`s64`, `%Ld` for `ssize_t`; `:string` allowed), and the BTF error codes. The emulated tracer has no BTF for its guest kernel and answers as a kernel without it.',
    test: (v) => realMentions(v, BTF_TEXTS) || argWords(v).some((l) => l.args.some(btfDependent)),
  },
  {
    name: 'need-resched',
    explain:
      "The trace lines differ only in the flags column: after fork, the real kernel's wake_up_new_task sets TIF_NEED_RESCHED on the parent (the child is to run), shown as `N`; the emulated kernel's scheduler does not set it.",
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
