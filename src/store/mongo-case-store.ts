import { MongoClient, MongoServerError, type Collection, type Db } from 'mongodb';
import { OPEN_STATES, type CaseState, type OffboardingCase } from '../cases/case';
import { linkEvent, type ChainedAuditEvent, type ChainLink } from '../audit/audit-chain';
import type { AuditEvent, CaseAge, CaseStore, StepClaim, StoredConversationRef } from './case-store';
import {
  AUDIT_APPEND_ATTEMPTS,
  caseUpdateSet,
  DEFAULT_CASE_LIST_LIMIT,
  fromAuditRecord,
  fromConversationRefRecord,
  fromStepClaimRecord,
  isStepFree,
  latestAuditRecord,
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

const DUPLICATE_KEY = 11000;
/** Cases whose audit tail is remembered; past this the memory starts over (each then reads once). */
const MAX_AUDIT_TAILS = 10_000;

/**
 * The store of record. Uses only single-document writes and unique _id keys (no transactions,
 * partial indexes, change streams or $lookup) so it also runs on Cosmos DB for MongoDB and FerretDB.
 *
 * FerretDB 1.x runs every filtered write (findAndModify, update, replace, delete) as a query followed
 * by a write by _id, without a transaction, so there only _id-unique inserts are atomic. Writes that
 * must not interleave are therefore also queued per case / per target within this process: one
 * instance is then safe on any server, several instances need MongoDB, Atlas or Cosmos DB.
 */
export class MongoCaseStore implements CaseStore {
  private readonly client: MongoClient;
  /** A client handed in belongs to the caller, who closes it. */
  private readonly ownsClient: boolean;
  private readonly cases: Collection<OffboardingCase>;
  private readonly locks: Collection<OpenCaseLock>;
  private readonly conversationRefs: Collection<ConversationRefRecord>;
  private readonly audit: Collection<AuditRecord>;
  private readonly stepClaims: Collection<StepClaimRecord>;
  private readonly writes = new PerKeyQueue();
  /**
   * The last audit link this process appended or read per case: the next append links to it
   * without reading first, and the unique _id (case + seq) refuses it if another writer got there.
   */
  private readonly auditTails = new Map<string, ChainLink>();
  /**
   * Set on FerretDB 1.x, which pushes only a filter of exactly `{ _id }` down to its SQLite table
   * and scans the whole collection (parsing every case) for any other filter, writes included.
   */
  private filtersOnIdOnly = false;

  constructor(clientOrUri: MongoClient | string, dbName: string) {
    this.ownsClient = typeof clientOrUri === 'string';
    this.client = typeof clientOrUri === 'string' ? new MongoClient(clientOrUri) : clientOrUri;
    // Optional fields left undefined must stay absent, not come back as null.
    const db: Db = this.client.db(dbName, { ignoreUndefined: true });
    this.cases = db.collection('cases');
    this.locks = db.collection('open_cases');
    this.conversationRefs = db.collection('conversation_refs');
    this.audit = db.collection('audit_events');
    this.stepClaims = db.collection('step_claims');
  }

  /** Connects first, so a wrong URI or unreachable server fails at start-up rather than on first use. */
  static async connect(uri: string, dbName: string): Promise<MongoCaseStore> {
    const store = new MongoCaseStore(uri, dbName);
    await store.client.connect();
    return store;
  }

  async init(): Promise<void> {
    const build = await this.client.db('admin').command({ buildInfo: 1 });
    this.filtersOnIdOnly = typeof build.ferretdbVersion === 'string' && build.ferretdbVersion.startsWith('v1.');
    await this.cases.createIndex({ state: 1, updatedAt: -1 });
    await this.cases.createIndex({ 'target.id': 1 });
    await this.cases.createIndex({ createdAt: -1 });
    await this.audit.createIndex({ caseId: 1, seq: 1 });
    await this.cases.createIndex({ nextFollowUpAt: 1 });
    // The sweeps' queries: state first, so a scan reads only cases in the asked states, in order.
    await this.cases.createIndex({ state: 1, notBefore: 1 });
    await this.cases.createIndex({ state: 1, createdAt: 1 });
    // Cosmos DB sorts only on a field with an index of its own.
    await this.cases.createIndex({ notBefore: 1 });
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }

  createCase(c: OffboardingCase): Promise<'created' | 'target_has_open_case'> {
    return this.writes.run(`target:${c.target.id}`, () => this.lockTargetAndInsert(c));
  }

  private async lockTargetAndInsert(c: OffboardingCase): Promise<'created' | 'target_has_open_case'> {
    const lock: OpenCaseLock = { _id: c.target.id, caseId: c._id, since: new Date().toISOString() };
    if (!(await this.takeLock(lock))) return 'target_has_open_case';
    try {
      await this.cases.insertOne(c);
    } catch (err) {
      await this.locks.deleteOne({ _id: lock._id, caseId: lock.caseId });
      throw err;
    }
    return 'created';
  }

  private takeLock(lock: OpenCaseLock): Promise<boolean> {
    return takeOpenCaseLock(lock, {
      insert: async (l) => {
        try {
          await this.locks.insertOne(l);
          return true;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          return false;
        }
      },
      find: (id) => this.locks.findOne({ _id: id }),
      findCase: (id) => this.cases.findOne({ _id: id }),
      replaceHeldBy: async (l, heldBy) => (await this.locks.replaceOne({ _id: l._id, caseId: heldBy }, l)).matchedCount === 1,
    });
  }


  getCase(id: string): Promise<OffboardingCase | null> {
    return this.cases.findOne({ _id: id });
  }

  findOpenCaseFor(targetId: string): Promise<OffboardingCase | null> {
    return this.cases.findOne({ 'target.id': targetId, state: { $in: [...OPEN_STATES] } }, { sort: { createdAt: -1 } });
  }

  listCasesOfTarget(targetId: string, states: readonly CaseState[], limit = DEFAULT_CASE_LIST_LIMIT): Promise<OffboardingCase[]> {
    // The target.id index narrows it to one person's few cases; they are sorted in memory.
    return this.cases.find({ 'target.id': targetId, state: { $in: [...states] } }).sort({ createdAt: -1 }).limit(limit).toArray();
  }

  listCases(limit = DEFAULT_CASE_LIST_LIMIT): Promise<OffboardingCase[]> {
    return this.cases.find({}).sort({ createdAt: -1, _id: -1 }).limit(limit).toArray();
  }

  listCasesInStates(states: readonly CaseState[], oldestFirstBy: CaseAge, limit = DEFAULT_CASE_LIST_LIMIT): Promise<OffboardingCase[]> {
    return this.cases.find({ state: { $in: [...states] } }).sort({ [oldestFirstBy]: 1 }).limit(limit).toArray();
  }

  listCasesWithFollowUpsDue(now: Date, limit = DEFAULT_CASE_LIST_LIMIT): Promise<OffboardingCase[]> {
    // ISO instants compare as strings; null (nothing pending) never matches a string bound.
    return this.cases.find({ nextFollowUpAt: { $lte: now.toISOString() } }).sort({ nextFollowUpAt: 1 }).limit(limit).toArray();
  }

  updateCase(
    id: string,
    expected: { version: number; states: readonly CaseState[] },
    changes: CaseChanges,
  ): Promise<OffboardingCase | null> {
    const update = { $set: caseUpdateSet(changes, new Date()), $inc: { version: 1 } };
    return this.writes.run(`case:${id}`, async () => {
      if (!this.filtersOnIdOnly) {
        return this.cases.findOneAndUpdate({ _id: id, version: expected.version, state: { $in: [...expected.states] } }, update, { returnDocument: 'after' });
      }
      // FerretDB 1.x would run the conditional filter as a read of every case and then a write by
      // _id, not atomically; this is the same read-then-write, by _id, under this process's queue.
      const current = await this.cases.findOne({ _id: id });
      if (!current || current.version !== expected.version || !expected.states.includes(current.state)) return null;
      return this.cases.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' });
    });
  }

  async releaseTarget(targetId: string, caseId: string): Promise<void> {
    await this.writes.run(`target:${targetId}`, () => this.locks.deleteOne({ _id: targetId, caseId }));
  }

  async claimStep(caseId: string, step: number, owner: string, now: Date, leaseMs: number): Promise<StepClaim | null> {
    const latest = await latestStepClaim(caseId, step, (id) => this.stepClaims.findOne({ _id: id }));
    if (!isStepFree(latest, now)) return null;
    return this.insertClaim(stepClaimRecord(caseId, step, (latest?.term ?? 0) + 1, owner, now, leaseMs));
  }

  renewStepClaim(claim: StepClaim, now: Date, leaseMs: number): Promise<StepClaim | null> {
    return this.insertClaim(stepClaimRecord(claim.caseId, claim.step, claim.term + 1, claim.owner, now, leaseMs));
  }

  async releaseStepClaim(claim: StepClaim): Promise<void> {
    // Only the holder writes its own term, so this filtered write needs no atomicity.
    await this.stepClaims.updateOne({ _id: stepClaimId(claim.caseId, claim.step, claim.term) }, { $set: { released: true } });
  }

  private async insertClaim(record: StepClaimRecord): Promise<StepClaim | null> {
    try {
      await this.stepClaims.insertOne(record);
      return fromStepClaimRecord(record);
    } catch (err) {
      if (isDuplicateKey(err)) return null;
      throw err;
    }
  }

  async saveConversationRef(key: string, ref: StoredConversationRef): Promise<void> {
    const record = toConversationRefRecord(key, ref);
    try {
      await this.conversationRefs.replaceOne({ _id: key }, record, { upsert: true });
    } catch (err) {
      // Two upserts of a new key at once: one inserts, the other gets E11000 (MongoDB documents
      // this); the document exists now, so replacing it again succeeds.
      if (!isDuplicateKey(err)) throw err;
      await this.conversationRefs.replaceOne({ _id: key }, record, { upsert: true });
    }
  }

  async getConversationRef(key: string): Promise<StoredConversationRef | null> {
    const record = await this.conversationRefs.findOne({ _id: key });
    return record ? fromConversationRefRecord(record) : null;
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    let tail = this.auditTails.get(event.caseId);
    let trusted = tail !== undefined;
    for (let attempt = 0; attempt < AUDIT_APPEND_ATTEMPTS; attempt++) {
      if (!trusted) {
        const last = await latestAuditRecord(event.caseId, tail?.seq ?? 0, (id) => this.audit.findOne({ _id: id }));
        tail = last ? fromAuditRecord(last) : undefined;
      }
      const linked = linkEvent(tail ?? null, event);
      try {
        await this.audit.insertOne(toAuditRecord(linked));
        this.rememberAuditTail(linked);
        return;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        trusted = false;
      }
    }
    throw new Error(`audit log for case ${event.caseId} is too contended to append to`);
  }

  private rememberAuditTail({ caseId, seq, prevHash, hash }: ChainedAuditEvent): void {
    if (this.auditTails.size >= MAX_AUDIT_TAILS && !this.auditTails.has(caseId)) this.auditTails.clear();
    this.auditTails.set(caseId, { seq, prevHash, hash });
  }

  async listAudit(caseId: string): Promise<ChainedAuditEvent[]> {
    const records = await this.audit.find({ caseId }).sort({ seq: 1 }).toArray();
    return records.map(fromAuditRecord);
  }

  async listAuditedCaseIds(): Promise<string[]> {
    const ids = await this.audit.find({ seq: 1 }, { projection: { caseId: 1 } }).toArray();
    return ids.map((r) => r.caseId);
  }
}

function isDuplicateKey(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === DUPLICATE_KEY;
}

/** Runs the writes that share a key one after another, in call order, within this process. */
class PerKeyQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, write: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(write);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
