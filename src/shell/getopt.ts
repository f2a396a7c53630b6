// Option parsing for the commands: POSIX getopt(3) rules — clustered flags (-la), an option's
// argument attached (-n5) or next (-n 5), `--` ends options, the first operand ends options.

import type { CommandContext } from './command.ts';
import { writeAll } from './sys.ts';

export interface Options {
  flags: Set<string>;
  values: Map<string, string>;
  operands: string[];
}

/**
 * Parses ctx.argv with a getopt spec ("la1" or "n:" for an option taking an argument). On a bad
 * option prints "cmd: invalid option -- 'x'" and the usage, as busybox does, and returns null.
 */
export async function getopt(ctx: CommandContext, spec: string, usage: string): Promise<Options | null> {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const args = ctx.argv.slice(1);
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const o = a[j];
      const at = spec.indexOf(o);
      if (at < 0 || o === ':') {
        await ctx.error(`invalid option -- '${o}'`);
        await writeAll(ctx.proc, 2, `Usage: ${usage}\n`);
        return null;
      }
      if (spec[at + 1] === ':') {
        const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (v === undefined) {
          await ctx.error(`option requires an argument -- '${o}'`);
          await writeAll(ctx.proc, 2, `Usage: ${usage}\n`);
          return null;
        }
        values.set(o, v);
        break;
      }
      flags.add(o);
    }
  }
  return { flags, values, operands: args.slice(i) };
}
