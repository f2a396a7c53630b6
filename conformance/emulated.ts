// The plan run on the emulated kernel: the counterpart of conformance/guest/runner.c, making the
// same system calls in the same order (so that probes on do_sys_openat2, vfs_read, ksys_write…
// see the same calls on both kernels) from a guest process named "kpconf", as the runner is.

import { bootMachine } from '../src/shell/machine.ts';
import type { BootedKernel } from '../src/shell/machine.ts';
import type { Process } from '../src/kernel/process-api.ts';
import { AT_FDCWD, O_APPEND, O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY } from '../src/kernel/abi.ts';
import { BUILTIN_MAGIC } from '../src/kernel/exec.ts';
import { TsProcess } from '../src/kernel/process.ts';
import type { Trigger } from './corpus.ts';
import { symbolsOf } from './corpus.ts';
import type { CaseRecords, FormatRecord, Op, OpRecord, PlannedCase, RunResult } from './plan.ts';

const TRACING = '/sys/kernel/tracing/';
const DATA_FILE = '/tmp/kpconf.txt';
const DATA_TEXT = 'kprobe conformance\n';

/** read_all() of runner.c: the same read sizes (a 64 KiB buffer that doubles when full). */
/** The runner's paths are bytes (latin1 strings here), passed to openat as they are. */
const pathBytes = (path: string): Buffer => Buffer.from(path, 'latin1');

async function readAll(p: Process, path: string): Promise<{ rc: number; text?: string }> {
  const fd = await p.openat(AT_FDCWD, pathBytes(path), O_RDONLY);
  if (fd < 0) return { rc: fd };
  let cap = 65536;
  const parts: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    if (n === cap) cap *= 2;
    const r = await p.read(fd, cap - n);
    if (typeof r === 'number') {
      await p.close(fd);
      return { rc: r };
    }
    if (r.length === 0) break;
    parts.push(r);
    n += r.length;
  }
  await p.close(fd);
  return { rc: n, text: Buffer.concat(parts).toString('latin1') };
}

async function writeFile(p: Process, file: string, data: Buffer, flags: number): Promise<number> {
  const fd = await p.openat(AT_FDCWD, pathBytes(TRACING + file), O_WRONLY | flags);
  if (fd < 0) return fd;
  let rc = 0;
  if (data.length || !(flags & O_TRUNC)) rc = await p.write(fd, data);
  await p.close(fd);
  return rc;
}

/** listed_events() of runner.c. */
async function listedEvents(p: Process): Promise<string[]> {
  const { text } = await readAll(p, TRACING + 'kprobe_events');
  const names: string[] = [];
  for (const line of (text ?? '').split('\n')) {
    if (!line) continue;
    const colon = line.indexOf(':');
    const space = line.indexOf(' ');
    if (colon < 0 || space < 0 || space < colon) continue;
    const name = line.slice(colon + 1, space).slice(0, 159);
    if (!names.includes(name)) names.push(name);
    if (names.length === 256) break;
  }
  return names;
}

/** substitute() of runner.c. */
function substitute(data: string, symbols: Record<string, string>): string {
  return data.replace(/\{addr:([^}]*)\}/g, (_, spec: string) => {
    const [name, off] = spec.split('+', 2) as [string, string | undefined];
    const base = BigInt(symbols[name] ?? '0');
    const offset = off === undefined ? 0n : BigInt(Number.parseInt(off, off.startsWith('0x') ? 16 : 10) || 0);
    return `0x${BigInt.asUintN(64, base + offset).toString(16)}`;
  });
}

async function trigger(m: BootedKernel, p: TsProcess, what: Trigger): Promise<OpRecord> {
  switch (what) {
    case 'openat-enoent':
      return { rc: await p.openat(AT_FDCWD, '/nonexistent-kpconf', O_RDONLY) };
    case 'openat-file': {
      const fd = await p.openat(AT_FDCWD, DATA_FILE, O_RDONLY);
      if (fd < 0) return { rc: fd };
      await p.close(fd);
      return { rc: fd };
    }
    case 'read': {
      const fd = await p.openat(AT_FDCWD, DATA_FILE, O_RDONLY);
      if (fd < 0) return { rc: fd };
      const r = await p.read(fd, 5);
      await p.close(fd);
      return { rc: typeof r === 'number' ? r : r.length };
    }
    case 'write': {
      const fd = await p.openat(AT_FDCWD, '/dev/null', O_WRONLY);
      if (fd < 0) return { rc: fd };
      const r = await p.write(fd, 'hello');
      await p.close(fd);
      return { rc: r };
    }
    case 'fork': {
      const child = m.kernel.fork(p);
      if (typeof child === 'number') return { rc: child, children: [] };
      child.exit(0);
      const w = p.wait4(child.pid);
      return { rc: w.pid < 0 ? w.pid : 0, children: [child.pid] };
    }
  }
}

async function runOp(m: BootedKernel, p: TsProcess, o: Op, symbols: Record<string, string>): Promise<OpRecord> {
  switch (o.op) {
    case 'A':
    case 'T':
      return { rc: await writeFile(p, o.file, Buffer.from(substitute(o.data, symbols), 'latin1'), o.op === 'A' ? O_APPEND : O_TRUNC) };
    case 'R':
      return readAll(p, TRACING + o.file);
    case 'F': {
      const formats: FormatRecord[] = [];
      for (const event of await listedEvents(p)) {
        const r = await readAll(p, `${TRACING}events/${event}/format`);
        formats.push({ event, rc: r.rc, text: r.text ?? '' });
      }
      return { rc: 0, formats };
    }
    case 'N': {
      let rc = 0;
      for (const event of await listedEvents(p)) {
        const r = await writeFile(p, `events/${event}/enable`, Buffer.from(String(o.value)), O_TRUNC);
        if (r < 0 && !rc) rc = r;
      }
      return { rc };
    }
    case 'G':
      return trigger(m, p, o.trigger);
  }
}

export interface EmulatedOptions {
  arch: 'arm64';
  log?: (line: string) => void;
}

/** Boot the emulated machine and run the plan; the kernel's console output is discarded. */
export async function runEmulated(planned: readonly PlannedCase[], options: EmulatedOptions): Promise<RunResult> {
  const m = await bootMachine({ arch: options.arch, output: () => {} });
  const result: RunResult = { kernel: `emulated ${options.arch}`, pid: 0, symbols: {}, cases: new Map() };
  const shell = m.shellProcess;
  const fd = shell.openat(AT_FDCWD, '/bin/kpconf', O_WRONLY | O_CREAT | O_TRUNC, 0o755);
  if (fd < 0) throw new Error(`cannot create /bin/kpconf: ${fd}`);
  shell.write(fd, `${BUILTIN_MAGIC}kpconf\n`);
  shell.close(fd);

  const status = await m.kernel.spawn(shell, 'kpconf', async (child) => {
    const p = child as TsProcess;
    result.pid = p.pid;
    for (let f = 3; f < 64; f++) await p.close(f);
    const dfd = await p.openat(AT_FDCWD, DATA_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0o644);
    if (dfd >= 0) {
      await p.write(dfd, DATA_TEXT);
      await p.close(dfd);
    }
    const wanted = symbolsOf(planned.map((c) => c.case));
    if (wanted.length) {
      const { text } = await readAll(p, '/proc/kallsyms');
      for (const line of (text ?? '').split('\n')) {
        const [addr, , name] = line.split(/\s+/);
        if (name && wanted.includes(name) && !(name in result.symbols)) result.symbols[name] = `0x${BigInt(`0x${addr}`).toString(16)}`;
      }
      for (const s of wanted) result.symbols[s] ??= '0x0';
    }
    for (const pc of planned) {
      const records: CaseRecords = { id: pc.case.id, records: [] };
      try {
        for (const o of pc.ops) records.records.push(await runOp(m, p, o, result.symbols));
        result.cases.set(pc.case.id, records);
      } catch (e) {
        options.log?.(`emulated: case ${pc.case.id} (${pc.case.text}) failed: ${(e as Error).stack ?? e}`);
      }
    }
    return 0;
  });
  if (status !== 0) options.log?.(`emulated: kpconf ended with status ${status}`);
  return result;
}
