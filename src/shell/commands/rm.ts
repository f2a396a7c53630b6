// rm: remove files or directories — the counterpart of busybox's coreutils/rm.c (-r, -f).
// Directories are emptied with getdents64 + unlinkat, then removed with unlinkat(AT_REMOVEDIR).

import type { Command, CommandContext } from '../command.ts';
import { ENOENT } from '../../uapi/errno.ts';
import { getopt } from '../getopt.ts';
import { AT_FDCWD, AT_REMOVEDIR, errnoText, isDir, readDir } from '../sys.ts';

const AT_SYMLINK_NOFOLLOW = 0x100;

async function remove(ctx: CommandContext, path: string, recursive: boolean, force: boolean): Promise<boolean> {
  const st = await ctx.proc.newfstatat(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW);
  if (typeof st === 'number') {
    if (force && st === -ENOENT) return true;
    await ctx.error(`can't remove '${path}': ${errnoText(st)}`);
    return false;
  }
  if (isDir(st.mode)) {
    if (!recursive) {
      await ctx.error(`'${path}' is a directory`);
      return false;
    }
    const entries = await readDir(ctx.proc, path);
    if (typeof entries === 'number') {
      await ctx.error(`can't remove '${path}': ${errnoText(entries)}`);
      return false;
    }
    let ok = true;
    for (const e of entries) {
      if (e.name === '.' || e.name === '..') continue;
      ok = (await remove(ctx, `${path.replace(/\/+$/, '')}/${e.name}`, recursive, force)) && ok;
    }
    const r = await ctx.proc.unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
    if (r < 0) {
      await ctx.error(`can't remove '${path}': ${errnoText(r)}`);
      return false;
    }
    return ok;
  }
  const r = await ctx.proc.unlinkat(AT_FDCWD, path, 0);
  if (r < 0) {
    await ctx.error(`can't remove '${path}': ${errnoText(r)}`);
    return false;
  }
  return true;
}

async function main(ctx: CommandContext): Promise<number> {
  const opts = await getopt(ctx, 'rRf', rm.usage);
  if (!opts) return 1;
  const recursive = opts.flags.has('r') || opts.flags.has('R');
  const force = opts.flags.has('f');
  if (opts.operands.length === 0) {
    if (force) return 0;
    await ctx.error('missing operand');
    return 1;
  }
  let status = 0;
  for (const path of opts.operands) {
    const last = path.replace(/\/+$/, '').split('/').pop();
    if (last === '.' || last === '..' || path.replace(/\/+$/, '') === '') {
      await ctx.error(`refusing to remove '.' or '..' or '/' directory: skipping '${path}'`);
      status = 1;
      continue;
    }
    if (!(await remove(ctx, path, recursive, force))) status = 1;
  }
  return status;
}

export const rm: Command = { name: 'rm', summary: 'remove files (-r -f)', usage: 'rm [-rf] FILE...', main };
