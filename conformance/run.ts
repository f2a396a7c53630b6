// The conformance harness's command: `npx tsx conformance/run.ts [--arch arm64] [--filter TEXT]
// [--corpus FILE] [--report FILE|-]`. Boots the real kernel once under QEMU, runs the corpus on it
// and on the emulated kernel, writes the disagreements file, prints the agreement figure last.

import { runConformance } from './harness.ts';
import type { GuestArch } from './debian.ts';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const arch = (opt('--arch') ?? 'arm64') as GuestArch;
const report = opt('--report');
const result = await runConformance({
  arch,
  corpus: opt('--corpus'),
  filter: opt('--filter'),
  report: report === '-' ? null : report,
  log: (line) => console.error(line),
});
const t = result.timings;
console.error(
  `times: kernel fetch ${(t.fetchMs / 1000).toFixed(1)} s, real kernel (QEMU) ${(t.realMs / 1000).toFixed(1)} s, emulated ${(t.emulatedMs / 1000).toFixed(1)} s, total ${(t.totalMs / 1000).toFixed(1)} s`,
);
if (result.reportPath) console.error(`disagreements: ${result.reportPath}`);
console.log(result.summary);
process.exitCode = result.realProblem ? 1 : 0;
