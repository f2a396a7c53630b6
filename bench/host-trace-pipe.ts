// The host target's part of `npm run bench`: how fast trace_pipe text is parsed into typed events,
// beside a plain `cat` of the same bytes. The text is synthetic but real in format: each event is
// produced the way the emulated kernel produces one — probe definitions parsed by
// src/tracing/probe-event.ts and uprobe-event.ts, arguments fetched and stored by
// probe-fetch.ts's storeTraceArgs() from registers and memory, printed by printProbeArgs() after
// trace-output.ts's printContext() — for uprobes, uretprobes, kprobes and kretprobes with
// integer, hex, char, string and array arguments. Their format files come from
// trace-events.ts's f_show(), and are parsed back by src/host/event-format.ts as on a real kernel.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archSpec, type ArchSpec } from '../src/tracing/arch.ts';
import { argvSplit } from '../src/tracing/kstr.ts';
import { kprobeEventFields, kprobeHeadSize, parseKprobeCommand } from '../src/tracing/probe-event.ts';
import { dataSize, printProbeArgs, storeTraceArgs, type FetchSource } from '../src/tracing/probe-fetch.ts';
import type { ProbeArg } from '../src/tracing/fetch-arg.ts';
import { TraceEventCall } from '../src/tracing/trace-events.ts';
import { printContext, TRACE_FLAG_BH_OFF, TRACE_FLAG_HARDIRQ, TRACE_FLAG_IRQS_OFF, TRACE_FLAG_NMI, TRACE_FLAG_NEED_RESCHED, TRACE_FLAG_PREEMPT_RESCHED, type SymbolLookup } from '../src/tracing/trace-output.ts';
import { parseUprobeCommand } from '../src/tracing/uprobe-event.ts';
import { parseEventFormat, type ArgSpec } from '../src/host/event-format.ts';
import { ptRegsFromArgs, REG_PREFIX } from '../src/host/pt-regs.ts';
import { parseProbeBody, parseTraceLine } from '../src/host/trace-line.ts';
import { TracePipe } from '../src/host/trace-pipe.ts';

const X86 = archSpec('x86_64');

/** The probes the synthetic trace has (x86_64 registers, as on this project's CI machines). */
export const SYNTHETIC_PROBES = [
  'p:kprobe_1/probe_me /tmp/t:0x1149 a=%di:s32 b=%si:s64 s=+0(%dx):string c=+0(%dx):char',
  'r:kprobe_1/probe_me__return /tmp/t:0x1149 ret=%ax:s32',
  'p:kprobe_1/myopen do_sys_openat2 dfd=%di:s32 filename=+0(%si):string flags=%dx:x32 raw=+0(%si):x8[4]',
  'r:kprobe_1/myopen__return do_sys_openat2 ret=$retval:s64',
];

interface SyntheticProbe {
  readonly event: string;
  readonly isReturn: boolean;
  readonly kind: 'kprobe' | 'uprobe';
  readonly args: ProbeArg[];
  readonly size: number;
  /** The format file text (f_show()) and the specs read back from it. */
  readonly format: string;
  readonly specs: ArgSpec[];
}

export function syntheticProbes(arch: ArchSpec = X86): SyntheticProbe[] {
  return SYNTHETIC_PROBES.map((line, i) => {
    const argv = argvSplit(line);
    const u = parseUprobeCommand(argv, { arch });
    const r = u.ok ? u : parseKprobeCommand(argvSplit(line), { arch });
    if (!r.ok) throw new Error(`bad synthetic probe ${line}`);
    const def = r.def;
    const call = new TraceEventCall(2000 + i, def.group, def.event, {
      fields: () => kprobeEventFields(def, arch),
      printFmt: () => def.printFmt,
      print: () => '',
      reg: () => 0,
    });
    const format = call.format();
    return { event: def.event, isReturn: def.isReturn, kind: u.ok ? 'uprobe' : 'kprobe', args: def.args, size: def.size, format, specs: parseEventFormat(format).args };
  });
}

/** A small deterministic generator (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const PATHS = ['/etc/hostname', '/usr/lib/x86_64-linux-gnu/libc.so.6', '/proc/self/stat', 'hello "quoted" x=1', '/tmp/a b=c', '/sys/kernel/tracing/instances/kprobe_1/trace_pipe'];
const COMMS = ['t', 'cat', 'node', 'bash', 'kworker/u8:2', 'systemd-journal', '<...>'];
const FLAGS: [number, number][] = [
  [TRACE_FLAG_IRQS_OFF | TRACE_FLAG_BH_OFF | TRACE_FLAG_NEED_RESCHED | TRACE_FLAG_PREEMPT_RESCHED | TRACE_FLAG_NMI | TRACE_FLAG_HARDIRQ, 0xff],
  [0, 0],
  [TRACE_FLAG_IRQS_OFF, 1],
  [TRACE_FLAG_NEED_RESCHED | TRACE_FLAG_HARDIRQ, 0x12],
];

/** One synthetic trace_pipe: its lines, and each line's probe and the argument values it was made from. */
export interface SyntheticTrace {
  readonly lines: string[];
  readonly probes: SyntheticProbe[];
  /** Per line: the index of its probe and the values the registers and memory held. */
  readonly truth: { probe: number; regs: Record<string, bigint>; string?: string }[];
}

/** `count` events through the emulated kernel's fetch-and-print path. */
export function syntheticTrace(count: number, seed = 1): SyntheticTrace {
  const arch = X86;
  const probes = syntheticProbes(arch);
  const next = rng(seed);
  const lines: string[] = [];
  const truth: SyntheticTrace['truth'] = [];
  const STR_ADDR = 0x7ffd_1000_0000n;
  const lookup: SymbolLookup = (addr) => (addr >= 0xffffffff81363fa0n && addr < 0xffffffff81364110n ? { name: 'do_sys_openat2', offset: addr - 0xffffffff81363fa0n, size: 0x170n } : addr >= 0xffffffff8136a000n && addr < 0xffffffff8136a0a0n ? { name: '__x64_sys_openat', offset: addr - 0xffffffff8136a000n, size: 0xa0n } : undefined);
  let ts = 3_124_917_950_000n;
  for (let i = 0; i < count; i++) {
    const pi = next() % probes.length;
    const p = probes[pi]!;
    const s = PATHS[next() % PATHS.length]!;
    const fault = next() % 16 === 0;
    const regs: Record<string, bigint> = {
      di: BigInt(next() % 2 ? -(next() % 200) : next() % 100000),
      // The string argument faults when its pointer is NULL: %si for the kprobe, %dx for the uprobe.
      si: p.kind === 'kprobe' && fault ? 0n : p.kind === 'kprobe' ? STR_ADDR : BigInt(next()),
      dx: p.kind === 'uprobe' ? (fault ? 0n : STR_ADDR) : BigInt(next()),
      ax: BigInt(next() % 3 ? next() % 64 : -(next() % 40)),
      ip: 0x555c07426159n,
      sp: 0x7ffc_ea70_2000n,
    };
    const bytes = Buffer.from(s + '\0', 'latin1');
    const src: FetchSource = {
      arch,
      regs: ptRegsFromArgs(arch, Object.fromEntries(Object.entries(regs).map(([k, v]) => [REG_PREFIX + k, BigInt.asUintN(64, v)]))),
      readMemory: (addr, length) => {
        const off = Number(addr - STR_ADDR);
        if (addr < STR_ADDR || off + length > bytes.length) return undefined;
        return new Uint8Array(bytes.subarray(off, off + length));
      },
      comm: COMMS[next() % COMMS.length]!,
      lookupSymbol: lookup,
    };
    const head = kprobeHeadSize(arch, p.isReturn);
    const dsize = dataSize(p.args, src);
    const buf = new Uint8Array(head + p.size + dsize);
    storeTraceArgs(buf, head, p.size, p.args, src, dsize);
    const [flags, preemptCount] = FLAGS[next() % FLAGS.length]!;
    ts += BigInt(next() % 5_000_000);
    let where: string;
    if (p.kind === 'uprobe') where = p.isReturn ? '(0x555c074261c6 <- 0x555c07426159)' : '(0x555c07426159)';
    else where = p.isReturn ? '(__x64_sys_openat+0x6a/0xa0 <- do_sys_openat2)' : '(do_sys_openat2+0x0/0x170)';
    const line =
      printContext(src.comm, { type: 2000 + pi, flags, preemptCount, pid: 1000 + (next() % 30000) }, next() % 4, ts, true) +
      `${p.event}: ${where}` +
      printProbeArgs(p.args, buf, head, arch, lookup);
    lines.push(line);
    truth.push({ probe: pi, regs, string: fault ? undefined : s });
  }
  return { lines, probes, truth };
}

function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

/** Print the host section of the bench. */
export async function hostTracePipeBench(): Promise<void> {
  console.log('4. Host target: trace_pipe text parsed into typed events, beside a plain cat of the same file');
  const gen = syntheticTrace(20000);
  const specs = new Map(gen.probes.map((p) => [p.event, p.specs]));
  const unit = gen.lines.join('\n') + '\n';
  const reps = Math.max(1, Math.round((48 << 20) / unit.length));
  const dir = mkdtempSync(join(tmpdir(), 'kprobe-bench-'));
  const file = join(dir, 'trace_pipe.txt');
  try {
    writeFileSync(file, unit.repeat(reps), 'latin1');
    const bytes = statSync(file).size;
    const events = gen.lines.length * reps;
    const mb = bytes / (1 << 20);
    let catMs = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      spawnSync('cat', [file], { stdio: ['ignore', 'ignore', 'ignore'] });
      catMs = Math.min(catMs, performance.now() - t0);
    }
    let best = Infinity;
    let typed = 0;
    for (let i = 0; i < 3; i++) {
      typed = 0;
      const t0 = performance.now();
      const pipe = await TracePipe.open(file, { bufferSize: 1 << 20 });
      for await (const batch of pipe.batches()) {
        for (const l of batch) {
          const t = parseTraceLine(l);
          if (t.kind !== 'event') continue;
          const body = parseProbeBody(t.rec.body, specs.get(t.rec.event));
          if (body?.typed) typed++;
        }
      }
      await pipe.close();
      best = Math.min(best, performance.now() - t0);
    }
    console.log(`   data: ${fmt(mb)} MB, ${events} events (${gen.probes.length} probes: uprobe, uretprobe, kprobe, kretprobe; ints, hex, char, strings, arrays)`);
    console.log(`   cat > /dev/null:        ${fmt(catMs)} ms = ${fmt(mb / (catMs / 1000), 0)} MB/s`);
    console.log(`   read + parse + type:    ${fmt(best)} ms = ${fmt(mb / (best / 1000), 0)} MB/s, ${fmt(events / (best / 1000) / 1e6, 2)} M events/s (${typed === events ? 'every event typed' : `${typed} of ${events} typed`}); ${fmt(best / catMs, 1)}× cat's time`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
