// mkdir: make directories — the counterpart of busybox's coreutils/mkdir.c (-p, -m MODE).

import type { Command, CommandContext } from '../command.ts';
import { EEXIST } from '../../uapi/errno.ts';
import { getopt } from '../getopt.ts';
import { AT_FDCWD, errnoText, isDir } from '../sys.ts';

async function main(ctx: CommandContext): Promise<number> {
  const opts = await getopt(ctx, 'pm:', mkdir.usage);
  if (!opts) return 1;
  const modeArg = opts.values.get('m');
  const mode = modeArg === undefined ? 0o777 : parseInt(modeArg, 8);
  if (Number.isNaN(mode) || (modeArg !== undefined && !/^[0-7]+$/.test(modeArg))) {
    await ctx.error(`invalid mode '${modeArg}'`);
    return 1;
  }
  if (opts.operands.length === 0) {
    await ctx.error('missing operand');
    return 1;
  }
  let status = 0;
  for (const dir of opts.operands) {
    if (opts.flags.has('p')) {
      // Each missing ancestor in turn, as mkdir -p does; an existing directory is fine.
      const parts = dir.split('/');
      for (let i = 1; i <= parts.length; i++) {
        const prefix = parts.slice(0, i).join('/');
        if (prefix === '' || parts[i - 1] === '' || parts[i - 1] === '.') continue;
        const r = await ctx.proc.mkdirat(AT_FDCWD, prefix, mode);
        if (r === -EEXIST) {
          const st = await ctx.proc.newfstatat(AT_FDCWD, prefix, 0);
          if (typeof st !== 'number' && isDir(st.mode)) continue;
        }
        if (r < 0) {
          await ctx.error(`can't create directory '${prefix}': ${errnoText(r)}`);
          status = 1;
          break;
        }
      }
    } else {
      const r = await ctx.proc.mkdirat(AT_FDCWD, dir, mode);
      if (r < 0) {
        await ctx.error(`can't create directory '${dir}': ${errnoText(r)}`);
        status = 1;
      }
    }
  }
  return status;
}

export const mkdir: Command = { name: 'mkdir', summary: 'make directories (-p)', usage: 'mkdir [-p] [-m MODE] DIRECTORY...', main };
