// Benchmark of the MIPS32 interpreter (no guest kernel yet): bench/cpu-isa.ts on
// test/isa/mips/programs/program.c beside qemu-mips-static. Usage: tsx bench/cpu-mips.ts [rounds];
// bench/run.ts calls mipsCpuBench().

import { fileURLToPath } from 'node:url';
import * as harness from '../test/isa/mips/harness.ts';
import { isaBench } from './cpu-isa.ts';

export function mipsCpuBench(rounds = 40): void {
  isaBench('mips', harness, 'mips-linux-gnu-gcc', 'qemu-mips-static', rounds);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) mipsCpuBench(Number(process.argv[2] ?? 40));
