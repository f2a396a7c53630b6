// debugfs of the emulated machine: `tracing` (the same tracefs tree as /sys/kernel/tracing, as
// debugfs automounts it) and `kprobes/` with `list`, `enabled` and `blacklist`. Counterpart of
// fs/debugfs plus the debugfs files kernel/kprobes.c creates (debugfs_kprobe_init).

import type { Kprobes } from '../kprobes/kprobes.ts';
import { dir, textFile, type HostNode } from './hostfs.ts';
import type { Kernel } from './kernel.ts';

export function debugfs(_kernel: Kernel, kprobes: { core: Kprobes }, tracing: HostNode): HostNode {
  const k = kprobes.core;
  const kprobesDir = dir(() => ({
    list: textFile(() => k.listKprobes()),
    enabled: textFile(
      () => k.readEnabledFile(),
      (text) => {
        const r = k.writeEnabledFile(text);
        return r < 0 ? r : text.length;
      },
      0o600,
    ),
    blacklist: textFile(() => k.listBlacklist(), undefined, 0o400),
  }));
  return dir(() => ({ kprobes: kprobesDir, tracing }));
}
