import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FollowUp, OffboardingCase, Person } from '../../src/cases/case';
import { CANCELLED, CaseOperations } from '../../src/cases/case-operations';
import { DISABLED_OPERATOR } from '../../src/cases/policy';
import { silentLogger } from '../../src/log';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { newCase } from '../store/case-fixtures';

const IT_GROUP = '00000000-0000-0000-0000-000000000042';
const policy = { securityGroupId: '00000000-0000-0000-0000-000000000041', itGroupId: IT_GROUP, protectedUserIds: [] };
const isaiah: Person = { id: '00000000-0000-0000-0000-000000000023', displayName: 'Isaiah Langer' };
const megan: Person = { id: '00000000-0000-0000-0000-000000000021', displayName: 'Megan Bowen' };
const alex: Person = { id: '00000000-0000-0000-0000-000000000020', displayName: 'Alex Wilber' };

function failedCase(): OffboardingCase {
  return newCase({
    state: 'completed_with_failures',
    requester: alex,
    steps: [
      { action: 'blockSignIn', status: 'succeeded', requestIds: ['r-1'] },
      { action: 'revokeSessions', status: 'failed', detail: 'Insufficient privileges (Authorization_RequestDenied, HTTP 403)', requestIds: ['r-2'], startedAt: '2025-03-01T09:00:00.000Z', finishedAt: '2025-03-01T09:00:01.000Z' },
    ],
  });
}

describe('case operations from the dashboard (retry, cancel)', () => {
  let dir: string;
  let store: EmbeddedCaseStore;
  let retried: OffboardingCase[];
  let ops: CaseOperations;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'case-ops-'));
    store = await EmbeddedCaseStore.open(dir);
    await store.init();
    retried = [];
    ops = new CaseOperations({
      store,
      groups: { isMemberOf: async (userId, groupId) => groupId === IT_GROUP && userId === isaiah.id, isAccountEnabled: async () => true },
      policy,
      log: silentLogger,
      onRetried: (c) => retried.push(c),
    });
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('retry failed steps', () => {
    it('puts failed steps back to pending and the case back to approved in one update, audited with the old failure', async () => {
      const c = failedCase();
      await store.createCase(c);
      const result = await ops.retryFailedSteps(isaiah, c._id);
      assert.equal(result.kind, 'done');
      const stored = (await store.getCase(c._id))!;
      assert.equal(stored.state, 'approved');
      assert.equal(stored.version, c.version + 1, 'exactly one update');
      assert.deepEqual(stored.steps.map((s) => s.status), ['succeeded', 'pending']);
      assert.deepEqual(stored.steps[1].requestIds, ['r-2'], 'request ids of the failed attempt stay');
      assert.equal(stored.steps[1].detail, undefined);
      assert.equal(retried.length, 1, 'the engine is told to run it');
      const [event] = await store.listAudit(c._id);
      assert.equal(event.event, 'case.retry_requested');
      assert.equal(event.actor, isaiah.id);
      assert.match(JSON.stringify(event.detail), /Authorization_RequestDenied/);
    });

    it('also runs again a step left to a person that waited on a failed one, and nothing else', async () => {
      const c = newCase({
        state: 'completed_with_failures',
        requester: alex,
        steps: [
          { action: 'removeMobileDevices', status: 'manual', detail: 'A phone to check by hand.', requestIds: [] },
          { action: 'convertToShared', status: 'failed', detail: 'Exchange timed out (HTTP 504)', requestIds: ['r-1'] },
          { action: 'removeGroupMemberships', status: 'manual', detail: 'Dynamic group left.', requestIds: [], resolution: { by: isaiah, at: '2025-03-01T10:00:00.000Z', note: 'rule changed' } },
          { action: 'removeLicences', status: 'manual', detail: 'Office 365 E3 carries the mailbox and the mailbox is still a UserMailbox, not shared.', requestIds: ['r-2'] },
          { action: 'revokeAppConsents', status: 'manual', detail: 'An app consent for a person to review.', requestIds: [] },
        ],
      });
      await store.createCase(c);
      assert.equal((await ops.retryFailedSteps(isaiah, c._id)).kind, 'done');
      const stored = (await store.getCase(c._id))!;
      assert.deepEqual(stored.steps.map((s) => s.status), ['manual', 'pending', 'manual', 'pending', 'manual'], 'steps that did not wait on the failed one stay as they are');
      const [event] = await store.listAudit(c._id);
      assert.deepEqual((event.detail as { steps: { action: string }[] }).steps.map((s) => s.action), ['convertToShared', 'removeLicences']);
    });

    it('refuses someone outside the IT group and changes nothing', async () => {
      const c = failedCase();
      await store.createCase(c);
      const result = await ops.retryFailedSteps(megan, c._id);
      assert.deepEqual(result, { kind: 'refused', message: 'Only members of the IT operations group can retry failed steps.' });
      assert.equal((await store.getCase(c._id))!.state, 'completed_with_failures');
      assert.equal(retried.length, 0);
      assert.deepEqual((await store.listAudit(c._id)).map((e) => e.event), ['retry.denied']);
    });

    it('says there is nothing to retry on a case without failed steps', async () => {
      const c = newCase({ state: 'completed' });
      await store.createCase(c);
      const result = await ops.retryFailedSteps(isaiah, c._id);
      assert.equal(result.kind, 'conflict');
      assert.match((result as { message: string }).message, /Nothing to retry: this case is completed/);
    });

    it('two retries at once: one wins, the other is told the case changed', async () => {
      const c = failedCase();
      await store.createCase(c);
      const results = await Promise.all([ops.retryFailedSteps(isaiah, c._id), ops.retryFailedSteps(isaiah, c._id)]);
      assert.deepEqual(results.map((r) => r.kind).sort(), ['conflict', 'done']);
      assert.equal(retried.length, 1);
    });

    it('answers not found for an unknown case', async () => {
      assert.equal((await ops.retryFailedSteps(isaiah, 'no-such-case')).kind, 'not_found');
    });

    const failedDeletion = (): FollowUp => ({
      action: 'deleteAccount', status: 'failed', notBefore: '2025-06-01T09:00:00.000Z', requestIds: ['r-9'], attempts: 3,
      startedAt: '2025-06-01T09:00:01.000Z', finishedAt: '2025-06-01T09:00:02.000Z', detail: 'Insufficient privileges (Authorization_RequestDenied, HTTP 403)',
    } as FollowUp);
    const laterReminder: FollowUp = { action: 'reviewReminder', status: 'pending', notBefore: '2025-07-01T09:00:00.000Z', requestIds: [], everyDays: 30 };

    it('runs a failed follow-up of a completed case again: pending, due at once, the case stays completed, audited with the old failure', async () => {
      const c = newCase({ state: 'completed', steps: [{ action: 'blockSignIn', status: 'succeeded', requestIds: [] }], followUps: [failedDeletion(), laterReminder], nextFollowUpAt: laterReminder.notBefore });
      await store.createCase(c);
      assert.equal((await ops.retryFailedSteps(isaiah, c._id)).kind, 'done');
      const stored = (await store.getCase(c._id))!;
      assert.equal(stored.state, 'completed');
      assert.deepEqual(stored.followUps![0], { action: 'deleteAccount', status: 'pending', notBefore: '2025-06-01T09:00:00.000Z', requestIds: ['r-9'] }, 'attempts and the old outcome cleared');
      assert.deepEqual(stored.followUps![1], laterReminder);
      assert.equal(stored.nextFollowUpAt, '2025-06-01T09:00:00.000Z', 'the engine finds it due now');
      assert.equal(retried.length, 1);
      const [event] = await store.listAudit(c._id);
      assert.equal(event.event, 'case.retry_requested');
      assert.deepEqual(event.detail, { steps: [], followUps: [{ action: 'deleteAccount', previousStatus: 'failed', previousDetail: 'Insufficient privileges (Authorization_RequestDenied, HTTP 403)' }] });
    });

    it('runs the failed steps and the failed follow-ups again together', async () => {
      const c = { ...failedCase(), followUps: [failedDeletion()], nextFollowUpAt: null };
      await store.createCase(c);
      assert.equal((await ops.retryFailedSteps(isaiah, c._id)).kind, 'done');
      const stored = (await store.getCase(c._id))!;
      assert.equal(stored.state, 'approved');
      assert.deepEqual([...stored.steps, ...stored.followUps!].map((s) => s.status), ['succeeded', 'pending', 'pending']);
    });

    it('refuses the target of the case a retry of its follow-ups, even in the IT group', async () => {
      const c = newCase({ state: 'completed', target: { id: isaiah.id, displayName: 'Isaiah Langer', userPrincipalName: 'isaiahl@contoso.com' }, followUps: [failedDeletion()] });
      await store.createCase(c);
      assert.deepEqual(await ops.retryFailedSteps(isaiah, c._id), { kind: 'refused', message: 'Nobody can act on their own offboarding.' });
      assert.equal((await store.getCase(c._id))!.followUps![0].status, 'failed');
      assert.deepEqual((await store.listAudit(c._id)).map((e) => e.event), ['retry.denied']);
    });
  });

  describe('cancel', () => {
    it('lets the requester cancel a case awaiting approval, frees the target and audits the reason', async () => {
      const c = newCase({ requester: alex });
      await store.createCase(c);
      const result = await ops.cancel(alex, c._id, '  wrong person  ');
      assert.equal(result.kind, 'done');
      assert.equal((await store.getCase(c._id))!.state, CANCELLED);
      const again = newCase({ target: c.target });
      assert.equal(await store.createCase(again), 'created', 'a new case for the same person can be opened');
      const [event] = await store.listAudit(c._id);
      assert.deepEqual(event.detail, { fromState: 'awaiting_approval', reason: 'wrong person' });
    });

    it('lets IT cancel an approved case that has not started', async () => {
      const c = newCase({ state: 'approved', requester: alex });
      await store.createCase(c);
      assert.equal((await ops.cancel(isaiah, c._id)).kind, 'done');
    });

    it('refuses anyone else', async () => {
      const c = newCase({ requester: alex });
      await store.createCase(c);
      const result = await ops.cancel(megan, c._id);
      assert.equal(result.kind, 'refused');
      assert.equal((await store.getCase(c._id))!.state, 'awaiting_approval');
    });

    it('refuses once execution has started or finished', async () => {
      for (const state of ['running', 'completed', 'completed_with_failures'] as const) {
        const c = newCase({ state, requester: alex });
        await store.createCase(c);
        const result = await ops.cancel(isaiah, c._id);
        assert.equal(result.kind, 'conflict', state);
        assert.match((result as { message: string }).message, /can no longer be cancelled/);
        assert.equal((await store.getCase(c._id))!.state, state);
      }
    });

    it('loses cleanly to the engine claiming the case between reading and updating it', async () => {
      const c = newCase({ state: 'approved', requester: alex });
      await store.createCase(c);
      // The engine claims the case right after the operation has read it.
      const racing = Object.create(store) as EmbeddedCaseStore;
      racing.getCase = async (id) => {
        const read = await store.getCase(id);
        await store.updateCase(id, { version: read!.version, states: ['approved'] }, { state: 'running' });
        racing.getCase = (again) => store.getCase(again);
        return read;
      };
      const raced = new CaseOperations({ store: racing, groups: { isMemberOf: async () => true, isAccountEnabled: async () => true }, policy, log: silentLogger });
      const result = await raced.cancel(isaiah, c._id);
      assert.equal(result.kind, 'conflict');
      assert.match((result as { message: string }).message, /changed in the meantime and is now running\. Nothing was done/);
      assert.equal((await store.getCase(c._id))!.state, 'running');
      assert.deepEqual(await store.listAudit(c._id), [], 'nothing recorded as cancelled');
    });
  });
  describe('refusals, audited up to a cap', () => {
    const NOT_IT_OR_REQUESTER = 'Only the requester or the IT operations group can cancel an offboarding.';
    let clock: Date;
    let disabled: Set<string>;
    let warnings: { event: string; fields?: Record<string, unknown> }[];
    let capped: CaseOperations;

    beforeEach(() => {
      clock = new Date('2025-03-01T09:00:00.000Z');
      disabled = new Set();
      warnings = [];
      capped = new CaseOperations({
        store,
        groups: { isMemberOf: async (userId, groupId) => groupId === IT_GROUP && userId === isaiah.id, isAccountEnabled: async (userId) => !disabled.has(userId) },
        policy,
        log: { ...silentLogger, warn: (event, fields) => void warnings.push({ event, fields }) },
        now: () => clock,
      });
    });

    const trail = async (c: OffboardingCase) => (await store.listAudit(c._id)).map((e) => [e.event, e.actor, (e.detail as { reason: string }).reason, e.at]);

    it('audits five identical refusals in ten minutes; the sixth is only logged, answered the same; audited again once the window has passed', async () => {
      const c = newCase({ requester: alex });
      await store.createCase(c);
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await capped.cancel(megan, c._id));
      for (const answer of answers) assert.deepEqual(answer, { kind: 'refused', message: NOT_IT_OR_REQUESTER }, 'every click gets the same answer');
      const first = ['cancel.denied', megan.id, NOT_IT_OR_REQUESTER, '2025-03-01T09:00:00.000Z'];
      assert.deepEqual(await trail(c), Array(5).fill(first), 'the sixth is not appended to the case trail');
      assert.deepEqual(warnings.filter((w) => w.event === 'cancel.denied_unaudited').map((w) => [w.fields?.caseId, w.fields?.actorId]), [[c._id, megan.id]], 'but it is logged');

      clock = new Date('2025-03-01T09:10:00.000Z');
      assert.deepEqual(await capped.cancel(megan, c._id), { kind: 'refused', message: NOT_IT_OR_REQUESTER });
      assert.deepEqual(await trail(c), [...Array(5).fill(first), ['cancel.denied', megan.id, NOT_IT_OR_REQUESTER, '2025-03-01T09:10:00.000Z']]);
      assert.equal((await store.getCase(c._id))!.state, 'awaiting_approval');
    });

    it('still audits another refusal while one is capped: another operation, a disabled account, another person, another case', async () => {
      const c = newCase({ requester: alex });
      const other = newCase({ requester: alex });
      await store.createCase(c);
      await store.createCase(other);
      for (let i = 0; i < 6; i++) await capped.cancel(megan, c._id);
      assert.equal((await store.listAudit(c._id)).length, 5);

      assert.deepEqual(await capped.retryFailedSteps(megan, c._id), { kind: 'refused', message: 'Only members of the IT operations group can retry failed steps.' });
      assert.deepEqual(await capped.resolveManualException(megan, c._id, { kind: 'step', index: 0 }, 'done'), { kind: 'refused', message: 'Only members of the IT operations group can mark exceptions as handled.' });
      disabled.add(megan.id);
      assert.deepEqual(await capped.cancel(megan, c._id), { kind: 'refused', message: DISABLED_OPERATOR });
      disabled.add(alex.id);
      assert.deepEqual(await capped.cancel(alex, c._id), { kind: 'refused', message: DISABLED_OPERATOR });
      assert.deepEqual((await trail(c)).slice(5).map(([event, actor, reason]) => [event, actor, reason]), [
        ['retry.denied', megan.id, 'Only members of the IT operations group can retry failed steps.'],
        ['exception.resolve_denied', megan.id, 'Only members of the IT operations group can mark exceptions as handled.'],
        ['cancel.denied', megan.id, DISABLED_OPERATOR],
        ['cancel.denied', alex.id, DISABLED_OPERATOR],
      ]);

      disabled.clear();
      assert.equal((await capped.cancel(megan, other._id)).kind, 'refused');
      assert.deepEqual((await trail(other)).map(([event, actor]) => [event, actor]), [['cancel.denied', megan.id]], 'the cap is per case');
    });
  });

  describe('the person being offboarded', () => {
    it('cannot cancel, retry or mark exceptions handled on their own case, even in the IT group', async () => {
      const own = newCase({ state: 'approved', requester: alex, target: { id: isaiah.id, displayName: 'Isaiah Langer', userPrincipalName: 'isaiahl@contoso.com' } });
      await store.createCase(own);
      const cancel = await ops.cancel(isaiah, own._id);
      assert.deepEqual(cancel, { kind: 'refused', message: 'Nobody can act on their own offboarding.' });
      const failed = { ...failedCase(), target: own.target };
      await store.releaseTarget(isaiah.id, own._id); // the store keeps one open case per person
      assert.equal(await store.createCase(failed), 'created');
      assert.equal((await ops.retryFailedSteps(isaiah, failed._id)).kind, 'refused');
      assert.equal((await ops.resolveManualException(isaiah, failed._id, { kind: 'step', index: 1 }, 'done')).kind, 'refused');
      assert.equal((await store.getCase(own._id))!.state, 'approved');
      assert.equal((await store.getCase(failed._id))!.state, 'completed_with_failures');
      assert.deepEqual(retried, []);
    });
  });

  describe('mark a manual exception handled', () => {
    const manualCase = () =>
      newCase({
        state: 'completed',
        requester: alex,
        steps: [
          { action: 'blockSignIn', status: 'manual', detail: 'Synced from on-premises AD: disable it there.', requestIds: [] },
          { action: 'revokeSessions', status: 'succeeded', requestIds: ['r-2'] },
        ],
      });

    it('records who did what, when, and audits it; the exception stays in the record', async () => {
      const c = manualCase();
      await store.createCase(c);
      const result = await ops.resolveManualException(isaiah, c._id, { kind: 'step', index: 0 }, 'Disabled in AD, sync ran at 10:05');
      assert.equal(result.kind, 'done');
      const step = (await store.getCase(c._id))!.steps[0];
      assert.equal(step.status, 'manual');
      assert.equal(step.resolution?.by.displayName, 'Isaiah Langer');
      assert.equal(step.resolution?.note, 'Disabled in AD, sync ran at 10:05');
      assert.deepEqual((await store.listAudit(c._id)).map((e) => e.event), ['exception.resolved']);
    });

    it('refuses people outside IT, steps that are not open exceptions, and an empty note', async () => {
      const c = manualCase();
      await store.createCase(c);
      assert.equal((await ops.resolveManualException(megan, c._id, { kind: 'step', index: 0 }, 'done')).kind, 'refused');
      assert.equal((await ops.resolveManualException(isaiah, c._id, { kind: 'step', index: 1 }, 'done')).kind, 'conflict');
      assert.equal((await ops.resolveManualException(isaiah, c._id, { kind: 'step', index: 7 }, 'done')).kind, 'conflict');
      assert.equal((await ops.resolveManualException(isaiah, c._id, { kind: 'step', index: 0 }, '   ')).kind, 'conflict');
      assert.equal((await store.getCase(c._id))!.steps[0].resolution, undefined);
      await ops.resolveManualException(isaiah, c._id, { kind: 'step', index: 0 }, 'done');
      assert.equal((await ops.resolveManualException(isaiah, c._id, { kind: 'step', index: 0 }, 'again')).kind, 'conflict', 'handled once');
    });

    const delegateLeftToAPerson: FollowUp = {
      action: 'removeDelegateAccess', status: 'manual', notBefore: '2025-06-30T00:00:00.000Z', finishedAt: '2025-06-30T00:00:02.000Z', requestIds: [],
      detail: 'Alex keeps FullAccess through a group: remove it there.',
    };
    const withManualFollowUp = () =>
      newCase({
        state: 'completed',
        requester: alex,
        steps: [{ action: 'blockSignIn', status: 'manual', detail: 'Synced from on-premises AD: disable it there.', requestIds: [] }],
        followUps: [
          { action: 'deleteAccount', status: 'skipped', notBefore: '2025-09-01T00:00:00.000Z', requestIds: [], detail: 'Policy keeps accounts.' },
          delegateLeftToAPerson,
        ],
        nextFollowUpAt: null,
      });

    it('marks a follow-up left to a person handled, in one update, audited with which follow-up; the step stays open', async () => {
      const c = withManualFollowUp();
      await store.createCase(c);
      const result = await ops.resolveManualException(isaiah, c._id, { kind: 'followUp', index: 1 }, '  Removed Alex from the mailbox group  ');
      assert.equal(result.kind, 'done');
      const stored = (await store.getCase(c._id))!;
      assert.equal(stored.version, c.version + 1, 'exactly one update');
      assert.deepEqual(stored.followUps![1], { ...delegateLeftToAPerson, resolution: { by: isaiah, at: stored.followUps![1].resolution!.at, note: 'Removed Alex from the mailbox group' } });
      assert.deepEqual(stored.followUps![0], c.followUps![0]);
      assert.equal(stored.steps[0].resolution, undefined, 'the step of the same index is another exception');
      assert.equal(stored.nextFollowUpAt, null, 'nothing is scheduled by it');
      const audit = await store.listAudit(c._id);
      assert.deepEqual(audit.map((e) => [e.event, e.actor, e.detail]), [
        ['exception.resolved', isaiah.id, { kind: 'followUp', index: 1, action: 'removeDelegateAccess', note: 'Removed Alex from the mailbox group' }],
      ]);
    });

    it('refuses people outside IT and the target (even in IT) a follow-up, audited, and changes nothing', async () => {
      const c = withManualFollowUp();
      await store.createCase(c);
      assert.deepEqual(await ops.resolveManualException(megan, c._id, { kind: 'followUp', index: 1 }, 'done'), { kind: 'refused', message: 'Only members of the IT operations group can mark exceptions as handled.' });
      const own = { ...withManualFollowUp(), target: { id: isaiah.id, displayName: 'Isaiah Langer', userPrincipalName: 'isaiahl@contoso.com' } };
      await store.createCase(own);
      assert.deepEqual(await ops.resolveManualException(isaiah, own._id, { kind: 'followUp', index: 1 }, 'done'), { kind: 'refused', message: 'Nobody can act on their own offboarding.' });
      for (const id of [c._id, own._id]) {
        const stored = (await store.getCase(id))!;
        assert.equal(stored.followUps![1].resolution, undefined);
        assert.deepEqual((await store.listAudit(id)).map((e) => e.event), ['exception.resolve_denied']);
      }
    });

    it('refuses a follow-up that was not left to a person, a missing one, a tampered kind and an empty note, saying why', async () => {
      const c = withManualFollowUp();
      await store.createCase(c);
      const tries: [Parameters<CaseOperations['resolveManualException']>[2], string, RegExp][] = [
        [{ kind: 'followUp', index: 0 }, 'done', /That follow-up was not left to a person/],
        [{ kind: 'followUp', index: 2 }, 'done', /This case has no such follow-up/],
        [{ kind: 'followUp', index: -1 }, 'done', /no such follow-up/],
        [{ kind: 'followUp', index: 0.5 }, 'done', /no such follow-up/],
        [{ kind: 'constructor' as 'step', index: 0 }, 'done', /Only a step or a follow-up/],
        [{ kind: 'followUp', index: 1 }, '  ', /Say what was done/],
      ];
      for (const [item, note, message] of tries) {
        const result = await ops.resolveManualException(isaiah, c._id, item, note);
        assert.equal(result.kind, 'conflict', JSON.stringify(item));
        assert.match((result as { message: string }).message, message);
      }
      assert.equal((await store.getCase(c._id))!.version, c.version, 'nothing changed');
      assert.deepEqual(await store.listAudit(c._id), []);
    });

    it('a double click records once: the second is told the case changed, or that it is already handled', async () => {
      const c = withManualFollowUp();
      await store.createCase(c);
      const item = { kind: 'followUp', index: 1 } as const;
      const results = await Promise.all([ops.resolveManualException(isaiah, c._id, item, 'first'), ops.resolveManualException(isaiah, c._id, item, 'second')]);
      assert.deepEqual(results.map((r) => r.kind).sort(), ['conflict', 'done']);
      const later = await ops.resolveManualException(isaiah, c._id, item, 'third');
      assert.deepEqual([later.kind, (later as { message: string }).message], ['conflict', 'That follow-up is already marked handled.']);
      const stored = (await store.getCase(c._id))!;
      assert.equal(stored.version, c.version + 1);
      assert.deepEqual((await store.listAudit(c._id)).map((e) => e.event), ['exception.resolved']);
      assert.equal(stored.followUps![1].resolution!.note, (results.find((r) => r.kind === 'done') as { case: OffboardingCase }).case.followUps![1].resolution!.note);
    });
  });
});
