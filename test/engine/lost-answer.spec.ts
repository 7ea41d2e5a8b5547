import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTIONS } from '../../src/actions/catalogue';
import { parseSnapshot } from '../../src/actions/take-evidence';
import { exceptionCounts, openExceptionLines } from '../../src/cards/completion-exceptions';
import type { ActionName, CaseEvidence, MailboxDecisions } from '../../src/cases/case';
import { CaseRunner } from '../../src/engine/case-runner';
import type { ScheduledStep } from '../../src/engine/run-step';
import { DEFAULT_LEASE } from '../../src/engine/step-lease';
import { silentLogger } from '../../src/log';
import { simulatedExchangeToken, simulatedTenantToken } from '../../src/m365/access-token';
import { Exchange } from '../../src/m365/exchange';
import { Graph } from '../../src/m365/graph';
import type { FaultSpec } from '../../src/sim/faults';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { approvedCase, RecordingNotifier, TestClock } from './engine-fixtures';

const STEPS: ActionName[] = ['takeEvidence', 'blockSignIn', 'convertToShared', 'grantMailboxAccess'];
const MAILBOX: MailboxDecisions = { convertToShared: true, delegateUntil: '2025-03-10', autoReply: false, litigationHold: false };
const cmdletOf = (body: unknown) => (body as { CmdletInput?: { CmdletName?: string } } | undefined)?.CmdletInput?.CmdletName;
/** The evidence snapshot's read of the mailbox permissions is refused; later reads are answered. */
const EVIDENCE_CANNOT_READ_PERMISSIONS: FaultSpec = { method: 'POST', path: /InvokeCommand\/Get-MailboxPermission$/, status: 403, code: 'AccessDenied', message: 'Access denied.' };

/**
 * Exchange carried out the grant but its answer never came back (a dropped connection, or an app
 * that died before reading it). The run after that finds the access in place and must still know
 * this case gave it, or the delegate would keep the mailbox past the end date the request set.
 * When neither the evidence snapshot nor a recorded earlier run can say so, a person decides then.
 */
describe('a change whose answer was lost', () => {
  let sim: SimTenant;
  let store: EmbeddedCaseStore;
  let dir: string;
  let clock: TestClock;
  let exchange: Exchange;
  let runner: CaseRunner;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lost-answer-'));
    store = await EmbeddedCaseStore.open(dir);
    await store.init();
    clock = new TestClock(); // 2025-03-03T08:00Z
    // Seeded at the test clock's moment: Jane's sign-ins are from before her block, as in life.
    sim = await startSimTenant({ seededAt: clock.now() });
    exchange = new Exchange({ baseUrl: sim.url, tenantId: SEED_IDS.tenant, tokens: simulatedExchangeToken, sleep: async () => undefined });
    const graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, maxRetries: 0 });
    runner = new CaseRunner({ store, graph, exchange, notifier: new RecordingNotifier(), actions: ACTIONS, log: silentLogger, now: clock.now });
  });
  afterEach(async () => {
    await store.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  const janeCase = () => {
    const c = approvedCase({ id: SEED_IDS.jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com', manager: { id: SEED_IDS.alex, displayName: 'Alex Wilber' } }, clock.now());
    c.request = { ...c.request, timeZone: 'Europe/Paris', mailbox: MAILBOX };
    c.steps = STEPS.map((action) => ({ action, status: 'pending', requestIds: [] }));
    return c;
  };
  const removals = () => sim.calls.filter((call) => cmdletOf(call.body) === 'Remove-MailboxPermission');
  const snapshotCouldNotRead = (evidence: CaseEvidence | undefined) => 'error' in parseSnapshot(evidence)!.sections.mailboxPermissions;

  const fullAccess = async (user: string) =>
    (await exchange.invoke<{ AccessRights: string[] }>('Get-MailboxPermission', { Identity: SEED_IDS.jane, User: user })).value.some((p) => p.AccessRights.includes('FullAccess'));

  it("counts a delegate grant whose answer was lost as the case's own, and removes it at the end date", async () => {
    const c = janeCase();
    await store.createCase(c);
    sim.faults.add({ method: 'POST', path: /InvokeCommand\/Add-MailboxPermission$/, reset: true, afterApplying: true });

    const waiting = (await runner.execute(c._id))!;
    const grant = waiting.steps.find((s) => s.action === 'grantMailboxAccess') as ScheduledStep;
    assert.equal(grant.status, 'pending', `a lost answer is retried: ${grant.detail}`);
    assert.equal(await fullAccess('alexw@contoso.com'), true, 'Exchange made the change all the same');

    clock.advance(Date.parse(grant.retryAt!) - clock.now().getTime());
    await runner.sweep();
    const closed = (await store.getCase(c._id))!;
    assert.equal(closed.state, 'completed', closed.steps.map((s) => `${s.action}=${s.status} ${s.detail ?? ''}`).join('; '));
    const done = closed.steps.find((s) => s.action === 'grantMailboxAccess')!;
    assert.equal(done.changed, true);
    assert.match(done.detail!, /alexw@contoso\.com already has the FullAccess this case gave/);
    assert.match(done.detail!, /keeps access until 2025-03-10; a follow-up of this case removes it then/);
    const grants = sim.calls.filter((call) => cmdletOf(call.body) === 'Add-MailboxPermission');
    assert.equal(grants.length, 1, 'the grant was not sent again');

    const removal = closed.followUps!.find((f) => f.action === 'removeDelegateAccess')!;
    assert.equal(removal.status, 'pending');
    clock.advance(Date.parse(removal.notBefore) - clock.now().getTime());
    await runner.sweep();
    assert.equal(await fullAccess('alexw@contoso.com'), false, 'the access ended at the date the request set');
  });

  it('still leaves alone FullAccess that the snapshot shows the delegate had before the case', async () => {
    await exchange.invoke('Add-MailboxPermission', { Identity: SEED_IDS.jane, User: 'alexw@contoso.com', AccessRights: ['FullAccess'] });
    const c = janeCase();
    await store.createCase(c);

    const closed = (await runner.execute(c._id))!;
    const grant = closed.steps.find((s) => s.action === 'grantMailboxAccess')!;
    assert.equal(grant.changed, false);
    assert.match(grant.detail!, /had FullAccess before this offboarding/);
    assert.equal(closed.followUps!.find((f) => f.action === 'removeDelegateAccess')!.status, 'skipped');
  });

  it('leaves to a person at the end date a grant whose answer was lost when the snapshot could not read the mailbox permissions', async () => {
    const c = janeCase();
    await store.createCase(c);
    sim.faults.add(EVIDENCE_CANNOT_READ_PERMISSIONS);
    // Another instance holds the grant step: Exchange carries its grant out, and it dies before recording anything.
    const grantStep = STEPS.indexOf('grantMailboxAccess');
    assert.ok(await store.claimStep(c._id, grantStep, 'dead-instance', clock.now(), DEFAULT_LEASE.ms));
    const held = (await runner.execute(c._id))!;
    assert.equal(held.steps[grantStep].status, 'pending', 'the grant step is left to the instance holding it');
    await exchange.invoke('Add-MailboxPermission', { Identity: SEED_IDS.jane, User: 'alexw@contoso.com', AccessRights: ['FullAccess'] });

    clock.advance(DEFAULT_LEASE.ms);
    await runner.sweep();
    const closed = (await store.getCase(c._id))!;
    assert.equal(closed.state, 'completed', closed.steps.map((s) => `${s.action}=${s.status} ${s.detail ?? ''}`).join('; '));
    assert.ok(snapshotCouldNotRead(closed.evidence), 'the snapshot recorded its failed read');
    const grant = closed.steps[grantStep];
    assert.equal(grant.status, 'succeeded', grant.detail);
    assert.match(grant.detail!, /Could not tell whether alexw@contoso\.com had FullAccess before this offboarding: the evidence snapshot could not read the mailbox permissions \(Get-MailboxPermission failed: Access denied\.\)/);
    assert.match(grant.detail!, /keeps access until 2025-03-10; then a follow-up of this case asks a person to check, and to remove it if this case gave it/);
    assert.doesNotMatch(grant.detail!, /had FullAccess before this offboarding; it is left as it is/, 'a guess is not stated as fact');

    const removal = closed.followUps!.find((f) => f.action === 'removeDelegateAccess')!;
    assert.equal(removal.status, 'pending', 'the end date is not dropped');
    clock.advance(Date.parse(removal.notBefore) - clock.now().getTime());
    await runner.sweep();
    const ended = (await store.getCase(c._id))!;
    const asked = ended.followUps!.find((f) => f.action === 'removeDelegateAccess')!;
    assert.equal(asked.status, 'manual', asked.detail);
    assert.match(asked.detail!, /^Check whether alexw@contoso\.com had FullAccess before this offboarding and, if not, remove it \(Remove-MailboxPermission -Identity janed@contoso\.com -User alexw@contoso\.com -AccessRights FullAccess\)\./);
    assert.match(asked.detail!, /the evidence snapshot could not read the mailbox permissions \(Get-MailboxPermission failed: Access denied\.\)/);
    assert.equal(await fullAccess('alexw@contoso.com'), true, 'the access is left for the person to decide on');
    assert.equal(removals().length, 0);

    assert.equal(exceptionCounts(ended.steps, ended.followUps).forAPerson, 1, 'an open exception, on the completion summary and the dashboard');
    const line = openExceptionLines(ended).find((l) => l.text.includes("Remove the delegate's mailbox access"))!;
    assert.match(line.detail, /Remove-MailboxPermission -Identity janed@contoso\.com -User alexw@contoso\.com -AccessRights FullAccess/);
  });

  it('still counts a reset grant as its own when the snapshot could not read the mailbox permissions: its earlier run sent it', async () => {
    const c = janeCase();
    await store.createCase(c);
    sim.faults.add(EVIDENCE_CANNOT_READ_PERMISSIONS);
    sim.faults.add({ method: 'POST', path: /InvokeCommand\/Add-MailboxPermission$/, reset: true, afterApplying: true });

    const waiting = (await runner.execute(c._id))!;
    const grant = waiting.steps.find((s) => s.action === 'grantMailboxAccess') as ScheduledStep;
    assert.equal(grant.status, 'pending', `a lost answer is retried: ${grant.detail}`);
    clock.advance(Date.parse(grant.retryAt!) - clock.now().getTime());
    await runner.sweep();
    const closed = (await store.getCase(c._id))!;
    assert.ok(snapshotCouldNotRead(closed.evidence), 'the snapshot recorded its failed read');
    const done = closed.steps.find((s) => s.action === 'grantMailboxAccess')!;
    assert.equal(done.changed, true);
    assert.match(done.detail!, /alexw@contoso\.com already has the FullAccess this case gave/);
    assert.doesNotMatch(done.detail!, /before this offboarding/);

    const removal = closed.followUps!.find((f) => f.action === 'removeDelegateAccess')!;
    clock.advance(Date.parse(removal.notBefore) - clock.now().getTime());
    await runner.sweep();
    assert.equal((await store.getCase(c._id))!.followUps!.find((f) => f.action === 'removeDelegateAccess')!.status, 'succeeded');
    assert.equal(await fullAccess('alexw@contoso.com'), false, 'the access ended at the date the request set');
  });
});
