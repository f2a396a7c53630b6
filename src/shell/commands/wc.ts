// wc: count lines, words and bytes — the counterpart of coreutils/busybox wc (-l -w -c). Counts
// are right-aligned to a common width, one count alone is printed bare, as coreutils does.

import type { Command, CommandContext } from '../command.ts';
import { getopt } from '../getopt.ts';
import { closeInput, errnoText, openInput } from '../sys.ts';

async function main(ctx: CommandContext): Promise<number> {
  const opts = await getopt(ctx, 'lwc', wc.usage);
  if (!opts) return 1;
  let which = (['l', 'w', 'c'] as const).filter((o) => opts.flags.has(o));
  if (which.length === 0) which = ['l', 'w', 'c'];
  const files = opts.operands.length > 0 ? opts.operands : ['-'];
  const rows: { counts: number[]; name: string }[] = [];
  const total = [0, 0, 0];
  let status = 0;
  for (const path of files) {
    const fd = await openInput(ctx.proc, path);
    if (fd < 0) {
      await ctx.error(`${path}: ${errnoText(fd)}`);
      status = 1;
      continue;
    }
    let lines = 0;
    let words = 0;
    let bytes = 0;
    let inWord = false;
    for (;;) {
      const r = await ctx.proc.read(fd, 4096);
      if (typeof r === 'number') {
        await ctx.error(`${path}: ${errnoText(r)}`);
        status = 1;
        break;
      }
      if (r.length === 0) break;
      bytes += r.length;
      for (const b of r) {
        if (b === 0x0a) lines++;
        const space = b === 0x20 || (b >= 0x09 && b <= 0x0d);
        if (!space && !inWord) words++;
        inWord = !space;
      }
    }
    await closeInput(ctx.proc, fd);
    const all = [lines, words, bytes];
    all.forEach((v, i) => (total[i] += v));
    rows.push({ counts: all, name: path === '-' ? '' : path });
  }
  if (files.length > 1) rows.push({ counts: total, name: 'total' });
  const pick = (c: number[]): number[] => which.map((o) => c[{ l: 0, w: 1, c: 2 }[o]]);
  const bare = which.length === 1 && rows.length === 1;
  const width = bare ? 0 : Math.max(files.includes('-') ? 7 : 1, ...rows.flatMap((r) => pick(r.counts).map((v) => String(v).length)));
  for (const r of rows) {
    const nums = pick(r.counts).map((v) => String(v).padStart(width)).join(' ');
    await ctx.stdout.write(`${nums}${r.name ? ` ${r.name}` : ''}\n`);
  }
  return status;
}

export const wc: Command = { name: 'wc', summary: 'count lines, words, bytes (-l -w -c)', usage: 'wc [-lwc] [FILE]...', main };
