/**
 * Runs at most N pieces of work at once; the rest wait their turn, lowest rank first and in call
 * order among equal ranks. The engine runs its cases through one, ranked so that shutting people
 * out comes before handing their things over (engine/step-rank.ts); the approvals run their card
 * updates through another. A burst must not start everything together, or the work starves itself
 * and the store until leases expire.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: Waiting[] = [];

  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>, rank: Rank = []): Promise<T> {
    const slot = await this.acquire(rank);
    try {
      return await work();
    } finally {
      slot.release();
    }
  }

  /** A slot for a run of work, once one is free for `rank`; the holder must release it. */
  async acquire(rank: Rank = []): Promise<HeldSlot> {
    if (this.running < this.size) this.running++;
    else await this.wait(rank);
    let held = true;
    return {
      turn: async (next) => {
        const head = this.waiting[0];
        if (!held || !head || compareRanks(head.rank, next) >= 0) return;
        // Handed to the waiting work that outranks the holder's next piece, which queues again.
        this.waiting.shift()!.wake();
        await this.wait(next);
      },
      release: () => {
        if (!held) return;
        held = false;
        const next = this.waiting.shift();
        if (next) next.wake();
        else this.running--;
      },
    };
  }

  private wait(rank: Rank): Promise<void> {
    return new Promise((wake) => {
      // After every entry of the same or a lower rank, so equal ranks keep their call order.
      let at = this.waiting.length;
      while (at > 0 && compareRanks(this.waiting[at - 1].rank, rank) > 0) at--;
      this.waiting.splice(at, 0, { rank, wake });
    });
  }
}

/** Compared element by element, a shorter prefix first; unranked work counts as `[]`. */
export type Rank = readonly number[];

export interface HeldSlot {
  /**
   * Before the holder's next piece of work, ranked `next`: keeps the slot unless waiting work
   * outranks it, in which case that work takes the slot and the holder waits its turn again.
   */
  turn(next: Rank): Promise<void>;
  release(): void;
}

interface Waiting {
  rank: Rank;
  wake: () => void;
}

function compareRanks(a: Rank, b: Rank): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}
