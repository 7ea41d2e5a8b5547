import { M365Error } from '../m365/m365-error';

export interface RetryPolicy {
  /** Runs of one step before a transient failure counts as final. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 2_000, maxDelayMs: 5 * 60_000 };

/**
 * Throttling and service faults pass; so does a call that never got an answer (status 0, e.g. a
 * reset connection), because the action re-plans from the tenant's state before changing anything.
 */
export function isTransient(err: unknown): err is M365Error {
  return err instanceof M365Error && (err.transient || err.status === 0);
}

/**
 * When a step that failed transiently for the `attempt`-th time (1-based) may run again:
 * exponential backoff, but never sooner than the longest Retry-After Graph asked for.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, errors: readonly M365Error[]): number {
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const asked = Math.max(0, ...errors.map((e) => (e.retryAfterSeconds ?? 0) * 1000));
  return Math.max(backoff, asked);
}
