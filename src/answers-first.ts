/**
 * Lets work nobody is waiting for (editing the other copies of a card, starting an approved case's
 * execution) wait while people are waiting for an answer from the bot. The app's requests share
 * one event loop: under a burst of approval clicks, card edits started by the first answers took
 * about a third of the CPU the burst needed and delayed every answer still to come. Work that has
 * waited `maxDelayMs` goes ahead anyway, so a steady stream of clicks cannot hold it back for long.
 * Per instance, like the event loop it protects.
 */
export class AnswersFirst {
  private answering = 0;
  private quietWaiters: (() => void)[] = [];

  constructor(private readonly maxDelayMs: number) {}

  /** Runs the answering of one request (a Bot Framework activity); background work waits meanwhile. */
  async answer<T>(work: () => Promise<T>): Promise<T> {
    this.answering++;
    try {
      return await work();
    } finally {
      if (--this.answering === 0) this.wakeAll();
    }
  }

  /** Resolves when no request is being answered, or after `maxDelayMs` at the latest. */
  quiet(): Promise<void> {
    if (this.answering === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.quietWaiters = this.quietWaiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, this.maxDelayMs);
      timer.unref();
      this.quietWaiters.push(done);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.quietWaiters]) wake();
  }
}
