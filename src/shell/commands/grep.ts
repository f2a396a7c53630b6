// grep: print lines matching a pattern — a simple counterpart of busybox's findutils/grep.c.
// Basic regular expressions by default (\( \) \{ \} \| \+ \? are the operators), -E extended, -F
// fixed strings; -i -v -c -n -l -q -w -x. Lines are handled as they are read, and the output is
// written after each read, so `grep sys_write trace_pipe` streams.

import type { Command, CommandContext } from '../command.ts';
import { EINTR } from '../../uapi/errno.ts';
import { getopt } from '../getopt.ts';
import { LineReader, SIGINT, closeInput, errnoText, openInput } from '../sys.ts';

/** Rewrites a POSIX basic regular expression into a JavaScript one. */
export function breToJs(bre: string): string {
  let out = '';
  for (let i = 0; i < bre.length; i++) {
    const c = bre[i];
    if (c === '\\' && i + 1 < bre.length) {
      const e = bre[++i];
      out += '(){}|+?'.includes(e) ? e : `\\${e}`;
    } else if ('(){}|+?'.includes(c)) {
      out += `\\${c}`;
    } else {
      out += c;
    }
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

async function main(ctx: CommandContext): Promise<number> {
  const opts = await getopt(ctx, 'EFivcnlqwxe:', grep.usage);
  if (!opts) return 2;
  const f = (o: string): boolean => opts.flags.has(o);
  const operands = [...opts.operands];
  const pattern = opts.values.get('e') ?? operands.shift();
  if (pattern === undefined) {
    await ctx.error('usage: ' + grep.usage);
    return 2;
  }
  let source = f('F') ? escapeRegExp(pattern) : f('E') ? pattern : breToJs(pattern);
  if (f('w')) source = `(?<![A-Za-z0-9_])(?:${source})(?![A-Za-z0-9_])`;
  if (f('x')) source = `^(?:${source})$`;
  let re: RegExp;
  try {
    re = new RegExp(source, f('i') ? 'i' : '');
  } catch (e) {
    await ctx.error(`bad regex '${pattern}': ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const files = operands.length > 0 ? operands : ['-'];
  const prefixName = files.length > 1;
  let matchedAny = false;
  let status = 0;
  for (const path of files) {
    const fd = await openInput(ctx.proc, path);
    if (fd < 0) {
      await ctx.error(`${path}: ${errnoText(fd)}`);
      status = 2;
      continue;
    }
    const name = path === '-' ? '(standard input)' : path;
    const reader = new LineReader(ctx.proc, fd);
    let count = 0;
    let lineNo = 0;
    try {
      for (;;) {
        if (!reader.hasLine()) await ctx.stdout.flush();
        const raw = await reader.next();
        if (raw === null) break;
        if (typeof raw === 'number') {
          if (raw === -EINTR) return 128 + SIGINT;
          await ctx.error(`${path}: ${errnoText(raw)}`);
          status = 2;
          break;
        }
        lineNo++;
        const line = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
        if (re.test(line) === f('v')) continue;
        count++;
        matchedAny = true;
        if (f('q')) return 0;
        if (f('l')) {
          await ctx.stdout.write(`${name}\n`);
          break;
        }
        if (f('c')) continue;
        await ctx.stdout.write(`${prefixName ? `${name}:` : ''}${f('n') ? `${lineNo}:` : ''}${line}\n`);
      }
    } finally {
      await closeInput(ctx.proc, fd);
    }
    if (f('c')) await ctx.stdout.write(`${prefixName ? `${name}:` : ''}${count}\n`);
  }
  if (status === 2 && !matchedAny) return 2;
  return matchedAny ? 0 : status || 1;
}

export const grep: Command = {
  name: 'grep',
  summary: 'print lines matching a pattern (-E -F -i -v -c -n -l -q -w -x)',
  usage: 'grep [-EFivcnlqwx] PATTERN [FILE]...',
  main,
};
