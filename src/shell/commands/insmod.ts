// insmod: load a kernel module — the counterpart of kmod's tools/insmod.c. Modules here are
// TypeScript files (examples/kprobe_example.ts is the port of samples/kprobes/kprobe_example.c);
// a relative path is looked up in the host's working directory, then in the kprobe package.
// Parameters are NAME=VALUE words, as module_param() receives them (`symbol=do_sys_openat2`).

import type { Command, CommandContext } from '../command.ts';
import { ENOENT, ENOEXEC, ESRCH } from '../../uapi/errno.ts';
import { resolveHostPath } from '../hostfile.ts';
import { errnoText } from '../sys.ts';

/** kmod's mod_strerror: the errnos init_module returns for a bad module, in its words. */
function modStrerror(ret: number): string {
  if (ret === -ENOEXEC) return 'Invalid module format';
  if (ret === -ENOENT || ret === -ESRCH) return 'Unknown symbol in module';
  return errnoText(ret);
}

async function main(ctx: CommandContext): Promise<number> {
  const [file, ...args] = ctx.argv.slice(1);
  if (file === undefined) {
    await ctx.error(`usage: ${insmod.usage}`);
    return 1;
  }
  const path = resolveHostPath(file);
  if (path === null) {
    await ctx.error(`ERROR: could not load module ${file}: No such file or directory`);
    return 1;
  }
  const params: Record<string, string> = {};
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq < 0) params[a] = '';
    else params[a.slice(0, eq)] = a.slice(eq + 1);
  }
  const r = await ctx.kernel.insmod(path, params);
  if (r < 0) {
    await ctx.error(`ERROR: could not insert module ${file}: ${modStrerror(r)}`);
    return 1;
  }
  return 0;
}

export const insmod: Command = {
  name: 'insmod',
  summary: 'load a module: insmod examples/kprobe_example.ts [symbol=NAME]',
  usage: 'insmod FILE [NAME=VALUE]...',
  main,
};
