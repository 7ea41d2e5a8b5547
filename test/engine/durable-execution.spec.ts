import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTIONS } from '../../src/actions/catalogue';
import type { OffboardingCase } from '../../src/cases/case';
import { CaseRunner } from '../../src/engine/case-runner';
import type { ScheduledStep } from '../../src/engine/run-step';
import { silentLogger } from '../../src/log';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { Graph } from '../../src/m365/graph';
import { withStaff } from '../../src/sim/bulk-tenant';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { EmbeddedCaseStore } from '../../src/store/embedded-case-store';
import { appliedWrites, approvedCase, RecordingNotifier, repeated, staffTarget, TestClock } from './engine-fixtures';

const LEASE = { ms: 30_000, renewEveryMs: 10_000 };

describe('durable execution', () => {
  let sim: SimTenant;
  let store: EmbeddedCaseStore;
  let dir: string;
  let clock: TestClock;
  let runner: CaseRunner;

  beforeEach(async () => {
    sim = await startSimTenant({ seed: withStaff(12) });
    dir = await mkdtemp(path.join(tmpdir(), 'durable-'));
    store = await EmbeddedCaseStore.open(dir);
    await store.init();
    clock = new TestClock();
    // No retries inside the Graph client: these tests are about the engine's own step retries.
    const graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, maxRetries: 0 });
    runner = new CaseRunner({ store, graph, notifier: new RecordingNotifier(), actions: ACTIONS, log: silentLogger, now: clock.now, lease: LEASE, instanceId: 'instance-1' });
  });
  afterEach(async () => {
    await store.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  const user = (i: number) => sim.state.users.get(staffTarget(i).id)!;

  it('does nothing before a scheduled cut-off and runs the case once it has come', async () => {
    const c = approvedCase(staffTarget(0), new Date(clock.now().getTime() + 8 * 3_600_000));
    await store.createCase(c);

    clock.advance(8 * 3_600_000 - 1);
    assert.equal(await runner.execute(c._id), null);
    await runner.sweep();
    assert.equal((await store.getCase(c._id))!.state, 'approved');
    assert.equal(user(0).accountEnabled, true);
    assert.equal(appliedWrites(sim.calls).length, 0, 'the tenant was not touched');

    clock.advance(1);
    await runner.sweep();
    assert.equal((await store.getCase(c._id))!.state, 'completed');
    assert.equal(user(0).accountEnabled, false);
  });

  it('leaves a throttled step pending until Graph says to come back, then finishes it', async () => {
    sim.faults.add({ path: /revokeSignInSessions/, status: 429, retryAfterSeconds: 40 });
    const c = approvedCase(staffTarget(1), clock.now());
    await store.createCase(c);

    const waiting = (await runner.execute(c._id))!;
    const step = waiting.steps.find((s) => s.action === 'revokeSessions') as ScheduledStep;
    assert.equal(waiting.state, 'running');
    assert.equal(step.status, 'pending');
    assert.equal(step.retryAt, new Date(clock.now().getTime() + 40_000).toISOString(), 'Retry-After beats the shorter backoff');
    assert.match(step.detail!, /TooManyRequests|429/);
    assert.equal(user(1).accountEnabled, false, 'the steps before it ran');

    clock.advance(39_000);
    await runner.sweep();
    assert.equal((await store.getCase(c._id))!.state, 'running', 'not before retryAt');

    clock.advance(1_000);
    await runner.sweep();
    const done = (await store.getCase(c._id))!;
    assert.equal(done.state, 'completed');
    assert.equal(user(1).revokeCount, 1);
  });

  it('retries later a step whose batched membership delete stayed throttled, and the second run finishes the job', async () => {
    // Re-sends a throttled sub-request once inside the step, then leaves it to the engine.
    const graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, maxRetries: 0, batchRetries: 1 });
    const batching = new CaseRunner({ store, graph, notifier: new RecordingNotifier(), actions: ACTIONS, log: silentLogger, now: clock.now, lease: LEASE, instanceId: 'instance-1' });
    const allStaff = [...sim.state.groups.values()].find((g) => g.displayName === 'All Staff')!;
    const target = staffTarget(11);
    const memberships = () => [...sim.state.groups.values()].filter((g) => g.memberIds.includes(target.id)).map((g) => g.displayName);
    sim.faults.add({ method: 'DELETE', path: new RegExp(`/groups/${allStaff.id}/members/`), status: 429, retryAfterSeconds: 1, times: Infinity });
    const c = approvedCase(target, clock.now());
    await store.createCase(c);

    const waiting = (await batching.execute(c._id))!;
    const step = waiting.steps.find((s) => s.action === 'removeGroupMemberships') as ScheduledStep;
    assert.equal(waiting.state, 'running');
    assert.equal(step.status, 'pending', step.detail);
    assert.ok(step.retryAt && Date.parse(step.retryAt) > clock.now().getTime());
    assert.match(step.detail!, /Could not remove from 'All Staff': .*HTTP 429/);
    assert.deepEqual(memberships(), ['All Staff'], 'the other membership went in the same batch');
    const throttled = sim.calls.filter((c) => c.method === 'DELETE' && c.path.includes(allStaff.id));
    assert.deepEqual(throttled.map((c) => c.status), [429, 429], 'sent once and re-sent once inside the step');
    assert.ok(sim.calls.some((c) => c.path === '/v1.0/$batch'));
    assert.ok(step.requestIds.includes(throttled[1].requestId), 'the throttled sub-request’s request-id is kept');

    sim.faults.clear();
    clock.advance(10 * 60_000);
    await batching.sweep();
    const done = (await store.getCase(c._id))!;
    assert.equal(done.state, 'completed', done.steps.map((s) => `${s.action}=${s.status} ${s.detail ?? ''}`).join('; '));
    assert.deepEqual(memberships(), []);
    assert.deepEqual(repeated(appliedWrites(sim.calls)), []);
  });

  it('fails a step for good after its transient retries run out, with the reason', async () => {
    sim.faults.add({ path: /revokeSignInSessions/, status: 503, times: Infinity });
    const c = approvedCase(staffTarget(2), clock.now());
    await store.createCase(c);
    for (let i = 0; i < 8; i++) {
      await runner.sweep();
      clock.advance(10 * 60_000);
    }
    const done = (await store.getCase(c._id))!;
    assert.equal(done.state, 'completed_with_failures');
    const failed = done.steps.find((s) => s.action === 'revokeSessions')!;
    assert.equal(failed.status, 'failed');
    assert.match(failed.detail!, /503/);
  });

  it('finishes every case with the right end state under injected 429s and 503s, applying no write twice', async () => {
    sim.faults.add({ method: 'PATCH', path: /\/users\//, status: 429, times: 3, retryAfterSeconds: 2 });
    sim.faults.add({ method: 'DELETE', path: /members/, status: 503, times: 4 });
    sim.faults.add({ method: 'POST', path: /revokeSignInSessions/, status: 503, times: 2 });
    sim.faults.add({ method: 'GET', path: /memberOf/, status: 429, times: 2 });
    const cases: OffboardingCase[] = [];
    for (let i = 3; i < 9; i++) {
      cases.push(approvedCase(staffTarget(i), clock.now()));
      await store.createCase(cases[cases.length - 1]);
    }
    for (let round = 0; round < 10 && (await store.listCases()).some((c) => c.state === 'running' || c.state === 'approved'); round++) {
      await runner.sweep();
      clock.advance(5 * 60_000);
    }
    for (const c of cases) {
      const done = (await store.getCase(c._id))!;
      assert.equal(done.state, 'completed', `${c.target.displayName}: ${done.steps.map((s) => `${s.action}=${s.status} ${s.detail ?? ''}`).join('; ')}`);
      const u = sim.state.users.get(c.target.id)!;
      assert.equal(u.accountEnabled, false);
      assert.equal(u.revokeCount, 1);

    }
    assert.equal(sim.faults.pending, 0, 'every injected fault was met');
    assert.deepEqual(repeated(appliedWrites(sim.calls)), []);
  });

  it('retries a step whose connection was reset, without applying its write twice', async () => {
    sim.faults.add({ method: 'PATCH', path: /\/users\//, reset: true });
    const c = approvedCase(staffTarget(10), clock.now());
    await store.createCase(c);
    await runner.execute(c._id);
    assert.equal((await store.getCase(c._id))!.state, 'running', 'the reset step waits to retry');
    clock.advance(60_000);
    await runner.sweep();
    assert.equal((await store.getCase(c._id))!.state, 'completed');
    assert.equal(user(10).accountEnabled, false);
    assert.equal(sim.faults.pending, 0);
    assert.deepEqual(repeated(appliedWrites(sim.calls)), []);
  });

  it('leaves a step to the instance holding its lease, and takes it over once that lease runs out', async () => {
    const c = approvedCase(staffTarget(9), clock.now());
    await store.createCase(c);
    await store.updateCase(c._id, { version: 1, states: ['approved'] }, { state: 'running' });
    assert.ok(await store.claimStep(c._id, 0, 'dead-instance', clock.now(), LEASE.ms));

    await runner.execute(c._id);
    assert.equal((await store.getCase(c._id))!.steps[0].status, 'pending', 'a live lease is respected');
    assert.equal(appliedWrites(sim.calls).length, 0);

    clock.advance(LEASE.ms);
    const done = (await runner.execute(c._id))!;
    assert.equal(done.state, 'completed');
    assert.equal(user(9).accountEnabled, false);
  });
});
