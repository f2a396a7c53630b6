// The machine as the shell boots it: the kernel's bootMachine with the shell's commands installed
// as files in /bin (what a distribution's image adds to a bare kernel).

import { bootMachine as bootKernel, type BootedKernel } from '../kernel/boot.ts';

export type { BootedKernel };
import type { BootOptions } from '../kernel/process-api.ts';
import { commands } from './commands/index.ts';

export function bootMachine(options: BootOptions): Promise<BootedKernel> {
  return bootKernel({ ...options, commands: Object.keys(commands) });
}
