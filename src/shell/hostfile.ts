// Files that come from the host: TypeScript modules for insmod and ELF programs for `run`. A
// relative path is looked up in the host's working directory, then in the kprobe package itself
// (so that `insmod examples/kprobe_example.ts` works wherever `kprobe` was started). An ELF is
// copied into the guest's file system with openat/write, as one would copy a program onto a board,
// and executed from there by the guest's execve.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Process } from '../kernel/process-api.ts';
import { AT_FDCWD, O_CREAT, O_TRUNC, O_WRONLY, errnoText, writeAll } from './sys.ts';

/** The root of the kprobe package (holding examples/). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The host file `path` names, or null when neither the working directory nor the package has it. */
export function resolveHostPath(path: string, cwd: string = process.cwd()): string | null {
  const candidates = isAbsolute(path) ? [path] : [resolve(cwd, path), resolve(PACKAGE_ROOT, path)];
  for (const c of candidates) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return null;
}

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

export type InstallResult = { ok: true; guestPath: string } | { ok: false; message: string };

/**
 * Copies the host ELF `hostPath` to /tmp/<name> in the guest (mode 0755) through `proc`'s system
 * calls. Errors come back as the text after "name: ".
 */
export async function installHostElf(proc: Process, hostPath: string): Promise<InstallResult> {
  const bytes = new Uint8Array(readFileSync(hostPath));
  if (!isElf(bytes)) return { ok: false, message: `${hostPath}: not an ELF file` };
  const guestPath = `/tmp/${basename(hostPath)}`;
  const fd = await proc.openat(AT_FDCWD, guestPath, O_WRONLY | O_CREAT | O_TRUNC, 0o755);
  if (fd < 0) return { ok: false, message: `can't create ${guestPath}: ${errnoText(fd)}` };
  const n = await writeAll(proc, fd, bytes);
  await proc.close(fd);
  if (n < 0) return { ok: false, message: `write error on ${guestPath}: ${errnoText(n)}` };
  return { ok: true, guestPath };
}
