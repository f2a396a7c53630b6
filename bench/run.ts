// `npm run bench`: the project's speed, measured side by side in one run and printed as figures and
// ratios (never asserted in tests). 1) guest instructions per second of the emulated machine on
// the user programs and the shell workload, beside the same programs under Debian's
// qemu-aarch64-static; 2) the cost of one kprobe hit, in host nanoseconds and in guest
// instructions' time; 3) trace events recorded and formatted per second for a probe on a hot
// function; 4) the host target's parse throughput of trace_pipe text beside a plain cat
// (bench/host-trace-pipe.ts); 5) the MIPS32 interpreter alone (no guest kernel yet) on a user
// program beside qemu-mips-static (bench/cpu-mips.ts).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bootMachine, type BootedKernel } from '../src/shell/machine.ts';
import { installHostElf } from '../src/shell/hostfile.ts';
import { Shell } from '../src/shell/shell.ts';
import type { Kprobe } from '../src/kprobes/types.ts';
import { hostTracePipeBench } from './host-trace-pipe.ts';
import { mipsCpuBench } from './cpu-mips.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const PROGRAMS = ['crunch', 'primes', 'heap'];
const REPEAT = 3;

function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

function hasQemu(): boolean {
  return spawnSync('sh', ['-c', 'command -v qemu-aarch64-static'], { stdio: 'ignore' }).status === 0;
}

/** Wall time of the program under qemu-aarch64-static, best of REPEAT runs (ms). */
function qemuMs(elf: string, args: string[]): number {
  let best = Infinity;
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    const r = spawnSync('qemu-aarch64-static', [elf, ...args], { cwd: '/tmp', stdio: 'ignore' });
    const dt = performance.now() - t0;
    if (r.status === null) throw new Error(`qemu failed on ${elf}`);
    best = Math.min(best, dt);
  }
  return best;
}

async function boot(): Promise<BootedKernel> {
  return bootMachine({ arch: 'arm64', output: () => undefined });
}

/** Runs the programs; returns the best guest M/s seen (the CPU's speed on compute-bound code). */
async function programs(m: BootedKernel, qemu: boolean): Promise<number> {
  let fastest = 0;
  console.log('1. Guest instructions per second (user programs; best of 3; instructions counted by the emulated machine)');
  console.log('   program      instructions   kprobe ms   kprobe M/s   qemu ms   qemu M/s   kprobe/qemu');
  for (const name of PROGRAMS) {
    const host = `${REPO}guest/images/arm64/user/${name}.elf`;
    if (!existsSync(host)) {
      console.log(`   ${name}: ${host} is missing (run guest/build.sh)`);
      continue;
    }
    const inst = await installHostElf(m.shellProcess, host);
    if (!inst.ok) {
      console.log(`   ${name}: not built (${inst.message})`);
      continue;
    }
    let best = Infinity;
    let count = 0;
    for (let i = 0; i < REPEAT; i++) {
      const r0 = m.core.cpu.retired;
      const t0 = performance.now();
      await m.kernel.runElf(m.shellProcess, inst.guestPath, [name]);
      const dt = performance.now() - t0;
      count = m.core.cpu.retired - r0;
      best = Math.min(best, dt);
    }
    const ours = count / best / 1000;
    fastest = Math.max(fastest, ours);
    let q = '         -          -             -';
    if (qemu) {
      const qm = qemuMs(host, []);
      const qr = count / qm / 1000;
      q = `${fmt(qm).padStart(10)} ${fmt(qr).padStart(10)} ${(fmt(ours / qr, 3) + '×').padStart(13)}`;
    }
    console.log(`   ${name.padEnd(10)} ${String(count).padStart(14)} ${fmt(best).padStart(11)} ${fmt(ours).padStart(12)}${q}`);
  }
  return fastest;
}

async function shellWorkload(m: BootedKernel): Promise<number> {
  const sh = await Shell.start({ kernel: m.kernel, proc: m.shellProcess });
  const lines = ['ls', 'cat /etc/hostname', 'echo bench > /tmp/x', 'cat /tmp/x', 'ls /tmp /root/blog', 'rm /tmp/x', 'uname -a'];
  const r0 = m.core.cpu.retired;
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) for (const l of lines) await sh.feed(l);
  const dt = performance.now() - t0;
  const n = m.core.cpu.retired - r0;
  console.log(`   shell workload (140 commands): ${n} instructions in ${fmt(dt)} ms = ${fmt(n / dt / 1000)} M/s (host time includes the TypeScript shell and commands)`);
  return n / dt / 1000;
}

/** ns per call of a guest function, best of REPEAT rounds of `calls` calls. */
function callCost(m: BootedKernel, fn: string, calls: number): { ns: number; instructions: number } {
  let best = Infinity;
  let instructions = 0;
  for (let r = 0; r < REPEAT; r++) {
    const r0 = m.core.cpu.retired;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) m.core.callGuest(fn, [i]);
    const dt = Number(process.hrtime.bigint() - t0) / calls;
    instructions = (m.core.cpu.retired - r0) / calls;
    best = Math.min(best, dt);
  }
  return { ns: best, instructions };
}

function probeHitCost(m: BootedKernel, guestMips: number): void {
  console.log('2. Cost of one kprobe hit (kprobe_target called from TypeScript; pre- and post-handler empty)');
  const calls = 20000;
  const api = m.core.kprobesApi!;
  const base = callCost(m, 'kprobe_target', calls);
  const kp: Kprobe = { symbolName: 'kprobe_target', preHandler: () => 0, postHandler: () => undefined };
  api.registerKprobe(kp);
  const probed = callCost(m, 'kprobe_target', calls);
  api.unregisterKprobe(kp);
  const hit = probed.ns - base.ns;
  console.log(`   call without probe: ${fmt(base.ns)} ns (${fmt(base.instructions)} guest instructions)`);
  console.log(`   call with probe:    ${fmt(probed.ns)} ns (${fmt(probed.instructions)} guest instructions: + BRK #4 trap, slot, BRK #6)`);
  console.log(`   one hit: ${fmt(hit)} ns of host time = the time of ${fmt((hit * guestMips) / 1000, 0)} guest instructions at ${fmt(guestMips)} M/s`);
}

async function traceEvents(m: BootedKernel): Promise<void> {
  console.log('3. Trace events recorded and formatted per second (kprobe event on vfs_write with two args)');
  const sh = m.shellProcess;
  const write = (path: string, text: string) => {
    const fd = sh.openat(-100, path, 0o1 | 0o2000);
    sh.write(fd, text);
    sh.close(fd);
  };
  write('/sys/kernel/tracing/buffer_size_kb', '8192\n');
  write('/sys/kernel/tracing/kprobe_events', 'p:hot vfs_write count=%x2:u64 buf=+0(%x1):string\n');
  write('/sys/kernel/tracing/events/kprobes/hot/enable', '1\n');
  const fd = sh.openat(-100, '/dev/null', 1);
  const n = 20000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sh.write(fd, 'x');
  const rec = performance.now() - t0;
  sh.close(fd);
  write('/sys/kernel/tracing/events/kprobes/hot/enable', '0\n');
  const t1 = performance.now();
  const tf = sh.openat(-100, '/sys/kernel/tracing/trace', 0);
  let bytes = 0;
  for (;;) {
    const r = await sh.read(tf, 65536);
    if (typeof r === 'number' || r.length === 0) break;
    bytes += r.length;
  }
  sh.close(tf);
  const out = performance.now() - t1;
  console.log(`   recorded: ${n} events in ${fmt(rec)} ms = ${fmt((n / rec) * 1000, 0)} events/s (each a write(2) through the guest)`);
  console.log(`   formatted: ${bytes} bytes of trace in ${fmt(out)} ms = ${fmt((n / out) * 1000, 0)} events/s`);
}

async function main(): Promise<void> {
  const qemu = hasQemu();
  if (!qemu) console.log('(qemu-aarch64-static not installed: its columns are left empty)');
  const m = await boot();
  const mips = await programs(m, qemu);
  await shellWorkload(m);
  probeHitCost(await boot(), mips);
  await traceEvents(await boot());
  await hostTracePipeBench();
  console.log('5. MIPS32 interpreter, user mode (test/isa/mips/programs/program.c at -O2, 40 rounds)');
  mipsCpuBench();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
