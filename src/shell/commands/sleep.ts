// sleep: pause for a time — the counterpart of busybox's coreutils/sleep.c (N[smhd], fractions,
// several arguments add up). It sleeps in the guest with nanosleep on the virtual clock; Ctrl-C
// interrupts it (-EINTR).

import type { Command, CommandContext } from '../command.ts';
import { EINTR } from '../../uapi/errno.ts';
import { SIGINT, errnoText } from '../sys.ts';

const UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

async function main(ctx: CommandContext): Promise<number> {
  const args = ctx.argv.slice(1);
  if (args.length === 0) {
    await ctx.error('missing operand');
    return 1;
  }
  let seconds = 0;
  for (const a of args) {
    const m = /^([0-9]*\.?[0-9]+)([smhd]?)$/.exec(a);
    if (!m) {
      await ctx.error(`invalid number '${a}'`);
      return 1;
    }
    seconds += Number(m[1]) * UNITS[m[2]];
  }
  const r = await ctx.proc.nanosleep(BigInt(Math.round(seconds * 1e9)));
  if (r === -EINTR) return 128 + SIGINT;
  if (r < 0) {
    await ctx.error(errnoText(r));
    return 1;
  }
  return 0;
}

export const sleep: Command = { name: 'sleep', summary: 'wait N seconds of virtual time', usage: 'sleep N[smhd]...', main };
