// true: do nothing, successfully — the counterpart of coreutils/true.c.

import type { Command } from '../command.ts';

export const trueCommand: Command = { name: 'true', summary: 'exit with status 0', usage: 'true', main: async () => 0 };
