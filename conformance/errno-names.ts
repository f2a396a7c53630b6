// errno numbers as names (EINVAL for 22), for the report: built from the project's uapi table.

import * as errno from '../src/uapi/errno.ts';

const names = new Map<number, string>();
for (const [name, value] of Object.entries(errno)) {
  if (/^E[A-Z0-9]+$/.test(name) && typeof value === 'number' && !names.has(value)) names.set(value, name);
}

/** "EINVAL" for 22; "errno 524" for a number the table does not name. */
export function errnoName(n: number): string {
  return names.get(n) ?? `errno ${n}`;
}
