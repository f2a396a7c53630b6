// The real-kernel conformance harness end to end (conformance/README.md): the corpus on Debian's
// linux-image-6.12-arm64 under qemu-system-aarch64 and on the emulated arm64 kernel, compared;
// conformance/disagreements-arm64.md rewritten. Skipped on a machine without QEMU, the arm64
// cross compiler or apt; failing under CI=true if they are missing.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../conformance/corpus.ts';
import { DEFAULT_CORPUS, runConformance } from '../../conformance/harness.ts';
import { requireTools } from '../helpers/tools.ts';

/**
 * The agreement this tree reaches with the real arm64 kernel, as a floor against regressions:
 * the target of 97%, reached. The cases that disagree are listed, with their reasons, in
 * conformance/disagreements-arm64.md.
 */
const MIN_AGREEMENT_ARM64 = 0.97;

const available = requireTools('qemu-system-aarch64', 'aarch64-linux-gnu-gcc', 'apt-get', 'dpkg-deb');

describe('conformance corpus', () => {
  it('has at least 300 cases', () => {
    expect(readCorpus(DEFAULT_CORPUS).length).toBeGreaterThanOrEqual(300);
  });
});

describe.skipIf(!available)('conformance with the real arm64 kernel', () => {
  it('runs the whole corpus on both kernels and lists every disagreement with its reason', async () => {
    const log: string[] = [];
    const r = await runConformance({ arch: 'arm64', log: (l) => log.push(l) });
    const t = r.timings;
    console.log(`${r.summary}\n  kernel fetch ${(t.fetchMs / 1000).toFixed(1)} s, real kernel ${(t.realMs / 1000).toFixed(1)} s, emulated ${(t.emulatedMs / 1000).toFixed(1)} s`);
    expect(r.realProblem, log.join('\n')).toBeUndefined();
    const c = r.comparison;
    expect(c.total).toBe(readCorpus(DEFAULT_CORPUS).length);
    expect(c.verdicts.filter((v) => v.missing).map((v) => `${v.case.id} missing on ${v.missing}`)).toEqual([]);
    const report = readFileSync(r.reportPath!, 'utf8');
    for (const v of c.verdicts.filter((x) => !x.agree)) {
      const section = report.slice(report.indexOf(`## ${v.case.id}: `));
      expect(section.startsWith(`## ${v.case.id}: `), v.case.id).toBe(true);
      expect(section).toMatch(/\nReason: .+/);
    }
    expect(c.agreeing / c.total).toBeGreaterThanOrEqual(MIN_AGREEMENT_ARM64);
  }, 900_000);
});
