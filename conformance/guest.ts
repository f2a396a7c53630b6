// Running a shell script inside a real Linux kernel booted under QEMU, for tests that need a real
// kernel (the conformance harness's own runner is conformance/real.ts; issue 3's `kprobe host`
// test uses this). The guest: Debian's 6.12 kernel for the architecture (debian.ts), an initramfs
// with a static busybox as /bin/sh and its applets, proc, sysfs, tracefs (/sys/kernel/tracing),
// debugfs, devtmpfs and a tmpfs /tmp mounted; optionally the host's Node.js and a packed copy of
// this repository at /repo. The script runs once as root; its output and exit status come back.
//
//   const r = await runInGuest({ arch: 'x86_64', node: true, repo: true,
//     script: 'cd /repo && node bin/kprobe.js host …' });
//   r.status === 0; r.output (stdout and stderr of the script)

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CpioEntry } from './cpio.ts';
import { buildCpio, hostFile, withParents } from './cpio.ts';
import type { GuestArch, KernelFiles } from './debian.ts';
import { REPO_ROOT, fetchKernel } from './debian.ts';
import { bootQemu } from './qemu.ts';

export type GuestFile = string | Uint8Array | { host: string };

export interface GuestScriptOptions {
  arch: GuestArch;
  /** A POSIX sh script (busybox sh), run as root from / (from /repo when `repo`). */
  script: string;
  /** Extra files in the guest: absolute guest path → content, or { host: path } to copy a host file. */
  files?: Record<string, GuestFile>;
  /** The host's node binary and its shared libraries at /usr/bin/node; only when the guest runs the host's architecture. */
  node?: boolean;
  /** A copy of the repository at /repo: package.json, bin/, src/, guest/images/ and the runtime node_modules (tsx and its dependencies). */
  repo?: boolean;
  /** Guest memory in MiB (default 512, 1536 with node). */
  memoryMiB?: number;
  /** Kill QEMU after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Extra kernel command-line words. */
  append?: string;
  /** The kernel to boot (default: fetchKernel(arch), cached). */
  kernel?: KernelFiles;
}

export interface GuestScriptResult {
  /** The script's standard output and standard error, together, as it wrote them. */
  output: string;
  /** The script's exit status; null when it did not finish (timeout, crash). */
  status: number | null;
  /** `uname -r` in the guest. */
  kernelRelease: string;
  /** The whole serial console (kernel messages, the framing), for diagnosing a failure. */
  console: string;
  /** QEMU's wall time. */
  wallMs: number;
}

const HOST_ARCH: Record<string, GuestArch | undefined> = { x64: 'x86_64', arm64: 'arm64' };

const INIT = `#!/bin/busybox sh
# /init of the runInGuest initramfs (conformance/guest.ts): mount, run /script.sh, print its output, power off.
/bin/busybox --install -s /bin
export PATH=/usr/local/bin:/usr/bin:/bin HOME=/root TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tmpfs tmpfs /tmp
echo "@@GUEST_BEGIN $(uname -r)"
if [ -d /repo ]; then cd /repo; else cd /; fi
sh /script.sh > /tmp/.guest-output 2>&1 < /dev/null
rc=$?
echo "@@GUEST_OUTPUT"
base64 /tmp/.guest-output
echo "@@GUEST_END $rc"
poweroff -f
`;

/** The host node binary and every shared library it loads (ldd), at their own paths. */
function nodeEntries(): CpioEntry[] {
  const node = process.execPath;
  const entries: CpioEntry[] = [hostFile('/usr/bin/node', node)];
  const ldd = execFileSync('ldd', [node], { encoding: 'utf8' });
  for (const line of ldd.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)/.exec(line);
    if (m) entries.push(hostFile(m[1]!, m[1]!));
  }
  return entries;
}

/** Every file under `dir` (following no symlinks), as guest files under `guestDir`. */
function tree(dir: string, guestDir: string, skip: (rel: string) => boolean = () => false): CpioEntry[] {
  const out: CpioEntry[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (skip(rel)) continue;
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.push(hostFile(join(guestDir, rel), p));
    }
  };
  walk(dir);
  return out;
}

/** The runtime packages of the repository: package.json's dependencies, with theirs, present in node_modules. */
function runtimePackages(): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const pj = join(REPO_ROOT, 'node_modules', name, 'package.json');
    if (!existsSync(pj)) return; // an optional dependency for another platform
    seen.add(name);
    const meta = JSON.parse(readFileSync(pj, 'utf8')) as { dependencies?: object; optionalDependencies?: object };
    for (const dep of [...Object.keys(meta.dependencies ?? {}), ...Object.keys(meta.optionalDependencies ?? {})]) visit(dep);
  };
  const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies?: object };
  for (const dep of Object.keys(root.dependencies ?? {})) visit(dep);
  return [...seen].sort();
}

function repoEntries(): CpioEntry[] {
  const entries: CpioEntry[] = [hostFile('/repo/package.json', join(REPO_ROOT, 'package.json'))];
  for (const d of ['bin', 'src', 'guest/images']) {
    if (existsSync(join(REPO_ROOT, d))) entries.push(...tree(join(REPO_ROOT, d), `/repo/${d}`));
  }
  for (const pkg of runtimePackages()) entries.push(...tree(join(REPO_ROOT, 'node_modules', pkg), `/repo/node_modules/${pkg}`, (rel) => rel === 'node_modules'));
  return entries;
}

/** The initramfs for a script run. */
export function guestInitramfs(kernel: KernelFiles, options: GuestScriptOptions): Buffer {
  const entries: CpioEntry[] = [
    { path: '/init', type: 'file', data: INIT, mode: 0o755 },
    { path: '/script.sh', type: 'file', data: options.script, mode: 0o755 },
    hostFile('/bin/busybox', kernel.busybox),
    { path: '/dev/console', type: 'char', major: 5, minor: 1 },
    { path: '/dev/null', type: 'char', major: 1, minor: 3, mode: 0o666 },
    ...['/proc', '/sys', '/tmp', '/root', '/etc', '/usr/local/bin'].map((path): CpioEntry => ({ path, type: 'dir' })),
    { path: '/etc/hostname', type: 'file', data: 'kprobe-guest\n' },
  ];
  if (options.node) {
    if (HOST_ARCH[process.arch] !== options.arch) throw new Error(`runInGuest: node is only available in a guest of the host's architecture (${process.arch})`);
    entries.push(...nodeEntries());
  }
  if (options.repo) entries.push(...repoEntries());
  for (const [path, f] of Object.entries(options.files ?? {})) {
    entries.push(typeof f === 'object' && 'host' in f ? hostFile(path, f.host) : { path, type: 'file', data: f, mode: 0o755 });
  }
  // Later entries replace earlier ones with the same path.
  const byPath = new Map<string, CpioEntry>();
  for (const e of entries) byPath.set(e.path.replace(/^\/+/, ''), e);
  return buildCpio(withParents([...byPath.values()]));
}

/** Boot the real kernel of `arch`, run the script, power off. */
export async function runInGuest(options: GuestScriptOptions): Promise<GuestScriptResult> {
  const kernel = options.kernel ?? fetchKernel(options.arch);
  const initrd = guestInitramfs(kernel, options);
  const r = await bootQemu({
    kernel,
    initrd,
    memory: options.memoryMiB ?? (options.node ? 1536 : 512),
    append: options.append,
    timeoutMs: options.timeoutMs,
  });
  const text = r.console.replace(/\r\n/g, '\n');
  const release = /@@GUEST_BEGIN (\S+)/.exec(text)?.[1] ?? '';
  const out = /@@GUEST_OUTPUT\n([\s\S]*?)@@GUEST_END (\d+)/.exec(text);
  return {
    output: out ? Buffer.from(out[1]!.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('utf8') : '',
    status: out ? Number(out[2]) : null,
    kernelRelease: release,
    console: r.console,
    wallMs: r.wallMs,
  };
}
