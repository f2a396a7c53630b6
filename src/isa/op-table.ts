// An interpreter's op numbering, built from its two name lists: the ops the main loop runs
// inline are numbered from 0 in list order, the ones it hands to a secondary method from a fixed
// base. Each ISA's ops.ts defines the lists; this gives the name → number record the decoder
// writes and the number → name lookup tests and diagnostics print. No Linux counterpart.

/** Op numbers by name, and the name of a number. */
export interface OpTable<Name extends string> {
  readonly OP: Record<Name, number>;
  opName(op: number): string;
}

export function opTable<Primary extends readonly string[], Secondary extends readonly string[]>(
  primary: Primary,
  secondary: Secondary,
  secondaryBase: number,
): OpTable<Primary[number] | Secondary[number]> {
  if (primary.length > secondaryBase) throw new Error(`op table: ${primary.length} primary ops do not fit below ${secondaryBase}`);
  const OP = Object.fromEntries([
    ...primary.map((name, i) => [name, i]),
    ...secondary.map((name, i) => [name, secondaryBase + i]),
  ]) as Record<Primary[number] | Secondary[number], number>;
  const opName = (op: number): string => (op >= secondaryBase ? secondary[op - secondaryBase] : primary[op]) ?? `op${op}`;
  return { OP, opName };
}
