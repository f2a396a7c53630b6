// The machine lock: one TypeScript driver at a time on the emulated machine's single CPU.
// Several independent drivers may want the CPU at once (the background workload's shell, the FUSE
// file server answering another host process); each runs whole system calls, which may yield to
// the event loop in the middle, so two of them interleaved would clobber each other's registers
// and run the guest kernel re-entrantly where it has no locks. Each driver takes this lock around
// a unit of work that ends at a scheduling point (a system call returned, a shell line done), so
// tasks switch only where a uniprocessor kernel without preemption switches them: when a task
// returns to user space or sleeps. Counterpart of the big kernel lock (lock_kernel() of
// Linux ≤ 2.6.38) together with the uniprocessor, non-preemptive schedule() it protected.
// Waiters are served in arrival order, so two drivers alternate: between two operations of one,
// the other gets its turn (the workload always runs between two FUSE requests).

import type { Kernel } from './kernel.ts';

export class MachineLock {
  private held = false;
  private readonly queue: (() => void)[] = [];
  private releaseWaiters: (() => void)[] = [];
  /** Number of times the lock was released: how much has happened on the machine. */
  generation = 0;

  /** True while someone holds the lock. */
  get locked(): boolean {
    return this.held;
  }

  /** Drivers waiting for the lock. */
  get waiting(): number {
    return this.queue.length;
  }

  private acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    this.generation++;
    const next = this.queue.shift();
    if (next) next();
    else this.held = false;
    const ws = this.releaseWaiters;
    this.releaseWaiters = [];
    for (const w of ws) w();
  }

  /** Runs `work` holding the lock; the next waiter runs once it has settled. */
  async run<T>(work: () => T | Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Resolves at the next release of the lock: something ran on the machine. */
  nextRelease(): Promise<void> {
    return new Promise((resolve) => this.releaseWaiters.push(resolve));
  }
}

const locks = new WeakMap<Kernel, MachineLock>();

/** The lock of one machine, shared by every driver of that machine. */
export function machineLock(kernel: Kernel): MachineLock {
  let l = locks.get(kernel);
  if (!l) {
    l = new MachineLock();
    locks.set(kernel, l);
  }
  return l;
}
