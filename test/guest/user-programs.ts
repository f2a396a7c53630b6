// The user programs of guest/user/ as the tests run them: arguments and expected exit status;
// their expected standard output is test/guest/expected/<name>.txt (what qemu-aarch64-static
// prints for the arm64 build and qemu-mips-static for the mips one: the programs print the same
// on every arch, except that hello names the arch it was built for). Shared by the qemu oracle
// test and any test of `kprobe run`. No Linux counterpart.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The arches guest/build.sh builds user programs for. */
export const USER_PROGRAM_ARCHES = ['arm64', 'mips'] as const;
export type UserProgramArch = (typeof USER_PROGRAM_ARCHES)[number];

/** Where the built programs of an arch are. */
export function userProgramDir(arch: UserProgramArch): string {
  return join(REPO, 'guest/images', arch, 'user');
}

export const USER_PROGRAM_DIR = userProgramDir('arm64');

export const USER_PROGRAMS: Readonly<Record<string, { args: readonly string[]; status: number }>> = {
  args: { args: ['one', 'two words', ''], status: 0 },
  bigcalc: { args: [], status: 0 },
  crunch: { args: [], status: 0 },
  exitcode: { args: [], status: 3 },
  fib: { args: [], status: 0 },
  files: { args: [], status: 0 },
  heap: { args: [], status: 0 },
  hello: { args: [], status: 0 },
  links: { args: [], status: 0 },
  primes: { args: [], status: 0 },
  socket: { args: [], status: 0 },
  strings: { args: [], status: 0 },
  uname: { args: [], status: 0 },
};

/** The expected standard output of a program (latin1: bytes as they are), for an arch. */
export function expectedOutput(name: string, arch: UserProgramArch = 'arm64'): string {
  const text = readFileSync(join(REPO, 'test/guest/expected', `${name}.txt`), 'latin1');
  return name === 'hello' ? text.replace('arm64', arch) : text;
}
