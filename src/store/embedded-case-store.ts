import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Datastore from '@seald-io/nedb';
import { OPEN_STATES, type CaseState, type OffboardingCase } from '../cases/case';
import { linkEvent, type ChainedAuditEvent } from '../audit/audit-chain';
import type { AuditEvent, CaseAge, CaseStore, StepClaim, StoredConversationRef } from './case-store';
import {
  AUDIT_APPEND_ATTEMPTS,
  caseUpdateSet,
  DEFAULT_CASE_LIST_LIMIT,
  fromAuditRecord,
  fromConversationRefRecord,
  fromStepClaimRecord,
  isStepFree,
  latestStepClaim,
  stepClaimId,
  stepClaimRecord,
  takeOpenCaseLock,
  toAuditRecord,
  toConversationRefRecord,
  type AuditRecord,
  type CaseChanges,
  type ConversationRefRecord,
  type OpenCaseLock,
  type StepClaimRecord,
} from './store-documents';

/** Append order, so events with the same timestamp still list in the order they happened. */

/** nedb files are append-only; rewriting them now and then keeps a long-running demo's files small. */
const COMPACTION_INTERVAL_MS = 60 * 60 * 1000;

/**
 * The single-process store for the demo and local runs: one nedb file per collection under `dir`.
 * nedb runs the operations of a datastore one at a time, so a conditional update cannot interleave
 * with another write to the same datastore, which gives the same guarantees as the MongoDB store.
 */
export class EmbeddedCaseStore implements CaseStore {
  private constructor(
    private readonly cases: Datastore<OffboardingCase>,
    private readonly locks: Datastore<OpenCaseLock>,
    private readonly conversationRefs: Datastore<ConversationRefRecord>,
    private readonly audit: Datastore<AuditRecord>,
    private readonly stepClaims: Datastore<StepClaimRecord>,
  ) {}

  static async open(dir: string): Promise<EmbeddedCaseStore> {
    await mkdir(dir, { recursive: true });
    const open = async <T,>(name: string): Promise<Datastore<T>> => {
      const datastore = new Datastore<T>({ filename: join(dir, `${name}.db`), autoload: true });
      await datastore.autoloadPromise;
      datastore.setAutocompactionInterval(COMPACTION_INTERVAL_MS);
      return datastore;
    };
    const audit = await open<AuditRecord>('audit_events');
    return new EmbeddedCaseStore(
      await open<OffboardingCase>('cases'),
      await open<OpenCaseLock>('open_cases'),
      await open<ConversationRefRecord>('conversation_refs'),
      audit,
      await open<StepClaimRecord>('step_claims'),
    );
  }

  async init(): Promise<void> {
    await this.cases.ensureIndexAsync({ fieldName: 'target.id' });
    await this.audit.ensureIndexAsync({ fieldName: 'caseId' });
    await this.cases.ensureIndexAsync({ fieldName: 'nextFollowUpAt', sparse: true });
    // nedb picks candidates for a `state: { $in }` query from this index, then sorts them in memory.
    await this.cases.ensureIndexAsync({ fieldName: 'state' });
  }

  async close(): Promise<void> {
    for (const datastore of [this.cases, this.locks, this.conversationRefs, this.audit, this.stepClaims]) {
      datastore.stopAutocompaction();
      await datastore.compactDatafileAsync();
    }
  }

  async createCase(c: OffboardingCase): Promise<'created' | 'target_has_open_case'> {
    const lock: OpenCaseLock = { _id: c.target.id, caseId: c._id, since: new Date().toISOString() };
    if (!(await this.takeLock(lock))) return 'target_has_open_case';
    try {
      await this.cases.insertAsync(plain(c));
    } catch (err) {
      await this.locks.removeAsync({ _id: lock._id, caseId: lock.caseId }, {});
      throw err;
    }
    return 'created';
  }

  private takeLock(lock: OpenCaseLock): Promise<boolean> {
    return takeOpenCaseLock(lock, {
      insert: async (l) => {
        try {
          await this.locks.insertAsync(l);
          return true;
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
          return false;
        }
      },
      find: (id) => this.locks.findOneAsync<OpenCaseLock>({ _id: id }),
      findCase: (id) => this.cases.findOneAsync<OffboardingCase>({ _id: id }),
      replaceHeldBy: async (l, heldBy) => (await this.locks.updateAsync({ _id: l._id, caseId: heldBy }, l, {})).numAffected === 1,
    });
  }


  async getCase(id: string): Promise<OffboardingCase | null> {
    return await this.cases.findOneAsync<OffboardingCase>({ _id: id });
  }

  async findOpenCaseFor(targetId: string): Promise<OffboardingCase | null> {
    const [open] = await this.cases
      .findAsync<OffboardingCase>({ 'target.id': targetId, state: { $in: [...OPEN_STATES] } })
      .sort({ createdAt: -1 })
      .limit(1);
    return open ?? null;
  }

  async listCasesOfTarget(targetId: string, states: readonly CaseState[], limit = DEFAULT_CASE_LIST_LIMIT): Promise<OffboardingCase[]> {
    return await this.cases.findAsync<OffboardingCase>({ 'target.id': targetId, state: { $in: [...states] } }).sort({ createdAt: -1 }).limit(limit);
  }

  async listCases(limit = DEFAULT_CASE_LIST_LIMIT): Promise<OffboardingCase[]> {
    return await this.cases.findAsync<OffboardingCase>({}).sort({ createdAt: -1, _id: -1 }).limit(limit);
  }

  async listCasesInStates(states: readonly CaseState[], oldestFirstBy: CaseAge, limit = DEFAULT_CASE_LIST_LIMIT): Promise<OffboardingCase[]> {
    return await this.cases.findAsync<OffboardingCase>({ state: { $in: [...states] } }).sort({ [oldestFirstBy]: 1 }).limit(limit);
  }

  async listCasesWithFollowUpsDue(now: Date, limit = DEFAULT_CASE_LIST_LIMIT): Promise<OffboardingCase[]> {
    // ISO instants compare as strings; null (nothing pending) never matches a string bound.
    return await this.cases.findAsync<OffboardingCase>({ nextFollowUpAt: { $lte: now.toISOString() } }).sort({ nextFollowUpAt: 1 }).limit(limit);
  }

  async updateCase(
    id: string,
    expected: { version: number; states: readonly CaseState[] },
    changes: CaseChanges,
  ): Promise<OffboardingCase | null> {
    const { affectedDocuments } = await this.cases.updateAsync(
      { _id: id, version: expected.version, state: { $in: [...expected.states] } },
      { $set: plain(caseUpdateSet(changes, new Date())), $inc: { version: 1 } },
      { returnUpdatedDocs: true },
    );
    // nedb reports no match as undefined rather than null.
    return affectedDocuments ?? null;
  }

  async releaseTarget(targetId: string, caseId: string): Promise<void> {
    await this.locks.removeAsync({ _id: targetId, caseId }, {});
  }

  async claimStep(caseId: string, step: number, owner: string, now: Date, leaseMs: number): Promise<StepClaim | null> {
    const latest = await latestStepClaim(caseId, step, (id) => this.stepClaims.findOneAsync<StepClaimRecord>({ _id: id }));
    if (!isStepFree(latest, now)) return null;
    return this.insertClaim(stepClaimRecord(caseId, step, (latest?.term ?? 0) + 1, owner, now, leaseMs));
  }

  renewStepClaim(claim: StepClaim, now: Date, leaseMs: number): Promise<StepClaim | null> {
    return this.insertClaim(stepClaimRecord(claim.caseId, claim.step, claim.term + 1, claim.owner, now, leaseMs));
  }

  async releaseStepClaim(claim: StepClaim): Promise<void> {
    await this.stepClaims.updateAsync({ _id: stepClaimId(claim.caseId, claim.step, claim.term) }, { $set: { released: true } }, {});
  }

  private async insertClaim(record: StepClaimRecord): Promise<StepClaim | null> {
    try {
      await this.stepClaims.insertAsync(record);
      return fromStepClaimRecord(record);
    } catch (err) {
      if (isUniqueViolation(err)) return null;
      throw err;
    }
  }

  async saveConversationRef(key: string, ref: StoredConversationRef): Promise<void> {
    await this.conversationRefs.updateAsync({ _id: key }, toConversationRefRecord(key, ref), { upsert: true });
  }

  async getConversationRef(key: string): Promise<StoredConversationRef | null> {
    const record = await this.conversationRefs.findOneAsync<ConversationRefRecord>({ _id: key });
    return record ? fromConversationRefRecord(record) : null;
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    // nedb runs one operation at a time, but the read and the insert are two: the unique _id
    // (case id + seq) still decides between two appends that read the same last event.
    for (let attempt = 0; attempt < AUDIT_APPEND_ATTEMPTS; attempt++) {
      const [last] = await this.audit.findAsync<AuditRecord>({ caseId: event.caseId }).sort({ seq: -1 }).limit(1);
      const linked = linkEvent(last ? fromAuditRecord(last) : null, event);
      try {
        await this.audit.insertAsync(toAuditRecord(linked));
        return;
      } catch (err) {
        if ((err as { errorType?: string }).errorType !== 'uniqueViolated') throw err;
      }
    }
    throw new Error(`audit log for case ${event.caseId} is too contended to append to`);
  }

  async listAuditedCaseIds(): Promise<string[]> {
    const firsts = await this.audit.findAsync<AuditRecord>({ seq: 1 });
    return firsts.map((r) => r.caseId);
  }

  async listAudit(caseId: string): Promise<ChainedAuditEvent[]> {
    const records = await this.audit.findAsync<AuditRecord>({ caseId }).sort({ seq: 1 });
    return records.map(fromAuditRecord);
  }
}

/**
 * JSON round trip: drops undefined fields the way the MongoDB store does (nedb would keep them in
 * memory but lose them on disk, so a case would read differently before and after a restart).
 */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { errorType?: unknown }).errorType === 'uniqueViolated';
}
