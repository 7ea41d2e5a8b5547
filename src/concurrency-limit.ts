/**
 * Runs at most N pieces of work at once; the rest wait their turn in call order. The engine runs
 * its cases through one (a burst of approvals must not start every case together, or they starve
 * each other and the store until leases expire), the approvals their card updates through another.
 */
export class ConcurrencyLimit {
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
