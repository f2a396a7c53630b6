// tail: the last lines of files — the counterpart of busybox's coreutils/tail.c (-n N, -N, and
// -n +N for "from line N on"; no -f).

import type { Command, CommandContext } from '../command.ts';
import { getopt } from '../getopt.ts';
import { countArgs } from './head.ts';
import { closeInput, decode, errnoText, openInput, readAll } from '../sys.ts';

async function main(ctx: CommandContext): Promise<number> {
  const opts = await getopt({ ...ctx, argv: countArgs(ctx.argv) }, 'n:', tail.usage);
  if (!opts) return 1;
  const spec = opts.values.get('n') ?? '10';
  const fromStart = spec.startsWith('+');
  const n = Number(fromStart ? spec.slice(1) : spec);
  if (!Number.isInteger(n) || n < 0) {
    await ctx.error(`invalid number '${spec}'`);
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
    const data = await readAll(ctx.proc, fd);
    await closeInput(ctx.proc, fd);
    if (typeof data === 'number') {
      await ctx.error(`read error: ${errnoText(data)}`);
      status = 1;
      continue;
    }
    if (operands.length > 1) await ctx.stdout.write(`${i > 0 ? '\n' : ''}==> ${path === '-' ? 'standard input' : path} <==\n`);
    const text = decode(data);
    const lines = text.split(/(?<=\n)/);
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    const shown = fromStart ? lines.slice(Math.max(n - 1, 0)) : n === 0 ? [] : lines.slice(-n);
    await ctx.stdout.write(shown.join(''));
  }
  return status;
}

export const tail: Command = { name: 'tail', summary: 'last lines of files (-n N, -n +N)', usage: 'tail [-n [+]N] [FILE]...', main };
