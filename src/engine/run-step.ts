import type { ActionPolicy, OffboardingAction } from '../actions/offboarding-action';
import { describeError } from '../actions/describe-error';
import { runAction } from '../actions/run-action';
import type { ActionName, CaseEvidence, FollowUpName, OffboardingCase, Step } from '../cases/case';
import type { AuditLogReader } from '../m365/audit-log-reader';
import type { Graph } from '../m365/graph';
import type { ExchangeCalls } from '../m365/exchange';
import { fencedExchange, fencedGraph, type StepCallLog } from './fenced-graph';
import type { StepLease } from './step-lease';
import { retryDelayMs, type RetryPolicy } from './step-retry';
import type { ServicePacers } from './service-pacers';

/** An action as the engine runs it: a step's, or a follow-up's under the follow-up's name. */
export type NamedAction = Omit<OffboardingAction, 'name'> & { name: ActionName | FollowUpName };

/**
 * A step as the engine keeps it. `retryAt` and `attempts` are engine bookkeeping stored with the
 * step (the case model in src/cases does not name them yet).
 */
export type ScheduledStep = Step & RetryBookkeeping;

interface RetryBookkeeping {
  /** A transiently failed step waits, pending, until this instant (ISO). */
  retryAt?: string;
  /** Runs that ended in a transient failure so far. */
  attempts?: number;
}

/** What the engine runs: an immediate step or a follow-up (src/cases/case.ts FollowUp). */
export type RunnableStep = Omit<Step, 'action'> & RetryBookkeeping & { action: string };

export type StepResult<S extends RunnableStep = ScheduledStep> =
  /** The lease was lost mid-step: record nothing, the instance that took over runs the step. */
  | { kind: 'abandoned' }
  | { kind: 'finished'; step: S; evidence?: CaseEvidence };

/** Whether the step may run at `now`: neither scheduled for later nor waiting to retry. */
export function isDue(step: RunnableStep, now: Date): boolean {
  const at = now.getTime();
  return [step.notBefore, step.retryAt].every((t) => t === undefined || Date.parse(t) <= at);
}

/**
 * Runs one claimed step. A failure that came only from throttling or service faults leaves the
 * step pending with `retryAt` (backoff, honouring Retry-After) until its attempts run out; any
 * other failure is final, with its reason.
 */
export async function runStep<S extends RunnableStep>(
  c: OffboardingCase,
  step: S,
  deps: {
    graph: Graph;
    exchange: ExchangeCalls;
    action: NamedAction;
    lease: StepLease;
    retry: RetryPolicy;
    now: () => Date;
    pacers?: ServicePacers;
    actionPolicy?: ActionPolicy;
    auditLogs?: AuditLogReader;
  },
): Promise<StepResult<S>> {
  const calls: StepCallLog = { transient: [], leaseLost: false };
  // When this step first started (saved before it ran, kept across retries and take-overs): a
  // change at or after it was this step's own (a resumed run must not repeat it); one before it,
  // even during the case (the user changing their password while it ran), is not. The case's
  // first step start is the fallback for steps recorded without one.
  const started = c.steps.map((s) => s.startedAt).filter((t): t is string => t !== undefined).sort()[0];
  let outcome: Awaited<ReturnType<typeof runAction>>;
  try {
    // Follow-ups are named outside ActionName; runAction reads the name only to say what a refused one needs.
    outcome = await runAction(deps.action as OffboardingAction, {
      graph: fencedGraph(deps.graph, deps.lease, calls, deps.pacers),
      exchange: fencedExchange(deps.exchange, deps.lease, calls),
      target: c.target,
      caseId: c._id,
      request: c.request,
      since: step.startedAt ?? started ?? deps.now().toISOString(),
      earlierRunChanged: step.changed === true,
      evidence: c.evidence,
      policy: deps.actionPolicy,
      auditLogs: deps.auditLogs,
    });
  } catch (err) {
    outcome = { status: 'failed', detail: describeError(err), requestIds: [], changed: false };
  }
  if (calls.leaseLost) return { kind: 'abandoned' };
  const { retryAt: _previousRetry, ...rest } = step;
  const requestIds = [...step.requestIds, ...outcome.requestIds];
  const finishedAt = deps.now().toISOString();
  const attempts = (step.attempts ?? 0) + 1;
  // Once any run of the step changed the tenant, it did: a later run finding nothing to do is its echo.
  const changed = outcome.changed || step.changed === true;
  if (outcome.status === 'pending') {
    // Waiting on Microsoft 365 is not a failed attempt: the step's tries are left as they were.
    return { kind: 'finished', step: { ...rest, status: 'pending', detail: outcome.detail, requestIds, retryAt: outcome.waitUntil, finishedAt, changed } as S };
  }
  if (outcome.status === 'failed' && calls.transient.length > 0 && attempts < deps.retry.maxAttempts) {
    const retryAt = new Date(deps.now().getTime() + retryDelayMs(deps.retry, attempts, calls.transient)).toISOString();
    return {
      kind: 'finished',
      step: { ...rest, status: 'pending', detail: `Will try again at ${retryAt}: ${outcome.detail}`, requestIds, attempts, retryAt, finishedAt, changed } as S,
    };
  }
  return { kind: 'finished', step: { ...rest, status: outcome.status, detail: outcome.detail, requestIds, finishedAt, changed } as S, evidence: outcome.evidence };
}
