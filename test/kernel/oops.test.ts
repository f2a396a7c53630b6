// A fault in a probe handler, as the seed's fault_handler describes: offered to the probe's
// fault handler first; unhandled, it is an oops printed to dmesg that kills only the current task
// (the machine goes on), or a panic when /proc/sys/kernel/panic_on_oops is 1.

import { describe, expect, it } from 'vitest';
import { bootMachine, type BootedKernel } from '../../src/shell/machine.ts';
import { Shell } from '../../src/shell/shell.ts';
import type { Kprobe } from '../../src/kprobes/types.ts';
import type { TsProcess } from '../../src/kernel/process.ts';

async function boot(): Promise<{ m: BootedKernel; sh: Shell; out: { text: string } }> {
  const out = { text: '' };
  const m = await bootMachine({ arch: 'arm64', output: (b) => void (out.text += Buffer.from(b).toString('latin1')) });
  const sh = await Shell.start({ kernel: m.kernel, proc: m.shellProcess });
  return { m, sh, out };
}

/** A pre-handler that reads unmapped kernel memory, as a buggy module would. */
const faultyProbe = (faultHandler?: Kprobe['faultHandler']): Kprobe => ({
  symbolName: 'kernel_clone',
  preHandler: () => {
    // A read through a NULL-ish kernel pointer from the handler: the guest memory faults.
    return (globalThis as { __guestRead?: (a: number) => number }).__guestRead!(0x10) & 0;
  },
  faultHandler,
});

describe('faults in handlers', () => {
  it('an unhandled fault is an oops: the task dies, the machine goes on', async () => {
    const { m, sh, out } = await boot();
    (globalThis as { __guestRead?: (a: number) => number }).__guestRead = (a) => m.core.memory.read32(m.core.arch.layout.kernelBase + a);
    const kp = faultyProbe();
    expect(m.core.kprobesApi!.registerKprobe(kp)).toBe(0);
    out.text = '';
    await sh.feed('ls');
    // The forking shell took the fault in kernel_clone: it is the task that dies.
    expect(m.core.printk.dmesg()).toMatch(/Unable to handle kernel paging request at virtual address ffff800000000010/);
    expect(m.core.printk.dmesg()).toMatch(/Internal error: Oops: /);
    expect(kp.nmissed).toBeGreaterThan(0);
    m.core.kprobesApi!.unregisterKprobe(kp);
    expect(m.core.panicked).toBeNull();
    // The machine is alive: another process runs normally.
    const init = m.init;
    const r = await m.kernel.spawn(init, 'ls', async (c) => ((c as TsProcess).getpid() > 0 ? 0 : 1));
    expect(r).toBe(0);
  });

  it('a fault handler that returns 1 handles it: no oops, the probe hit goes on', async () => {
    const { m, sh, out } = await boot();
    (globalThis as { __guestRead?: (a: number) => number }).__guestRead = (a) => m.core.memory.read32(m.core.arch.layout.kernelBase + a);
    let faults = 0;
    const kp = faultyProbe(() => {
      faults++;
      return 1;
    });
    expect(m.core.kprobesApi!.registerKprobe(kp)).toBe(0);
    out.text = '';
    await sh.feed('ls');
    expect(faults).toBe(1);
    expect(out.text).toBe('blog        dockerfile\n');
    expect(m.core.printk.dmesg()).not.toMatch(/Oops/);
    m.core.kprobesApi!.unregisterKprobe(kp);
  });

  it('with panic_on_oops=1 the oops panics the machine', async () => {
    const { m, sh } = await boot();
    (globalThis as { __guestRead?: (a: number) => number }).__guestRead = (a) => m.core.memory.read32(m.core.arch.layout.kernelBase + a);
    await sh.feed('echo 1 > /proc/sys/kernel/panic_on_oops');
    expect(m.core.panicOnOops).toBe(1);
    expect(m.core.kprobesApi!.registerKprobe(faultyProbe())).toBe(0);
    await sh.feed('ls').catch(() => undefined);
    expect(m.core.panicked).toBe('Fatal exception');
    expect(m.core.printk.dmesg()).toContain('Kernel panic - not syncing: Fatal exception');
  });
});
