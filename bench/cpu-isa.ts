// Benchmark of one ISA's interpreter alone: instructions per second on a compiled, loop-heavy C
// program of its oracle tests (test/isa/<arch>/programs/program.c), run in user mode by the
// ISA's test harness, next to qemu's user-mode emulator on the same binary when it is installed.
// Best of several runs (the machine is shared), median beside it. No Linux counterpart.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** What the benchmark needs of an ISA's test harness (test/isa/<arch>/harness.ts). */
export interface IsaHarness {
  compileProgram(name: string, variant: string, extra?: string[]): string;
  runOurs(bytes: Uint8Array): { stdout: Uint8Array; status: number; instructions: number };
}

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { stdio: 'ignore' }).status === 0;
}

/** Prints the interpreter's speed and qemu's on the same binary, as indented report lines. */
export function isaBench(arch: string, harness: IsaHarness, compiler: string, qemu: string, rounds: number, runs = Number(process.env.BENCH_RUNS ?? 3)): void {
  if (!hasTool(compiler)) {
    console.log(`   (${compiler} not installed: skipped)`);
    return;
  }
  const path = harness.compileProgram('program', 'O2', [`-DROUNDS=${rounds}`]);
  const bytes = readFileSync(path);
  let ours = harness.runOurs(bytes); // warms up the JIT
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    ours = harness.runOurs(bytes);
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  times.sort((x, y) => x - y);
  const seconds = times[0]!;
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `   ${arch} interpreter: ${ours.instructions} instructions; best ${seconds.toFixed(3)} s = ${(ours.instructions / seconds / 1e6).toFixed(1)} M instructions/s ` +
      `(median ${(ours.instructions / median / 1e6).toFixed(1)} M/s over ${runs} runs)`,
  );
  if (!hasTool(qemu)) return;
  let qs = Infinity;
  let same = true;
  for (let i = 0; i < runs; i++) {
    const t1 = process.hrtime.bigint();
    const r = spawnSync(qemu, [path], { maxBuffer: 64 << 20 });
    qs = Math.min(qs, Number(process.hrtime.bigint() - t1) / 1e9);
    same &&= Buffer.compare(r.stdout, ours.stdout) === 0 && r.status === ours.status;
  }
  console.log(
    `   ${qemu}: best ${qs.toFixed(3)} s (≈ ${(ours.instructions / qs / 1e6).toFixed(0)} M/s, process start included) — ` +
      `ours is ${((qs / seconds) * 100).toFixed(1)}% of qemu's speed; output ${same ? 'identical' : 'DIFFERENT'}`,
  );
}
