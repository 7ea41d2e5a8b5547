/** Graph's per-tenant directory write quota, as a sliding window. Off unless a test asks for it. */
import { throttled, type GraphHttpError } from './graph/errors';

export interface WriteLimit {
  maxWrites: number;
  windowSeconds: number;
}

/** The documented quota: 3,000 directory writes per app per tenant in 2.5 minutes. */
export const GRAPH_DIRECTORY_WRITE_LIMIT: WriteLimit = { maxWrites: 3000, windowSeconds: 150 };

export class WriteLimiter {
  private admitted: number[] = [];

  constructor(
    private readonly limit: WriteLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the write if there is room; otherwise returns the 429 to answer with. */
  admit(): GraphHttpError | undefined {
    const now = this.now();
    const windowMs = this.limit.windowSeconds * 1000;
    this.admitted = this.admitted.filter((at) => at > now - windowMs);
    if (this.admitted.length >= this.limit.maxWrites) {
      const retryAfter = Math.max(1, Math.ceil((this.admitted[0] + windowMs - now) / 1000));
      return throttled(retryAfter);
    }
    this.admitted.push(now);
    return undefined;
  }
}
