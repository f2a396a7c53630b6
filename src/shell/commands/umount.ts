// umount: unmount file systems — the counterpart of busybox's util-linux/umount.c (-f, -l).

import type { Command, CommandContext } from '../command.ts';
import { getopt } from '../getopt.ts';
import { MNT_DETACH, MNT_FORCE, errnoText } from '../sys.ts';

async function main(ctx: CommandContext): Promise<number> {
  const opts = await getopt(ctx, 'fl', umount.usage);
  if (!opts) return 1;
  if (opts.operands.length === 0) {
    await ctx.error(`usage: ${umount.usage}`);
    return 1;
  }
  const flags = (opts.flags.has('f') ? MNT_FORCE : 0) | (opts.flags.has('l') ? MNT_DETACH : 0);
  let status = 0;
  for (const dir of opts.operands) {
    const r = await ctx.proc.umount2(dir, flags);
    if (r < 0) {
      await ctx.error(`can't unmount ${dir}: ${errnoText(r)}`);
      status = 1;
    }
  }
  return status;
}

export const umount: Command = { name: 'umount', summary: 'unmount file systems (-f -l)', usage: 'umount [-fl] DIR...', main };
