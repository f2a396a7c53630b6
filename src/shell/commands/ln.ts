// ln: make links — the counterpart of busybox's coreutils/ln.c (-s -f -n). `ln TARGET LINK`
// makes LINK; with one operand, a link named after TARGET's last component in the current
// directory; when LINK is a directory (followed unless -n), each TARGET gets a link inside it.
// Symbolic links are symlinkat(2), hard links linkat(2); -f unlinks an existing LINK first.
// Errors as busybox prints them: "ln: LINK: File exists".

import type { Command, CommandContext } from '../command.ts';
import { getopt } from '../getopt.ts';
import { AT_FDCWD, errnoText, isDir } from '../sys.ts';

const AT_SYMLINK_NOFOLLOW = 0x100;

/** bb_get_last_path_component_strip: "a/b/" -> "b". */
function lastComponent(path: string): string {
  const stripped = path.replace(/\/+$/, '');
  if (stripped === '') return path.startsWith('/') ? '/' : path;
  return stripped.slice(stripped.lastIndexOf('/') + 1);
}

async function isDirectory(ctx: CommandContext, path: string, follow: boolean): Promise<boolean> {
  const st = await ctx.proc.newfstatat(AT_FDCWD, path, follow ? 0 : AT_SYMLINK_NOFOLLOW);
  return typeof st !== 'number' && isDir(st.mode);
}

async function main(ctx: CommandContext): Promise<number> {
  const opts = await getopt(ctx, 'sfn', ln.usage);
  if (!opts) return 1;
  const symbolic = opts.flags.has('s');
  const force = opts.flags.has('f');
  const follow = !opts.flags.has('n');
  const operands = opts.operands;
  if (operands.length === 0) {
    await ctx.error('missing file operand');
    return 1;
  }
  const targets = operands.length === 1 ? operands : operands.slice(0, -1);
  const last = operands.length === 1 ? lastComponent(operands[0]!) : operands[operands.length - 1]!;
  let status = 0;
  for (const target of targets) {
    let link = last;
    if (await isDirectory(ctx, last, follow)) link = `${last.replace(/\/+$/, '')}/${lastComponent(target)}`;
    if (!symbolic) {
      // A hard link needs something to link to (a dangling symbolic link will do, as in coreutils).
      const st = await ctx.proc.newfstatat(AT_FDCWD, target, 0);
      if (typeof st === 'number') {
        const lst = await ctx.proc.newfstatat(AT_FDCWD, target, AT_SYMLINK_NOFOLLOW);
        if (typeof lst === 'number') {
          await ctx.error(`${target}: ${errnoText(st)}`);
          status = 1;
          continue;
        }
      }
    }
    if (force) await ctx.proc.unlinkat(AT_FDCWD, link, 0);
    const r = symbolic
      ? await ctx.proc.symlinkat(target, AT_FDCWD, link)
      : await ctx.proc.linkat(AT_FDCWD, target, AT_FDCWD, link, 0);
    if (r < 0) {
      await ctx.error(`${link}: ${errnoText(r)}`);
      status = 1;
    }
  }
  return status;
}

export const ln: Command = { name: 'ln', summary: 'make links (-s symbolic, -f replace, -n no dereference)', usage: 'ln [-sfn] TARGET... LINK|DIR', main };
