// MIPS signal numbers: the counterpart of arch/mips/include/uapi/asm/signal.h, the System V
// numbering (SIGBUS 10, SIGUSR1 16, SIGCHLD 18, SIGSTOP 23, SIGCONT 25…). Signals 1-9, 11, 13-15
// are the same as asm-generic's; the others move (asm-generic's SIGSTKFLT 16 has no MIPS
// counterpart, MIPS's SIGEMT 7 no generic one: both pass through unchanged).

export const SIGCHLD = 18;

/** generic (asm-generic/signal.h, arm64) → MIPS, for the numbers that differ. */
const MIPS_OF_GENERIC: ReadonlyMap<number, number> = new Map([
  [7, 10], // SIGBUS
  [10, 16], // SIGUSR1
  [12, 17], // SIGUSR2
  [17, 18], // SIGCHLD
  [18, 25], // SIGCONT
  [19, 23], // SIGSTOP
  [20, 24], // SIGTSTP
  [21, 26], // SIGTTIN
  [22, 27], // SIGTTOU
  [23, 21], // SIGURG
  [24, 30], // SIGXCPU
  [25, 31], // SIGXFSZ
  [26, 28], // SIGVTALRM
  [27, 29], // SIGPROF
  [28, 20], // SIGWINCH
  [29, 22], // SIGIO
  [30, 19], // SIGPWR
  [31, 12], // SIGSYS
]);
const GENERIC_OF_MIPS: ReadonlyMap<number, number> = new Map([...MIPS_OF_GENERIC].map(([g, m]) => [m, g]));

export function mipsSignalFromGeneric(sig: number): number {
  return MIPS_OF_GENERIC.get(sig) ?? sig;
}

export function genericSignalFromMips(sig: number): number {
  return GENERIC_OF_MIPS.get(sig) ?? sig;
}
