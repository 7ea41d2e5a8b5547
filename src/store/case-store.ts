import type { ChainedAuditEvent } from '../audit/audit-chain';
import type { CaseState, OffboardingCase } from '../cases/case';

/**
 * The store port. Two implementations pass the same contract suite (test/store):
 * MongoDB (store of record) and an embedded on-disk store for the demo.
 * Only single-document atomic updates and plain unique _id keys are relied on, so it runs on
 * MongoDB, Atlas, Azure Cosmos DB for MongoDB and FerretDB alike.
 */
export interface CaseStore {
  /** Creates indexes; idempotent. */
  init(): Promise<void>;
  close(): Promise<void>;

  /**
   * Inserts a new case and takes the target's open-case lock in the same call sequence.
   * Returns 'target_has_open_case' (and stores nothing) when another open case holds the lock.
   */
  createCase(c: OffboardingCase): Promise<'created' | 'target_has_open_case'>;
  getCase(id: string): Promise<OffboardingCase | null>;
  /** The open case for a target, if any. */
  findOpenCaseFor(targetId: string): Promise<OffboardingCase | null>;
  /**
   * A person's cases in any of `states`, newest request first: e.g. the earlier offboardings of
   * someone requested again (rehired and leaving again), which approvers should be told about.
   */
  listCasesOfTarget(targetId: string, states: readonly CaseState[], limit?: number): Promise<OffboardingCase[]>;
  /** The newest cases first, across all states: a page for the dashboard, not a way to find work. */
  listCases(limit?: number): Promise<OffboardingCase[]>;
  /**
   * Cases in any of `states`, oldest first by `oldestFirstBy`: the cut-off (`notBefore`) for cases
   * waiting to run, the request time (`createdAt`) for approvals that expire. This is how the
   * background sweeps find their work: closed cases, however many and however new, never push an
   * open case out of the page, and the one due soonest is always on it.
   */
  listCasesInStates(states: readonly CaseState[], oldestFirstBy: CaseAge, limit?: number): Promise<OffboardingCase[]>;
  /** Cases with a pending follow-up due at `now` (nextFollowUpAt at or before it), earliest first. */
  listCasesWithFollowUpsDue(now: Date, limit?: number): Promise<OffboardingCase[]>;
  /**
   * Atomic conditional update: applies `changes` only if the case still has `expectedVersion`
   * and one of `expectedStates`; increments version and sets updatedAt.
   * Returns the updated case, or null when the condition no longer holds (someone else won).
   */
  updateCase(
    id: string,
    expected: { version: number; states: readonly CaseState[] },
    changes: Partial<Omit<OffboardingCase, '_id' | 'version'>>,
  ): Promise<OffboardingCase | null>;
  /** Releases the target's open-case lock held by this case (when the case closes). */
  releaseTarget(targetId: string, caseId: string): Promise<void>;

  /**
   * Takes the lease on one step of a case for `owner`, unless a live lease holds it. Each lease
   * term is a document with a unique _id (case, step, term), so of several instances racing for the
   * same step exactly one insert lands, on every backend (FerretDB 1.x included).
   * Returns the claim, or null when another owner holds a live lease or won the race.
   */
  claimStep(caseId: string, step: number, owner: string, now: Date, leaseMs: number): Promise<StepClaim | null>;
  /**
   * Extends a held lease by inserting the next term. A taker of an expired lease inserts that same
   * term, so renewal and takeover collide on one _id: null means the lease was lost.
   */
  renewStepClaim(claim: StepClaim, now: Date, leaseMs: number): Promise<StepClaim | null>;
  /** Gives a held lease up at once (the step is recorded), so the step's next run needs no wait. */
  releaseStepClaim(claim: StepClaim): Promise<void>;

  saveConversationRef(key: string, ref: StoredConversationRef): Promise<void>;
  getConversationRef(key: string): Promise<StoredConversationRef | null>;

  /** Appends to the case's hash chain (src/audit/audit-chain.ts); concurrent appends all land, in some order. */
  appendAudit(event: AuditEvent): Promise<void>;
  /** The case's events in chain order. */
  listAudit(caseId: string): Promise<ChainedAuditEvent[]>;
  /** Ids of every case that has audit events, for verifying the whole log. */
  listAuditedCaseIds(): Promise<string[]>;
}

/** The instant a sweep's cases are ordered by, oldest first (both ISO strings, so they sort as text). */
export type CaseAge = 'notBefore' | 'createdAt';

/** One lease term on one step of a case. */
export interface StepClaim {
  caseId: string;
  /** Index into the case's steps; steps.length stands for closing the case. */
  step: number;
  /** 1 for the first lease on the step; each renewal or takeover is the next term. */
  term: number;
  /** The engine instance holding the lease. */
  owner: string;
  /** ISO instant after which another instance may take the step over. */
  leaseUntil: string;
}

/** A bot conversation reference, stored as plain JSON (no botbuilder types outside src/bot). */
export interface StoredConversationRef {
  reference: Record<string, unknown>;
  updatedAt: string;
}

export interface AuditEvent {
  caseId: string;
  at: string;
  actor: string;
  event: string;
  detail?: Record<string, unknown>;
}
