// The user-facing numbers of one arch's Linux ABI, as the TypeScript half needs them: system-call
// numbers by name, open flags, errno and signal numbers, and the stat structure TypeScript
// processes read. The TypeScript side (the shell, TsProcess's callers, hostfs, tracefs) speaks
// asm-generic's numbers (arm64's: src/uapi/errno.ts, fcntl.ts); an arch whose ABI numbers them
// differently translates here, at the boundary with the guest. Counterpart of each arch's
// include/uapi/asm/{unistd,fcntl,errno,signal,stat}.h.

import { NR } from '../abi.ts';

export type SyscallName = keyof typeof NR;

/** Where a stat call's buffer keeps the fields process-api.ts's Stat has. */
export interface StatLayout {
  readonly size: number;
  readonly ino: number;
  readonly mode: number;
  readonly nlink: number;
  readonly uid: number;
  readonly gid: number;
  /** A 64-bit field. */
  readonly size64: number;
  readonly mtime: number;
  /** Width of st_mtime: 8 (arm64's long) or 4 (o32's). */
  readonly mtimeBytes: 4 | 8;
}

export interface UserAbi {
  /** System-call numbers by their asm-generic names (o32 calls stand in where o32 has none). */
  readonly nr: Readonly<Record<SyscallName, number>>;
  /** Open flags given in src/uapi/fcntl.ts's numbering, as this arch's guest takes them. */
  openFlags(flags: number): number;
  /** A result the guest returned (maybe a negative errno) in the generic numbering. */
  errnoFromGuest(value: number): number;
  /** A result TypeScript returns into the guest (maybe a negative generic errno) in the guest's numbering. */
  errnoToGuest(value: number): number;
  signalToGuest(sig: number): number;
  signalFromGuest(sig: number): number;
  /** SIGCHLD, the exit signal clone() gets for a fork. */
  readonly sigchld: number;
  /** The struct the `newfstatat` call fills. */
  readonly stat: StatLayout;
}

const identity = (v: number): number => v;

/** arm64: asm-generic's numbers throughout; struct stat of asm-generic/stat.h. */
export const arm64UserAbi: UserAbi = {
  nr: NR,
  openFlags: identity,
  errnoFromGuest: identity,
  errnoToGuest: identity,
  signalToGuest: identity,
  signalFromGuest: identity,
  sigchld: 17,
  stat: { size: 128, ino: 8, mode: 16, nlink: 20, uid: 24, gid: 28, size64: 48, mtime: 88, mtimeBytes: 8 },
};
