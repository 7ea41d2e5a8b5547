import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OffboardingCase, PostedCard } from '../../src/cases/case';
import type { CaseNotifier } from '../../src/cases/case-notifier';
import { OffboardingRequests } from '../../src/cases/offboarding-requests';
import { silentLogger } from '../../src/log';
import type { Directory } from '../../src/m365/directory';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { newCase } from '../store/case-fixtures';

describe('approval cards that could not be posted are posted by the sweep, once', () => {
  let dir: string;
  let store: EmbeddedCaseStore;
  let posts: string[];
  let now: Date;
  let requests: OffboardingRequests;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'repost-'));
    store = await EmbeddedCaseStore.open(dir);
    await store.init();
    posts = [];
    const notifier: CaseNotifier = {
      requestSecurityApproval: async (c: OffboardingCase): Promise<PostedCard> => {
        posts.push(c._id);
        await new Promise((r) => setTimeout(r, 20)); // Teams takes a moment to answer
        return { conversationId: '19:security@thread.tacv2', activityId: `a${posts.length}` };
      },
      caseChanged: async () => {},
      stepsChanged: async () => {},
      caseFinished: async () => ({ conversationId: 'it', activityId: 'x' }),
    };
    requests = new OffboardingRequests({
      directory: {} as Directory,
      store,
      notifier,
      policy: { securityGroupId: 'sec', itGroupId: 'it', protectedUserIds: [] },
      log: silentLogger,
      now: () => now,
    });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves a fresh request to post its own card, then posts a missing one once, even when two sweeps overlap', async () => {
    const created = new Date('2026-11-25T10:00:00Z');
    const c = newCase({ createdAt: created.toISOString(), cards: {} });
    await store.createCase(c);

    now = new Date(created.getTime() + 10_000);
    await requests.postMissingApprovalCards();
    assert.deepEqual(posts, [], 'the request may still be posting it');

    now = new Date(created.getTime() + 60_000);
    await Promise.all([requests.postMissingApprovalCards(), requests.postMissingApprovalCards()]);
    assert.deepEqual(posts, [c._id]);
    assert.ok((await store.getCase(c._id))!.cards.securityApproval, 'where it landed is kept');

    await requests.postMissingApprovalCards();
    assert.deepEqual(posts, [c._id], 'not posted again');
  });

  it('does not post for a case that moved on since the sweep listed it', async () => {
    const created = new Date('2026-11-25T10:00:00Z');
    const c = newCase({ createdAt: created.toISOString(), cards: {}, state: 'cancelled' });
    await store.createCase(c);
    now = new Date(created.getTime() + 60_000);
    await requests.postMissingApprovalCards();
    assert.deepEqual(posts, []);
  });
});
