import { M365Error } from '../m365/m365-error';

export interface WritePacerOptions {
  /** Writes per second to start from, before any 429 said how fast the tenant takes them. */
  initialPerSecond: number;
  minPerSecond: number;
  maxPerSecond: number;
  /** Share of the rate kept after a 429. */
  backoffFactor: number;
  /** Writes per second the rate grows by for each second without a 429. */
  probePerSecond: number;
  /** Throttled writes re-sent by the pacer before the 429 goes to the step (which retries later). */
  maxRetries: number;
  /** Longest Retry-After the pacer waits out itself; a longer one fails the call so the step waits. */
  maxWaitSeconds: number;
  /** Calls that may go at once after a quiet spell; one second's worth (at least one) by default. */
  burst?: number;
}

export const DEFAULT_WRITE_PACING: WritePacerOptions = {
  initialPerSecond: 50,
  minPerSecond: 1,
  maxPerSecond: 500,
  backoffFactor: 0.9,
  probePerSecond: 0.5,
  maxRetries: 8,
  maxWaitSeconds: 5,
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Paces the Graph writes of every case one engine instance runs, so many cases at once do not
 * drain the tenant's write quota together and then all sit out a Retry-After each. A token bucket
 * whose rate adapts: a 429 stops every write until its Retry-After and lowers the rate; each
 * second without one raises it a little. The bucket holds one second of writes and keeps filling
 * during a pause, as the tenant's own bucket does, so the writes it allows resume at full speed.
 * Uses the wall clock (not the engine's injectable one): it times real calls.
 */
export class WritePacer {
  private rate: number;
  private tokens: number;
  private refilledAt: number;
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: WritePacerOptions = DEFAULT_WRITE_PACING,
    private readonly clock: { now(): number; sleep(ms: number): Promise<void> } = { now: () => performance.now(), sleep },
  ) {
    this.rate = options.initialPerSecond;
    this.tokens = this.capacity;
    this.refilledAt = clock.now();
  }

  /** A second's worth of calls, and at least one: a pace under one a second must still let one through. */
  private get capacity(): number {
    return this.options.burst ?? Math.max(1, this.rate);
  }

  /** The current rate, writes per second. */
  get perSecond(): number {
    return this.rate;
  }

  /** Sends `write` when the pace allows, re-sending it after a 429 the pacer may wait out. */
  async send<R>(write: () => Promise<R>): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      await this.turn();
      try {
        const result = await write();
        this.succeeded();
        return result;
      } catch (err) {
        if (!(err instanceof M365Error) || err.status !== 429) throw err;
        const waitSeconds = err.retryAfterSeconds ?? 1;
        this.throttled(Math.min(waitSeconds, this.options.maxWaitSeconds));
        // A 429 means the write was not carried out, so sending it again applies it once.
        if (attempt >= this.options.maxRetries || waitSeconds > this.options.maxWaitSeconds) throw err;
      }
    }
  }

  /** Waits for a token; callers are served in arrival order. */
  private turn(): Promise<void> {
    const mine = this.queue.then(() => this.take());
    this.queue = mine;
    return mine;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.refill(now);
      if (now < this.pausedUntil) {
        await this.clock.sleep(this.pausedUntil - now);
        continue;
      }
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      // At least a millisecond: rounding could otherwise leave a sliver of a token forever missing.
      await this.clock.sleep(Math.max(1, ((1 - this.tokens) / this.rate) * 1000));
    }
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.rate);
    this.refilledAt = now;
  }

  /** At `rate` writes a second, each success adding probePerSecond / rate grows it by probePerSecond a second. */
  private succeeded(): void {
    this.rate = Math.min(this.options.maxPerSecond, this.rate + this.options.probePerSecond / this.rate);
  }

  private throttled(retryAfterSeconds: number): void {
    const now = this.clock.now();
    this.refill(now);
    // Several writes in flight meet the same empty bucket: one cut per pause, not one per 429.
    if (now >= this.pausedUntil) this.rate = Math.max(this.options.minPerSecond, this.rate * this.options.backoffFactor);
    this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterSeconds * 1000);
    this.tokens = 0;
  }
}
