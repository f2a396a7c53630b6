// cat: copy files (or stdin) to stdout — the counterpart of busybox's coreutils/cat.c. Each read(2)
// is written out at once, so a blocking file (trace_pipe) streams line by line until Ctrl-C, whose
// SIGINT makes the pending read return -EINTR.

import type { Command, CommandContext } from '../command.ts';
import { EINTR } from '../../uapi/errno.ts';
import { SIGINT, closeInput, errnoText, openInput, writeAll } from '../sys.ts';

async function main(ctx: CommandContext): Promise<number> {
  const operands = ctx.argv.slice(1).filter((a) => a !== '--');
  if (operands.length === 0) operands.push('-');
  let status = 0;
  for (const path of operands) {
    const fd = await openInput(ctx.proc, path);
    if (fd < 0) {
      await ctx.error(`can't open '${path}': ${errnoText(fd)}`);
      status = 1;
      continue;
    }
    try {
      for (;;) {
        const r = await ctx.proc.read(fd, 4096);
        if (typeof r === 'number') {
          if (r === -EINTR) return 128 + SIGINT;
          await ctx.error(`read error: ${errnoText(r)}`);
          status = 1;
          break;
        }
        if (r.length === 0) break;
        const w = await writeAll(ctx.proc, 1, r);
        if (w < 0) {
          await ctx.error(`write error: ${errnoText(w)}`);
          return 1;
        }
      }
    } finally {
      await closeInput(ctx.proc, fd);
    }
  }
  return status;
}

export const cat: Command = { name: 'cat', summary: 'print files (trace, trace_pipe, kprobe_events…)', usage: 'cat [FILE]...', main };
