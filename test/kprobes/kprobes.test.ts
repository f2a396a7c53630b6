// The kprobes core (src/kprobes/kprobes.ts, after kernel/kprobes.c): registration and its errno
// values, re-basing sym+offset, the blacklist, aggregation, enable/disable, the global switch,
// kretprobe registration, and the debugfs listings. Runs on the assembled test image; no CPU is
// needed (the trap protocol is in arch/arm64.test.ts, real execution in machine.test.ts).

import { beforeEach, describe, expect, it } from 'vitest';
import { BRK64_OPCODE_KPROBES, BRK64_OPCODE_KPROBES_SS, type Arm64Ainsn } from '../../src/kprobes/arch/arm64.ts';
import { kstrtobool } from '../../src/kprobes/kprobes.ts';
import {
  KPROBE_FLAG_DISABLED,
  KPROBE_FLAG_ON_FUNC_ENTRY,
  type Kprobe,
  type Kretprobe,
} from '../../src/kprobes/types.ts';
import { E2BIG, EINVAL, ENOENT, ENOMEM } from '../../src/uapi/errno.ts';
import { ASM_TOOLS } from './support/asm.ts';
import { makeTestKernel, UNMAPPED, type TestKernel } from './support/guest.ts';
import { requireTools } from '../helpers/tools.ts';

const haveAsm = requireTools(...ASM_TOOLS);

describe.skipIf(!haveAsm)('kprobes core', () => {
  let k: TestKernel;
  let A: (name: string) => number;
  /** The word the image has at an address (before any patching). */
  let orig: (addr: number) => number;
  const px = (a: number): string => (BigInt(a) | 0xffff_0000_0000_0000n).toString(16);

  beforeEach(() => {
    k = makeTestKernel();
    A = k.addr;
    orig = (addr) => new DataView(k.image.bytes.buffer, k.image.bytes.byteOffset).getUint32(addr - k.image.base, true);
  });

  describe('register_kprobe errors', () => {
    it('needs exactly one of symbol_name and addr', () => {
      expect(k.kprobes.registerKprobe({ symbolName: 'kprobe_target', addr: A('kprobe_target') })).toBe(-EINVAL);
      expect(k.kprobes.registerKprobe({})).toBe(-EINVAL);
    });

    it('returns -ENOENT for an unknown symbol or an address in no symbol', () => {
      expect(k.kprobes.registerKprobe({ symbolName: 'no_such_function' })).toBe(-ENOENT);
      expect(k.kprobes.registerKprobe({ addr: UNMAPPED })).toBe(-ENOENT);
    });

    it('returns -EINVAL and WARNs once for a probe registered twice', () => {
      const p: Kprobe = { symbolName: 'kprobe_target' };
      expect(k.kprobes.registerKprobe(p)).toBe(0);
      // p.addr is set now: symbol and addr together.
      expect(k.kprobes.registerKprobe(p)).toBe(-EINVAL);
      const q: Kprobe = { addr: A('kprobe_target2') };
      expect(k.kprobes.registerKprobe(q)).toBe(0);
      expect(k.kprobes.registerKprobe(q)).toBe(-EINVAL);
      expect(k.kprobes.registerKprobe(q)).toBe(-EINVAL);
      expect(k.host.warnings).toEqual([{ file: 'kernel/kprobes.c', line: 1541, func: 'register_kprobe' }]);
    });

    it.each([
      ['nokprobe_fn', 0, 'NOKPROBE_SYMBOL'],
      ['nokprobe_fn', 4, 'NOKPROBE_SYMBOL, inside'],
      ['nokprobe_fn.isra.0', 0, 'a suffixed copy of a blacklisted function'],
      ['kprobes_fn', 0, '.kprobes.text'],
      ['entry_fn', 4, '.entry.text'],
      ['noinstr_fn', 0, '.noinstr.text'],
      ['__pfx_padded_fn', 0, 'a __pfx_ preamble'],
      ['data_word', 0, 'not text'],
      ['kprobe_target', 2, 'misaligned'],
      ['unprobeable', 0, 'mrs sctlr_el1'],
      ['unprobeable', 4, 'msr daifclr'],
      ['unprobeable', 8, 'hvc'],
      ['__kretprobe_trampoline', 0, 'brk'],
      ['atomic_inc', 4, 'inside ldxr/stxr'],
    ])('rejects %s+%d (%s) with -EINVAL', (symbolName, offset) => {
      const before = k.read32(A(symbolName) + (offset & ~3));
      expect(k.kprobes.registerKprobe({ symbolName, offset })).toBe(-EINVAL);
      expect(k.read32(A(symbolName) + (offset & ~3))).toBe(before);
    });

    it('accepts the rest of those functions', () => {
      expect(k.kprobes.registerKprobe({ symbolName: 'unprobeable', offset: 12 })).toBe(0);
      expect(k.kprobes.registerKprobe({ symbolName: 'padded_fn' })).toBe(0);
      expect(k.kprobes.registerKprobe({ symbolName: 'atomic_inc', offset: 12 })).toBe(0);
    });

    it('returns -ENOMEM when no slot page is left, only for instructions that need a slot', () => {
      k.host.slotPagesLeft = 0;
      expect(k.kprobes.registerKprobe({ symbolName: 'kprobe_target' })).toBe(-ENOMEM); // mov: stepped
      expect(k.kprobes.registerKprobe({ symbolName: 'kprobe_target', offset: 8 })).toBe(0); // ret: simulated
    });
  });

  describe('addresses', () => {
    it('re-bases sym+offset onto the containing symbol: sym+sizeof(sym) is the next function', () => {
      const size = k.symbols.lookupAddress(A('kprobe_target'))!.size;
      const p: Kprobe = { symbolName: 'kprobe_target', offset: size };
      expect(k.kprobes.registerKprobe(p)).toBe(0);
      expect(p.addr).toBe(A('kprobe_target2'));
      // At offset 0 of kprobe_target2 after re-basing: a function entry.
      expect(p.flags! & KPROBE_FLAG_ON_FUNC_ENTRY).toBe(KPROBE_FLAG_ON_FUNC_ENTRY);
      const q: Kprobe = { symbolName: 'kprobe_target', offset: size + 4 };
      expect(k.kprobes.registerKprobe(q)).toBe(0);
      expect(q.addr).toBe(A('kprobe_target2') + 4);
      expect(q.flags! & KPROBE_FLAG_ON_FUNC_ENTRY).toBe(0);
      expect(k.kprobes.listKprobes()).toContain(`${px(A('kprobe_target2') + 4)}  k  kprobe_target2+0x4  `);
    });

    it('arms with BRK #4 and keeps the original instruction; a slot holds [insn][BRK #6]', () => {
      const p: Kprobe = { symbolName: 'kprobe_target', offset: 4 };
      expect(k.kprobes.registerKprobe(p)).toBe(0);
      const addr = A('kprobe_target') + 4;
      expect(p.addr).toBe(addr);
      expect(p.opcode).toBe(orig(addr));
      expect(k.read32(addr)).toBe(BRK64_OPCODE_KPROBES);
      const slot = (p.ainsn as Arm64Ainsn).api.insn!;
      expect(k.read32(slot)).toBe(orig(addr));
      expect(k.read32(slot + 4)).toBe(BRK64_OPCODE_KPROBES_SS);
      expect(k.kprobes.insnPages()).toEqual([Math.floor(slot / 4096) * 4096]);
    });

    it('simulated instructions take no slot', () => {
      const p: Kprobe = { symbolName: 'branchy' }; // cbz
      expect(k.kprobes.registerKprobe(p)).toBe(0);
      expect((p.ainsn as Arm64Ainsn).api.insn).toBeNull();
      expect(k.kprobes.insnPages()).toEqual([]);
    });
  });

  describe('unregister, enable, disable', () => {
    it('unregister restores the instruction and frees the slot', () => {
      const p: Kprobe = { symbolName: 'kprobe_target', offset: 4 };
      k.kprobes.registerKprobe(p);
      const slot = (p.ainsn as Arm64Ainsn).api.insn;
      k.kprobes.unregisterKprobe(p);
      expect((p.ainsn as Arm64Ainsn).api.insn).toBeNull();
      expect(k.read32(p.addr!)).toBe(orig(p.addr!));
      expect(k.kprobes.getKprobe(p.addr!)).toBeUndefined();
      expect(k.kprobes.listKprobes()).toBe('');
      // The slot is reused by the next probe.
      const q: Kprobe = { symbolName: 'kprobe_target2', offset: 4 };
      k.kprobes.registerKprobe(q);
      expect((q.ainsn as Arm64Ainsn).api.insn).toBe(slot);
    });

    it('unregistering an unregistered probe clears its addr, as Linux does', () => {
      const p: Kprobe = { addr: A('kprobe_target') };
      k.kprobes.unregisterKprobe(p);
      expect(p.addr).toBeUndefined();
    });

    it('disable disarms and enable re-arms; -EINVAL for unregistered probes', () => {
      const p: Kprobe = { symbolName: 'kprobe_target' };
      k.kprobes.registerKprobe(p);
      expect(k.kprobes.disableKprobe(p)).toBe(0);
      expect(k.read32(p.addr!)).toBe(orig(p.addr!));
      expect(k.kprobes.listKprobes()).toBe(`${px(p.addr!)}  k  kprobe_target+0x0    [DISABLED]\n`);
      expect(k.kprobes.enableKprobe(p)).toBe(0);
      expect(k.read32(p.addr!)).toBe(BRK64_OPCODE_KPROBES);
      expect(k.kprobes.listKprobes()).toBe(`${px(p.addr!)}  k  kprobe_target+0x0    \n`);
      const q: Kprobe = { symbolName: 'kprobe_target2' };
      expect(k.kprobes.enableKprobe(q)).toBe(-EINVAL);
      expect(k.kprobes.disableKprobe(q)).toBe(-EINVAL);
    });

    it('registers a KPROBE_FLAG_DISABLED probe without arming it', () => {
      const p: Kprobe = { symbolName: 'kprobe_target', flags: KPROBE_FLAG_DISABLED | 0x40 };
      expect(k.kprobes.registerKprobe(p)).toBe(0);
      expect(p.flags).toBe(KPROBE_FLAG_DISABLED | KPROBE_FLAG_ON_FUNC_ENTRY);
      expect(k.read32(p.addr!)).toBe(orig(p.addr!));
      k.kprobes.enableKprobe(p);
      expect(k.read32(p.addr!)).toBe(BRK64_OPCODE_KPROBES);
    });

    it('register_kprobes is all or nothing', () => {
      const good: Kprobe = { symbolName: 'kprobe_target' };
      const bad: Kprobe = { symbolName: 'no_such_function' };
      expect(k.kprobes.registerKprobes([good, bad])).toBe(-ENOENT);
      expect(k.kprobes.getKprobe(A('kprobe_target'))).toBeUndefined();
      expect(k.read32(A('kprobe_target'))).toBe(orig(A('kprobe_target')));
      expect(k.kprobes.registerKprobes([])).toBe(-EINVAL);
      const a: Kprobe = { symbolName: 'kprobe_target' };
      const b: Kprobe = { symbolName: 'kprobe_target2' };
      expect(k.kprobes.registerKprobes([a, b])).toBe(0);
      k.kprobes.unregisterKprobes([a, b]);
      expect(k.kprobes.listKprobes()).toBe('');
    });
  });

  describe('aggregation', () => {
    it('puts several probes at one address under one aggregator, newest first', () => {
      const p1: Kprobe = { symbolName: 'kprobe_target', preHandler: () => 0 };
      const p2: Kprobe = { symbolName: 'kprobe_target', postHandler: () => {} };
      k.kprobes.registerKprobe(p1);
      k.kprobes.registerKprobe(p2);
      const ap = k.kprobes.getKprobe(A('kprobe_target'))!;
      expect(ap).not.toBe(p1);
      expect(ap).not.toBe(p2);
      expect(p2.opcode).toBe(p1.opcode);
      const line = `${px(A('kprobe_target'))}  k  kprobe_target+0x0    \n`;
      expect(k.kprobes.listKprobes()).toBe(line + line);
      // Only one slot for the address.
      expect((p2.ainsn as Arm64Ainsn).api.insn).toBe((p1.ainsn as Arm64Ainsn).api.insn);
    });

    it('stays armed while one child is enabled', () => {
      const p1: Kprobe = { symbolName: 'kprobe_target' };
      const p2: Kprobe = { symbolName: 'kprobe_target' };
      k.kprobes.registerKprobe(p1);
      k.kprobes.registerKprobe(p2);
      const addr = A('kprobe_target');
      k.kprobes.disableKprobe(p1);
      expect(k.read32(addr)).toBe(BRK64_OPCODE_KPROBES);
      expect(k.kprobes.listKprobes()).toBe(`${px(addr)}  k  kprobe_target+0x0    \n${px(addr)}  k  kprobe_target+0x0    [DISABLED]\n`);
      k.kprobes.disableKprobe(p2);
      expect(k.read32(addr)).toBe(orig(addr));
      k.kprobes.enableKprobe(p1);
      expect(k.read32(addr)).toBe(BRK64_OPCODE_KPROBES);
      // Unregistering one keeps the other; the last one takes the aggregator with it.
      k.kprobes.unregisterKprobe(p1);
      expect(k.read32(addr)).toBe(orig(addr));
      expect(k.kprobes.listKprobes()).toBe(`${px(addr)}  k  kprobe_target+0x0    [DISABLED]\n`);
      k.kprobes.enableKprobe(p2);
      expect(k.read32(addr)).toBe(BRK64_OPCODE_KPROBES);
      k.kprobes.unregisterKprobe(p2);
      expect(k.read32(addr)).toBe(orig(addr));
      expect(k.kprobes.getKprobe(addr)).toBeUndefined();
    });

    it('a disabled probe joins an armed aggregator without arming; an enabled one arms a disabled one', () => {
      const p1: Kprobe = { symbolName: 'kprobe_target', flags: KPROBE_FLAG_DISABLED };
      const p2: Kprobe = { symbolName: 'kprobe_target' };
      k.kprobes.registerKprobe(p1);
      expect(k.read32(A('kprobe_target'))).toBe(orig(A('kprobe_target')));
      k.kprobes.registerKprobe(p2);
      expect(k.read32(A('kprobe_target'))).toBe(BRK64_OPCODE_KPROBES);
    });
  });

  describe('global arm/disarm (debugfs kprobes/enabled)', () => {
    it('disarms everything, registers without arming while disarmed, re-arms', () => {
      const p: Kprobe = { symbolName: 'kprobe_target' };
      const d: Kprobe = { symbolName: 'kprobe_target2', flags: KPROBE_FLAG_DISABLED };
      k.kprobes.registerKprobe(p);
      k.kprobes.registerKprobe(d);
      expect(k.kprobes.readEnabledFile()).toBe('1\n');
      expect(k.kprobes.writeEnabledFile('0\n')).toBe(0);
      expect(k.kprobes.readEnabledFile()).toBe('0\n');
      expect(k.read32(p.addr!)).toBe(orig(p.addr!));
      const q: Kprobe = { symbolName: 'caller' };
      expect(k.kprobes.registerKprobe(q)).toBe(0);
      expect(k.read32(q.addr!)).toBe(orig(q.addr!));
      expect(k.kprobes.writeEnabledFile('1')).toBe(0);
      expect(k.read32(p.addr!)).toBe(BRK64_OPCODE_KPROBES);
      expect(k.read32(q.addr!)).toBe(BRK64_OPCODE_KPROBES);
      expect(k.read32(d.addr!)).toBe(orig(d.addr!));
      expect(k.host.printks).toEqual(['kprobes: Kprobes globally disabled\n', 'kprobes: Kprobes globally enabled\n']);
      // Already enabled: nothing printed.
      expect(k.kprobes.writeEnabledFile('on')).toBe(0);
      expect(k.host.printks.length).toBe(2);
      expect(k.kprobes.writeEnabledFile('maybe')).toBe(-EINVAL);
    });

    it('parses booleans as kstrtobool does', () => {
      for (const t of ['1', 'y', 'Y', 't', 'on', 'ON', 'e']) expect(kstrtobool(t), t).toBe(true);
      for (const f of ['0', 'n', 'N', 'f', 'off', 'OFF', 'd']) expect(kstrtobool(f), f).toBe(false);
      for (const bad of ['', 'o', 'x', '2']) expect(kstrtobool(bad), bad).toBe(-EINVAL);
    });
  });

  describe('kretprobes', () => {
    it('must sit at a function entry', () => {
      expect(k.kprobes.registerKretprobe({ kp: { symbolName: 'kprobe_target', offset: 4 } })).toBe(-EINVAL);
      expect(k.kprobes.registerKretprobe({ kp: { symbolName: 'no_such_function' } })).toBe(-ENOENT);
      expect(k.kprobes.registerKretprobe({ kp: { symbolName: 'nokprobe_fn' } })).toBe(-EINVAL);
      expect(k.kprobes.kprobeOnFuncEntry(undefined, 'kprobe_target', 0)).toBe(0);
      expect(k.kprobes.kprobeOnFuncEntry(A('kprobe_target') + 4, undefined, 0)).toBe(-EINVAL);
    });

    it('limits data_size to 4096', () => {
      expect(k.kprobes.registerKretprobe({ kp: { symbolName: 'kprobe_target' }, dataSize: 4097 })).toBe(-E2BIG);
      expect(k.kprobes.registerKretprobe({ kp: { symbolName: 'kprobe_target' }, dataSize: 4096 })).toBe(0);
    });

    it('defaults maxactive to max(10, 2 * ncpus), lists as r, rejects re-registration', () => {
      const rp: Kretprobe = { kp: { symbolName: 'kprobe_target' }, handler: () => 0 };
      expect(k.kprobes.registerKretprobe(rp)).toBe(0);
      expect(rp.maxactive).toBe(10);
      expect(rp.nmissed).toBe(0);
      expect(k.kprobes.listKprobes()).toBe(`${px(A('kprobe_target'))}  r  kprobe_target+0x0    \n`);
      expect(k.kprobes.registerKretprobe(rp)).toBe(-EINVAL);
      expect(k.kprobes.disableKretprobe(rp)).toBe(0);
      expect(k.kprobes.listKprobes()).toContain('[DISABLED]');
      expect(k.kprobes.enableKretprobe(rp)).toBe(0);
      k.kprobes.unregisterKretprobe(rp);
      expect(k.kprobes.listKprobes()).toBe('');
      expect(k.read32(A('kprobe_target'))).toBe(orig(A('kprobe_target')));
    });

    it('register_kretprobes is all or nothing', () => {
      const a: Kretprobe = { kp: { symbolName: 'kprobe_target' } };
      const b: Kretprobe = { kp: { symbolName: 'kprobe_target2', offset: 4 } };
      expect(k.kprobes.registerKretprobes([a, b])).toBe(-EINVAL);
      expect(k.kprobes.listKprobes()).toBe('');
    });
  });

  describe('debugfs listings', () => {
    it('prints NULL addresses without kallsyms rights', () => {
      k.kprobes.registerKprobe({ symbolName: 'caller', offset: 8 });
      expect(k.kprobes.listKprobes(false)).toBe('0000000000000000  k  caller+0x8    \n');
    });

    it('lists the blacklist as 0x%px-0x%px\\t%ps, NOKPROBE_SYMBOLs first, then the sections', () => {
      const e = (n: string): string => {
        const s = k.symbols.lookupAddress(A(n))!;
        return `0x${px(s.start)}-0x${px(s.start + s.size)}\t${n}\n`;
      };
      expect(k.kprobes.listBlacklist()).toBe(e('nokprobe_fn') + e('kprobes_fn') + e('noinstr_fn') + e('entry_fn'));
      expect(k.kprobes.listBlacklist(false).split('\n')[0]).toBe('0x0000000000000000-0x0000000000000000\tnokprobe_fn');
    });
  });
});
