import { verifyChain } from '../../src/audit/audit-chain';
import assert from 'node:assert/strict';
import type { CaseStore } from '../../src/store/case-store';
import { minutesApart, newCase, newTarget } from './case-fixtures';

/** An open-case lock left behind by a process that crashed between inserting the lock and the case. */
export interface CrashedLock {
  targetId: string;
  caseId: string;
  since: string;
}

export interface StoreUnderTest {
  store: CaseStore;
  cleanup(): Promise<void>;
}

/** Opens a fresh, empty, initialised store; `crashedLocks` are in its data as if left by an earlier run. */
export type MakeStore = (options?: { crashedLocks?: CrashedLock[] }) => Promise<StoreUnderTest>;

const HOUR_MS = 60 * 60 * 1000;

export function describeCaseStoreContract(name: string, makeStore: MakeStore): void {
  describe(`${name}: CaseStore contract`, () => {
    let subject: StoreUnderTest | undefined;
    let store: CaseStore;

    async function open(options?: Parameters<MakeStore>[0]): Promise<CaseStore> {
      await subject?.cleanup();
      subject = await makeStore(options);
      return subject.store;
    }

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      await subject?.cleanup();
      subject = undefined;
    });

    describe('creating cases', () => {
      it('stores a case and reads it back unchanged', async () => {
        const c = newCase();
        assert.equal(await store.createCase(c), 'created');
        assert.deepEqual(await store.getCase(c._id), c);
        assert.equal(await store.getCase('no-such-case'), null);
      });

      it('refuses a second open case for the same person and stores nothing for it', async () => {
        const first = newCase();
        const second = newCase({ target: first.target });
        await store.createCase(first);

        assert.equal(await store.createCase(second), 'target_has_open_case');
        assert.equal(await store.getCase(second._id), null);
        assert.deepEqual(
          (await store.listCases()).map((c) => c._id),
          [first._id],
        );
        assert.equal((await store.findOpenCaseFor(first.target.id))?._id, first._id);
      });

      it('lets a new case start once the previous one is closed and released', async () => {
        const first = newCase();
        await store.createCase(first);
        await store.updateCase(first._id, { version: 0, states: ['awaiting_approval'] }, { state: 'completed' });
        await store.releaseTarget(first.target.id, first._id);

        const next = newCase({ target: first.target });
        assert.equal(await store.createCase(next), 'created');
        assert.equal((await store.findOpenCaseFor(first.target.id))?._id, next._id);
      });

      it('lets a new case start when the previous one closed but its release never happened', async () => {
        const first = newCase();
        await store.createCase(first);
        await store.updateCase(first._id, { version: 0, states: ['awaiting_approval'] }, { state: 'rejected' });

        assert.equal(await store.createCase(newCase({ target: first.target })), 'created');
      });

      it('does not block a person forever when a crash left a lock without its case', async () => {
        const target = newTarget();
        const since = new Date(Date.now() - HOUR_MS).toISOString();
        store = await open({ crashedLocks: [{ targetId: target.id, caseId: 'lost-case', since }] });

        const c = newCase({ target });
        assert.equal(await store.createCase(c), 'created');
        assert.equal((await store.findOpenCaseFor(target.id))?._id, c._id);
        assert.equal(await store.createCase(newCase({ target })), 'target_has_open_case');
      });

      it('lets exactly one of many simultaneous requests for the same person through', async () => {
        const target = newTarget();
        const requests = Array.from({ length: 10 }, () => newCase({ target }));

        const outcomes = await Promise.all(requests.map((c) => store.createCase(c)));

        assert.equal(outcomes.filter((o) => o === 'created').length, 1);
        const winner = requests[outcomes.indexOf('created')];
        assert.deepEqual(
          (await store.listCases()).map((c) => c._id),
          [winner._id],
        );
      });

      it('does not hold the person when storing the case itself fails', async () => {
        const existing = newCase();
        await store.createCase(existing);
        const target = newTarget();

        // Reusing a case id makes the case insert fail after the person's lock was taken.
        await assert.rejects(store.createCase({ ...existing, target }));

        assert.equal(await store.createCase(newCase({ target })), 'created');
      });
    });

    describe('follow-ups', () => {
      it('finds the closed cases whose next follow-up has fallen due, earliest first, and no others', async () => {
        const [t0, t1, t2, t3] = minutesApart(4, 60);
        const later = newCase({ state: 'completed', nextFollowUpAt: t2 });
        const first = newCase({ state: 'completed', nextFollowUpAt: t0 });
        const notYet = newCase({ state: 'completed', nextFollowUpAt: t3 });
        const nothingLeft = newCase({ state: 'completed', nextFollowUpAt: null });
        const never = newCase({ state: 'completed' });
        for (const c of [later, first, notYet, nothingLeft, never]) await store.createCase(c);

        const due = await store.listCasesWithFollowUpsDue(new Date(Date.parse(t2) + 1));
        assert.deepEqual(due.map((c) => c._id), [first._id, later._id]);
        assert.deepEqual((await store.listCasesWithFollowUpsDue(new Date(t1), 1)).map((c) => c._id), [first._id]);

        const done = await store.updateCase(first._id, { version: 0, states: ['completed'] }, { nextFollowUpAt: null });
        assert.ok(done);
        assert.deepEqual((await store.listCasesWithFollowUpsDue(new Date(t2))).map((c) => c._id), [later._id]);
      });
    });

    describe('updating cases', () => {
      it('applies a change when version and state still match, and bumps the version', async () => {
        const c = newCase();
        await store.createCase(c);
        const decision = { by: { id: 'sec-1', displayName: 'Isaiah Langer' }, decision: 'approved' as const, at: c.createdAt };

        const updated = await store.updateCase(
          c._id,
          { version: 0, states: ['awaiting_approval'] },
          { state: 'approved', decisions: [decision] },
        );

        assert.ok(updated);
        assert.equal(updated.version, 1);
        assert.equal(updated.state, 'approved');
        assert.deepEqual(updated.decisions, [decision]);
        assert.deepEqual(updated.target, c.target);
        assert.ok(updated.updatedAt >= c.updatedAt);
        assert.deepEqual(await store.getCase(c._id), updated);
      });

      it('refuses a change made from a stale version and leaves the case as it was', async () => {
        const c = newCase();
        await store.createCase(c);
        const notes = 'Manager asked to keep the mailbox for 30 days.';
        await store.updateCase(c._id, { version: 0, states: ['awaiting_approval'] }, { request: { ...c.request, notes } });
        const current = await store.getCase(c._id);

        const result = await store.updateCase(c._id, { version: 0, states: ['awaiting_approval'] }, { state: 'rejected' });

        assert.equal(result, null);
        assert.equal(current?.request.notes, notes);
        assert.deepEqual(await store.getCase(c._id), current);
      });

      it('refuses a change when the case has moved on to another state', async () => {
        const c = newCase();
        await store.createCase(c);

        const result = await store.updateCase(c._id, { version: 0, states: ['approved', 'running'] }, { state: 'running' });

        assert.equal(result, null);
        assert.deepEqual(await store.getCase(c._id), c);
        assert.equal(await store.updateCase('no-such-case', { version: 0, states: ['awaiting_approval'] }, {}), null);
      });

      it('lets exactly one of ten simultaneous approvals win', async () => {
        const c = newCase();
        await store.createCase(c);
        const approvers = Array.from({ length: 10 }, (_, i) => ({ id: `approver-${i}`, displayName: `Approver ${i}` }));

        const results = await Promise.all(
          approvers.map((by) =>
            store.updateCase(
              c._id,
              { version: 0, states: ['awaiting_approval'] },
              { state: 'approved', decisions: [{ by, decision: 'approved', at: c.createdAt }] },
            ),
          ),
        );

        const winners = results.filter((r) => r !== null);
        assert.equal(winners.length, 1);
        const stored = await store.getCase(c._id);
        assert.equal(stored?.version, 1);
        assert.deepEqual(stored?.decisions, winners[0]?.decisions);
      });

      it('hands out copies, so changing a returned case does not change what is stored', async () => {
        const c = newCase();
        await store.createCase(c);
        c.steps[0].status = 'failed';
        const read = await store.getCase(c._id);
        assert.ok(read);
        read.steps[0].status = 'succeeded';
        read.decisions.push({ by: read.requester, decision: 'approved', at: read.createdAt });

        const again = await store.getCase(c._id);
        assert.equal(again?.steps[0].status, 'pending');
        assert.deepEqual(again?.decisions, []);
      });
    });

    describe('finding cases', () => {
      it('lists cases newest first, up to the limit', async () => {
        const times = minutesApart(4);
        const cases = [times[1], times[3], times[0], times[2]].map((createdAt) => newCase({ createdAt }));
        for (const c of cases) await store.createCase(c);

        const newestFirst = [...cases].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((c) => c._id);
        assert.deepEqual(
          (await store.listCases()).map((c) => c._id),
          newestFirst,
        );
        assert.deepEqual(
          (await store.listCases(2)).map((c) => c._id),
          newestFirst.slice(0, 2),
        );
      });

      it('finds the open case of a person, and none once it is closed', async () => {
        const c = newCase();
        const other = newCase();
        await store.createCase(c);
        await store.createCase(other);

        assert.deepEqual(await store.findOpenCaseFor(c.target.id), c);
        assert.equal(await store.findOpenCaseFor(newTarget().id), null);

        await store.updateCase(c._id, { version: 0, states: ['awaiting_approval'] }, { state: 'completed' });
        await store.releaseTarget(c.target.id, c._id);
        assert.equal(await store.findOpenCaseFor(c.target.id), null);
        assert.equal((await store.findOpenCaseFor(other.target.id))?._id, other._id);
      });

      it("lists a person's cases in the asked states only, newest request first, up to the limit", async () => {
        const target = newTarget('Jane Doe');
        const times = minutesApart(4);
        const [oldest, rejected, newest, open] = [
          newCase({ target, createdAt: times[0], state: 'completed' }),
          newCase({ target, createdAt: times[1], state: 'rejected' }),
          newCase({ target, createdAt: times[2], state: 'completed_with_failures' }),
          newCase({ target, createdAt: times[3] }),
        ];
        // Closed cases hold no lock: each is created, then the next may start.
        for (const c of [oldest, rejected, newest]) {
          assert.equal(await store.createCase(c), 'created');
          await store.releaseTarget(target.id, c._id);
        }
        await store.createCase(open);
        await store.createCase(newCase({ createdAt: times[3], state: 'completed' }));

        const closed = ['completed', 'completed_with_failures'] as const;
        assert.deepEqual((await store.listCasesOfTarget(target.id, closed)).map((c) => c._id), [newest._id, oldest._id]);
        assert.deepEqual((await store.listCasesOfTarget(target.id, closed, 1)).map((c) => c._id), [newest._id]);
        assert.deepEqual(await store.listCasesOfTarget(target.id, ['rejected']), [rejected]);
        assert.deepEqual(await store.listCasesOfTarget(newTarget().id, closed), []);
      });
    });

    describe('finding work for the sweeps', () => {
      const ids = (cases: { _id: string }[]) => cases.map((c) => c._id);

      it('lists the cases in the asked states only, oldest first by cut-off or by request time, up to the limit', async () => {
        const [t0, t1, t2, t3, t4, t5, t6, t7] = minutesApart(8);
        const approvedLater = newCase({ state: 'approved', createdAt: t0, notBefore: t5 });
        const crashed = newCase({ state: 'running', createdAt: t1, notBefore: t1 });
        const approvedSoon = newCase({ state: 'approved', createdAt: t3, notBefore: t3 });
        const waitingNewer = newCase({ createdAt: t4, notBefore: t6 });
        const waitingOlder = newCase({ createdAt: t2, notBefore: t7 });
        const done = newCase({ state: 'completed', createdAt: t0, notBefore: t0 });
        for (const c of [waitingNewer, done, approvedLater, crashed, waitingOlder, approvedSoon]) await store.createCase(c);

        assert.deepEqual(ids(await store.listCasesInStates(['approved', 'running'], 'notBefore')), ids([crashed, approvedSoon, approvedLater]));
        assert.deepEqual(ids(await store.listCasesInStates(['approved', 'running'], 'notBefore', 2)), ids([crashed, approvedSoon]));
        assert.deepEqual(ids(await store.listCasesInStates(['awaiting_approval'], 'createdAt')), ids([waitingOlder, waitingNewer]));
        assert.deepEqual(
          ids(await store.listCasesInStates(['awaiting_approval', 'approved', 'running'], 'createdAt')),
          ids([approvedLater, crashed, waitingOlder, approvedSoon, waitingNewer]),
        );
        assert.deepEqual(await store.listCasesInStates([], 'createdAt'), []);
      });

      it('follows cases as they change state', async () => {
        const [t0, t1] = minutesApart(2);
        const first = newCase({ createdAt: t0 });
        const second = newCase({ createdAt: t1 });
        for (const c of [first, second]) await store.createCase(c);

        const approved = await store.updateCase(second._id, { version: 0, states: ['awaiting_approval'] }, { state: 'approved' });
        await store.updateCase(first._id, { version: 0, states: ['awaiting_approval'] }, { state: 'cancelled' });

        assert.deepEqual(await store.listCasesInStates(['approved', 'running'], 'notBefore'), [approved]);
        assert.deepEqual(await store.listCasesInStates(['awaiting_approval'], 'createdAt'), []);
      });

      it('still finds an old approved case, a crashed running one and a stalled approval behind more than 500 newer closed cases', async () => {
        const newerCount = 501;
        const times = minutesApart(newerCount + 3);
        const farCutoff = new Date(Date.parse(times[times.length - 1]) + 30 * 24 * HOUR_MS).toISOString();
        const approved = newCase({ state: 'approved', createdAt: times[0], notBefore: farCutoff });
        const crashed = newCase({ state: 'running', createdAt: times[1], notBefore: times[1] });
        const stalled = newCase({ createdAt: times[2] });
        const closedStates = ['completed', 'cancelled', 'rejected'] as const;
        const newer = times.slice(3).map((createdAt, i) => newCase({ state: closedStates[i % closedStates.length], createdAt }));
        for (const c of [approved, crashed, stalled]) await store.createCase(c);
        for (let i = 0; i < newer.length; i += 25) await Promise.all(newer.slice(i, i + 25).map((c) => store.createCase(c)));

        const newestPage = ids(await store.listCases(500));
        assert.ok(![approved, crashed, stalled].some((c) => newestPage.includes(c._id)), 'the newest 500 cases are all closed ones');

        assert.deepEqual(ids(await store.listCasesInStates(['approved', 'running'], 'notBefore', 500)), ids([crashed, approved]));
        assert.deepEqual(ids(await store.listCasesInStates(['awaiting_approval'], 'createdAt', 500)), ids([stalled]));
      });
    });

    describe('step claims', () => {
      const t0 = new Date('2025-03-01T09:00:00.000Z');
      const later = (ms: number) => new Date(t0.getTime() + ms);
      const LEASE = 10_000;

      it('gives a step to one instance and keeps others out while its lease lives', async () => {
        const claim = await store.claimStep('case-a', 2, 'instance-1', t0, LEASE);
        assert.deepEqual(claim, { caseId: 'case-a', step: 2, term: 1, owner: 'instance-1', leaseUntil: later(LEASE).toISOString() });
        assert.equal(await store.claimStep('case-a', 2, 'instance-2', later(LEASE - 1), LEASE), null);
        assert.ok(await store.claimStep('case-a', 3, 'instance-2', t0, LEASE), 'other steps are free');
        assert.ok(await store.claimStep('case-b', 2, 'instance-2', t0, LEASE), 'other cases are free');
      });

      it('hands the step of a dead instance to another once its lease expired, and the dead one cannot renew', async () => {
        const dead = await store.claimStep('case-a', 0, 'instance-1', t0, LEASE);
        const taken = await store.claimStep('case-a', 0, 'instance-2', later(LEASE), LEASE);
        assert.equal(taken?.term, 2);
        assert.equal(taken?.owner, 'instance-2');
        assert.equal(await store.renewStepClaim(dead!, later(LEASE + 1), LEASE), null, 'the old holder learns it lost the step');
      });

      it('lets the holder renew, so nobody takes the step while it works', async () => {
        const claim = await store.claimStep('case-a', 0, 'instance-1', t0, LEASE);
        const renewed = await store.renewStepClaim(claim!, later(LEASE / 2), LEASE);
        assert.equal(renewed?.term, 2);
        assert.equal(await store.claimStep('case-a', 0, 'instance-2', later(LEASE + 1), LEASE), null);
      });

      it('frees a released step at once', async () => {
        const claim = await store.claimStep('case-a', 0, 'instance-1', t0, LEASE);
        await store.releaseStepClaim(claim!);
        assert.equal((await store.claimStep('case-a', 0, 'instance-2', later(1), LEASE))?.owner, 'instance-2');
      });

      it('lets exactly one of many simultaneous claimers through', async () => {
        const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => store.claimStep('case-a', 1, `instance-${i}`, t0, LEASE)));
        assert.equal(claims.filter((c) => c !== null).length, 1);
      });

      it('lets exactly one of a late renewal and a takeover win', async () => {
        const claim = await store.claimStep('case-a', 1, 'instance-1', t0, LEASE);
        const [renewed, taken] = await Promise.all([
          store.renewStepClaim(claim!, later(LEASE + 5), LEASE),
          store.claimStep('case-a', 1, 'instance-2', later(LEASE + 5), LEASE),
        ]);
        assert.equal([renewed, taken].filter((c) => c !== null).length, 1);
      });
    });

    describe('conversation references', () => {
      it('saves, replaces and reads a reference by key', async () => {
        const key = 'channel:19:security@thread.tacv2';
        const reference = {
          conversation: { id: '19:security@thread.tacv2', tenantId: 'contoso' },
          serviceUrl: 'https://smba.trafficmanager.net/emea/',
          'odd.key': { $weird: true },
        };
        await store.saveConversationRef(key, { reference, updatedAt: '2025-03-01T09:00:00.000Z' });
        assert.deepEqual(await store.getConversationRef(key), { reference, updatedAt: '2025-03-01T09:00:00.000Z' });

        const replaced = { reference: { conversation: { id: 'new' } }, updatedAt: '2025-03-02T09:00:00.000Z' };
        await store.saveConversationRef(key, replaced);
        assert.deepEqual(await store.getConversationRef(key), replaced);
        assert.equal(await store.getConversationRef('user:unknown'), null);
      });

      it('saves a new key written by many at once, with one of their references', async () => {
        const key = 'mri:00000000-0000-0000-0000-000000000031';
        const saves = Array.from({ length: 8 }, (_, i) => ({ reference: { mri: `29:${i}` }, updatedAt: '2025-03-01T09:00:00.000Z' }));
        await Promise.all(saves.map((ref) => store.saveConversationRef(key, ref)));
        const stored = await store.getConversationRef(key);
        assert.ok(saves.some((ref) => ref.reference.mri === stored?.reference.mri));
      });
    });

    describe('audit trail', () => {
      it('lists the events of one case in the order they were appended, hash-chained', async () => {
        const [t0, t1] = minutesApart(2);
        const caseId = 'case-a';
        const events = [
          { caseId, at: t0, actor: 'lee', event: 'requested' },
          { caseId, at: t1, actor: 'isaiah', event: 'approved', detail: { reason: 'HR ticket confirmed' } },
          { caseId, at: t0, actor: 'engine', event: 'step.started', detail: { step: 'blockSignIn' } },
          {
            caseId,
            at: t1,
            actor: 'engine',
            event: 'step.succeeded',
            detail: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users', requestIds: ['r-1'] },
          },
        ];
        await store.appendAudit(events[0]);
        await store.appendAudit({ caseId: 'case-b', at: t0, actor: 'lee', event: 'requested' });
        for (const e of events.slice(1)) await store.appendAudit(e);

        const listed = await store.listAudit(caseId);
        assert.deepEqual(listed.map(({ seq, prevHash, hash, ...e }) => e), events);
        assert.deepEqual(listed.map((e) => e.seq), [1, 2, 3, 4]);
        assert.deepEqual(verifyChain(listed), []);
        assert.deepEqual(await store.listAudit('case-c'), []);
        assert.deepEqual((await store.listAuditedCaseIds()).sort(), ['case-a', 'case-b']);
      });

      it('keeps every one of many simultaneous audit appends, in one unbroken chain', async () => {
        const at = new Date().toISOString();
        await Promise.all(Array.from({ length: 12 }, (_, i) => store.appendAudit({ caseId: 'busy', at, actor: `a${i}`, event: 'clicked' })));
        const listed = await store.listAudit('busy');
        assert.equal(listed.length, 12);
        assert.deepEqual(verifyChain(listed), []);
      });
    });
  });
}
