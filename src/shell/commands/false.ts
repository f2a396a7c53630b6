// false: do nothing, unsuccessfully — the counterpart of coreutils/false.c.

import type { Command } from '../command.ts';

export const falseCommand: Command = { name: 'false', summary: 'exit with status 1', usage: 'false', main: async () => 1 };
