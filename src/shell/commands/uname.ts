// uname: print system information — the counterpart of busybox's coreutils/uname.c (-a -s -n -r
// -v -m), from the uname(2) system call.

import type { Command, CommandContext } from '../command.ts';
import { getopt } from '../getopt.ts';
import { errnoText } from '../sys.ts';

async function main(ctx: CommandContext): Promise<number> {
  const opts = await getopt(ctx, 'asnrvm', uname.usage);
  if (!opts) return 1;
  const u = await ctx.proc.uname();
  if (typeof u === 'number') {
    await ctx.error(errnoText(u));
    return 1;
  }
  const f = opts.flags;
  const all = f.has('a');
  const fields: string[] = [];
  if (all || f.has('s') || f.size === 0) fields.push(u.sysname);
  if (all || f.has('n')) fields.push(u.nodename);
  if (all || f.has('r')) fields.push(u.release);
  if (all || f.has('v')) fields.push(u.version);
  if (all || f.has('m')) fields.push(u.machine);
  await ctx.stdout.write(`${fields.join(' ')}\n`);
  return 0;
}

export const uname: Command = { name: 'uname', summary: 'print system information (-a -s -n -r -v -m)', usage: 'uname [-asnrvm]', main };
