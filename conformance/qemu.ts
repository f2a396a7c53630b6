// Booting a real Debian kernel with an initramfs under QEMU system emulation (TCG: KVM does not
// work on these machines, real-kernel.md), collecting the serial console until the guest powers
// off. The machine: arm64 `virt` with a Cortex-A57 (PL011 console), x86_64 `pc` (8250 console);
// one CPU, `nokaslr` so that kernel addresses are the same on every boot, `quiet loglevel=1` so
// that kernel messages stay out of the records the guest prints.

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GuestArch, KernelFiles } from './debian.ts';
import { CACHE_ROOT } from './debian.ts';

export const QEMU_BINARY: Record<GuestArch, string> = {
  arm64: 'qemu-system-aarch64',
  x86_64: 'qemu-system-x86_64',
};

export interface QemuOptions {
  kernel: KernelFiles;
  /** The initramfs (an uncompressed newc cpio). */
  initrd: Buffer;
  /** Memory in MiB (default 512). */
  memory?: number;
  /** Extra kernel command-line words. */
  append?: string;
  /** Kill QEMU after this long (default 10 minutes). */
  timeoutMs?: number;
}

export interface QemuResult {
  /** Everything the serial console printed (latin1, so that every byte survives), then QEMU's own messages. */
  console: string;
  /** QEMU's exit status (0 after the guest powered off); null when it was killed. */
  exitCode: number | null;
  timedOut: boolean;
  /** Wall time from QEMU's start to its exit. */
  wallMs: number;
}

/** The QEMU command line for a kernel and an initrd file. */
export function qemuCommand(kernel: KernelFiles, initrdPath: string, consolePath: string, memory: number, append: string): string[] {
  const common = ['-smp', '1', '-m', String(memory), '-display', 'none', '-monitor', 'none', '-serial', `file:${consolePath}`, '-no-reboot', '-net', 'none'];
  if (kernel.arch === 'arm64') {
    return [
      QEMU_BINARY.arm64, '-M', 'virt', '-cpu', 'cortex-a57', ...common,
      '-kernel', kernel.kernel, '-initrd', initrdPath,
      '-append', `console=ttyAMA0 quiet loglevel=1 panic=-1 nokaslr ${append}`.trim(),
    ];
  }
  return [
    QEMU_BINARY.x86_64, '-accel', 'tcg', '-cpu', 'max', ...common,
    '-kernel', kernel.kernel, '-initrd', initrdPath,
    '-append', `console=ttyS0 quiet loglevel=1 panic=-1 nokaslr ${append}`.trim(),
  ];
}

/**
 * Boot, wait for the guest to power off (or the timeout), return the console. The console goes to
 * a file, not a pipe, so that QEMU never waits for this process (which may be busy running the
 * emulated kernel meanwhile).
 */
export function bootQemu(options: QemuOptions): Promise<QemuResult> {
  const dir = join(CACHE_ROOT, 'run');
  mkdirSync(dir, { recursive: true });
  const stem = join(dir, `${options.kernel.arch}-${process.pid}-${Date.now()}`);
  const initrdPath = `${stem}.cpio`;
  const consolePath = `${stem}.console`;
  writeFileSync(initrdPath, options.initrd);
  writeFileSync(consolePath, '');
  const [bin, ...args] = qemuCommand(options.kernel, initrdPath, consolePath, options.memory ?? 512, options.append ?? '');
  const t0 = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const messages: string[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 600_000);
    const collect = (b: Buffer) => messages.push(b.toString('latin1'));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - t0;
      const consoleText = readFileSync(consolePath).toString('latin1') + messages.join('');
      rmSync(initrdPath, { force: true });
      rmSync(consolePath, { force: true });
      resolvePromise({ console: consoleText, exitCode: code, timedOut, wallMs });
    });
  });
}
