// run: run a host ELF program as a user process of the guest (kprobe's own command; the `kprobe run`
// of the host's command line, from inside the shell). The file is copied into the guest's /tmp with
// write(2), executed there by fork + execve, and removed afterwards.

import type { Command, CommandContext } from '../command.ts';
import { installHostElf, resolveHostPath } from '../hostfile.ts';
import { AT_FDCWD, errnoText } from '../sys.ts';

async function main(ctx: CommandContext): Promise<number> {
  const [file, ...args] = ctx.argv.slice(1);
  if (file === undefined) {
    await ctx.error(`usage: ${run.usage}`);
    return 1;
  }
  const hostPath = resolveHostPath(file);
  if (hostPath === null) {
    await ctx.error(`${file}: No such file or directory`);
    return 127;
  }
  const installed = await installHostElf(ctx.proc, hostPath);
  if (!installed.ok) {
    await ctx.error(installed.message);
    return 126;
  }
  try {
    const r = await ctx.runElf(installed.guestPath, [file, ...args]);
    if (r < 0) {
      await ctx.error(`${file}: ${errnoText(r)}`);
      return 126;
    }
    return r;
  } finally {
    await ctx.proc.unlinkat(AT_FDCWD, installed.guestPath, 0);
  }
}

export const run: Command = { name: 'run', summary: 'run a host ELF file as a user process: run FILE [ARGS]', usage: 'run FILE [ARG]...', main };
