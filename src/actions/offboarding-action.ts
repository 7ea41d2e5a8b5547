import type { ActionName, CaseEvidence, DepartureRequest, StepStatus, Target } from '../cases/case';
import type { AuditLogReader } from '../m365/audit-log-reader';
import type { ExchangeCalls } from '../m365/exchange';
import type { GraphResponse } from '../m365/graph';
import type { BatchCall, BatchOutcome } from '../m365/graph-batch';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** The part of the Graph client actions use; runAction wraps it to keep every request-id. */
export interface GraphCalls {
  get<T>(path: string, headers?: Record<string, string>): Promise<GraphResponse<T>>;
  send<T>(method: Method, path: string, body?: unknown, headers?: Record<string, string>): Promise<GraphResponse<T>>;
  /**
   * Independent calls through JSON $batch (20 per batch, throttled ones re-sent): one outcome per
   * call, in order; a call that failed is a failed outcome, not a rejection.
   */
  batch(calls: readonly BatchCall[]): Promise<BatchOutcome[]>;
}

/** Tenant settings the actions follow, from the app's configuration. */
export interface ActionPolicy {
  /** Security group a Conditional Access policy blocks from signing in; unset means no such group. */
  blockGroupId?: string;
}

export interface ActionContext {
  graph: GraphCalls;
  /** Exchange Online admin REST, for what Graph cannot do (mailbox type, forwarding, DLs...). */
  exchange: ExchangeCalls;
  target: Target;
  caseId: string;
  request: DepartureRequest;
  /**
   * When this step first started (ISO), in the engine; a revocation or password reset at or after
   * this instant was done by this step, so running it again must not repeat it. One made earlier,
   * even during the case (by the user, say), does not count.
   */
  since: string;
  /**
   * An earlier run of this step went as far as changing the tenant without finishing (its answer
   * was lost, say): what this run finds already done may be that run's doing.
   */
  earlierRunChanged?: boolean;
  /** The case's evidence snapshot, once taken. */
  evidence?: CaseEvidence;
  policy?: ActionPolicy;
  /**
   * Sign-in and audit logs read together with the other cases the engine runs at the same time
   * (the reports are throttled hard); without it, evidence reads each user's logs on their own.
   */
  auditLogs?: AuditLogReader;
}

/** What a step would change, read from the tenant's current state. */
export interface PlannedChange<T> {
  /** The objects the step will change; empty when the tenant is already as wanted. */
  changes: T[];
  /** What the step found, in words; shown as the reason when there is nothing to change. */
  found: string;
  /** Objects the app must leave to a person, each with what that person has to do. */
  manual?: string[];
  /** Facts worth keeping in the step's result whatever happens (e.g. what left with a group). */
  notes?: string[];
  /** The step must not change anything at all (e.g. an on-premises synced account). */
  stop?: { status: 'skipped' | 'manual'; reason: string };
  /**
   * Microsoft 365 is still working on what an earlier run started (an audit search): nothing to do
   * yet, the step stays pending and runs again at `until`.
   */
  wait?: Wait;
  /**
   * Nothing is left to change because an earlier run of this case already changed it (the process
   * stopped before that run was recorded): the step still counts as having changed the tenant.
   */
  changedByThisCase?: boolean;
}

/** Come back later: what the step waits for, in words, and when to look again. */
export interface Wait {
  until: Date;
  reason: string;
}

export interface Applied {
  detail: string;
  /** What apply started runs on in Microsoft 365: once verified, the step waits for it (see PlannedChange.wait). */
  wait?: Wait;
  /** One line per object that could not be changed, with Graph's error. */
  failures: string[];
  /** Set by the evidence step only. */
  evidence?: CaseEvidence;
}

export interface Verified {
  ok: boolean;
  detail: string;
}

/**
 * One offboarding action in three parts, so the same code can preview a plan, change the tenant,
 * and prove the change by reading it back. Each part is safe to run twice: a resumed case re-runs
 * the step it crashed in, and a second run of a finished case must change nothing.
 */
export interface OffboardingAction<T = unknown> {
  name: ActionName;
  plan(ctx: ActionContext): Promise<PlannedChange<T>>;
  apply(ctx: ActionContext, plan: PlannedChange<T>): Promise<Applied>;
  verify(ctx: ActionContext, plan: PlannedChange<T>, applied: Applied): Promise<Verified>;
}

export interface ActionOutcome {
  /** `pending` only with `waitUntil`: the step waits for Microsoft 365 (PlannedChange.wait). */
  status: Exclude<StepStatus, 'running'>;
  /** When a `pending` step is to run again (ISO). */
  waitUntil?: string;
  /** What happened, or what a person must do. */
  detail: string;
  /** Graph and Exchange request-id of every call made, failed ones included. */
  requestIds: string[];
  evidence?: CaseEvidence;
}
