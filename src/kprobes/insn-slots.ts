// The instruction-slot cache: the counterpart of the `kprobe_insn_cache` part of kernel/kprobes.c
// (__get_insn_slot, __free_insn_slot, collect_one_slot, collect_garbage_slots). Pages of
// executable kernel memory come from the host (alloc_insn_page); each is cut into slots of the
// arch's size. A slot freed while some CPU may still be executing in it is marked dirty and
// reused only once no kprobe is active (Linux waits with synchronize_rcu_tasks for the same).

import { PAGE_SIZE } from '../machine/memory.ts';

const SLOT_CLEAN = 0;
const SLOT_DIRTY = 1;
const SLOT_USED = 2;

interface InsnPage {
  readonly insns: number;
  readonly slotUsed: Uint8Array;
  nused: number;
  ngarbage: number;
}

export class InsnSlotCache {
  private readonly pages: InsnPage[] = [];
  private readonly slotsPerPage: number;

  constructor(
    readonly slotSize: number,
    private readonly allocPage: () => number | null,
    private readonly freePage: ((page: number) => void) | undefined,
    /** True while a CPU may be executing in a slot (a kprobe is active somewhere). */
    private readonly inUse: () => boolean,
  ) {
    this.slotsPerPage = Math.floor(PAGE_SIZE / slotSize);
  }

  /** __get_insn_slot(): a clean slot, collecting dirty ones or adding a page when none is left. */
  get(): number | null {
    for (;;) {
      for (const kip of this.pages) {
        if (kip.nused >= this.slotsPerPage) continue;
        const i = kip.slotUsed.indexOf(SLOT_CLEAN);
        if (i >= 0) {
          kip.slotUsed[i] = SLOT_USED;
          kip.nused++;
          return kip.insns + i * this.slotSize;
        }
      }
      if (this.pages.some((p) => p.ngarbage > 0) && this.collectGarbageSlots()) continue;
      break;
    }
    const page = this.allocPage();
    if (page === null) return null;
    const kip: InsnPage = { insns: page, slotUsed: new Uint8Array(this.slotsPerPage), nused: 1, ngarbage: 0 };
    kip.slotUsed[0] = SLOT_USED;
    this.pages.push(kip);
    return page;
  }

  /** __free_insn_slot(): dirty if a CPU may still run it, else clean at once. */
  free(slot: number): void {
    const kip = this.pages.find((p) => slot >= p.insns && slot < p.insns + this.slotsPerPage * this.slotSize);
    if (!kip) return;
    const idx = (slot - kip.insns) / this.slotSize;
    if (kip.slotUsed[idx] !== SLOT_USED) return;
    if (this.inUse()) {
      kip.slotUsed[idx] = SLOT_DIRTY;
      kip.ngarbage++;
    } else {
      this.collectOneSlot(kip, idx);
    }
  }

  /** The pages in use, for kallsyms' `kprobe_insn_page` entries. */
  pageAddresses(): number[] {
    return this.pages.map((p) => p.insns);
  }

  /** Slots in use (not counting dirty ones). */
  get usedSlots(): number {
    return this.pages.reduce((n, p) => n + p.nused - p.ngarbage, 0);
  }

  private collectOneSlot(kip: InsnPage, idx: number): void {
    kip.slotUsed[idx] = SLOT_CLEAN;
    kip.nused--;
    // An empty page goes back, except the last one, kept for the next probe.
    if (kip.nused === 0 && this.pages.length > 1) {
      this.pages.splice(this.pages.indexOf(kip), 1);
      this.freePage?.(kip.insns);
    }
  }

  /** collect_garbage_slots(): clean the dirty slots once nothing can be executing them. */
  private collectGarbageSlots(): boolean {
    if (this.inUse()) return false;
    for (const kip of [...this.pages]) {
      if (kip.ngarbage === 0) continue;
      kip.ngarbage = 0;
      for (let i = 0; i < this.slotsPerPage; i++) {
        if (kip.slotUsed[i] === SLOT_DIRTY) this.collectOneSlot(kip, i);
      }
    }
    return true;
  }
}
