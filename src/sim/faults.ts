/**
 * Failure injection for tests: "the next N calls matching this path answer 429/503/403", so the
 * engine's retry, backoff and failure reporting can be exercised against realistic answers.
 */
import { defaultError, GraphHttpError } from './graph/errors';

export interface FaultSpec {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Tested against the decoded path, e.g. /v1.0/users/00000000-.../revokeSignInSessions. */
  path: RegExp;
  status: number;
  /** How many matching calls fail before the fault is used up; default 1, Infinity for always. */
  times?: number;
  /** Sent as Retry-After; a 429 without it gets 1 second, as Graph always tells clients to wait. */
  retryAfterSeconds?: number;
  code?: string;
  message?: string;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ ...spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  /** Faults that have not yet fired as often as asked. */
  get pending(): number {
    return this.faults.length;
  }

  /** Consumes one use of the first fault that matches, and returns the error to answer with. */
  take(method: string, path: string): GraphHttpError | undefined {
    const fault = this.faults.find(
      (f) => (f.method === undefined || f.method.toUpperCase() === method) && f.path.test(path),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    const fallback = defaultError(fault.status);
    const retryAfter = fault.retryAfterSeconds ?? (fault.status === 429 ? 1 : undefined);
    return new GraphHttpError(
      fault.status,
      fault.code ?? fallback.code,
      fault.message ?? fallback.message,
      retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) },
    );
  }
}
