// head: the first lines of files — the counterpart of busybox's coreutils/head.c. It stops reading
// as soon as it has its lines, so `head -n 3 trace_pipe` ends after three events.

import type { Command, CommandContext } from '../command.ts';
import { EINTR } from '../../uapi/errno.ts';
import { getopt } from '../getopt.ts';
import { LineReader, SIGINT, closeInput, errnoText, openInput } from '../sys.ts';

/** `-5` is the historical spelling of `-n 5`. */
export function countArgs(argv: readonly string[]): string[] {
  return argv.map((a, i) => (i > 0 && /^-[0-9]+$/.test(a) ? `-n${a.slice(1)}` : a));
}

async function main(ctx: CommandContext): Promise<number> {
  const opts = await getopt({ ...ctx, argv: countArgs(ctx.argv) }, 'n:', head.usage);
  if (!opts) return 1;
  const n = Number(opts.values.get('n') ?? '10');
  if (!Number.isInteger(n) || n < 0) {
    await ctx.error(`invalid number '${opts.values.get('n')}'`);
    return 1;
  }
  const operands = opts.operands.length > 0 ? opts.operands : ['-'];
  let status = 0;
  for (let i = 0; i < operands.length; i++) {
    const path = operands[i];
    const fd = await openInput(ctx.proc, path);
    if (fd < 0) {
      await ctx.error(`can't open '${path}': ${errnoText(fd)}`);
      status = 1;
      continue;
    }
    if (operands.length > 1) await ctx.stdout.write(`${i > 0 ? '\n' : ''}==> ${path === '-' ? 'standard input' : path} <==\n`);
    const reader = new LineReader(ctx.proc, fd);
    for (let k = 0; k < n; k++) {
      // Show what we have before a read that may block.
      if (!reader.hasLine()) await ctx.stdout.flush();
      const line = await reader.next();
      if (line === null) break;
      if (typeof line === 'number') {
        await closeInput(ctx.proc, fd);
        if (line === -EINTR) return 128 + SIGINT;
        await ctx.error(`read error: ${errnoText(line)}`);
        return 1;
      }
      await ctx.stdout.write(line);
    }
    await closeInput(ctx.proc, fd);
  }
  return status;
}

export const head: Command = { name: 'head', summary: 'first lines of files (-n N)', usage: 'head [-n N] [FILE]...', main };
