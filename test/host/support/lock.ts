// One test file at a time on this machine's real tracefs: the host tests start `kprobe host`
// processes whose start-up sweeps the leftovers of dead processes, so two files running in
// parallel workers (or two test runs) would sweep each other's evidence. A lock directory made
// with mkdir (atomic) holds the owner's pid; a lock whose owner is gone is taken over.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const LOCK = '/tmp/kprobe-host-tracefs.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Wait for the lock (polling); call in the first beforeAll of a file that uses the real tracefs. */
export async function acquireHostTracefs(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(`${LOCK}/pid`, String(process.pid));
      return;
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(`${LOCK}/pid`, 'utf8'));
      } catch {
        // Being created right now: wait.
      }
      if (owner && !alive(owner)) rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Release it; call in the first afterAll registered (hooks after tests run last-registered first). */
export function releaseHostTracefs(): void {
  try {
    if (Number(readFileSync(`${LOCK}/pid`, 'utf8')) === process.pid) rmSync(LOCK, { recursive: true, force: true });
  } catch {
    // Not ours, or already gone.
  }
}
