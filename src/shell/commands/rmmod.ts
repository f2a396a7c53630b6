// rmmod: unload kernel modules — the counterpart of kmod's tools/rmmod.c (a file name such as
// examples/kprobe_example.ts is taken as the module it holds, as rmmod does with foo.ko).

import type { Command, CommandContext } from '../command.ts';
import { EBUSY, ENOENT } from '../../uapi/errno.ts';
import { errnoText } from '../sys.ts';

async function main(ctx: CommandContext): Promise<number> {
  const names = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  if (names.length === 0) {
    await ctx.error(`usage: ${rmmod.usage}`);
    return 1;
  }
  let status = 0;
  for (const arg of names) {
    const name = arg.replace(/^.*\//, '').replace(/\.(ts|ko)$/, '');
    const r = ctx.kernel.rmmod(name);
    if (r === -ENOENT) await ctx.error(`ERROR: Module ${name} is not currently loaded`);
    else if (r === -EBUSY) await ctx.error(`ERROR: Module ${name} is in use`);
    else if (r < 0) await ctx.error(`ERROR: could not remove module ${name}: ${errnoText(r)}`);
    if (r < 0) status = 1;
  }
  return status;
}

export const rmmod: Command = { name: 'rmmod', summary: 'unload a module: rmmod kprobe_example', usage: 'rmmod MODULE...', main };
