// MIPS errno values: the counterpart of arch/mips/include/uapi/asm/errno.h. MIPS keeps
// asm-generic's errno-base.h (1..34) and numbers everything above differently (EDEADLK 45,
// ENOSYS 89, ELOOP 90, ENOTEMPTY 93, EOPNOTSUPP 122, ECANCELED 158…). The TypeScript half speaks
// the generic numbers of ../errno.ts; these tables translate at the user/guest boundary.

import * as generic from '../errno.ts';

/** The MIPS number of each generic errno above 34 that the kernel (guest or TypeScript) uses. */
const MIPS_OF_GENERIC: ReadonlyMap<number, number> = new Map([
  [35, 45], // EDEADLK
  [generic.ENAMETOOLONG, 78],
  [37, 46], // ENOLCK
  [generic.ENOSYS, 89],
  [generic.ENOTEMPTY, 93],
  [generic.ELOOP, 90],
  [75, 79], // EOVERFLOW
  [generic.EILSEQ, 88],
  [88, 95], // ENOTSOCK
  [89, 96], // EDESTADDRREQ
  [90, 97], // EMSGSIZE
  [91, 98], // EPROTOTYPE
  [92, 99], // ENOPROTOOPT
  [93, 120], // EPROTONOSUPPORT
  [94, 121], // ESOCKTNOSUPPORT
  [generic.EOPNOTSUPP, 122],
  [96, 123], // EPFNOSUPPORT
  [97, 124], // EAFNOSUPPORT
  [98, 125], // EADDRINUSE
  [generic.EADDRNOTAVAIL, 126],
  [100, 127], // ENETDOWN
  [101, 128], // ENETUNREACH
  [103, 130], // ECONNABORTED
  [104, 131], // ECONNRESET
  [105, 132], // ENOBUFS
  [106, 133], // EISCONN
  [107, 134], // ENOTCONN
  [110, 145], // ETIMEDOUT
  [111, 146], // ECONNREFUSED
  [114, 149], // EALREADY
  [115, 150], // EINPROGRESS
  [generic.ECANCELED, 158],
]);

const GENERIC_OF_MIPS: ReadonlyMap<number, number> = new Map([...MIPS_OF_GENERIC].map(([g, m]) => [m, g]));

/** Largest errno value (MAX_ERRNO): -4095..-1 are errors. */
const MAX_ERRNO = 4095;

/** A value that may be a negative generic errno, as the MIPS guest numbers it. */
export function mipsErrnoFromGeneric(value: number): number {
  if (value >= 0 || value < -MAX_ERRNO) return value;
  return -(MIPS_OF_GENERIC.get(-value) ?? -value);
}

/** A value that may be a negative MIPS errno, in the generic numbering. */
export function genericErrnoFromMips(value: number): number {
  if (value >= 0 || value < -MAX_ERRNO) return value;
  return -(GENERIC_OF_MIPS.get(-value) ?? -value);
}
