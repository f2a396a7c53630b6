// The check the QEMU test runs inside a guest with kprobes (a Debian kernel booted under QEMU,
// Node in its initramfs, root): `kprobe host` traces do_sys_openat2 with its user-space filename
// and its kretprobe with $retval while a command opens one file that exists and one that does
// not, and the JSON events must say exactly that: "/etc/hostname" opened (fd >= 0) and
// "/nonexistent-kprobe-file" failing with -ENOENT. Run it as a program:
//   node --import tsx test/host/support/openat2-check.ts        (prints PASS or FAIL lines)
// No Linux counterpart; the kernel's own selftest of the same probe is kprobe_args_user.tc.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OPENAT2_PROBES = ['p:do_sys_openat2 filename=+0($arg2):ustring', 'r:do_sys_openat2 ret=$retval:s64'] as const;
export const OPENED = '/etc/hostname';
export const MISSING = '/nonexistent-kprobe-file';
/** Busybox's sh may run cat in its own process (a NOFORK applet): both are traced (-c follows children). */
export const OPENAT2_COMMAND = `cat ${OPENED} > /dev/null; cat ${MISSING} 2> /dev/null; exit 0`;

/** The `kprobe host` arguments of the check. */
export function openat2Args(): string[] {
  return ['host', '--json', '-c', OPENAT2_COMMAND, '-e', OPENAT2_PROBES[1], OPENAT2_PROBES[0]];
}

interface Ev {
  event: string;
  pid: number;
  comm: string;
  ip?: string;
  caller?: string;
  func?: string;
  args: { filename?: string | null; ret?: number };
}

/** Problems with the command's JSON output (none: the check passes). */
export function checkOpenat2(stdout: string): string[] {
  const problems: string[] = [];
  const events: Ev[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as Ev);
    } catch {
      problems.push(`not JSON: ${line}`);
    }
  }
  // Each entry is answered by the next return of the same task.
  const open = new Map<number, Ev[]>();
  const calls: { filename: string | null | undefined; ret: number | undefined; entry: Ev; exit: Ev }[] = [];
  for (const e of events) {
    if (e.event === 'do_sys_openat2') {
      if (!/^do_sys_openat2\+0x0\/0x[0-9a-f]+$/.test(e.ip ?? '')) problems.push(`entry at ${e.ip}, not do_sys_openat2+0x0`);
      open.set(e.pid, [...(open.get(e.pid) ?? []), e]);
    } else if (e.event === 'do_sys_openat2__return') {
      if (e.func !== 'do_sys_openat2') problems.push(`return from ${e.func}, not do_sys_openat2`);
      const entry = open.get(e.pid)?.pop();
      if (entry) calls.push({ filename: entry.args.filename, ret: e.args.ret, entry, exit: e });
    } else problems.push(`unexpected event ${e.event}`);
  }
  const find = (name: string) => calls.find((c) => c.filename === name);
  const ok = find(OPENED);
  if (!ok) problems.push(`no do_sys_openat2 of ${OPENED} (calls: ${JSON.stringify(calls.map((c) => [c.filename, c.ret]))})`);
  else if (typeof ok.ret !== 'number' || ok.ret < 0) problems.push(`${OPENED} returned ${ok.ret}, not a file descriptor`);
  const missing = find(MISSING);
  if (!missing) problems.push(`no do_sys_openat2 of ${MISSING}`);
  else if (missing.ret !== -2) problems.push(`${MISSING} returned ${missing.ret}, not -2 (ENOENT)`);
  return problems;
}

/** Run the check with this repository's `kprobe`; returns the exit status (0: pass). */
export function runOpenat2Check(repo: string): number {
  const r = spawnSync(process.execPath, [join(repo, 'bin/kprobe.js'), ...openat2Args()], { cwd: repo, encoding: 'utf8', timeout: 300_000 });
  process.stderr.write(r.stderr ?? '');
  const problems = r.status === 0 ? checkOpenat2(r.stdout ?? '') : [`kprobe host exited with ${r.status}${r.signal ? ` (${r.signal})` : ''}`];
  process.stdout.write(r.stdout ?? '');
  if (problems.length) {
    for (const p of problems) console.log(`KPROBE_HOST_OPENAT2 FAIL: ${p}`);
    return 1;
  }
  console.log('KPROBE_HOST_OPENAT2 PASS');
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = runOpenat2Check(fileURLToPath(new URL('../../../', import.meta.url)));
}
