// `kprobe host` as a command line: its options (perf-tools' set: -d -n -p -s -H, plus -c -e -l -v
// --json --dry-run --sweep), the usage errors (status 2), and that `kprobe --help` names it. What
// it does on a real kernel is test/host/real-kernel.test.ts's.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHostArgs } from '../../src/cli/host.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function kprobe(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/kprobe.js'), ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('kprobe host arguments', () => {
  it('perf-tools\' options, bundled and attached', () => {
    expect(parseHostArgs(['-d', '5', '-n3', '-sH', '--json', 'p:do_sys_openat2', 'dfd == 3'])).toEqual({
      kind: 'run',
      args: { probes: ['p:do_sys_openat2'], filter: 'dfd == 3', duration: 5, count: 3, stacks: true, headers: true, json: true, view: false, dryRun: false, sweep: false },
    });
    const r = parseHostArgs(['-p', '42', '-e', 'r:f $retval', '-e', 'p:g', 'p:f']);
    expect(r).toMatchObject({ kind: 'run', args: { pid: 42, probes: ['p:f', 'r:f $retval', 'p:g'] } });
    expect(parseHostArgs(['-c', 'cat /etc/hostname', 'p:f'])).toMatchObject({ args: { command: 'cat /etc/hostname' } });
    expect(parseHostArgs(['-l', '/bin/bash'])).toMatchObject({ args: { list: '/bin/bash' } });
    expect(parseHostArgs(['--sweep'])).toMatchObject({ args: { sweep: true } });
    expect(parseHostArgs(['--dry-run', '-v', 'p:f'])).toMatchObject({ args: { dryRun: true, view: true } });
    expect(parseHostArgs(['-d', '0.5', '--', '-odd-probe'])).toMatchObject({ args: { probes: ['-odd-probe'], duration: 0.5 } });
    expect(parseHostArgs(['--help'])).toEqual({ kind: 'help' });
  });

  it('usage errors', () => {
    const err = (argv: string[]) => {
      const r = parseHostArgs(argv);
      return r.kind === 'error' ? r.message : r.kind;
    };
    expect(err([])).toBe('missing PROBE');
    expect(err(['-n', '0', 'p:f'])).toBe("-n needs a positive count, not '0'");
    expect(err(['-d', 'soon', 'p:f'])).toBe("-d needs a number of seconds, not 'soon'");
    expect(err(['-p'])).toBe("option '-p' needs a value");
    expect(err(['-x', 'p:f'])).toBe("unknown option '-x'");
    expect(err(['--frob', 'p:f'])).toBe("unknown option '--frob'");
    expect(err(['p:f', 'a == 1', 'extra'])).toBe("unexpected argument 'extra' (quote the PROBE: it is one argument)");
    expect(err(['-p', '1', '-c', 'ls', 'p:f'])).toBe('use either -p or -c');
    expect(err(['-v', '-n', '2', 'p:f'])).toBe('use either -v or -d/-n');
    expect(err(['-l', 'x', 'p:f'])).toBe('-l takes a binary only');
    expect(err(['--sweep', 'p:f'])).toBe('--sweep takes no probe');
  });

  it('from the command line: help, usage errors with status 2, and kprobe --help names the subcommand', () => {
    const h = kprobe(['host', '--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('Usage: kprobe host [-d SECONDS] [-n COUNT] [-p PID | -c COMMAND] [-s] [-H] [--json] [-e PROBE]... PROBE [FILTER]');
    expect(h.stdout).toContain("'p:/usr/bin/bash:readline'");
    const u = kprobe(['host']);
    expect(u.status).toBe(2);
    expect(u.stderr).toMatch(/^kprobe host: missing PROBE\nUsage: kprobe host /);
    expect(kprobe(['--help']).stdout).toContain('kprobe host [OPTIONS] PROBE [FILTER]');
  });
});
