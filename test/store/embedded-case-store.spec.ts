import { verifyChain } from '../../src/audit/audit-chain';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { minutesApart, newCase } from './case-fixtures';
import { describeCaseStoreContract } from './case-store.contract';

async function freshDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'offboarding-store-'));
}

describeCaseStoreContract('EmbeddedCaseStore', async (options) => {
  const dir = await freshDir();
  const crashedLocks = options?.crashedLocks ?? [];
  if (crashedLocks.length > 0) {
    // nedb's file format: one JSON document per line.
    const lines = crashedLocks.map((l) => JSON.stringify({ _id: l.targetId, caseId: l.caseId, since: l.since }));
    await writeFile(join(dir, 'open_cases.db'), `${lines.join('\n')}\n`);
  }
  const store = await EmbeddedCaseStore.open(dir);
  await store.init();
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('EmbeddedCaseStore on disk', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await freshDir();
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps cases, locks, conversation references and the audit trail across a restart', async () => {
    const [t0, t1] = minutesApart(2);
    const c = newCase({ createdAt: t0, updatedAt: t0 });
    const ref = { reference: { conversation: { id: '19:it@thread.tacv2' } }, updatedAt: t0 };
    const firstEvent = { caseId: c._id, at: t1, actor: 'lee', event: 'requested' };

    const before = await EmbeddedCaseStore.open(dir);
    await before.init();
    await before.createCase(c);
    const approved = await before.updateCase(c._id, { version: 0, states: ['awaiting_approval'] }, { state: 'approved' });
    await before.saveConversationRef('channel:it', ref);
    await before.appendAudit(firstEvent);
    await before.close();

    const after = await EmbeddedCaseStore.open(dir);
    await after.init();
    try {
      assert.deepEqual(await after.getCase(c._id), approved);
      assert.deepEqual(await after.listCases(), [approved]);
      assert.deepEqual(await after.getConversationRef('channel:it'), ref);
      assert.equal(await after.createCase(newCase({ target: c.target })), 'target_has_open_case');

      // Same timestamp as the event written before the restart: order must still follow appending.
      const secondEvent = { caseId: c._id, at: t1, actor: 'isaiah', event: 'approved' };
      await after.appendAudit(secondEvent);
      const trail = await after.listAudit(c._id);
      assert.deepEqual(trail.map(({ seq, prevHash, hash, ...e }) => e), [firstEvent, secondEvent]);
      assert.deepEqual(verifyChain(trail), [], 'the chain continues across the restart');
    } finally {
      await after.close();
    }
  });
});
