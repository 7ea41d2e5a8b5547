/**
 * At most N cases run at once in one instance, however they were started (an approval, a retry,
 * the sweep). Without a bound, a burst of approvals starts every case together and they starve
 * each other (and the store) until leases expire and nothing finishes.
 */
export class CaseSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
