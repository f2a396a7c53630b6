// Test helper for the tests that run on this machine's real kernel: whether they can run (root,
// tracefs, uprobe events; skipped on a developer's machine without them, an error under CI=true
// unless KPROBE_HOST_TESTS=skip says the CI machine has no such kernel), the `kprobe host`
// command as a child process, and what the tests' processes left in tracefs. No Linux
// counterpart.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTracefs, type Tracefs } from '../../../src/host/tracefs.ts';
import { readFeatures, type HostFeatures } from '../../../src/host/readme.ts';
import { parseDynamicEvents } from '../../../src/host/dynamic-events.ts';
import { OWN_NAME } from '../../../src/host/lifecycle.ts';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface HostKernel {
  readonly tracefs: Tracefs;
  readonly features: HostFeatures;
}

/** The real kernel's tracefs with uprobe events, or undefined (the tests skip) — see the file comment. */
export function hostKernel(): HostKernel | undefined {
  let why: string | undefined;
  let k: HostKernel | undefined;
  if (process.getuid?.() !== 0) why = 'not root';
  else {
    try {
      const tracefs = findTracefs();
      const features = readFeatures(tracefs);
      if (!features.uprobeEvents) why = 'the kernel has no uprobe_events';
      else if (!features.instances) why = 'tracefs has no instances';
      else k = { tracefs, features };
    } catch (e) {
      why = (e as Error).message;
    }
  }
  if (k) return k;
  if (process.env.CI === 'true' && process.env.KPROBE_HOST_TESTS !== 'skip') {
    throw new Error(`the host target's real-kernel tests cannot run (${why}); CI must run them as root on a kernel with uprobes, or set KPROBE_HOST_TESTS=skip`);
  }
  return undefined;
}

/** A running `kprobe host …`. */
export class Cli {
  stdout = '';
  stderr = '';
  readonly child: ChildProcess;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], opts: { uid?: number; gid?: number } = {}) {
    this.child = spawn(process.execPath, [join(REPO, 'bin/kprobe.js'), 'host', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exit = new Promise((resolve) => this.child.on('close', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves when stderr matches (the "tracing …" line: the probes are enabled). */
  async waitFor(re: RegExp, ms = 60_000): Promise<void> {
    const t0 = Date.now();
    while (!re.test(this.stderr)) {
      if (this.child.exitCode !== null) throw new Error(`kprobe host exited (${this.child.exitCode}) before ${re}: ${this.stderr}`);
      if (Date.now() - t0 > ms) throw new Error(`timeout waiting for ${re}: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Wait for the end; the output and the exit status. */
  async done(): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
    const r = await this.exit;
    return { ...r, stdout: this.stdout, stderr: this.stderr };
  }
}

/** Run `kprobe host ARGS` to the end. */
export function runCli(args: string[], opts: { uid?: number; gid?: number } = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Cli(args, opts).done();
}

/**
 * What processes with these pids left: probe events of their groups (uprobe_events, kprobe_events
 * and dynamic_events) and their instances.
 */
export function leftoversOf(k: HostKernel, pids: Iterable<number>): string[] {
  const mine = new Set([...pids].map(String));
  const ours = (name: string): boolean => {
    const m = OWN_NAME.exec(name);
    return m !== null && mine.has(m[1]!);
  };
  const out: string[] = [];
  for (const file of ['uprobe_events', 'kprobe_events', 'dynamic_events']) {
    if (!k.tracefs.exists(file)) continue;
    for (const e of parseDynamicEvents(k.tracefs.read(file))) if (ours(e.group)) out.push(`${file}: ${e.line}`);
  }
  for (const i of k.tracefs.list('instances')) if (ours(i)) out.push(`instances/${i}`);
  return out;
}
