// MIPS open(2) flags: the counterpart of arch/mips/include/uapi/asm/fcntl.h (O_APPEND 0x8,
// O_NONBLOCK 0x80, O_CREAT 0x100…), with asm-generic's O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC and
// O_PATH (include/uapi/asm-generic/fcntl.h). The shell passes ../fcntl.ts's (arm64) values;
// mipsOpenFlags translates them for the guest.

import * as generic from '../fcntl.ts';

export const O_APPEND = 0x0008;
export const O_DSYNC = 0x0010;
export const O_NONBLOCK = 0x0080;
export const O_CREAT = 0x0100;
export const O_TRUNC = 0x0200;
export const O_EXCL = 0x0400;
export const O_NOCTTY = 0x0800;
export const O_LARGEFILE = 0x2000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;

/** arm64's values of the flags MIPS numbers differently (asm-generic / arch/arm64 fcntl.h). */
const ARM64_O_NOFOLLOW = 0o100000;
const ARM64_O_LARGEFILE = 0o400000;

const PAIRS: readonly (readonly [number, number])[] = [
  [generic.O_APPEND, O_APPEND],
  [generic.O_NONBLOCK, O_NONBLOCK],
  [generic.O_CREAT, O_CREAT],
  [generic.O_TRUNC, O_TRUNC],
  [generic.O_EXCL, O_EXCL],
  [generic.O_NOCTTY, O_NOCTTY],
  [generic.O_DIRECTORY, O_DIRECTORY],
  [ARM64_O_NOFOLLOW, O_NOFOLLOW],
  [ARM64_O_LARGEFILE, O_LARGEFILE],
  [generic.O_CLOEXEC, O_CLOEXEC],
  [O_PATH, O_PATH],
];

/** Open flags in ../fcntl.ts's numbering as the MIPS guest spells them (the access mode is shared). */
export function mipsOpenFlags(flags: number): number {
  let out = flags & generic.O_ACCMODE;
  for (const [from, to] of PAIRS) if (flags & from) out |= to;
  return out;
}
