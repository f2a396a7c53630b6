// The mips (o32) user ABI: o32 system-call numbers, MIPS's open flags, errno and signal numbers and
// struct stat64, from src/uapi/mips/. Counterpart of arch/mips/include/uapi/asm/{unistd.h
// (syscall_o32.tbl), fcntl.h, errno.h, signal.h, stat.h}.

import { genericErrnoFromMips, mipsErrnoFromGeneric } from '../../uapi/mips/errno.ts';
import { mipsOpenFlags } from '../../uapi/mips/fcntl.ts';
import { genericSignalFromMips, mipsSignalFromGeneric, SIGCHLD } from '../../uapi/mips/signal.ts';
import { STAT64 } from '../../uapi/mips/stat.ts';
import { O32_NR } from '../../uapi/mips/unistd.ts';
import type { UserAbi } from './user-abi.ts';

export const mipsUserAbi: UserAbi = {
  nr: O32_NR,
  openFlags: mipsOpenFlags,
  errnoFromGuest: genericErrnoFromMips,
  errnoToGuest: mipsErrnoFromGeneric,
  signalToGuest: mipsSignalFromGeneric,
  signalFromGuest: genericSignalFromMips,
  sigchld: SIGCHLD,
  stat: {
    size: STAT64.size,
    ino: STAT64.st_ino,
    mode: STAT64.st_mode,
    nlink: STAT64.st_nlink,
    uid: STAT64.st_uid,
    gid: STAT64.st_gid,
    size64: STAT64.st_size,
    mtime: STAT64.st_mtime,
    mtimeBytes: 4,
  },
};
