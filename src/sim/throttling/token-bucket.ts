/**
 * The token bucket Microsoft describes for Graph's throttling: `max` units may be spent at once,
 * and spent units come back at max / windowSeconds per second. The clock is injected so tests
 * can move time instead of sleeping.
 */

export type Clock = () => number;

/** `max` units per `windowSeconds`, e.g. 3,000 directory writes per 150 s. */
export interface Quota {
  max: number;
  windowSeconds: number;
}

export class TokenBucket {
  private units: number;
  private refilledAt: number;

  constructor(
    private readonly quota: Quota,
    private readonly now: Clock = Date.now,
  ) {
    this.units = quota.max;
    this.refilledAt = now();
  }

  /** Units per second the bucket sustains once its burst is spent. */
  get perSecond(): number {
    return this.quota.max / this.quota.windowSeconds;
  }

  /**
   * Seconds until `cost` units are available (Graph's Retry-After: rounded up, at least 1), or
   * undefined when they are available now. Takes nothing.
   */
  waitFor(cost: number): number | undefined {
    this.refill();
    // A call dearer than the whole bucket could never pass; it passes on a full bucket instead.
    const needed = Math.min(cost, this.quota.max);
    if (this.units >= needed) return undefined;
    return Math.max(1, Math.ceil((needed - this.units) / this.perSecond));
  }

  take(cost: number): void {
    this.refill();
    this.units -= Math.min(cost, this.quota.max);
  }

  private refill(): void {
    const now = this.now();
    this.units = Math.min(this.quota.max, this.units + (Math.max(0, now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
  }
}

/**
 * Charges every bucket a call counts against, or none of them: a call refused by one limit must
 * not use up another. Answers the longest wait when any bucket refuses.
 */
export function chargeAll(charges: ReadonlyArray<[TokenBucket | undefined, number]>): number | undefined {
  const waits = charges.map(([bucket, cost]) => bucket?.waitFor(cost)).filter((w): w is number => w !== undefined);
  if (waits.length > 0) return Math.max(...waits);
  for (const [bucket, cost] of charges) bucket?.take(cost);
  return undefined;
}
