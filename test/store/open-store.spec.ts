import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { OffboardingCase } from '../../src/cases/case';
import { openCaseStore } from '../../src/store/open-store';
import { startMongoForTests } from '../support/ferretdb';
import { newCase } from './case-fixtures';

describe('openCaseStore', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'offboarding-open-store-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps cases in files under the data directory when no MongoDB is configured', async () => {
    const c = newCase();
    const first = await openCaseStore({ dataDir });
    await first.createCase(c);
    await first.close();

    assert.ok(existsSync(join(dataDir, 'cases.db')));
    const reopened = await openCaseStore({ dataDir });
    try {
      assert.deepEqual(await reopened.getCase(c._id), c);
    } finally {
      await reopened.close();
    }
  });

  it('uses MongoDB, with its indexes created, when a URI is configured', async () => {
    const mongo = await startMongoForTests();
    const mongodbDb = `${mongo.dbName}_open_store`;
    const c = newCase();
    const store = await openCaseStore({ mongodbUri: mongo.uri, mongodbDb, dataDir });
    const admin = await new MongoClient(mongo.uri).connect();
    try {
      await store.createCase(c);

      const cases = admin.db(mongodbDb).collection<OffboardingCase>('cases');
      assert.deepEqual(await cases.findOne({ _id: c._id }), c);
      const indexes = (await cases.indexes()).map((i) => i.key);
      assert.ok(indexes.some((key) => key['target.id'] === 1));
      assert.ok(!existsSync(join(dataDir, 'cases.db')));
    } finally {
      await store.close();
      await admin.db(mongodbDb).dropDatabase();
      await admin.close();
    }
  });
});
