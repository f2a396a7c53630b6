// dmesg: print the kernel's message ring — the counterpart of util-linux/busybox dmesg: printk
// and pr_info lines ("[    0.001234] text"), including a module's handlers' output.

import type { Command, CommandContext } from '../command.ts';

async function main(ctx: CommandContext): Promise<number> {
  await ctx.stdout.write(ctx.kernel.dmesg());
  return 0;
}

export const dmesg: Command = { name: 'dmesg', summary: "print the kernel's messages (printk, pr_info)", usage: 'dmesg', main };
