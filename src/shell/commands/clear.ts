// clear: clear the terminal — the counterpart of busybox's console-tools/clear.c (cursor home,
// erase to the end of the screen), written to the console like any output.

import type { Command, CommandContext } from '../command.ts';

async function main(ctx: CommandContext): Promise<number> {
  await ctx.stdout.write('\x1b[H\x1b[J');
  return 0;
}

export const clear: Command = { name: 'clear', summary: 'clear the screen', usage: 'clear', main };
