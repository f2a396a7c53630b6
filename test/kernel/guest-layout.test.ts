// The offsets TypeScript reads guest structures at come from the guest kernel's BTF; for arm64
// they are the ones guest/ABI.md documents (and guest/include's _Static_asserts fix).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Btf } from '../../src/machine/btf.ts';
import { imagePath } from '../../src/machine/machine.ts';
import { parseElf } from '../../src/machine/elf.ts';
import { guestLayout, memberOffset } from '../../src/kernel/guest-layout.ts';

function imageBtf(arch: 'arm64'): Btf {
  const elf = parseElf(readFileSync(imagePath(arch)));
  const section = elf.sections.find((s) => s.name === '.BTF');
  if (!section) throw new Error('no .BTF section');
  return Btf.parse(elf.bytes.subarray(section.offset, section.offset + section.size));
}

describe('guest layout from BTF', () => {
  const btf = imageBtf('arm64');

  it('has the arm64 offsets of guest/ABI.md', () => {
    expect(guestLayout(btf, 8)).toEqual({
      pointerBytes: 8,
      task: { stack: 0, pid: 8, state: 12, comm: 16, parent: 32, exitCode: 40, threadFlags: 200, preemptNeedResched: 212 },
      dentry: { parent: 8, nameLen: 20, name: 24, inode: 32 },
      file: { pathDentry: 8 },
      path: { dentry: 8 },
      inode: { mode: 0, size: 16 },
      mount: { list: 0, parent: 16, mountpoint: 24, root: 32, sb: 40, flags: 48, devname: 56 },
      superBlock: { type: 0 },
      fileSystemType: { name: 0 },
      traceArray: { eventDir: 24 },
    });
  });

  it('finds members through anonymous unions and nested structs, and says which one is missing', () => {
    expect(memberOffset(btf, 'task_struct', 'thread_info.preempt.count')).toBe(208);
    expect(memberOffset(btf, 'task_struct', 'thread_info.preempt_count')).toBe(208);
    expect(() => memberOffset(btf, 'task_struct', 'thread_info.nope')).toThrow('guest BTF: struct task_struct has no member thread_info.nope');
    expect(() => memberOffset(btf, 'no_such_struct', 'x')).toThrow('guest BTF has no struct no_such_struct');
  });
});
