// The user programs of guest/user/ as the tests run them: arguments and expected exit status;
// their expected standard output is test/guest/expected/<name>.txt (what qemu-aarch64-static
// prints). Shared by the qemu oracle test and any test of `kprobe run`. No Linux counterpart.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export const USER_PROGRAM_DIR = join(REPO, 'guest/images/arm64/user');

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

/** The expected standard output of a program (latin1: bytes as they are). */
export function expectedOutput(name: string): string {
  return readFileSync(join(REPO, 'test/guest/expected', `${name}.txt`), 'latin1');
}
