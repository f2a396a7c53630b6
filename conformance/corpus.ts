// The conformance corpus (conformance/corpus.txt): its syntax and its parser. One case a line:
//
//   # a comment (a line whose first non-blank character is '#'; '#' elsewhere is case text)
//   p:myprobe vfs_read                  one step: append the line to kprobe_events (echo '…' >> kprobe_events)
//   STEP || STEP || …                   several steps in one case, in order, on one kernel state
//
// A step is a kprobe_events line, or a directive:
//   !trunc LINE      write LINE with O_TRUNC (echo '…' > kprobe_events)
//   !dyn LINE        append LINE to dynamic_events
//   !raw TEXT        append TEXT with \n \t \\ \xHH escapes decoded (several lines, comments, odd bytes)
//   !enable          write 1 to the enable file of every listed event; !disable writes 0
//   !hit TRIGGER     enable every listed event, run TRIGGER's system calls, disable, read `trace`
// Triggers: openat-enoent, openat-file, read, write, fork (conformance/guest/runner.c).
// {addr:SYM} and {addr:SYM+N} in a step stand for the symbol's address in the kernel under test.
// After the steps every case records kprobe_events, the format of each listed event, and the
// result of clearing everything (see plan.ts).

import { readFileSync } from 'node:fs';

export const TRIGGERS = ['openat-enoent', 'openat-file', 'read', 'write', 'fork'] as const;
export type Trigger = (typeof TRIGGERS)[number];

export type Step =
  | { kind: 'write'; file: 'kprobe_events' | 'dynamic_events'; trunc: boolean; data: string }
  | { kind: 'enable' | 'disable' }
  | { kind: 'hit'; trigger: Trigger };

export interface Case {
  /** "L<line number>" in corpus.txt. */
  id: string;
  line: number;
  /** The case as written in the corpus. */
  text: string;
  /** The comment block (section heading) the case sits under. */
  section: string;
  steps: Step[];
}

/** Decode !raw escapes: \n \t \\ \xHH. */
export function unescapeRaw(s: string): string {
  return s.replace(/\\(n|t|\\|x[0-9a-fA-F]{2})/g, (_, e: string) =>
    e === 'n' ? '\n' : e === 't' ? '\t' : e === '\\' ? '\\' : String.fromCharCode(parseInt(e.slice(1), 16)),
  );
}

function parseStep(text: string, where: string): Step {
  if (!text.startsWith('!')) return { kind: 'write', file: 'kprobe_events', trunc: false, data: text };
  const m = /^!(\w+)(?:\s(.*))?$/s.exec(text);
  const [, directive, rest = ''] = m ?? [];
  switch (directive) {
    case 'trunc':
      return { kind: 'write', file: 'kprobe_events', trunc: true, data: rest };
    case 'dyn':
      return { kind: 'write', file: 'dynamic_events', trunc: false, data: rest };
    case 'raw':
      return { kind: 'write', file: 'kprobe_events', trunc: false, data: unescapeRaw(rest) };
    case 'enable':
    case 'disable':
      return { kind: directive };
    case 'hit':
      if (!(TRIGGERS as readonly string[]).includes(rest.trim())) throw new Error(`${where}: unknown trigger "${rest}"`);
      return { kind: 'hit', trigger: rest.trim() as Trigger };
    default:
      throw new Error(`${where}: unknown directive "${text}"`);
  }
}

export function parseCorpus(text: string, name = 'corpus.txt'): Case[] {
  const cases: Case[] = [];
  let section = '';
  let commentBlock: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed === '') {
      commentBlock = [];
      return;
    }
    if (trimmed.startsWith('#')) {
      commentBlock.push(trimmed.replace(/^#+\s?/, ''));
      if (commentBlock.length === 1) section = commentBlock[0]!;
      return;
    }
    const where = `${name}:${i + 1}`;
    const steps = trimmed.split(' || ').map((s) => parseStep(s.trim(), where));
    cases.push({ id: `L${i + 1}`, line: i + 1, text: trimmed, section, steps });
  });
  return cases;
}

export function readCorpus(path: string): Case[] {
  return parseCorpus(readFileSync(path, 'utf8'), path);
}

/** The symbols a case needs resolved ({addr:SYM}). */
export function symbolsOf(cases: readonly Case[]): string[] {
  const set = new Set<string>();
  for (const c of cases)
    for (const s of c.steps)
      if (s.kind === 'write') for (const m of s.data.matchAll(/\{addr:([A-Za-z0-9_.]+)(?:\+[0-9a-fA-Fx]+)?\}/g)) set.add(m[1]!);
  return [...set].sort();
}
