// ps: list processes — the counterpart of busybox's procps/ps.c: it reads /proc/<pid>/stat (and
// cmdline) for every numeric directory of /proc, and prints "  PID USER      TIME COMMAND".

import type { Command, CommandContext } from '../command.ts';
import { AT_FDCWD, O_RDONLY, decode, readAll, readDir } from '../sys.ts';

const CLOCK_TICKS = 100; // USER_HZ

async function readText(ctx: CommandContext, path: string): Promise<string | null> {
  const fd = await ctx.proc.openat(AT_FDCWD, path, O_RDONLY);
  if (fd < 0) return null;
  const data = await readAll(ctx.proc, fd);
  await ctx.proc.close(fd);
  return typeof data === 'number' ? null : decode(data);
}

async function main(ctx: CommandContext): Promise<number> {
  const entries = await readDir(ctx.proc, '/proc');
  if (typeof entries === 'number') {
    await ctx.error("can't read /proc: is proc mounted?");
    return 1;
  }
  const pids = entries
    .map((e) => e.name)
    .filter((n) => /^[0-9]+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
  let text = `${'PID'.padStart(5)} ${'USER'.padEnd(8)} ${'TIME'.padStart(5)} COMMAND\n`;
  for (const pid of pids) {
    const stat = await readText(ctx, `/proc/${pid}/stat`);
    if (stat === null) continue; // exited meanwhile
    // "pid (comm) S ppid … utime stime …": comm may hold spaces and parentheses, so split at the last ')'.
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(open + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const ticks = Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
    const secs = Math.floor(ticks / CLOCK_TICKS);
    const time = `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, '0')}`;
    const st = await ctx.proc.newfstatat(AT_FDCWD, `/proc/${pid}`, 0);
    const uid = typeof st === 'number' ? 0 : st.uid;
    const cmdline = (await readText(ctx, `/proc/${pid}/cmdline`))?.replace(/\0+$/, '').replace(/\0/g, ' ');
    text += `${String(pid).padStart(5)} ${(uid === 0 ? 'root' : String(uid)).padEnd(8)} ${time.padStart(5)} ${cmdline || comm}\n`;
  }
  await ctx.stdout.write(text);
  return 0;
}

export const ps: Command = { name: 'ps', summary: 'list processes (from /proc)', usage: 'ps', main };
