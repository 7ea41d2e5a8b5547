import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { verifyChain } from '../../src/audit/audit-chain';
import { MongoCaseStore } from '../../src/store/mongo-case-store';
import type { OpenCaseLock } from '../../src/store/store-documents';
import { startMongoForTests, type TestMongo } from '../support/ferretdb';
import { describeCaseStoreContract } from './case-store.contract';

describe('MongoCaseStore (MONGODB_URI, or a throwaway FerretDB)', () => {
  let mongo: TestMongo;
  let admin: MongoClient;
  let databases = 0;

  before(async () => {
    mongo = await startMongoForTests();
    admin = await new MongoClient(mongo.uri).connect();
  });

  after(async () => {
    await admin?.close();
  });

  describeCaseStoreContract('MongoCaseStore', async (options) => {
    // A database per test keeps tests independent without deleting documents one by one.
    const dbName = `${mongo.dbName}_${++databases}`;
    const crashedLocks = options?.crashedLocks ?? [];
    if (crashedLocks.length > 0) {
      await admin
        .db(dbName)
        .collection<OpenCaseLock>('open_cases')
        .insertMany(crashedLocks.map((l) => ({ _id: l.targetId, caseId: l.caseId, since: l.since })));
    }
    const store = await MongoCaseStore.connect(mongo.uri, dbName);
    await store.init();
    return {
      store,
      cleanup: async () => {
        await store.close();
        await admin.db(dbName).dropDatabase();
      },
    };
  });

  it('two instances appending to one case in turn keep one unbroken chain (each links past what the other wrote)', async () => {
    const dbName = `${mongo.dbName}_${++databases}`;
    const a = await MongoCaseStore.connect(mongo.uri, dbName);
    const b = await MongoCaseStore.connect(mongo.uri, dbName);
    try {
      const at = new Date().toISOString();
      const turns = ['a', 'a', 'b', 'a', 'b', 'b', 'a'];
      for (const [i, who] of turns.entries()) await (who === 'a' ? a : b).appendAudit({ caseId: 'shared', at, actor: who, event: `event-${i}` });
      await Promise.all([a, b, a, b].map((s, i) => s.appendAudit({ caseId: 'shared', at, actor: 'both', event: `together-${i}` })));
      const listed = await a.listAudit('shared');
      assert.deepEqual(listed.slice(0, turns.length).map((e) => e.event), turns.map((_, i) => `event-${i}`));
      assert.deepEqual(listed.map((e) => e.seq), Array.from({ length: turns.length + 4 }, (_, i) => i + 1));
      assert.deepEqual(verifyChain(listed), []);
    } finally {
      await a.close();
      await b.close();
      await admin.db(dbName).dropDatabase();
    }
  });
});
