/**
 * Graph's per-tenant directory write quota, as a token bucket: `maxWrites` may go at once, and
 * the bucket refills at maxWrites / windowSeconds per second. A refused write gets Graph's 429
 * with the Retry-After after which one token is back. Off unless a test or benchmark asks for it.
 */
import { throttled, type GraphHttpError } from './graph/errors';

export interface WriteLimit {
  maxWrites: number;
  windowSeconds: number;
}

/** The documented quota: 3,000 directory writes per app per tenant in 2.5 minutes. */
export const GRAPH_DIRECTORY_WRITE_LIMIT: WriteLimit = { maxWrites: 3000, windowSeconds: 150 };

export class WriteLimiter {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly limit: WriteLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limit.maxWrites;
    this.refilledAt = now();
  }

  /** Writes per second the bucket sustains once its burst is spent. */
  get sustainedPerSecond(): number {
    return this.limit.maxWrites / this.limit.windowSeconds;
  }

  /** Takes a token for the write if there is one; otherwise returns the 429 to answer with. */
  admit(): GraphHttpError | undefined {
    const now = this.now();
    this.tokens = Math.min(this.limit.maxWrites, this.tokens + ((now - this.refilledAt) / 1000) * this.sustainedPerSecond);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return throttled(Math.max(1, Math.ceil((1 - this.tokens) / this.sustainedPerSecond)));
  }
}
