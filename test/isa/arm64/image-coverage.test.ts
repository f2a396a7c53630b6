// Every instruction of the guest images must be one this CPU executes: for each FUNC symbol of
// guest/images/arm64/vmlinux and of guest/images/arm64/user/*.elf, every 32-bit word from the
// symbol's start to start+size must decode to something other than UNDEF. A missing kernel
// image fails (it is part of the project), with a message saying so.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decode } from '../../../src/isa/arm64/decode.ts';
import { type ElfFile, parseElf, SHT_NOBITS, EM_AARCH64 } from '../../../src/machine/elf.ts';

const IMAGES = fileURLToPath(new URL('../../../guest/images/arm64/', import.meta.url));
const VMLINUX = `${IMAGES}vmlinux`;
const USER = `${IMAGES}user/`;

/** "symbol+0xoff: word (name)" for every word of a FUNC symbol the decoder rejects. */
function undecodable(elf: ElfFile): { functions: number; words: number; bad: string[] } {
  const bad: string[] = [];
  let functions = 0;
  let words = 0;
  for (const sym of elf.symtab) {
    if (sym.type !== 'FUNC' || sym.size === 0) continue;
    const sec = elf.sectionByIndex(sym.shndx);
    if (!sec || sec.type === SHT_NOBITS) continue;
    functions++;
    const data = elf.sectionData(sec);
    const start = Number(sym.value64 - sec.addr64);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let off = 0; off + 4 <= sym.size; off += 4) {
      const word = view.getUint32(start + off, elf.littleEndian);
      words++;
      if (decode(word).name === 'UNDEF') bad.push(`${sym.name}+0x${off.toString(16)}: ${word.toString(16).padStart(8, '0')}`);
    }
  }
  return { functions, words, bad };
}

describe('arm64 guest images decode completely', () => {
  it('guest/images/arm64/vmlinux: every word of every function', () => {
    if (!existsSync(VMLINUX)) {
      throw new Error(
        `guest/images/arm64/vmlinux is missing: the arm64 guest kernel image has not been built ` +
          `(guest/build.sh builds it with aarch64-linux-gnu-gcc); this test checks that the CPU decodes all of it`,
      );
    }
    const elf = parseElf(readFileSync(VMLINUX));
    expect(elf.machine).toBe(EM_AARCH64);
    const r = undecodable(elf);
    expect(r.functions).toBeGreaterThan(0);
    expect(r.bad, `${r.bad.length} of ${r.words} words do not decode`).toEqual([]);
  });

  const users = existsSync(USER) ? readdirSync(USER).filter((f) => f.endsWith('.elf')) : [];
  for (const file of users) {
    it(`guest/images/arm64/user/${file}: every word of every function`, () => {
      const elf = parseElf(readFileSync(`${USER}${file}`));
      expect(elf.machine).toBe(EM_AARCH64);
      const r = undecodable(elf);
      expect(r.bad, `${r.bad.length} of ${r.words} words do not decode`).toEqual([]);
    });
  }
});
