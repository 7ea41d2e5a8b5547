import { MongoClient } from 'mongodb';
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
});
