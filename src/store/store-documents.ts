import { OPEN_STATES, type OffboardingCase } from '../cases/case';
import type { ChainedAuditEvent } from '../audit/audit-chain';
import type { CaseStore, StepClaim, StoredConversationRef } from './case-store';

/**
 * Document shapes and rules shared by the MongoDB and embedded stores, so both keep the same
 * data on disk and decide the same way.
 */

/** Holds a target while it has an open case; its unique _id is what enforces one open case per target. */
export interface OpenCaseLock {
  /** The target's Entra object id. */
  _id: string;
  caseId: string;
  since: string;
}

/**
 * A lock whose case is missing is normally left by a crash between inserting the lock and the case.
 * Only once it is older than this is it presumed abandoned; before that the case may simply still be
 * on its way, and taking the lock over would let two concurrent requests both open a case.
 */
export const IN_FLIGHT_CASE_GRACE_MS = 60_000;

/** Whether `lock` no longer guards an open case and may be taken over by a new case. */
export function isStaleLock(lock: OpenCaseLock, holder: OffboardingCase | null, now: Date): boolean {
  if (holder) return !OPEN_STATES.includes(holder.state);
  return now.getTime() - Date.parse(lock.since) > IN_FLIGHT_CASE_GRACE_MS;
}

/** The few writes taking an open-case lock needs, as each backend's driver does them. */
export interface LockWrites {
  /** Inserts the lock; false when a lock with its _id exists (a unique-key violation). */
  insert(lock: OpenCaseLock): Promise<boolean>;
  find(targetId: string): Promise<OpenCaseLock | null>;
  findCase(caseId: string): Promise<OffboardingCase | null>;
  /** Replaces the lock only while `heldBy` still holds it; whether it did. */
  replaceHeldBy(lock: OpenCaseLock, heldBy: string): Promise<boolean>;
}

/** Lock contention can change the picture between reads; a few rounds settle any real race. */
const LOCK_ATTEMPTS = 5;

/**
 * Takes the target's open-case lock: a new lock by unique _id, or a stale one (its case closed,
 * or never written) replaced conditionally on its holder, so of several takers exactly one wins.
 */
export async function takeOpenCaseLock(lock: OpenCaseLock, writes: LockWrites): Promise<boolean> {
  for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
    if (await writes.insert(lock)) return true;
    const held = await writes.find(lock._id);
    if (!held) continue; // released in the meantime
    if (!isStaleLock(held, await writes.findCase(held.caseId), new Date())) return false;
    if (await writes.replaceHeldBy(lock, held.caseId)) return true;
  }
  return false;
}

export type CaseChanges = Parameters<CaseStore['updateCase']>[2];

/** The $set of an update: never _id or version (the store owns them), always a fresh updatedAt. */
export function caseUpdateSet(changes: CaseChanges, now: Date): Record<string, unknown> {
  const set: Record<string, unknown> = { ...changes, updatedAt: now.toISOString() };
  delete set._id;
  delete set.version;
  return set;
}

/*
 * Audit details and conversation references are free-form JSON (Graph payloads carry keys such as
 * "@odata.context"); FerretDB, Cosmos DB and nedb refuse keys containing '.' or starting with '$',
 * so those parts are stored as JSON text.
 */

/**
 * One audit event. `_id` is the case id and the zero-padded sequence number: the unique key makes
 * two concurrent appends with the same sequence number collide (one retries), on every backend.
 */
export interface AuditRecord {
  _id: string;
  caseId: string;
  seq: number;
  at: string;
  actor: string;
  event: string;
  detailJson?: string;
  prevHash: string;
  hash: string;
}

export const auditRecordId = (caseId: string, seq: number) => `${caseId}:${String(seq).padStart(10, '0')}`;

export function toAuditRecord(e: ChainedAuditEvent): AuditRecord {
  const record: AuditRecord = { _id: auditRecordId(e.caseId, e.seq), caseId: e.caseId, seq: e.seq, at: e.at, actor: e.actor, event: e.event, prevHash: e.prevHash, hash: e.hash };
  if (e.detail !== undefined) record.detailJson = JSON.stringify(e.detail);
  return record;
}

export function fromAuditRecord(r: AuditRecord): ChainedAuditEvent {
  const event: ChainedAuditEvent = { caseId: r.caseId, seq: r.seq, at: r.at, actor: r.actor, event: r.event, prevHash: r.prevHash, hash: r.hash };
  if (r.detailJson !== undefined) event.detail = JSON.parse(r.detailJson) as Record<string, unknown>;
  return event;
}

/** Appending retries when another writer took the same sequence number first. */
export const AUDIT_APPEND_ATTEMPTS = 50;

export interface ConversationRefRecord {
  _id: string;
  referenceJson: string;
  updatedAt: string;
}

export function toConversationRefRecord(key: string, ref: StoredConversationRef): ConversationRefRecord {
  return { _id: key, referenceJson: JSON.stringify(ref.reference), updatedAt: ref.updatedAt };
}

export function fromConversationRefRecord(record: ConversationRefRecord): StoredConversationRef {
  return { reference: JSON.parse(record.referenceJson) as Record<string, unknown>, updatedAt: record.updatedAt };
}

/** Default page size of listCases. */
export const DEFAULT_CASE_LIST_LIMIT = 100;

/**
 * A lease term on a step (collection step_claims). The _id holds case, step and term, so renewal
 * and takeover, both "insert the next term", can only ever succeed once per term.
 */
export interface StepClaimRecord extends StepClaim {
  _id: string;
  /** Set by the holder once the step's outcome is stored. */
  released?: boolean;
}

export const stepClaimId = (caseId: string, step: number, term: number) =>
  `${caseId}:${String(step).padStart(3, '0')}:${String(term).padStart(10, '0')}`;

/** The record that claims `term` of a step for `owner` from `now`. */
export function stepClaimRecord(caseId: string, step: number, term: number, owner: string, now: Date, leaseMs: number): StepClaimRecord {
  return { _id: stepClaimId(caseId, step, term), caseId, step, term, owner, leaseUntil: new Date(now.getTime() + leaseMs).toISOString() };
}

/** Whether a new term may be claimed after `latest` (the step's newest term, if any). */
export function isStepFree(latest: StepClaimRecord | null, now: Date): boolean {
  return !latest || latest.released === true || Date.parse(latest.leaseUntil) <= now.getTime();
}

/**
 * The step's newest term, found by reading term 1, 2, ... by _id until one is missing. Lookups by
 * _id are indexed on every backend (FerretDB 1.x does not push a sort down, so "newest by sort"
 * would scan every claim); a step rarely has more than a few terms.
 */
export async function latestStepClaim(
  caseId: string,
  step: number,
  findById: (id: string) => Promise<StepClaimRecord | null>,
): Promise<StepClaimRecord | null> {
  let latest: StepClaimRecord | null = null;
  for (let term = 1; ; term++) {
    const record = await findById(stepClaimId(caseId, step, term));
    if (!record) return latest;
    latest = record;
  }
}

/**
 * The case's last audit record, read by _id from `fromSeq` (a sequence number known to exist, or
 * 0) onwards until one is missing: indexed on every backend, where "newest by sort" is a scan of
 * the whole audit collection on FerretDB 1.x.
 */
export async function latestAuditRecord(
  caseId: string,
  fromSeq: number,
  findById: (id: string) => Promise<AuditRecord | null>,
): Promise<AuditRecord | null> {
  let latest: AuditRecord | null = null;
  for (let seq = Math.max(1, fromSeq); ; seq++) {
    const record = await findById(auditRecordId(caseId, seq));
    if (record) {
      latest = record;
      continue;
    }
    // Nothing at the hint itself means the hint is stale (the records are gone): start over.
    return latest || fromSeq <= 1 ? latest : latestAuditRecord(caseId, 0, findById);
  }
}

export function fromStepClaimRecord(r: StepClaimRecord): StepClaim {
  return { caseId: r.caseId, step: r.step, term: r.term, owner: r.owner, leaseUntil: r.leaseUntil };
}
