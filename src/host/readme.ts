// What the host kernel's probe events can do, read from tracefs: which probe files exist
// (kprobe_events, uprobe_events, dynamic_events, error_log, instances) and which syntax the
// README lists, as the kernel's own selftests decide (ftracetest's check_requires: `X:README` is
// `grep -Fq "X" README`; a file name must exist). Also why kprobes are missing when they are,
// from the kernel's configuration (/proc/config.gz or /boot/config-RELEASE).
// Counterpart of tools/testing/selftests/ftrace/test.d/functions (check_requires) and of the
// readme_msg text in kernel/trace/trace.c, which src/tracing/readme.ts reproduces for the
// emulated machine.

import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { gunzipSync } from 'node:zlib';
import type { Tracefs } from './tracefs.ts';

/** Probe-event syntax and files, each true when this kernel has it. */
export interface HostFeatures {
  readonly kprobeEvents: boolean;
  readonly uprobeEvents: boolean;
  readonly dynamicEvents: boolean;
  readonly errorLog: boolean;
  readonly instances: boolean;
  /** `r[maxactive]` */
  readonly maxactive: boolean;
  /** `<symbol>[+<offset>]%return` */
  readonly kretprobeSuffix: boolean;
  /** `place (uprobe): <path>:<offset>[%return]…` */
  readonly uretprobeSuffix: boolean;
  /** `(ref_ctr_offset)` */
  readonly refCtrOffset: boolean;
  /** `$arg<N>` */
  readonly argN: boolean;
  /** `$comm` */
  readonly comm: boolean;
  /** `ustring` */
  readonly ustring: boolean;
  /** `[u]<offset>` */
  readonly userDeref: boolean;
  /** `x8/16/32/64` */
  readonly hexTypes: boolean;
  /** `char` in the type list */
  readonly charType: boolean;
  /** `symstr` */
  readonly symstr: boolean;
  /** `<type>\[<array-size>\]` */
  readonly arrays: boolean;
  /** `b<bit-width>@<bit-offset>/<container-size>` */
  readonly bitfields: boolean;
  /** `\imm-value` */
  readonly immValue: boolean;
  /** `\"imm-string"` */
  readonly immString: boolean;
  /** `%pd/%pD` */
  readonly dentry: boolean;
  /** `kernel return probes support:` ($arg<N> and $comm on return probes) */
  readonly returnProbeArgs: boolean;
  /** The README text ('' when unreadable). */
  readonly readme: string;
}

/** The README strings the selftests grep for, one per feature. */
const README_STRINGS: Record<Exclude<keyof HostFeatures, 'kprobeEvents' | 'uprobeEvents' | 'dynamicEvents' | 'errorLog' | 'instances' | 'readme' | 'uretprobeSuffix' | 'charType'>, string> = {
  maxactive: 'r[maxactive]',
  kretprobeSuffix: '<symbol>[+<offset>]%return',
  refCtrOffset: '(ref_ctr_offset)',
  argN: '$arg<N>',
  comm: '$comm',
  ustring: 'ustring',
  userDeref: '[u]<offset>',
  hexTypes: 'x8/16/32/64',
  symstr: 'symstr',
  arrays: '<type>\\[<array-size>\\]',
  bitfields: 'b<bit-width>@<bit-offset>/<container-size>',
  immValue: 'imm-value',
  immString: 'imm-string',
  dentry: '%pd/%pD',
  returnProbeArgs: 'kernel return probes support:',
};

/** Features from a README text and the files present (a pure function, for tests). */
export function featuresFromReadme(readme: string, files: { kprobeEvents: boolean; uprobeEvents: boolean; dynamicEvents: boolean; errorLog: boolean; instances: boolean }): HostFeatures {
  const has = (s: string): boolean => readme.includes(s);
  const flags = Object.fromEntries(Object.entries(README_STRINGS).map(([k, s]) => [k, has(s)])) as Record<keyof typeof README_STRINGS, boolean>;
  return {
    ...files,
    ...flags,
    uretprobeSuffix: /place \(uprobe\): .*%return/.test(readme),
    charType: /type: .*\bchar\b/.test(readme),
    readme,
  };
}

/** Read the features of the mounted tracefs. */
export function readFeatures(tracefs: Tracefs): HostFeatures {
  return featuresFromReadme(tracefs.tryRead('README') ?? '', {
    kprobeEvents: tracefs.exists('kprobe_events'),
    uprobeEvents: tracefs.exists('uprobe_events'),
    dynamicEvents: tracefs.exists('dynamic_events'),
    errorLog: tracefs.exists('error_log'),
    instances: tracefs.exists('instances'),
  });
}

/**
 * The features a probe's arguments use that this kernel's README does not list, by the README's
 * own words (empty when all are there). A kernel would reject them with EINVAL, often with an
 * empty error_log; saying which feature is missing is clearer.
 */
export function missingArgFeatures(args: readonly string[], f: HostFeatures, kind: 'kprobe' | 'uprobe'): string[] {
  const missing = new Set<string>();
  for (const raw of args) {
    const eq = raw.indexOf('=');
    const body = eq >= 0 ? raw.slice(eq + 1) : raw;
    const colon = body.lastIndexOf(':');
    const type = colon >= 0 && !body.slice(colon).includes(')') ? body.slice(colon + 1) : '';
    if (/\$arg\d/.test(body) && !f.argN) missing.add('$arg<N>');
    if (/\$comm|\$COMM/.test(body) && !f.comm) missing.add('$comm');
    if (/(^|\()[+-]u/.test(body) && !f.userDeref) missing.add('+u<offset>(…) user-space dereference');
    if (/\\"/.test(body) && !f.immString) missing.add('\\"imm-string"');
    else if (/(^|\()\\[^"]/.test(body) && !f.immValue) missing.add('\\imm-value');
    if (type === 'ustring' && !f.ustring) missing.add('the ustring type');
    if (type === 'symstr' && !f.symstr) missing.add('the symstr type');
    if (/^x(8|16|32|64)/.test(type) && !f.hexTypes) missing.add('the x8/16/32/64 types');
    if (/^b\d+@\d+\//.test(type) && !f.bitfields) missing.add('bitfield types');
    if (/\[\d+\]$/.test(type) && !f.arrays) missing.add('array types');
    if (/^%p[dD]$/.test(type) && !f.dentry) missing.add('the %pd/%pD types');
    if (kind === 'kprobe' && type === 'char' && !f.charType) missing.add('the char type');
  }
  return [...missing];
}

/** The kernel's build configuration, when it can be read: CONFIG_X → 'y' | 'm' | value, or 'n' when "is not set". */
export function readKernelConfig(): Map<string, string> | undefined {
  let text: string | undefined;
  try {
    text = gunzipSync(readFileSync('/proc/config.gz')).toString('utf8');
  } catch {
    try {
      text = readFileSync(`/boot/config-${release()}`, 'utf8');
    } catch {
      return undefined;
    }
  }
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    let r = /^(CONFIG_\w+)=(.*)$/.exec(line);
    if (r) m.set(r[1]!, r[2]!);
    else if ((r = /^# (CONFIG_\w+) is not set$/.exec(line))) m.set(r[1]!, 'n');
  }
  return m;
}

const enabled = (cfg: Map<string, string> | undefined, key: string): boolean | undefined => {
  if (!cfg) return undefined;
  const v = cfg.get(key);
  return v === undefined ? false : v !== 'n';
};

/**
 * Why this kernel has no kprobe events, in one sentence (undefined when it has them). `cfg` is
 * the kernel configuration if known. Says that uprobes still work when they do.
 */
export function kprobeAbsence(f: HostFeatures, cfg: Map<string, string> | undefined, kernelRelease = release()): string | undefined {
  if (f.kprobeEvents) return undefined;
  let why: string;
  if (enabled(cfg, 'CONFIG_KPROBES') === false) why = 'CONFIG_KPROBES is not set';
  else if (enabled(cfg, 'CONFIG_KPROBE_EVENTS') === false) why = 'CONFIG_KPROBE_EVENTS is not set';
  else why = 'it was built without CONFIG_KPROBES or CONFIG_KPROBE_EVENTS';
  let s = `this kernel (${kernelRelease}) has no kprobes: ${why}, so tracefs has no kprobe_events.`;
  if (f.uprobeEvents) s += " Uprobes still work: probe a user-space function with 'p:/path/to/binary:function' ('kprobe host -l BINARY' lists them).";
  else s += ' It has no uprobe events either.';
  return s;
}

/** Why this kernel has no uprobe events (undefined when it has them). */
export function uprobeAbsence(f: HostFeatures, cfg: Map<string, string> | undefined, kernelRelease = release()): string | undefined {
  if (f.uprobeEvents) return undefined;
  let why: string;
  if (enabled(cfg, 'CONFIG_UPROBES') === false) why = 'CONFIG_UPROBES is not set';
  else if (enabled(cfg, 'CONFIG_UPROBE_EVENTS') === false) why = 'CONFIG_UPROBE_EVENTS is not set';
  else why = 'it was built without CONFIG_UPROBE_EVENTS';
  let s = `this kernel (${kernelRelease}) has no uprobes: ${why}, so tracefs has no uprobe_events.`;
  if (f.kprobeEvents) s += ' Kprobes still work.';
  return s;
}
