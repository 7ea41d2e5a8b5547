/**
 * A $batch as a step sends it: a batch that writes waits for the write pacer and is not sent
 * once the step's lease is gone; sub-requests that stayed throttled are noted as transient so
 * the engine retries the step; and a plan preview refuses a batch that would write.
 */
import assert from 'node:assert/strict';
import type { OffboardingAction } from '../../src/actions/offboarding-action';
import { previewPlan } from '../../src/cases/plan-preview';
import { fencedGraph, LeaseLostError, type StepCallLog } from '../../src/engine/fenced-graph';
import { StepLease } from '../../src/engine/step-lease';
import { ServicePacers } from '../../src/engine/service-pacers';
import { silentLogger } from '../../src/log';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { exchangeNotConnected } from '../../src/m365/exchange';
import { Graph } from '../../src/m365/graph';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import type { CaseStore } from '../../src/store/case-store';
import { approvedCase, TestClock } from './engine-fixtures';

const TIMING = { ms: 30_000, renewEveryMs: 10_000 };

describe('a $batch inside a step', () => {
  let sim: SimTenant;
  let graph: Graph;
  let clock: TestClock;
  let lease: StepLease;
  let log: StepCallLog;
  beforeEach(async () => {
    sim = await startSimTenant();
    graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, retryDelaySeconds: 0.01, batchRetries: 0 });
    clock = new TestClock();
    const claim = { caseId: 'case-1', step: 0, term: 1, owner: 'instance-1', leaseUntil: new Date(clock.now().getTime() + TIMING.ms).toISOString() };
    // Never renewed here (start() is not called), so the store is never asked.
    lease = new StepLease(claim, { store: {} as CaseStore, now: clock.now, timing: TIMING, log: silentLogger });
    log = { transient: [], leaseLost: false };
  });
  afterEach(() => sim.close());

  const removeJaneFrom = (groupId: string) => ({ method: 'DELETE' as const, path: `/groups/${groupId}/members/${SEED_IDS.jane}/$ref` });
  const isMember = (groupId: string) => sim.state.groups.get(groupId)!.memberIds.includes(SEED_IDS.jane);

  it('does not send a batch that writes once the lease is lost, but still sends one that only reads', async () => {
    clock.advance(TIMING.ms - TIMING.renewEveryMs);
    const fenced = fencedGraph(graph, lease, log);
    await assert.rejects(fenced.batch([{ method: 'GET', path: `/users/${SEED_IDS.jane}` }, removeJaneFrom(SEED_IDS.vpnUsers)]), LeaseLostError);
    assert.equal(log.leaseLost, true);
    assert.deepEqual(sim.calls, [], 'nothing reached the tenant');
    assert.ok(isMember(SEED_IDS.vpnUsers));

    const [read] = await fenced.batch([{ method: 'GET', path: `/users/${SEED_IDS.jane}?$select=id` }]);
    assert.equal(read.ok, true);
  });

  it('notes a sub-request that stayed throttled as transient, and a refusal as not', async () => {
    sim.faults.add({ method: 'DELETE', path: new RegExp(`/groups/${SEED_IDS.vpnUsers}/`), status: 429, retryAfterSeconds: 30 });
    sim.faults.add({ method: 'DELETE', path: new RegExp(`/groups/${SEED_IDS.emsLicensing}/`), status: 403 });
    const outcomes = await fencedGraph(graph, lease, log).batch([removeJaneFrom(SEED_IDS.vpnUsers), removeJaneFrom(SEED_IDS.emsLicensing), removeJaneFrom(SEED_IDS.salesTeam)]);
    assert.deepEqual(outcomes.map((o) => o.ok), [false, false, true]);
    assert.deepEqual(log.transient.map((e) => [e.status, e.retryAfterSeconds]), [[429, 30]]);
    assert.equal(log.leaseLost, false);
    assert.deepEqual([isMember(SEED_IDS.vpnUsers), isMember(SEED_IDS.emsLicensing), isMember(SEED_IDS.salesTeam)], [true, true, false]);
  });

  it('takes one pacer turn per call in the batch, reads and writes paced apart', async () => {
    let slept = 0;
    const pacerClock = { at: 0, now: () => pacerClock.at, sleep: async (ms: number) => void ((pacerClock.at += ms), (slept += ms)) };
    // Two calls a second per service and kind, a bucket of two: the third and fourth write wait
    // half a second each, and would wait a second each had the two reads used up the writes' turns.
    const pacers = new ServicePacers({ initialPerSecond: 2, minPerSecond: 1, maxPerSecond: 2, backoffFactor: 0.5, probePerSecond: 0, maxRetries: 0, maxWaitSeconds: 1 }, pacerClock);
    const fenced = fencedGraph(graph, lease, log, pacers);
    await fenced.batch([{ method: 'GET', path: '/users?$top=1' }, { method: 'GET', path: '/groups?$top=1' }]);
    assert.equal(slept, 0, 'two reads fit the read bucket');
    const groups = [SEED_IDS.vpnUsers, SEED_IDS.emsLicensing, SEED_IDS.salesTeam, SEED_IDS.allContosoGroup];
    const outcomes = await fenced.batch(groups.map(removeJaneFrom));
    assert.ok(slept >= 990 && slept <= 1_010, `waited ${slept} ms`);
    assert.equal(sim.calls.filter((c) => c.path === '/v1.0/$batch').length, 2, 'still one batch for the four writes');
    assert.ok(outcomes.slice(0, 3).every((o) => o.ok));
  });

  it('a plan preview refuses a batch that would write, and lets one that reads through', async () => {
    let read: unknown;
    const writing: OffboardingAction = {
      name: 'removeGroupMemberships',
      async plan({ graph: g }) {
        await g.batch([removeJaneFrom(SEED_IDS.vpnUsers)]);
        return { changes: [], found: 'wrote' };
      },
      apply: async () => ({ detail: '', failures: [] }),
      verify: async () => ({ ok: true, detail: '' }),
    };
    const reading: OffboardingAction = {
      ...writing,
      name: 'revokeAppConsents',
      async plan({ graph: g }) {
        read = (await g.batch([{ method: 'GET', path: `/users/${SEED_IDS.jane}?$select=id` }]))[0];
        return { changes: [], found: 'read' };
      },
    };
    const c = approvedCase({ id: SEED_IDS.jane, displayName: 'Jane Doe', userPrincipalName: 'janed@contoso.com' });
    c.steps = [
      { action: 'removeGroupMemberships', status: 'pending', requestIds: [] },
      { action: 'revokeAppConsents', status: 'pending', requestIds: [] },
    ];
    const items = await previewPlan({ graph, exchange: exchangeNotConnected, actions: { removeGroupMemberships: writing, revokeAppConsents: reading } as never }, c);
    assert.match(items[0].found, /a plan preview must not DELETE \/groups\/.*\/members\/.*\/\$ref/);
    assert.equal((read as { ok: boolean }).ok, true);
    assert.ok(isMember(SEED_IDS.vpnUsers));
    assert.equal(sim.calls.filter((c) => c.method === 'DELETE').length, 0);
  });
});
