import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTIONS } from '../../src/actions/catalogue';
import type { OffboardingCase } from '../../src/cases/case';
import { CaseOperations } from '../../src/cases/case-operations';
import { planSteps } from '../../src/cases/plan';
import { CaseRunner } from '../../src/engine/case-runner';
import { silentLogger } from '../../src/log';
import { simulatedExchangeToken, simulatedTenantToken } from '../../src/m365/access-token';
import { Exchange } from '../../src/m365/exchange';
import { Graph } from '../../src/m365/graph';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import type { TenantSeed } from '../../src/sim/state';
import type { CaseStore } from '../../src/store/case-store';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { approvedCase as approvedFixture, RecordingNotifier } from './engine-fixtures';

const jane = { id: SEED_IDS.jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com' };

/** An approved case for Jane with the whole plan, as a request creates it. */
function approvedCase(overrides: Partial<OffboardingCase> = {}): OffboardingCase {
  return { ...approvedFixture(jane), steps: planSteps(), ...overrides };
}

describe('the case runner', () => {
  let sim: SimTenant;
  let store: CaseStore;
  let dir: string;
  let notifier: RecordingNotifier;
  let runner: CaseRunner;

  beforeEach(async () => {
    sim = await startSimTenant();
    dir = await mkdtemp(path.join(tmpdir(), 'runner-'));
    store = await EmbeddedCaseStore.open(dir);
    notifier = new RecordingNotifier();
    const graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, retryDelaySeconds: 1, maxRetries: 1 });
    runner = new CaseRunner({ store, graph, notifier, actions: ACTIONS, log: silentLogger });
  });
  afterEach(async () => {
    await store.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('never calls a case with a failed step completed, and keeps the target in an open case', async () => {
    sim.faults.add({ path: /revokeSignInSessions/, status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' });
    const c = approvedCase();
    assert.equal(await store.createCase(c), 'created');
    const done = await runner.execute(c._id);
    assert.equal(done?.state, 'completed_with_failures');
    const failed = done!.steps.find((s) => s.status === 'failed')!;
    assert.match(failed.detail!, /Insufficient privileges/);
    assert.match(failed.detail!, /Authorization_RequestDenied, HTTP 403, request-id /);
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.accountEnabled, false, 'the steps before still ran');
    assert.equal(notifier.finished.length, 1);
    assert.ok(await store.findOpenCaseFor(SEED_IDS.jane), 'the case stays open until the failure is dealt with');
  });

  it('takes the evidence again, before any change, when a section of it was lost to a service fault', async () => {
    // Every read of the inbox rules fails once the Graph client's own retries are spent.
    sim.faults.add({ path: /messageRules$/, status: 503, times: 2 });
    // A moment ahead, so the case created below is already due.
    let now = new Date(Date.now() + 1000);
    runner = new CaseRunner({ store, graph: Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, retryDelaySeconds: 0.01, maxRetries: 1 }), notifier, actions: ACTIONS, log: silentLogger, now: () => now });
    const c = approvedCase();
    await store.createCase(c);
    const waiting = (await runner.execute(c._id))!;
    assert.equal(waiting.steps[0].status, 'pending');
    assert.match(waiting.steps[0].detail!, /Will try again at .*Missing because Microsoft 365 was throttling or failing: inboxRules/);
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.accountEnabled, true, 'nothing changed while the evidence is incomplete');
    now = new Date(Date.now() + 60_000);
    const done = (await runner.execute(c._id))!;
    assert.equal(done.steps[0].status, 'succeeded');
    const rules = JSON.parse(done.evidence!.snapshot).sections.inboxRules;
    assert.ok(Array.isArray(rules.value) && rules.value.length > 0, 'the inbox rules are in the evidence, read before they were deleted');
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.accountEnabled, false);
  });

  it('a failed conversion to shared keeps the licence carrying the mailbox; once IT retries, the conversion and then the licence go', async () => {
    // Every Set-Mailbox is refused (clearing the forwarding too) until IT fixes the app's role.
    sim.faults.add({ path: /InvokeCommand\/Set-Mailbox$/, status: 403, code: 'Forbidden', message: 'The role assigned to the application is not allowed to run Set-Mailbox.', times: Infinity });
    const exchange = new Exchange({ baseUrl: sim.url, tenantId: sim.state.tenantId, tokens: simulatedExchangeToken });
    const graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, maxRetries: 0 });
    runner = new CaseRunner({ store, graph, exchange, notifier, actions: ACTIONS, log: silentLogger });
    const c = approvedCase();
    await store.createCase(c);
    const first = (await runner.execute(c._id))!;
    assert.equal(first.state, 'completed_with_failures');
    const status = (d: OffboardingCase, action: string) => d.steps.find((s) => s.action === action)!.status;
    assert.deepEqual([status(first, 'convertToShared'), status(first, 'removeLicences')], ['failed', 'manual']);
    const mailbox = () => sim.state.mailboxes.find((m) => m.userId === SEED_IDS.jane)!;
    const directLicences = () => sim.state.users.get(SEED_IDS.jane)!.assignedLicenses.filter((l) => l.skuId === SEED_IDS.office365E3);
    assert.equal(mailbox().recipientTypeDetails, 'UserMailbox');
    assert.equal(directLicences().length, 1, 'the mail would be lost with the licence');

    const ops = new CaseOperations({
      store, groups: { isMemberOf: async (userId) => userId === SEED_IDS.isaiah, isAccountEnabled: async () => true }, policy: { securityGroupId: '', itGroupId: 'it', protectedUserIds: [] }, log: silentLogger,
    });
    sim.faults.clear();
    assert.equal((await ops.retryFailedSteps({ id: SEED_IDS.isaiah, displayName: 'Isaiah Langer' }, c._id)).kind, 'done');
    const second = (await runner.execute(c._id))!;
    assert.deepEqual([status(second, 'convertToShared'), status(second, 'removeLicences')], ['succeeded', 'succeeded']);
    assert.equal(second.state, 'completed');
    assert.equal(mailbox().recipientTypeDetails, 'SharedMailbox');
    assert.deepEqual(directLicences(), []);
  });

  it("a failed conversion to shared keeps Jane owner of the team whose group gives the mailbox's licence; once IT retries, she is no owner", async () => {
    // The Sales Team's group gives Jane her Office 365 E3 (the mailbox's licence) instead of a direct assignment; Daniel co-owns it.
    const licensingTeam = (contoso: TenantSeed): TenantSeed => ({
      ...contoso,
      users: contoso.users.map((u) => (u.id === SEED_IDS.jane ? { ...u, directLicenses: [] } : u)),
      groups: contoso.groups.map((g) => (g.id === SEED_IDS.salesTeam ? { ...g, ownerIds: [SEED_IDS.danielBrown, SEED_IDS.jane], resourceProvisioningOptions: ['Team'], assignedLicenses: [{ skuId: SEED_IDS.office365E3, disabledPlans: [] }] } : g)),
    });
    await sim.close();
    sim = await startSimTenant({ seed: licensingTeam });
    sim.faults.add({ path: /InvokeCommand\/Set-Mailbox$/, status: 403, code: 'Forbidden', message: 'The role assigned to the application is not allowed to run Set-Mailbox.', times: Infinity });
    const exchange = new Exchange({ baseUrl: sim.url, tenantId: sim.state.tenantId, tokens: simulatedExchangeToken });
    runner = new CaseRunner({ store, graph: Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, maxRetries: 0 }), exchange, notifier, actions: ACTIONS, log: silentLogger });
    const c = approvedCase();
    await store.createCase(c);
    const first = (await runner.execute(c._id))!;
    const step = (d: OffboardingCase, action: string) => d.steps.find((s) => s.action === action)!;
    assert.equal(step(first, 'convertToShared').status, 'failed');
    assert.equal(step(first, 'transferGroupOwnership').status, 'manual');
    assert.match(step(first, 'transferGroupOwnership').detail!, /stays an owner of 'Sales Team' for now/);
    const team = () => sim.state.groups.get(SEED_IDS.salesTeam)!;
    assert.deepEqual(team().ownerIds, [SEED_IDS.danielBrown, SEED_IDS.jane], 'Jane stays, or the mailbox would lose its licence with the membership');

    const ops = new CaseOperations({
      store, groups: { isMemberOf: async (userId) => userId === SEED_IDS.isaiah, isAccountEnabled: async () => true }, policy: { securityGroupId: '', itGroupId: 'it', protectedUserIds: [] }, log: silentLogger,
    });
    sim.faults.clear();
    assert.equal((await ops.retryFailedSteps({ id: SEED_IDS.isaiah, displayName: 'Isaiah Langer' }, c._id)).kind, 'done');
    const second = (await runner.execute(c._id))!;
    assert.equal(step(second, 'convertToShared').status, 'succeeded');
    assert.equal(step(second, 'transferGroupOwnership').status, 'succeeded', step(second, 'transferGroupOwnership').detail);
    assert.deepEqual(team().ownerIds, [SEED_IDS.danielBrown], 'Jane is no longer an owner of the team');
    assert.ok(!team().memberIds.includes(SEED_IDS.jane));
    assert.equal(sim.state.mailboxes.find((m) => m.userId === SEED_IDS.jane)!.recipientTypeDetails, 'SharedMailbox');
  });

  it('does nothing before the cut-off', async () => {
    const c = approvedCase({ notBefore: new Date(Date.now() + 3_600_000).toISOString() });
    await store.createCase(c);
    assert.equal(await runner.execute(c._id), null);
    await runner.sweep();
    assert.equal((await store.getCase(c._id))!.state, 'approved');
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.accountEnabled, true);
  });

  it('finishes a case a crash left running, without redoing finished steps', async () => {
    const crashedAt = planSteps().findIndex((s) => s.action === 'revokeSessions');
    const steps = planSteps().map((s, i) =>
      i < crashedAt ? { ...s, status: 'succeeded' as const, detail: 'done before the crash', requestIds: ['r1'] } : i === crashedAt ? { ...s, status: 'running' as const } : s,
    );
    const c = approvedCase({ state: 'running', steps });
    await store.createCase(c);
    await runner.sweep();
    const done = (await store.getCase(c._id))!;
    assert.equal(done.state, 'completed');
    assert.ok(done.steps.slice(0, crashedAt).every((s) => s.detail === 'done before the crash'));
    const blockCalls = sim.calls.filter((call) => call.method === 'PATCH' && (call.body as { accountEnabled?: boolean })?.accountEnabled === false);
    assert.equal(blockCalls.length, 0, 'block sign-in was not applied again');
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.revokeCount, 1);
    assert.equal(await store.findOpenCaseFor(SEED_IDS.jane), null, 'a completed case frees the target');
  });

  it('runs a case once even when triggered twice at the same moment', async () => {
    const c = approvedCase();
    await store.createCase(c);
    await Promise.all([runner.execute(c._id), runner.execute(c._id), runner.sweep()]);
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.revokeCount, 1);
    assert.equal(notifier.finished.length, 1);
  });

  it('finishes the case when the store refuses to release step claims, since each outcome is already stored', async () => {
    const refusing = new Proxy(store, {
      get: (target, property, receiver) =>
        property === 'releaseStepClaim' ? async () => { throw new Error('database is locked (5) (SQLITE_BUSY)'); } : Reflect.get(target, property, receiver),
    });
    const run = new CaseRunner({ store: refusing, graph: Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, retryDelaySeconds: 1, maxRetries: 1 }), notifier, actions: ACTIONS, log: silentLogger });
    const c = approvedCase();
    await store.createCase(c);
    const done = await run.execute(c._id);
    assert.equal(done?.state, 'completed');
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.revokeCount, 1);
    assert.equal(notifier.finished.length, 1);
  });

  it('on shutdown finishes the step in flight, starts no other, and another instance goes on from the next step', async () => {
    sim.faults.add({ method: 'POST', path: /revokeSignInSessions/, latencyMs: 400 });
    const c = approvedCase();
    await store.createCase(c);
    const revoke = c.steps.findIndex((s) => s.action === 'revokeSessions');
    const running = runner.execute(c._id);
    while ((await store.getCase(c._id))!.steps[revoke].status !== 'running') await new Promise((r) => setTimeout(r, 20));
    await runner.stop(10_000);
    const left = await running;
    assert.equal(left?.state, 'running', 'the case stays running for whoever goes on');
    assert.equal(left!.steps[revoke].status, 'succeeded', 'the step in flight finished and was recorded');
    assert.ok(left!.steps.slice(revoke + 1).every((s) => s.status === 'pending'), 'no later step started');
    assert.equal(await runner.execute(c._id), null, 'a stopped runner takes no case');

    const next = new CaseRunner({ store, graph: Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, retryDelaySeconds: 1, maxRetries: 1 }), notifier, actions: ACTIONS, log: silentLogger });
    await next.sweep();
    assert.equal((await store.getCase(c._id))!.state, 'completed');
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.revokeCount, 1);
    assert.equal(sim.calls.filter((call) => call.method === 'PATCH' && (call.body as { accountEnabled?: boolean })?.accountEnabled === false).length, 1);
  });
});
