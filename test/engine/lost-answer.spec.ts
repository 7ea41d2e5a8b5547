import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTIONS } from '../../src/actions/catalogue';
import type { ActionName, MailboxDecisions } from '../../src/cases/case';
import { CaseRunner } from '../../src/engine/case-runner';
import type { ScheduledStep } from '../../src/engine/run-step';
import { silentLogger } from '../../src/log';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { Exchange } from '../../src/m365/exchange';
import { Graph } from '../../src/m365/graph';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { approvedCase, RecordingNotifier, TestClock } from './engine-fixtures';

const STEPS: ActionName[] = ['takeEvidence', 'blockSignIn', 'convertToShared', 'grantMailboxAccess'];
const MAILBOX: MailboxDecisions = { convertToShared: true, delegateUntil: '2025-03-10', autoReply: false, litigationHold: false };
const cmdletOf = (body: unknown) => (body as { CmdletInput?: { CmdletName?: string } } | undefined)?.CmdletInput?.CmdletName;

/**
 * Exchange carried out the grant but its answer never came back (a dropped connection, or an app
 * that died before reading it). The run after that finds the access in place and must still know
 * this case gave it, or the delegate would keep the mailbox past the end date the request set.
 */
describe('a change whose answer was lost', () => {
  let sim: SimTenant;
  let store: EmbeddedCaseStore;
  let dir: string;
  let clock: TestClock;
  let exchange: Exchange;
  let runner: CaseRunner;

  beforeEach(async () => {
    sim = await startSimTenant();
    dir = await mkdtemp(path.join(tmpdir(), 'lost-answer-'));
    store = await EmbeddedCaseStore.open(dir);
    await store.init();
    clock = new TestClock(); // 2025-03-03T08:00Z
    exchange = new Exchange({ baseUrl: sim.url, tenantId: SEED_IDS.tenant, tokens: simulatedTenantToken, sleep: async () => undefined });
    const graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, maxRetries: 0 });
    runner = new CaseRunner({ store, graph, exchange, notifier: new RecordingNotifier(), actions: ACTIONS, log: silentLogger, now: clock.now });
  });
  afterEach(async () => {
    await store.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  const fullAccess = async (user: string) =>
    (await exchange.invoke<{ AccessRights: string[] }>('Get-MailboxPermission', { Identity: SEED_IDS.jane, User: user })).value.some((p) => p.AccessRights.includes('FullAccess'));

  it("counts a delegate grant whose answer was lost as the case's own, and removes it at the end date", async () => {
    const c = approvedCase({ id: SEED_IDS.jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com', manager: { id: SEED_IDS.alex, displayName: 'Alex Wilber' } }, clock.now());
    c.request = { ...c.request, timeZone: 'Europe/Paris', mailbox: MAILBOX };
    c.steps = STEPS.map((action) => ({ action, status: 'pending', requestIds: [] }));
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
    const c = approvedCase({ id: SEED_IDS.jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com', manager: { id: SEED_IDS.alex, displayName: 'Alex Wilber' } }, clock.now());
    c.request = { ...c.request, timeZone: 'Europe/Paris', mailbox: MAILBOX };
    c.steps = STEPS.map((action) => ({ action, status: 'pending', requestIds: [] }));
    await store.createCase(c);

    const closed = (await runner.execute(c._id))!;
    const grant = closed.steps.find((s) => s.action === 'grantMailboxAccess')!;
    assert.equal(grant.changed, false);
    assert.match(grant.detail!, /had FullAccess before this offboarding/);
    assert.equal(closed.followUps!.find((f) => f.action === 'removeDelegateAccess')!.status, 'skipped');
  });
});
