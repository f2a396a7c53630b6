// Fetching the real Debian kernels the conformance harness boots (linux-image-6.12-arm64 and
// linux-image-6.12-amd64, Debian 12's 6.12 kernel from bookworm-security) and a static busybox of
// the same architecture, with apt's own tools, into a gitignored cache keyed by the package version.
//
// apt runs with a private state directory and a forced architecture (APT::Architecture), reading
// the machine's own sources: nothing of the host's apt or dpkg state changes (no `dpkg
// --add-architecture`), root is not needed, and a warm cache needs no network at all. Only the
// kernel image and its config are taken out of the package (`dpkg-deb --fsys-tarfile | tar`).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type GuestArch = 'arm64' | 'x86_64';

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** Where downloads, extracted kernels and built initramfs images are kept (gitignored). */
export const CACHE_ROOT = process.env.KPROBE_CONFORMANCE_CACHE ?? join(REPO_ROOT, '.cache', 'conformance');

const DEBIAN_ARCH: Record<GuestArch, string> = { arm64: 'arm64', x86_64: 'amd64' };
/** The metapackage that names the current 6.12 kernel package. */
export const KERNEL_METAPACKAGE: Record<GuestArch, string> = {
  arm64: 'linux-image-6.12-arm64',
  x86_64: 'linux-image-6.12-amd64',
};

export interface KernelFiles {
  arch: GuestArch;
  /** The kernel package, e.g. linux-image-6.12.117+deb12-arm64. */
  package: string;
  /** Its Debian version, e.g. 6.12.117-1~deb12u1. */
  version: string;
  /** The image QEMU boots: arm64 `Image` (vmlinuz-*), x86_64 bzImage (vmlinuz-*). */
  kernel: string;
  /** The kernel's /boot/config-*. */
  config: string;
  /** A static busybox for the guest architecture (busybox-static). */
  busybox: string;
  /** The folder holding these files. */
  dir: string;
}

export interface FetchOptions {
  /** Re-resolve the metapackage (apt-get update) even when a kernel is cached. */
  refresh?: boolean;
  log?: (line: string) => void;
}

function aptOptions(arch: GuestArch, aptDir: string): string[] {
  return [
    '-q',
    '-o', `Dir::State::Lists=${join(aptDir, 'lists')}`,
    '-o', `Dir::State::status=${join(aptDir, 'status')}`,
    '-o', `Dir::Cache=${join(aptDir, 'cache')}`,
    '-o', `APT::Architecture=${DEBIAN_ARCH[arch]}`,
    '-o', `APT::Architectures::=${DEBIAN_ARCH[arch]}`,
    '-o', 'Acquire::Languages=none',
  ];
}

function run(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

/** The cached kernel for `arch` if there is one (no network), else null. */
export function cachedKernel(arch: GuestArch): KernelFiles | null {
  const current = join(CACHE_ROOT, DEBIAN_ARCH[arch], 'current.json');
  if (!existsSync(current)) return null;
  const k = JSON.parse(readFileSync(current, 'utf8')) as KernelFiles;
  return [k.kernel, k.config, k.busybox].every((f) => existsSync(f)) ? k : null;
}

/**
 * The kernel for `arch`, downloaded and extracted on first use (apt-get update of the private
 * state, apt-get download of the kernel package and busybox-static, extraction), then cached.
 */
export function fetchKernel(arch: GuestArch, options: FetchOptions = {}): KernelFiles {
  const log = options.log ?? (() => {});
  if (!options.refresh) {
    const cached = cachedKernel(arch);
    if (cached) return cached;
  }
  const archDir = join(CACHE_ROOT, DEBIAN_ARCH[arch]);
  const aptDir = join(archDir, 'apt');
  for (const d of ['lists/partial', 'cache/archives/partial']) mkdirSync(join(aptDir, d), { recursive: true });
  if (!existsSync(join(aptDir, 'status'))) writeFileSync(join(aptDir, 'status'), '');
  const apt = aptOptions(arch, aptDir);

  log(`apt-get update (private state, architecture ${DEBIAN_ARCH[arch]})`);
  run('apt-get', [...apt, 'update']);
  const meta = KERNEL_METAPACKAGE[arch];
  const depends = run('apt-cache', [...apt, 'depends', meta]);
  const pkg = /Depends: (linux-image-\S+)/.exec(depends)?.[1];
  if (!pkg) throw new Error(`${meta}: no linux-image dependency in:\n${depends}`);
  const version = /^Version: (\S+)/m.exec(run('apt-cache', [...apt, 'show', pkg]))?.[1];
  if (!version) throw new Error(`${pkg}: no version`);

  const dir = join(archDir, `${pkg}_${version}`);
  const files: KernelFiles = {
    arch,
    package: pkg,
    version,
    kernel: '',
    config: '',
    busybox: join(dir, 'busybox'),
    dir,
  };
  const find = (prefix: string) => {
    const f = existsSync(dir) ? readdirSync(dir).find((n) => n.startsWith(prefix)) : undefined;
    return f ? join(dir, f) : '';
  };
  if (!find('vmlinuz-') || !find('config-') || !existsSync(files.busybox)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log(`apt-get download ${pkg} busybox-static`);
    run('apt-get', [...apt, 'download', pkg, 'busybox-static'], dir);
    const debs = readdirSync(dir);
    const kdeb = debs.find((n) => n.startsWith(`${pkg}_`) && n.endsWith('.deb'));
    const bdeb = debs.find((n) => n.startsWith('busybox-static_') && n.endsWith('.deb'));
    if (!kdeb || !bdeb) throw new Error(`apt-get download left ${debs.join(', ')}`);
    log(`extracting /boot/vmlinuz-* and /boot/config-* from ${kdeb}`);
    execFileSync('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -x --wildcards --strip-components=2 "./boot/vmlinuz-*" "./boot/config-*"', 'sh', kdeb], { cwd: dir, stdio: 'ignore' });
    execFileSync('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -x --strip-components=2 ./bin/busybox', 'sh', bdeb], { cwd: dir, stdio: 'ignore' });
    for (const d of [kdeb, bdeb]) rmSync(join(dir, d));
  }
  files.kernel = find('vmlinuz-');
  files.config = find('config-');
  if (!files.kernel || !files.config) throw new Error(`${pkg}: no /boot/vmlinuz-* or /boot/config-* in the package`);
  writeFileSync(join(archDir, 'current.json'), JSON.stringify(files, null, 2) + '\n');
  return files;
}
