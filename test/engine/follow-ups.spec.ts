import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTIONS } from '../../src/actions/catalogue';
import type { ActionName, FollowUp, MailboxDecisions, OffboardingCase } from '../../src/cases/case';
import { CaseOperations } from '../../src/cases/case-operations';
import { CaseRunner } from '../../src/engine/case-runner';
import type { FollowUpSettings } from '../../src/engine/follow-ups/follow-up-schedule';
import { silentLogger } from '../../src/log';
import { simulatedExchangeToken, simulatedTenantToken } from '../../src/m365/access-token';
import { Exchange } from '../../src/m365/exchange';
import { Graph } from '../../src/m365/graph';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { approvedCase, RecordingNotifier, TestClock } from './engine-fixtures';

const DAY = 24 * 3_600_000;

class ReviewNotifier extends RecordingNotifier {
  reviews: string[] = [];
  failedFollowUps: string[] = [];
  async remindReview(c: OffboardingCase): Promise<void> {
    this.reviews.push(c._id);
  }
  async followUpFailed(c: OffboardingCase, f: FollowUp): Promise<void> {
    this.failedFollowUps.push(`${c._id} ${f.action}: ${f.detail}`);
  }
}

const MAILBOX: MailboxDecisions = { convertToShared: true, delegateUntil: '2025-03-10', autoReply: false, litigationHold: false };
const STEPS: ActionName[] = ['blockSignIn', 'convertToShared', 'grantMailboxAccess'];

describe('follow-ups of a case', () => {
  let sim: SimTenant;
  let store: EmbeddedCaseStore;
  let dir: string;
  let clock: TestClock;
  let notifier: ReviewNotifier;
  let exchange: Exchange;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'follow-ups-'));
    store = await EmbeddedCaseStore.open(dir);
    await store.init();
    clock = new TestClock(); // 2025-03-03T08:00Z
    // Seeded at the test clock's moment: Jane's sign-ins are from before her block, as in life.
    sim = await startSimTenant({ seededAt: clock.now() });
    notifier = new ReviewNotifier();
    exchange = new Exchange({ baseUrl: sim.url, tenantId: SEED_IDS.tenant, tokens: simulatedExchangeToken, sleep: async () => undefined });
  });
  afterEach(async () => {
    await store.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  function runner(followUps?: FollowUpSettings, instanceId = 'instance-1'): CaseRunner {
    const graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, maxRetries: 0 });
    return new CaseRunner({ store, graph, exchange, notifier, actions: ACTIONS, log: silentLogger, now: clock.now, instanceId, followUps });
  }

  /** Jane's case (manager Alex), approved and due now, run to its close. */
  async function closedCase(r: CaseRunner, mailbox: MailboxDecisions = MAILBOX): Promise<OffboardingCase> {
    const c = approvedCase({ id: SEED_IDS.jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com', manager: { id: SEED_IDS.alex, displayName: 'Alex Wilber' } }, clock.now());
    c.request = { ...c.request, timeZone: 'Europe/Paris', mailbox };
    c.steps = STEPS.map((action) => ({ action, status: 'pending', requestIds: [] }));
    await store.createCase(c);
    const closed = (await r.execute(c._id))!;
    assert.equal(closed.state, 'completed', closed.steps.map((s) => `${s.action}=${s.status} ${s.detail ?? ''}`).join('; '));
    return closed;
  }

  const fullAccess = async (user: string) =>
    (await exchange.invoke<{ AccessRights: string[] }>('Get-MailboxPermission', { Identity: SEED_IDS.jane, User: user })).value.some((p) => p.AccessRights.includes('FullAccess'));
  const at = (iso: string) => clock.advance(Date.parse(iso) - clock.now().getTime());

  it("removes the delegate's FullAccess at the end of their last day, while the case already counts as completed", async () => {
    const r = runner();
    const closed = await closedCase(r);
    const removal = closed.followUps!.find((f) => f.action === 'removeDelegateAccess')!;
    assert.equal(removal.notBefore, '2025-03-10T23:00:00.000Z', 'midnight after 10 March in Paris');
    assert.equal(await fullAccess('alexw@contoso.com'), true);

    at('2025-03-10T22:59:59.999Z');
    await r.sweep();
    assert.equal(await fullAccess('alexw@contoso.com'), true, 'the delegate keeps access through their last day');

    clock.advance(1);
    await r.sweep();
    assert.equal(await fullAccess('alexw@contoso.com'), false);
    const after = (await store.getCase(closed._id))!;
    assert.equal(after.state, 'completed');
    assert.equal(after.followUps!.find((f) => f.action === 'removeDelegateAccess')!.status, 'succeeded');
    const shown = notifier.changed.at(-1)!;
    assert.equal(shown.followUps!.find((f) => f.action === 'removeDelegateAccess')!.status, 'succeeded', 'the completion summary in Teams follows');
    assert.ok((await store.listAudit(closed._id)).some((e) => e.event === 'follow_up.succeeded' && e.detail?.action === 'removeDelegateAccess'));
    const removals = sim.calls.filter((c) => (c.body as { CmdletInput?: { CmdletName?: string } })?.CmdletInput?.CmdletName === 'Remove-MailboxPermission');
    assert.equal(removals.length, 1);
  });

  it('reminds IT to review the case the configured number of days after it closed, once', async () => {
    const r = runner({ reviewAfterDays: 7 });
    const closed = await closedCase(r, { ...MAILBOX, delegateUntil: undefined });
    const closedAt = clock.now().getTime();
    // The downloads review, due at the close, starts its Purview search and reads it 10 s later.
    await r.sweep();
    clock.advance(10_000);
    await r.sweep();
    assert.equal((await store.getCase(closed._id))!.followUps!.find((f) => f.action === 'reviewDownloads')!.status, 'succeeded');
    at(new Date(closedAt + 7 * DAY - 1).toISOString());
    await r.sweep();
    assert.deepEqual(notifier.reviews, []);
    clock.advance(1);
    await r.sweep();
    await r.sweep();
    assert.deepEqual(notifier.reviews, [closed._id]);
    const after = (await store.getCase(closed._id))!;
    assert.equal(after.nextFollowUpAt, null, 'nothing left to wait for');
    assert.match(after.followUps!.find((f) => f.action === 'reviewReminder')!.detail!, /Nothing else is open on this case, so no further reminder is scheduled/);
  });

  it('runs a due follow-up once when two instances sweep at the same moment', async () => {
    const one = runner({ reviewAfterDays: 1 });
    const two = runner({ reviewAfterDays: 1 }, 'instance-2');
    await closedCase(one, { ...MAILBOX, delegateUntil: undefined });
    clock.advance(DAY);
    await Promise.all([one.sweep(), two.sweep(), one.sweep(), two.sweep()]);
    assert.equal(notifier.reviews.length, 1);
  });

  it('deletes the account only when policy asks for it, after the retention period and after the delegate lost access', async () => {
    const keeping = runner({ reviewAfterDays: 30 });
    const kept = await closedCase(keeping, { ...MAILBOX, delegateUntil: undefined });
    assert.equal(kept.followUps!.some((f) => f.action === 'deleteAccount'), false, 'no deletion by default');
    clock.advance(400 * DAY);
    await keeping.sweep();
    assert.ok(sim.state.users.get(SEED_IDS.jane), 'the account is kept');
    await store.releaseTarget(SEED_IDS.jane, kept._id);

    const deleting = runner({ reviewAfterDays: 30, deleteAfterDays: 90 });
    const closed = await closedCase(deleting, { ...MAILBOX, delegateUntil: '2026-12-31' });
    const deletion = closed.followUps!.find((f) => f.action === 'deleteAccount')!;
    assert.equal(deletion.notBefore, closed.followUps!.find((f) => f.action === 'removeDelegateAccess')!.notBefore, 'not while the delegate still uses the mailbox');
    at(new Date(Date.parse(deletion.notBefore) - 1).toISOString());
    await deleting.sweep();
    assert.ok(sim.state.users.get(SEED_IDS.jane));
    clock.advance(1);
    await deleting.sweep();
    assert.equal(sim.state.users.get(SEED_IDS.jane), undefined);
    assert.ok(sim.state.deletedUsers.some((u) => u.id === SEED_IDS.jane), 'in the recycle bin, restorable');
    assert.equal((await store.getCase(closed._id))!.followUps!.find((f) => f.action === 'deleteAccount')!.status, 'succeeded');
  });

  it('leaves an account that was enabled again since the offboarding', async () => {
    const r = runner({ reviewAfterDays: 30, deleteAfterDays: 90 });
    const closed = await closedCase(r, { ...MAILBOX, delegate: null, delegateUntil: undefined });
    sim.state.users.get(SEED_IDS.jane)!.accountEnabled = true;
    clock.advance(90 * DAY);
    await r.sweep();
    assert.ok(sim.state.users.get(SEED_IDS.jane));
    const deletion = (await store.getCase(closed._id))!.followUps!.find((f) => f.action === 'deleteAccount')!;
    assert.equal(deletion.status, 'skipped');
    assert.match(deletion.detail!, /enabled again/);
  });

  it('calls off pending follow-ups: nothing of them runs afterwards, and the audit log says who and why', async () => {
    const r = runner({ reviewAfterDays: 30, deleteAfterDays: 90 });
    const closed = await closedCase(r);
    const megan = { id: SEED_IDS.megan, displayName: 'Megan Bowen' };
    const result = await r.cancelFollowUps(closed._id, megan, 'Jane is coming back as a contractor.');
    assert.deepEqual(result.cancelled.sort(), ['checkSignIns', 'deleteAccount', 'removeDelegateAccess', 'reviewDownloads', 'reviewReminder']);
    assert.deepEqual(result.busy, []);
    assert.equal(result.case!.nextFollowUpAt, null);

    clock.advance(400 * DAY);
    await r.sweep();
    assert.ok(sim.state.users.get(SEED_IDS.jane));
    assert.equal(await fullAccess('alexw@contoso.com'), true);
    assert.deepEqual(notifier.reviews, []);
    const event = (await store.listAudit(closed._id)).find((e) => e.event === 'follow_ups.cancelled')!;
    assert.equal(event.actor, SEED_IDS.megan);
    assert.equal(event.detail?.reason, 'Jane is coming back as a contractor.');
  });

  const followUp = async (caseId: string, action: FollowUp['action']) => (await store.getCase(caseId))!.followUps!.filter((f) => f.action === action);

  it('does not delete the account while a delegate keeps its mailbox with no end date, and says why', async () => {
    const r = runner({ reviewAfterDays: 30, deleteAfterDays: 90 });
    const closed = await closedCase(r, { ...MAILBOX, delegateUntil: undefined });
    const [deletion] = await followUp(closed._id, 'deleteAccount');
    assert.equal(deletion.status, 'skipped');
    assert.match(deletion.detail!, /Alex Wilber \(the manager\) keeps FullAccess to the mailbox with no end date/);
    clock.advance(400 * DAY);
    await r.sweep();
    assert.ok(sim.state.users.get(SEED_IDS.jane), 'the account, and with it the shared mailbox, is still there');
    assert.equal(await fullAccess('alexw@contoso.com'), true);
  });

  it('leaves FullAccess the delegate had before the case when the delegation ends', async () => {
    await exchange.invoke('Add-MailboxPermission', { Identity: SEED_IDS.jane, User: 'alexw@contoso.com', AccessRights: ['FullAccess'] });
    const r = runner({ reviewAfterDays: 30, deleteAfterDays: 90 });
    const closed = await closedCase(r);
    assert.equal(closed.steps.find((s) => s.action === 'grantMailboxAccess')!.changed, false, 'the grant step changed nothing');
    const [removal] = await followUp(closed._id, 'removeDelegateAccess');
    assert.equal(removal.status, 'skipped');
    assert.match(removal.detail!, /Alex Wilber \(the manager\) had FullAccess to the mailbox before this offboarding/);
    at('2025-03-11T00:00:00.000Z');
    await r.sweep();
    assert.equal(await fullAccess('alexw@contoso.com'), true, 'access from before the case stays');
    const removals = sim.calls.filter((c) => (c.body as { CmdletInput?: { CmdletName?: string } })?.CmdletInput?.CmdletName === 'Remove-MailboxPermission');
    assert.equal(removals.length, 0);
    const [deletion] = await followUp(closed._id, 'deleteAccount');
    assert.equal(deletion.status, 'pending', 'the delegation has an end date, so the deletion waits for retention as usual');
  });

  it('reminds IT again every period while something is open, and stops saying nothing is left', async () => {
    const r = runner({ reviewAfterDays: 30 });
    const closed = await closedCase(r, { ...MAILBOX, delegateUntil: '2025-06-30' });
    for (let day = 0; day < 150; day++) {
      clock.advance(DAY);
      await r.sweep();
    }
    assert.equal(notifier.reviews.length, 3, 'April, May and June, while the delegate still had access');
    const reminders = await followUp(closed._id, 'reviewReminder');
    assert.deepEqual(reminders.map((f) => [f.notBefore.slice(0, 10), f.status]), [
      ['2025-04-02', 'succeeded'], ['2025-05-02', 'succeeded'], ['2025-06-01', 'succeeded'], ['2025-07-01', 'skipped'],
    ]);
    assert.match(reminders[0].detail!, /Next reminder on 2025-05-02 \(UTC\), since still open: "Remove the delegate's mailbox access" due 2025-06-30/);
    assert.match(reminders[3].detail!, /Nothing is left open on this case/);
    assert.equal((await store.getCase(closed._id))!.nextFollowUpAt, null);
  });

  it('stops reminding after 12 reminders even when something stays open, and says so', async () => {
    const r = runner({ reviewAfterDays: 1 });
    const c = approvedCase({ id: SEED_IDS.jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com' }, clock.now());
    c.state = 'completed_with_failures';
    c.steps = [{ action: 'revokeSessions', status: 'failed', detail: 'Insufficient privileges (HTTP 403)', requestIds: [] }];
    c.followUps = [{ action: 'reviewReminder', status: 'pending', notBefore: clock.now().toISOString(), requestIds: [], everyDays: 1 }];
    c.nextFollowUpAt = clock.now().toISOString();
    await store.createCase(c);
    for (let day = 0; day < 30; day++) {
      await r.sweep();
      clock.advance(DAY);
    }
    assert.equal(notifier.reviews.length, 12);
    const reminders = await followUp(c._id, 'reviewReminder');
    assert.equal(reminders.length, 12);
    assert.match(reminders[11].detail!, /That was reminder 12, the last this app sends; still open: 1 failed step/);
    assert.equal((await store.getCase(c._id))!.nextFollowUpAt, null);
  });

  it('stops reminding once IT marks the follow-up left to a person as handled', async () => {
    const r = runner({ reviewAfterDays: 1 });
    const c = approvedCase({ id: SEED_IDS.jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com' }, clock.now());
    c.state = 'completed';
    c.steps = [{ action: 'blockSignIn', status: 'succeeded', requestIds: [] }];
    c.followUps = [
      { action: 'removeDelegateAccess', status: 'manual', notBefore: clock.now().toISOString(), requestIds: [], detail: 'Alex has FullAccess through a group: remove it there.' },
      { action: 'reviewReminder', status: 'pending', notBefore: clock.now().toISOString(), requestIds: [], everyDays: 1 },
    ];
    c.nextFollowUpAt = clock.now().toISOString();
    await store.createCase(c);
    await r.sweep();
    assert.equal(notifier.reviews.length, 1);
    const [first] = await followUp(c._id, 'reviewReminder');
    assert.match(first.detail!, /since still open: follow-up "Remove the delegate's mailbox access" left to a person/);

    const IT = '00000000-0000-0000-0000-0000000000aa';
    const ops = new CaseOperations({ store, groups: { isMemberOf: async (userId, groupId) => groupId === IT && userId === SEED_IDS.isaiah, isAccountEnabled: async () => true }, policy: { securityGroupId: 'security', itGroupId: IT, protectedUserIds: [] }, log: silentLogger, now: clock.now });
    const handled = await ops.resolveManualException({ id: SEED_IDS.isaiah, displayName: 'Isaiah Langer' }, c._id, { kind: 'followUp', index: 0 }, 'Removed Alex from the mailbox group');
    assert.equal(handled.kind, 'done');
    clock.advance(DAY);
    await r.sweep();
    assert.equal(notifier.reviews.length, 1, 'no second reminder');
    const reminders = await followUp(c._id, 'reviewReminder');
    assert.deepEqual(reminders.map((f) => f.status), ['succeeded', 'skipped']);
    assert.match(reminders[1].detail!, /Nothing is left open on this case/);
    assert.equal((await store.getCase(c._id))!.nextFollowUpAt, null);
  });

  it('tells IT when a follow-up fails for good, and runs it again when IT retries it on a completed case', async () => {
    const r = runner({ reviewAfterDays: 365, deleteAfterDays: 90 });
    const closed = await closedCase(r, { ...MAILBOX, delegate: null, delegateUntil: undefined });
    sim.faults.add({ method: 'DELETE', path: new RegExp(`/users/${SEED_IDS.jane}`), status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' });
    clock.advance(90 * DAY);
    await r.sweep();
    const [failed] = await followUp(closed._id, 'deleteAccount');
    assert.equal(failed.status, 'failed');
    assert.ok(sim.state.users.get(SEED_IDS.jane));
    assert.equal(notifier.failedFollowUps.length, 1);
    assert.match(notifier.failedFollowUps[0], /deleteAccount: .*Authorization_RequestDenied/);

    const IT = '00000000-0000-0000-0000-0000000000aa';
    const ops = new CaseOperations({
      store,
      groups: { isMemberOf: async (userId, groupId) => groupId === IT && (userId === SEED_IDS.isaiah || userId === SEED_IDS.jane), isAccountEnabled: async () => true },
      policy: { securityGroupId: 'security', itGroupId: IT, protectedUserIds: [] },
      log: silentLogger,
      now: clock.now,
    });
    const ownCase = await ops.retryFailedSteps({ id: SEED_IDS.jane, displayName: 'Jane Doe' }, closed._id);
    assert.equal(ownCase.kind, 'refused', 'the target never retries her own case, even in the IT group');
    const retried = await ops.retryFailedSteps({ id: SEED_IDS.isaiah, displayName: 'Isaiah Langer' }, closed._id);
    assert.equal(retried.kind, 'done');
    await r.sweep();
    const after = (await store.getCase(closed._id))!;
    assert.equal(after.state, 'completed');
    assert.equal(after.followUps!.find((f) => f.action === 'deleteAccount')!.status, 'succeeded');
    assert.equal(sim.state.users.get(SEED_IDS.jane), undefined, 'deleted on the retry');
    // The deletion's own events (the other follow-ups ran their course meanwhile).
    const audit = await store.listAudit(closed._id);
    const deletion = audit.filter((e) => (e.event.startsWith('follow_up.') && (e.detail as { action?: string }).action === 'deleteAccount') || e.event.startsWith('case.retry') || e.event === 'retry.denied');
    assert.deepEqual(deletion.map((e) => e.event), ['follow_up.failed', 'retry.denied', 'case.retry_requested', 'follow_up.succeeded']);
  });
});
