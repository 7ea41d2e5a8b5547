import assert from 'node:assert/strict';
import type { CaseStore } from '../../src/store/case-store';
import { isBusy, retryWhenBusy } from '../../src/store/busy-retry';

const noWait = async () => {};

describe('store operations when the database is busy', () => {
  it('recognises FerretDB SQLite lock errors and Cosmos DB throttling, nothing else', () => {
    assert.equal(isBusy(new Error('database is locked (5) (SQLITE_BUSY)')), true);
    assert.equal(isBusy(Object.assign(new Error('Request rate is large'), { code: 16500 })), true);
    assert.equal(isBusy(Object.assign(new Error('E11000 duplicate key'), { code: 11000 })), false);
  });

  it('tries a busy operation again and returns its result; other errors pass through at once', async () => {
    let calls = 0;
    const flaky = {
      async getCase(id: string) {
        calls++;
        if (calls < 3) throw new Error('database is locked (5) (SQLITE_BUSY)');
        return { _id: id };
      },
      async listCases() {
        calls++;
        throw new Error('no such collection');
      },
    } as unknown as CaseStore;
    const store = retryWhenBusy(flaky, noWait);
    assert.deepEqual(await store.getCase('c1'), { _id: 'c1' });
    assert.equal(calls, 3);
    calls = 0;
    await assert.rejects(store.listCases(), /no such collection/);
    assert.equal(calls, 1);
  });

  it('gives up after a few attempts so a stuck database surfaces as an error', async () => {
    let calls = 0;
    const stuck = { async getCase() { calls++; throw new Error('database is locked'); } } as unknown as CaseStore;
    await assert.rejects(retryWhenBusy(stuck, noWait).getCase('c1'), /database is locked/);
    assert.equal(calls, 8);
  });
});
