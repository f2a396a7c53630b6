// uprobe_events on the emulated machine, end to end through the shell: the kernel's parser
// errors with their carets in error_log (the probed file looked up in the guest's own file
// system), the listing and uprobe_profile, and real uprobes on a guest program — BRK #0x005 in
// the task's text, the event recorded with its fetched arguments, the original instruction run
// out of line (or simulated, for a branch), a uretprobe through the XOL trampoline — while the
// program's output stays what it was. Counterpart of kernel/trace/trace_uprobe.c and
// kernel/events/uprobes.c with arch/arm64/kernel/probes/uprobes.c on Linux 6.12.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseElf } from '../../src/machine/elf.ts';
import { installHostElf, PACKAGE_ROOT } from '../../src/shell/hostfile.ts';
import { bootMachine, type BootedKernel } from '../../src/shell/machine.ts';
import { Shell } from '../../src/shell/shell.ts';

const HELLO = `${PACKAGE_ROOT}guest/images/arm64/user/hello.elf`;
const HELLO_OUT = 'Hello from a static arm64 program!\n';

let m: BootedKernel;
let out = '';

beforeAll(async () => {
  const decoder = new TextDecoder();
  m = await bootMachine({ arch: 'arm64', output: (bytes: Uint8Array) => void (out += decoder.decode(bytes, { stream: true })) });
  const r = await installHostElf(m.shellProcess, HELLO);
  if (!r.ok) throw new Error(r.message);
});

async function run(text: string): Promise<string> {
  const sh = await Shell.start({ kernel: m.kernel, proc: m.shellProcess, interactive: false });
  out = '';
  for (const line of text.split('\n')) await sh.feed(line);
  await sh.finish();
  return out;
}

/** The trace's event lines without the task-pid, CPU and timestamp columns, flags kept. */
function events(trace: string): string[] {
  return trace
    .split('\n')
    .filter((l) => / \[000\] /.test(l))
    .map((l) => l.replace(/^.*?\[000\] (\S+) +[0-9.]+: /, '$1 '));
}

/** File offset and address of main in hello.elf, and of its first BL. */
function helloMain(): { offset: number; vaddr: number; blOffset: number } {
  const bytes = new Uint8Array(readFileSync(HELLO));
  const elf = parseElf(bytes);
  const main = elf.symbols.find((s) => s.name === 'main')!;
  const text = elf.programHeaders.find((p) => p.type === 1 && p.vaddr <= main.value && main.value < p.vaddr + p.filesz)!;
  const offset = main.value - text.vaddr + text.offset;
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  let blOffset = -1;
  for (let o = offset; o < offset + main.size; o += 4) {
    if ((view.getUint32(o, true) & 0xfc000000) >>> 0 === 0x94000000) {
      blOffset = o;
      break;
    }
  }
  return { offset, vaddr: main.value, blOffset };
}

describe('uprobe_events errors', () => {
  it('logs the kernel parser errors with their carets, files looked up in the guest', async () => {
    const lines = [
      'p /non_exist_file:100',
      'p /sys:100',
      'p /bin/sh:10a',
      'p /bin/sh:10(1a)',
      'p /bin/sh:10(10',
      'p /bin/sh:10(10)a',
      'p /bin/sh:10 @+ab',
      'p /bin/sh:10 @symbol',
      'p /bin/sh:10%hoge',
      'p /bin/sh:10(10)%return',
      'p /bin/sh:10 $stack0:symstr',
    ];
    // error_log keeps the last 8 errors (TRACING_LOG_ERRS_MAX): one batch of writes each.
    let o = '';
    for (let i = 0; i < lines.length; i += 6) {
      const batch = lines.slice(i, i + 6);
      o += await run('cd /sys/kernel/tracing\necho > error_log\n' + batch.map((l) => `echo '${l}' > uprobe_events`).join('\n') + '\ncat error_log\ncat uprobe_events');
    }
    const log = o.split('\n').filter((l) => l.includes('trace_uprobe: error:') || l.startsWith('  Command:') || /^ +\^$/.test(l));
    const expected: [string, string, number][] = [
      ['Failed to find the given file', lines[0]!, 2],
      ['Not a regular file', lines[1]!, 2],
      ['Invalid uprobe offset', lines[2]!, 10],
      ['Invalid reference counter offset', lines[3]!, 13],
      ['Reference counter brace is not closed', lines[4]!, 15],
      ['Reference counter has wrong suffix', lines[5]!, 16],
      ['Invalid file offset value', lines[6]!, 13],
      ['Symbol is not available with uprobe', lines[7]!, 13],
      ['Invalid probed address suffix', lines[8]!, 12],
      ['Reference counter has wrong suffix', lines[9]!, 16],
      ['Unknown type is specified', lines[10]!, 21],
    ];
    expect(log.length, o).toBe(expected.length * 3);
    expected.forEach(([text, cmd, caret], i) => {
      expect(log[3 * i]).toMatch(new RegExp(`^\\[ *\\d+\\.\\d{6}\\] trace_uprobe: error: ${text}$`));
      expect(log[3 * i + 1]).toBe(`  Command: ${cmd}`);
      expect(log[3 * i + 2], cmd).toBe(' '.repeat(11 + caret) + '^');
    });
    expect(o).not.toContain('p:uprobes/');
  });
});

describe('uprobes on a guest program', () => {
  it('lists, profiles and records a uprobe and a uretprobe on main, the output unchanged', async () => {
    const { offset, vaddr, blOffset } = helloMain();
    const off = `0x${offset.toString(16)}`;
    expect(blOffset).toBeGreaterThan(offset);
    const o = await run(
      [
        'cd /sys/kernel/tracing',
        'echo > trace',
        `echo 'p:hello_main /tmp/hello.elf:${off} a=%x0 c=$comm' > uprobe_events`,
        `echo 'r:hello_ret /tmp/hello.elf:${off} rv=%x0:s32' >> uprobe_events`,
        `echo 'p:hello_bl /tmp/hello.elf:0x${blOffset.toString(16)}' >> uprobe_events`,
        'cat uprobe_events',
        'ls events/uprobes',
        'cat events/uprobes/hello_main/format',
        'echo 1 > events/uprobes/enable',
        '/tmp/hello.elf',
        'echo 0 > events/uprobes/enable',
        '/tmp/hello.elf',
        'cat uprobe_profile',
        'cat trace',
      ].join('\n'),
    );
    const pad = (n: number) => n.toString(16).padStart(16, '0');
    expect(o).toContain(
      `p:uprobes/hello_main /tmp/hello.elf:0x${pad(offset)} a=%x0 c=$comm\n` +
        `r:uprobes/hello_ret /tmp/hello.elf:0x${pad(offset)} rv=%x0:s32\n` +
        `p:uprobes/hello_bl /tmp/hello.elf:0x${pad(blOffset)}\n`,
    );
    expect(o).toMatch(/enable +filter +hello_bl +hello_main +hello_ret\n/);
    expect(o).toContain('\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;\n');
    // Both runs print what the program prints without probes.
    expect(o.split(HELLO_OUT).length - 1).toBe(2);
    expect(o).toMatch(/ {2}\/tmp\/hello\.elf hello_main {34} {15}1\n/);
    expect(o).toMatch(/ {2}\/tmp\/hello\.elf hello_ret {35} {15}1\n/);
    expect(o).toMatch(/ {2}\/tmp\/hello\.elf hello_bl {36} {15}1\n/);
    const ev = events(o);
    const at = `0x${vaddr.toString(16)}`;
    expect(ev.length, o).toBe(3);
    expect(ev[0]).toBe(`..... hello_main: (${at}) a=0x1 c="hello.elf"`);
    expect(ev[1]).toBe(`..... hello_bl: (0x${(vaddr + blOffset - offset).toString(16)})`);
    expect(ev[2]).toMatch(new RegExp(`^\\.\\.\\.\\.\\. hello_ret: \\(0x[0-9a-f]+ <- ${at}\\) rv=0$`));
  });

  it('removes one event by name, then all of them with their events/uprobes directory', async () => {
    const { offset } = helloMain();
    const o = await run(
      ['cd /sys/kernel/tracing', `echo '-:uprobes/hello_bl' >> uprobe_events`, 'cat uprobe_events', 'echo > uprobe_events', 'echo MARK', 'cat uprobe_events', 'ls events'].join('\n'),
    );
    expect(o).toContain(`hello_main /tmp/hello.elf:0x${offset.toString(16).padStart(16, '0')}`);
    expect(o).not.toContain('hello_bl /tmp');
    expect(o.slice(o.indexOf('MARK'))).not.toMatch(/uprobes/);
    expect(m.core.uprobes).not.toBeNull();
  });

  it('are dynamic events too: created, listed and removed through dynamic_events', async () => {
    const o = await run(
      ['cd /sys/kernel/tracing', `echo 'p:kp vfs_read' > dynamic_events`, `echo 'p:up /tmp/hello.elf:0xf0' >> dynamic_events`, 'cat dynamic_events', 'cat uprobe_events',
        `echo '-:up' >> dynamic_events`, 'echo MARK', 'cat dynamic_events', 'echo > dynamic_events'].join('\n'),
    );
    expect(o).toContain('p:kprobes/kp vfs_read\np:uprobes/up /tmp/hello.elf:0x00000000000000f0\np:uprobes/up /tmp/hello.elf:0x00000000000000f0\n');
    expect(o.slice(o.indexOf('MARK'))).toBe('MARK\np:kprobes/kp vfs_read\n');
  });
});
