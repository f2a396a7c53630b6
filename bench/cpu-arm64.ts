// Benchmark of the arm64 interpreter alone: bench/cpu-isa.ts on test/isa/arm64/programs/program.c
// (SHA-256, CRC-32, sorting, lists, formatting) beside qemu-aarch64-static.
// Usage: tsx bench/cpu-arm64.ts [rounds]

import * as harness from '../test/isa/arm64/harness.ts';
import { isaBench } from './cpu-isa.ts';

isaBench('arm64', harness, 'aarch64-linux-gnu-gcc', 'qemu-aarch64-static', Number(process.argv[2] ?? 300), Number(process.env.BENCH_RUNS ?? 5));
