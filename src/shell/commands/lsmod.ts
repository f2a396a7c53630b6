// lsmod: list loaded modules — the counterpart of kmod's tools/lsmod.c, in its format:
// "Module                  Size  Used by", then "%-19s %8lu  %d" per module.

import type { Command, CommandContext } from '../command.ts';

async function main(ctx: CommandContext): Promise<number> {
  let text = `${'Module'.padEnd(19)} ${'Size'.padStart(8)}  Used by\n`;
  for (const m of ctx.kernel.lsmod()) text += `${m.name.padEnd(19)} ${String(m.size).padStart(8)}  ${m.usedBy}\n`;
  await ctx.stdout.write(text);
  return 0;
}

export const lsmod: Command = { name: 'lsmod', summary: 'list loaded modules', usage: 'lsmod', main };
