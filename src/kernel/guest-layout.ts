// Where the TypeScript half finds the fields of the guest kernel's structures that it reads:
// offsets taken from the kernel's own BTF (the image carries it, made by pahole as with
// CONFIG_DEBUG_INFO_BTF), by member path through nested and anonymous structs and unions, and the
// word size from the image. One kernel source serves 64- and 32-bit arches, so no offset is
// written down twice. No Linux counterpart (compare BPF CO-RE: bpf_core_field_offset()).

import {
  BTF_KIND_STRUCT,
  btfMemberBitOffsetOf,
  btfTypeIsStruct,
  type Btf,
  type BtfType,
} from '../machine/btf.ts';
import type { Memory } from '../machine/memory.ts';

export interface GuestLayout {
  /** sizeof(void *): 8 on arm64, 4 on mips32. */
  readonly pointerBytes: 4 | 8;
  readonly task: {
    readonly stack: number;
    readonly pid: number;
    readonly state: number;
    readonly comm: number;
    readonly parent: number;
    readonly exitCode: number;
    /** thread_info.flags (TIF_*). */
    readonly threadFlags: number;
    /**
     * thread_info.preempt.need_resched: arm64's folded PREEMPT_NEED_RESCHED, 0 when set; undefined
     * where the arch has none (mips: asm-generic's preempt count).
     */
    readonly preemptNeedResched: number | undefined;
  };
  readonly dentry: { readonly parent: number; readonly nameLen: number; readonly name: number; readonly inode: number };
  readonly file: { readonly pathDentry: number };
  readonly path: { readonly dentry: number };
  readonly inode: { readonly mode: number; readonly size: number };
  readonly mount: {
    readonly list: number;
    readonly parent: number;
    readonly mountpoint: number;
    readonly root: number;
    readonly sb: number;
    readonly flags: number;
    readonly devname: number;
  };
  readonly superBlock: { readonly type: number };
  readonly fileSystemType: { readonly name: number };
  readonly traceArray: { readonly eventDir: number };
}

/** A member's byte offset in a struct, by a dotted path ("d_name.name"); members of anonymous
 * structs and unions are found as if they were the outer struct's, as C lets them be named. */
export function memberOffset(btf: Btf, structName: string, path: string): number {
  const id = btf.findByNameKind(structName, BTF_KIND_STRUCT);
  if (id < 0) throw new Error(`guest BTF has no struct ${structName}`);
  let type = btf.typeById(id)!;
  let offset = 0;
  for (const name of path.split('.')) {
    const found = findMember(btf, type, name);
    if (!found) throw new Error(`guest BTF: struct ${structName} has no member ${path}`);
    offset += found.bits / 8;
    type = found.type;
  }
  return offset;
}

/** True if the struct has the member path. */
export function hasMember(btf: Btf, structName: string, path: string): boolean {
  try {
    memberOffset(btf, structName, path);
    return true;
  } catch {
    return false;
  }
}

function findMember(btf: Btf, t: BtfType, name: string): { bits: number; type: BtfType } | undefined {
  for (const m of t.members ?? []) {
    const memberType = btf.skipModifiers(m.type).type;
    const bits = btfMemberBitOffsetOf(t, m);
    const mName = btf.nameByOffset(m.nameOff) ?? '';
    if (mName === name) return { bits, type: memberType ?? t };
    if (!mName && memberType && btfTypeIsStruct(memberType)) {
      const inner = findMember(btf, memberType, name);
      if (inner) return { bits: bits + inner.bits, type: inner.type };
    }
  }
  return undefined;
}

export function guestLayout(btf: Btf, pointerBytes: 4 | 8): GuestLayout {
  const off = (s: string, p: string) => memberOffset(btf, s, p);
  return {
    pointerBytes,
    task: {
      stack: off('task_struct', 'stack'),
      pid: off('task_struct', 'pid'),
      state: off('task_struct', '__state'),
      comm: off('task_struct', 'comm'),
      parent: off('task_struct', 'parent'),
      exitCode: off('task_struct', 'exit_code'),
      threadFlags: off('task_struct', 'thread_info.flags'),
      preemptNeedResched: hasMember(btf, 'task_struct', 'thread_info.preempt.need_resched')
        ? off('task_struct', 'thread_info.preempt.need_resched')
        : undefined,
    },
    dentry: {
      parent: off('dentry', 'd_parent'),
      nameLen: off('dentry', 'd_name.len'),
      name: off('dentry', 'd_name.name'),
      inode: off('dentry', 'd_inode'),
    },
    file: { pathDentry: off('file', 'f_path.dentry') },
    path: { dentry: off('path', 'dentry') },
    inode: { mode: off('inode', 'i_mode'), size: off('inode', 'i_size') },
    mount: {
      list: off('mount', 'mnt_list'),
      parent: off('mount', 'mnt_parent'),
      mountpoint: off('mount', 'mnt_mountpoint'),
      root: off('mount', 'mnt.mnt_root'),
      sb: off('mount', 'mnt.mnt_sb'),
      flags: off('mount', 'mnt.mnt_flags'),
      devname: off('mount', 'mnt_devname'),
    },
    superBlock: { type: off('super_block', 's_type') },
    fileSystemType: { name: off('file_system_type', 'name') },
    traceArray: { eventDir: off('trace_array', 'event_dir') },
  };
}

/** A pointer-sized guest word as an address (the machine's 48-bit or 32-bit form). */
export function readPointer(memory: Memory, layout: GuestLayout, addr: number): number {
  return layout.pointerBytes === 8 ? Number(memory.read64(addr) & 0xffff_ffff_ffffn) : memory.read32(addr) >>> 0;
}
