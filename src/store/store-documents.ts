import { OPEN_STATES, type OffboardingCase } from '../cases/case';
import type { AuditEvent, CaseStore, StoredConversationRef } from './case-store';

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

export interface AuditRecord {
  caseId: string;
  at: string;
  actor: string;
  event: string;
  detailJson?: string;
}

export function toAuditRecord(event: AuditEvent): AuditRecord {
  const record: AuditRecord = { caseId: event.caseId, at: event.at, actor: event.actor, event: event.event };
  if (event.detail !== undefined) record.detailJson = JSON.stringify(event.detail);
  return record;
}

export function fromAuditRecord(record: AuditRecord): AuditEvent {
  const event: AuditEvent = { caseId: record.caseId, at: record.at, actor: record.actor, event: record.event };
  if (record.detailJson !== undefined) event.detail = JSON.parse(record.detailJson) as Record<string, unknown>;
  return event;
}

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
