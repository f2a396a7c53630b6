// touch: create empty files — the counterpart of busybox's coreutils/touch.c, minus the time
// update of an existing file (the guest has no utimensat): an existing file is left as it is.

import type { Command, CommandContext } from '../command.ts';
import { AT_FDCWD, O_CREAT, O_NOCTTY, O_NONBLOCK, O_WRONLY, errnoText } from '../sys.ts';

async function main(ctx: CommandContext): Promise<number> {
  const files = ctx.argv.slice(1).filter((a) => a !== '--');
  if (files.length === 0) {
    await ctx.error('missing operand');
    return 1;
  }
  let status = 0;
  for (const f of files) {
    const st = await ctx.proc.newfstatat(AT_FDCWD, f, 0);
    if (typeof st !== 'number') continue;
    const fd = await ctx.proc.openat(AT_FDCWD, f, O_WRONLY | O_CREAT | O_NOCTTY | O_NONBLOCK, 0o666);
    if (fd < 0) {
      await ctx.error(`${f}: ${errnoText(fd)}`);
      status = 1;
      continue;
    }
    await ctx.proc.close(fd);
  }
  return status;
}

export const touch: Command = { name: 'touch', summary: 'create empty files', usage: 'touch FILE...', main };
