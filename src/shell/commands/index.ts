// The shell's commands by name (the applet table of a busybox build): each runs as its own
// process, forked by the shell through the guest's kernel_clone.

import type { Command } from '../command.ts';
import { cat } from './cat.ts';
import { clear } from './clear.ts';
import { dmesg } from './dmesg.ts';
import { falseCommand } from './false.ts';
import { grep } from './grep.ts';
import { head } from './head.ts';
import { insmod } from './insmod.ts';
import { ln } from './ln.ts';
import { ls } from './ls.ts';
import { lsmod } from './lsmod.ts';
import { mkdir } from './mkdir.ts';
import { mount } from './mount.ts';
import { ps } from './ps.ts';
import { rm } from './rm.ts';
import { rmmod } from './rmmod.ts';
import { run } from './run.ts';
import { sleep } from './sleep.ts';
import { tail } from './tail.ts';
import { touch } from './touch.ts';
import { trueCommand } from './true.ts';
import { umount } from './umount.ts';
import { uname } from './uname.ts';
import { wc } from './wc.ts';

export const commands: Record<string, Command> = Object.fromEntries(
  [ls, cat, head, tail, grep, wc, mkdir, rm, touch, ln, mount, umount, insmod, rmmod, lsmod, dmesg, ps, uname, sleep, clear, run, trueCommand, falseCommand].map(
    (c) => [c.name, c],
  ),
);
