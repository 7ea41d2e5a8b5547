/**
 * Failure injection for tests: "the next N calls matching this path answer 429/503/403", "are
 * answered late" or "lose their connection", so the engine's retry, backoff, failure reporting
 * and crash recovery can be exercised against what a real tenant does.
 */
import { defaultError, GraphHttpError } from './graph/errors';

export interface FaultSpec {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Tested against the decoded path, e.g. /v1.0/users/00000000-.../revokeSignInSessions. */
  path: RegExp;
  /** Answer with this error status. */
  status?: number;
  /**
   * Answer this late. The call is carried out first and only its answer waits, like a slow
   * network: a client that gives up (or dies) meanwhile does not know the change was made.
   */
  latencyMs?: number;
  /** Drop the connection without an answer and without carrying the call out. */
  reset?: boolean;
  /**
   * With `reset`: carry the call out first, then drop the connection. The change is made but the
   * client never hears so, as when the answer is lost or the app dies before reading it.
   */
  afterApplying?: boolean;
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

  /** Consumes one use of the first matching error fault, and returns the error to answer with. */
  take(method: string, path: string): GraphHttpError | undefined {
    const fault = this.use(method, path, (f) => f.status !== undefined);
    if (!fault || fault.status === undefined) return undefined;
    const fallback = defaultError(fault.status);
    const retryAfter = fault.retryAfterSeconds ?? (fault.status === 429 ? 1 : undefined);
    return new GraphHttpError(
      fault.status,
      fault.code ?? fallback.code,
      fault.message ?? fallback.message,
      retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) },
    );
  }

  /** Whether the connection of this call is to be dropped (consumes one use). */
  takeReset(method: string, path: string): boolean {
    return this.use(method, path, (f) => f.reset === true && f.afterApplying !== true) !== undefined;
  }

  /** Whether this call's answer is to be dropped once the call was carried out (consumes one use). */
  takeResetAfterApplying(method: string, path: string): boolean {
    return this.use(method, path, (f) => f.reset === true && f.afterApplying === true) !== undefined;
  }

  /** How long the answer to this call is to be held back (consumes one use); 0 for not at all. */
  takeLatency(method: string, path: string): number {
    return this.use(method, path, (f) => f.latencyMs !== undefined)?.latencyMs ?? 0;
  }

  private use(method: string, path: string, kind: (f: ActiveFault) => boolean): ActiveFault | undefined {
    const fault = this.faults.find(
      (f) => kind(f) && (f.method === undefined || f.method.toUpperCase() === method) && f.path.test(path),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }
}
