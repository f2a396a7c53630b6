// mount: mount a file system, or list the mounts — the counterpart of busybox's util-linux/mount.c.
// With no arguments it prints /proc/mounts as "SOURCE on DIR type TYPE (OPTIONS)"; otherwise
// `mount -t TYPE [-o OPTIONS] SOURCE DIR` makes the mount(2) call (ro/rw become flags, the other
// options are passed on as data, as the kernel's file systems parse them).

import type { Command, CommandContext } from '../command.ts';
import { getopt } from '../getopt.ts';
import { AT_FDCWD, MS_RDONLY, O_RDONLY, decode, errnoText, readAll } from '../sys.ts';

async function listMounts(ctx: CommandContext): Promise<number> {
  const fd = await ctx.proc.openat(AT_FDCWD, '/proc/mounts', O_RDONLY);
  if (fd < 0) {
    await ctx.error(`can't read '/proc/mounts': ${errnoText(fd)}`);
    return 1;
  }
  const data = await readAll(ctx.proc, fd);
  await ctx.proc.close(fd);
  if (typeof data === 'number') {
    await ctx.error(`can't read '/proc/mounts': ${errnoText(data)}`);
    return 1;
  }
  for (const line of decode(data).split('\n')) {
    const [source, dir, type, options] = line.split(' ');
    if (!type) continue;
    await ctx.stdout.write(`${source} on ${dir} type ${type} (${options ?? 'rw'})\n`);
  }
  return 0;
}

async function main(ctx: CommandContext): Promise<number> {
  const opts = await getopt(ctx, 't:o:', mount.usage);
  if (!opts) return 1;
  if (opts.operands.length === 0 && !opts.values.has('t')) return listMounts(ctx);
  if (opts.operands.length !== 2) {
    await ctx.error(`usage: ${mount.usage}`);
    return 1;
  }
  const [source, dir] = opts.operands;
  const type = opts.values.get('t');
  if (type === undefined) {
    await ctx.error(`mounting ${source} on ${dir} failed: the file system type is needed (-t debugfs, tracefs, proc, sysfs, ramfs)`);
    return 1;
  }
  let flags = 0;
  const data: string[] = [];
  for (const o of (opts.values.get('o') ?? '').split(',').filter(Boolean)) {
    if (o === 'ro') flags |= MS_RDONLY;
    else if (o === 'rw') flags &= ~MS_RDONLY;
    else data.push(o);
  }
  const r = await ctx.proc.mount(source, dir, type, flags, data.length > 0 ? data.join(',') : undefined);
  if (r < 0) {
    await ctx.error(`mounting ${source} on ${dir} failed: ${errnoText(r)}`);
    return 1;
  }
  return 0;
}

export const mount: Command = {
  name: 'mount',
  summary: 'mount a file system (mount -t debugfs nodev /sys/kernel/debug), or list mounts',
  usage: 'mount [-t TYPE] [-o OPT,...] SOURCE DIR',
  main,
};
