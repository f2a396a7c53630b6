// The conformance harness in one call: read the corpus, plan it, fetch the real kernel (cached),
// run the plan on the real kernel under QEMU and on the emulated kernel side by side, compare,
// write conformance/disagreements-<arch>.md and return the figures. Used by conformance/run.ts
// (the command) and test/conformance/conformance.test.ts.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Comparison } from './compare.ts';
import { compareRuns } from './compare.ts';
import { readCorpus } from './corpus.ts';
import type { GuestArch } from './debian.ts';
import { CACHE_ROOT, REPO_ROOT, fetchKernel } from './debian.ts';
import { runEmulated } from './emulated.ts';
import { planCorpus } from './plan.ts';
import type { RunResult } from './plan.ts';
import { runReal } from './real.ts';
import { agreementLine, renderReport } from './report.ts';

export const DEFAULT_CORPUS = join(REPO_ROOT, 'conformance', 'corpus.txt');

export interface ConformanceOptions {
  arch: GuestArch;
  corpus?: string;
  /** Where to write the disagreements (default conformance/disagreements-<arch>.md); null: nowhere. */
  report?: string | null;
  /** Only the cases whose id or text contains this (for working on a few cases). */
  filter?: string;
  log?: (line: string) => void;
}

export interface ConformanceResult {
  comparison: Comparison;
  /** The agreement line printed at the end. */
  summary: string;
  reportPath: string | null;
  timings: { fetchMs: number; realMs: number; emulatedMs: number; totalMs: number };
  realProblem?: string;
}

function serialisable(r: RunResult): unknown {
  return { ...r, cases: Object.fromEntries(r.cases) };
}

export async function runConformance(options: ConformanceOptions): Promise<ConformanceResult> {
  const log = options.log ?? (() => {});
  const t0 = performance.now();
  const corpusPath = options.corpus ?? DEFAULT_CORPUS;
  let cases = readCorpus(corpusPath);
  if (options.filter) cases = cases.filter((c) => c.id === options.filter || c.text.includes(options.filter!));
  const planned = planCorpus(cases);
  log(`${cases.length} cases from ${relative(REPO_ROOT, corpusPath)}`);

  const tf = performance.now();
  const kernel = fetchKernel(options.arch, { log });
  const fetchMs = performance.now() - tf;
  log(`kernel ${kernel.package} ${kernel.version} (${(fetchMs / 1000).toFixed(1)} s)`);
  if (options.arch !== 'arm64') throw new Error(`the emulated kernel has no ${options.arch} yet`);

  const realRun = runReal(kernel, planned, { log });
  const te = performance.now();
  const emulated = await runEmulated(planned, { arch: options.arch, log });
  const emulatedMs = performance.now() - te;
  log(`emulated kernel: ${emulated.cases.size} cases in ${(emulatedMs / 1000).toFixed(1)} s`);
  const real = await realRun;
  log(`real kernel: ${real.cases.size} cases, QEMU ${(real.wallMs / 1000).toFixed(1)} s${real.problem ? ` (${real.problem})` : ''}`);

  mkdirSync(CACHE_ROOT, { recursive: true });
  writeFileSync(join(CACHE_ROOT, `results-${options.arch}.json`), JSON.stringify({ real: serialisable(real), emulated: serialisable(emulated) }, null, 1));
  writeFileSync(join(CACHE_ROOT, `console-${options.arch}.txt`), real.console, 'latin1');

  const comparison = compareRuns(planned, real, emulated);
  const reportPath = options.report === null ? null : (options.report ?? join(REPO_ROOT, 'conformance', `disagreements-${options.arch}.md`));
  if (reportPath) {
    writeFileSync(reportPath, renderReport(comparison, { arch: options.arch, corpus: relative(REPO_ROOT, corpusPath), realProblem: real.problem }));
  }
  const summary = agreementLine(comparison);
  return {
    comparison,
    summary,
    reportPath,
    timings: { fetchMs, realMs: real.wallMs, emulatedMs, totalMs: performance.now() - t0 },
    realProblem: real.problem,
  };
}
