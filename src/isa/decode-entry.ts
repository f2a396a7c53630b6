// A decode-table entry, what an interpreter of isa/ dispatches on: 4 Int32 per 32-bit instruction
// word, the op number and three operand fields, op 0 meaning "not decoded yet" (code-cache.ts
// keeps the tables). How an ISA's decoder fills an entry (entryDecoder, putFields), and one word
// decoded outside the interpreter for tests, coverage checks and diagnostics (wordDecoder).
// No Linux counterpart.

/** An ISA decoder's entry point: decode `word` into out[k] (op) and out[k+1..k+3] (fields); returns the op. */
export type DecodeInto = (word: number, out: Int32Array, k: number) => number;

/** An ISA's top-level decode: `w` is the word as an unsigned number, the entry's fields are zero; writes the fields it uses and returns the op. */
export type DecodeWord = (w: number, out: Int32Array, k: number) => number;

/** The DecodeInto of an ISA whose top-level decode is `decodeWord`. */
export function entryDecoder(decodeWord: DecodeWord): DecodeInto {
  return (word, out, k) => {
    out[k + 1] = 0;
    out[k + 2] = 0;
    out[k + 3] = 0;
    const op = decodeWord(word >>> 0, out, k);
    out[k] = op;
    return op;
  };
}

/** Write the operand fields (A, B, C) of entry k. */
export function putFields(out: Int32Array, k: number, a: number, b = 0, c = 0): void {
  out[k + 1] = a;
  out[k + 2] = b;
  out[k + 3] = c;
}

export interface Decoded {
  readonly op: number;
  readonly name: string;
  readonly fields: readonly [number, number, number];
}

export interface WordDecoder {
  /** Op, name and fields of one word. */
  decode(word: number): Decoded;
  /** The op number alone. */
  opOf(word: number): number;
  /** True if the interpreter executes `word` (it may still trap at run time, e.g. a privileged instruction in user mode). */
  isSupported(word: number): boolean;
}

export function wordDecoder(decodeInto: DecodeInto, opName: (op: number) => string, undefinedOp: number): WordDecoder {
  const scratch = new Int32Array(4);
  const opOf = (word: number): number => decodeInto(word, scratch, 0);
  return {
    decode(word) {
      const op = opOf(word);
      return { op, name: opName(op), fields: [scratch[1]!, scratch[2]!, scratch[3]!] };
    },
    opOf,
    isSupported: (word) => opOf(word) !== undefinedOp,
  };
}
