// Probing every instruction boundary of every guest function at once changes nothing the guest
// does: the shell workload and the user programs give the same console output and leave the same
// tasks and files as without probes, and each probe is hit exactly as often as its instruction
// runs without probes. Where Linux refuses a probe (blacklisted entry/noinstr text, exception-class
// and exclusive-sequence instructions), the registration is refused and counted.

import { describe, expect, it } from 'vitest';
import { bootMachine, type BootedKernel } from '../../src/shell/machine.ts';
import { Shell } from '../../src/shell/shell.ts';
import type { TsProcess } from '../../src/kernel/process.ts';
import type { Kprobe } from '../../src/kprobes/types.ts';
import { EINVAL } from '../../src/uapi/errno.ts';

const WORKLOAD = [
  'ls',
  'cat /etc/hostname',
  'echo "probe me" > /tmp/a',
  'cat /tmp/a >> /tmp/b',
  'mkdir /tmp/d',
  'ls /tmp /root/blog',
  'rm /tmp/a',
  'cat /nonexistent',
  'uname -a',
  'run guest/images/arm64/user/hello.elf',
  'run guest/images/arm64/user/files.elf',
  'run guest/images/arm64/user/heap.elf',
  'run guest/images/arm64/user/exitcode.elf',
  'echo $?',
];

interface RunResult {
  console: string;
  files: string;
  tasks: string;
}

/** Every file under / (procfs and sysfs left out: their contents describe the probes themselves). */
function snapshotFiles(p: TsProcess, dir: string, out: string[]): void {
  const fd = p.openat(-100, dir, 0o40000);
  if (fd < 0) return;
  const names: string[] = [];
  for (;;) {
    const batch = p.getdents64(fd);
    if (typeof batch === 'number' || batch.length === 0) break;
    for (const e of batch) if (e.name !== '.' && e.name !== '..') names.push(e.name);
  }
  p.close(fd);
  for (const name of names.sort()) {
    const path = dir === '/' ? `/${name}` : `${dir}/${name}`;
    if (path === '/proc' || path === '/sys' || path === '/dev') continue;
    const st = p.newfstatat(-100, path, 0);
    if (typeof st === 'number') continue;
    out.push(`${path} ${st.mode.toString(8)} ${st.size}`);
    if ((st.mode & 0o170000) === 0o040000) snapshotFiles(p, path, out);
  }
}

async function readAll(p: TsProcess, path: string): Promise<string> {
  const fd = p.openat(-100, path, 0);
  if (fd < 0) return `error ${fd}`;
  let s = '';
  for (;;) {
    const r = await p.read(fd, 4096);
    if (typeof r === 'number' || r.length === 0) break;
    s += Buffer.from(r).toString('latin1');
  }
  p.close(fd);
  return s;
}

async function runWorkload(m: BootedKernel, output: { text: string }): Promise<RunResult> {
  const sh = await Shell.start({ kernel: m.kernel, proc: m.shellProcess });
  for (const line of WORKLOAD) await sh.feed(line);
  const files: string[] = [];
  snapshotFiles(m.shellProcess, '/', files);
  for (const f of ['/tmp/b', '/etc/hostname']) files.push(await readAll(m.shellProcess, f));
  const tasks = [...m.core.tasks.values()]
    .map((t) => `${t.pid} ${t.comm} ${t.exited ? 'exited' : t.state} ${t.exitCode}`)
    .join('\n');
  return { console: output.text, files: files.join('\n'), tasks };
}

describe('every instruction of every guest function probed at once', () => {
  it('changes nothing, and hits equal executions', async () => {
    // 1. Without probes: count how often each kernel-text address executes.
    const outA = { text: '' };
    const a = await bootMachine({ arch: 'arm64', output: (b) => void (outA.text += Buffer.from(b).toString('latin1')) });
    const text = { start: a.core.symbol('_stext'), end: a.core.symbol('_etext') };
    const executed = new Map<number, number>();
    a.core.instructionHook = (pc) => {
      if (pc >= text.start && pc < text.end) executed.set(pc, (executed.get(pc) ?? 0) + 1);
    };
    const before = await runWorkload(a, outA);
    a.core.instructionHook = null;

    // 2. With a kprobe on every instruction boundary of every function.
    const outB = { text: '' };
    const b = await bootMachine({ arch: 'arm64', output: (bytes) => void (outB.text += Buffer.from(bytes).toString('latin1')) });
    const hits = new Map<number, number>();
    const probes: Kprobe[] = [];
    const refused = new Map<number, number>();
    const functions = b.core.symbols.all().filter((s) => s.elfType === 'FUNC' && s.address >= text.start && s.address < text.end && s.size > 0);
    for (const f of functions) {
      for (let addr = f.address; addr < f.address + f.size; addr += 4) {
        const kp: Kprobe = {
          addr,
          preHandler: (p) => {
            hits.set(p.addr!, (hits.get(p.addr!) ?? 0) + 1);
            return 0;
          },
        };
        const r = b.core.kprobesApi!.registerKprobe(kp);
        if (r === 0) probes.push(kp);
        else refused.set(r, (refused.get(r) ?? 0) + 1);
      }
    }
    expect(probes.length).toBeGreaterThan(5000);
    // Linux refuses with -EINVAL only (blacklist, rejected instruction classes): nothing else.
    expect([...refused.keys()]).toEqual([-EINVAL]);
    const after = await runWorkload(b, outB);

    // The workload really ran: its commands' and programs' output is there.
    expect(before.console).toContain('blog        dockerfile');
    expect(before.files).toContain('probe me');
    expect(before.console).toContain('Hello from a static arm64 program!');
    expect(before.console).toContain("cat: can't open '/nonexistent': No such file or directory");
    expect(after.console).toBe(before.console);
    expect(after.files).toBe(before.files);
    expect(after.tasks).toBe(before.tasks);
    let compared = 0;
    for (const kp of probes) {
      expect.soft(hits.get(kp.addr!) ?? 0, b.core.symbolize(kp.addr!)).toBe(executed.get(kp.addr!) ?? 0);
      compared++;
    }
    expect(compared).toBe(probes.length);
    const totalHits = [...hits.values()].reduce((x, y) => x + y, 0);
    expect(totalHits).toBeGreaterThan(100_000);
    console.log(`${functions.length} functions, ${probes.length} probes, ${[...refused.values()].reduce((x, y) => x + y, 0)} refused, ${totalHits} hits`);
  }, 600_000);
});
