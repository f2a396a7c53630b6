// ls: list directory contents — the counterpart of busybox's coreutils/ls.c. Directories are read
// with getdents64 and sorted by name; on a terminal (fd 1 a character device: the console) names go
// in columns of equal width, filled down then across, as busybox lays them out (so /root shows
// `blog        dockerfile`); elsewhere, one per line. Options: -1 -a -l (which shows a symbolic
// link itself, "name -> target", as busybox does with lstat and readlink).

import type { Command, CommandContext } from '../command.ts';
import { getopt } from '../getopt.ts';
import type { Stat } from '../../kernel/process-api.ts';
import {
  AT_EMPTY_PATH,
  AT_FDCWD,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFSOCK,
  errnoText,
  isChr,
  isDir,
  readDir,
} from '../sys.ts';

const AT_SYMLINK_NOFOLLOW = 0x100;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "drwxr-xr-x", as bb_mode_string / coreutils filemodestring. */
export function modeString(mode: number): string {
  const types: Record<number, string> = { [S_IFDIR]: 'd', [S_IFCHR]: 'c', [S_IFBLK]: 'b', [S_IFIFO]: 'p', [S_IFLNK]: 'l', [S_IFSOCK]: 's' };
  let s = types[mode & S_IFMT] ?? '-';
  const rwx = 'rwxrwxrwx';
  for (let i = 0; i < 9; i++) s += mode & (0o400 >> i) ? rwx[i] : '-';
  if (mode & 0o4000) s = s.slice(0, 3) + (mode & 0o100 ? 's' : 'S') + s.slice(4);
  if (mode & 0o2000) s = s.slice(0, 6) + (mode & 0o010 ? 's' : 'S') + s.slice(7);
  if (mode & 0o1000) s = s.slice(0, 9) + (mode & 0o001 ? 't' : 'T');
  return s;
}

function owner(id: number): string {
  return id === 0 ? 'root' : String(id);
}

/** busybox ls -l: "-rw-r--r--    1 root     root           123 Jan  1 00:00 name". */
function longLine(name: string, st: Stat): string {
  const t = new Date(Number(st.mtimeSec) * 1000);
  const date = `${MONTHS[t.getUTCMonth()]} ${String(t.getUTCDate()).padStart(2)} ${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
  return `${modeString(st.mode).padEnd(10)} ${String(st.nlink).padStart(4)} ${owner(st.uid).padEnd(8)} ${owner(st.gid).padEnd(8)} ${String(st.size).padStart(9)} ${date} ${name}\n`;
}

/** busybox display_files: every column max name length + 2 wide, filled down each column first. */
export function columns(names: string[], width: number): string {
  if (names.length === 0) return '';
  const colWidth = Math.max(...names.map((n) => n.length)) + 2;
  let ncols = Math.floor(width / colWidth);
  let nrows: number;
  if (ncols > 1) {
    nrows = Math.ceil(names.length / ncols);
  } else {
    ncols = 1;
    nrows = names.length;
  }
  let out = '';
  for (let row = 0; row < nrows; row++) {
    let line = '';
    for (let col = 0; col < ncols; col++) {
      const i = col * nrows + row;
      if (i >= names.length) continue;
      if (line.length > 0) line = line.padEnd(col * colWidth);
      line += names[i];
    }
    out += line + '\n';
  }
  return out;
}

async function main(ctx: CommandContext): Promise<number> {
  const opts = await getopt(ctx, '1al', ls.usage);
  if (!opts) return 1;
  const all = opts.flags.has('a');
  const long = opts.flags.has('l');
  const out1 = await ctx.proc.newfstatat(1, '', AT_EMPTY_PATH);
  const tty = typeof out1 !== 'number' && isChr(out1.mode);
  const oneColumn = long || opts.flags.has('1') || !tty;
  const width = Number(ctx.env.COLUMNS) > 0 ? Number(ctx.env.COLUMNS) : 80;
  let status = 0;

  const operands = opts.operands.length > 0 ? opts.operands : ['.'];
  const files: { name: string; st: Stat }[] = [];
  const dirs: string[] = [];
  for (const op of operands) {
    const st = await ctx.proc.newfstatat(AT_FDCWD, op, long ? AT_SYMLINK_NOFOLLOW : 0);
    if (typeof st === 'number') {
      await ctx.error(`${op}: ${errnoText(st)}`);
      status = 1;
    } else if (isDir(st.mode)) {
      dirs.push(op);
    } else {
      files.push({ name: op, st });
    }
  }
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  dirs.sort();

  const show = async (entries: { name: string; st?: Stat }[], dir: string | null): Promise<void> => {
    if (long) {
      for (const e of entries) {
        const path = dir === null ? e.name : `${dir}/${e.name}`;
        let st = e.st;
        if (!st) {
          const r = await ctx.proc.newfstatat(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW);
          if (typeof r === 'number') {
            await ctx.error(`${dir}/${e.name}: ${errnoText(r)}`);
            status = 1;
            continue;
          }
          st = r;
        }
        let line = longLine(e.name, st);
        if ((st.mode & S_IFMT) === S_IFLNK) {
          const target = await ctx.proc.readlinkat(AT_FDCWD, path);
          if (typeof target === 'string') line = `${line.slice(0, -1)} -> ${target}\n`;
        }
        await ctx.stdout.write(line);
      }
    } else if (oneColumn) {
      await ctx.stdout.write(entries.map((e) => `${e.name}\n`).join(''));
    } else {
      await ctx.stdout.write(columns(entries.map((e) => e.name), width));
    }
  };

  await show(files, null);
  const headers = operands.length > 1;
  for (let i = 0; i < dirs.length; i++) {
    const dir = dirs[i];
    const list = await readDir(ctx.proc, dir);
    if (typeof list === 'number') {
      await ctx.error(`${dir}: ${errnoText(list)}`);
      status = 1;
      continue;
    }
    if (headers) await ctx.stdout.write(`${files.length > 0 || i > 0 ? '\n' : ''}${dir}:\n`);
    const names = list
      .map((e) => e.name)
      .filter((n) => all || !n.startsWith('.'))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    await show(
      names.map((name) => ({ name })),
      dir,
    );
  }
  return status;
}

export const ls: Command = { name: 'ls', summary: 'list directory contents (-1 -a -l)', usage: 'ls [-1al] [FILE]...', main };
