// Every instruction the compiler emitted must be one this CPU executes, not only those the oracle
// runs happen to reach: for each oracle program and variant (its own code and the libgcc routines
// linked in), every word of every FUNC symbol must decode to something other than UNDEF.
// No Linux counterpart.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decode } from '../../../src/isa/mips/decode.ts';
import { parseElf, SHT_NOBITS } from '../../../src/machine/elf.ts';
import { requireTools } from '../../helpers/tools.ts';
import { compileProgram, PROGRAMS, VARIANTS } from './harness.ts';

const ok = requireTools('mips-linux-gnu-gcc');

describe.skipIf(!ok)('mips decoder coverage of compiled code', () => {
  it('decodes every word of every function of the oracle programs', () => {
    const bad: string[] = [];
    const seen = new Set<string>();
    let words = 0;
    for (const program of PROGRAMS) {
      for (const variant of Object.keys(VARIANTS)) {
        const elf = parseElf(readFileSync(compileProgram(program, variant)));
        for (const sym of elf.symtab) {
          if (sym.type !== 'FUNC' || sym.size === 0) continue;
          const sec = elf.sectionByIndex(sym.shndx);
          if (!sec || sec.type === SHT_NOBITS) continue;
          const data = elf.sectionData(sec);
          const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
          const start = Number(sym.value64 - sec.addr64);
          for (let off = 0; off + 4 <= sym.size; off += 4) {
            const word = view.getUint32(start + off, false);
            const d = decode(word);
            words++;
            seen.add(d.name);
            if (d.name === 'UNDEF') bad.push(`${program}-${variant} ${sym.name}+0x${off.toString(16)}: ${word.toString(16)}`);
          }
        }
      }
    }
    expect(bad).toEqual([]);
    expect(words).toBeGreaterThan(10_000);
    // The programs reach the instruction classes the brief lists.
    for (const op of ['LWL', 'SWR', 'LL', 'SC', 'EXT', 'INS', 'WSBH', 'SEB', 'SEH', 'CLZ', 'MADD', 'MULTU', 'DIVU', 'MOVN', 'MOVZ', 'ROTR', 'JALR', 'BEQL', 'RDHWR', 'TRAP', 'SYSCALL']) {
      expect(seen.has(op), op).toBe(true);
    }
  });
});
