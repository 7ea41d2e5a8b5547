/**
 * Graph.batch against the simulated tenant over HTTP: independent calls go 20 to a $batch, only
 * the throttled sub-requests are sent again after their Retry-After, and what stays throttled or
 * was refused comes back as a failed outcome, in call order, with Graph's error.
 */
import assert from 'node:assert/strict';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { Graph } from '../../src/m365/graph';
import type { BatchCall } from '../../src/m365/graph-batch';
import { M365Error } from '../../src/m365/m365-error';
import { staffId, withStaff } from '../../src/sim/bulk-tenant';
import type { SimCall } from '../../src/sim/calls';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';

interface SentBatch {
  requests: Array<{ id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown }>;
}

const retitle = (i: number, jobTitle = `Leaver ${i}`): BatchCall => ({ method: 'PATCH', path: `/users/${staffId(i)}`, body: { jobTitle } });

describe('Graph.batch: independent calls through JSON $batch', () => {
  let sim: SimTenant;
  let graph: Graph;
  beforeEach(async () => {
    sim = await startSimTenant({ seed: withStaff(25) });
    graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, retryDelaySeconds: 0.05, batchRetries: 2 });
  });
  afterEach(() => sim.close());

  const batches = (): Array<SimCall & { body: SentBatch }> => sim.calls.filter((c) => c.path === '/v1.0/$batch') as never;
  const jobTitle = (i: number) => sim.state.users.get(staffId(i))!.jobTitle;

  it('sends 25 writes as a batch of 20 and one of 5, all applied, each outcome with its batch’s request-id', async () => {
    const outcomes = await graph.batch(Array.from({ length: 25 }, (_, i) => retitle(i)));
    assert.deepEqual(outcomes.map((o) => o.ok && o.status), Array(25).fill(204));
    for (let i = 0; i < 25; i++) assert.equal(jobTitle(i), `Leaver ${i}`);

    const sent = batches();
    assert.deepEqual(sent.map((b) => b.body.requests.length), [20, 5]);
    assert.deepEqual(sent.map((b) => b.status), [200, 200]);
    const first = sent[0].body.requests[0];
    assert.equal(first.url, `/users/${staffId(0)}`, 'relative to the version root');
    assert.equal(first.headers?.['Content-Type'], 'application/json');
    assert.equal(sim.calls.filter((c) => c.method === 'PATCH').length, 25, 'each sub-request reached the tenant once');
    assert.equal(outcomes[0].ok && outcomes[0].requestId, sent[0].requestId);
    assert.equal(outcomes[24].ok && outcomes[24].requestId, sent[1].requestId);
  });

  it('re-sends only the throttled sub-request, alone, after its Retry-After, and it succeeds', async () => {
    sim.faults.add({ method: 'PATCH', path: new RegExp(`/users/${staffId(1)}$`), status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    const outcomes = await graph.batch([retitle(0), retitle(1), retitle(2)]);
    assert.ok(Date.now() - started >= 950, 'the Retry-After of the inner 429 was honoured');
    assert.deepEqual(outcomes.map((o) => o.ok), [true, true, true]);
    assert.deepEqual([jobTitle(0), jobTitle(1), jobTitle(2)], ['Leaver 0', 'Leaver 1', 'Leaver 2']);

    const sent = batches();
    assert.equal(sent.length, 2);
    assert.deepEqual(sent[1].body.requests.map((r) => r.url), [`/users/${staffId(1)}`]);
    assert.deepEqual(sim.calls.filter((c) => c.method === 'PATCH').map((c) => c.status), [204, 429, 204, 204]);
    const throttledId = sim.calls.find((c) => c.status === 429)!.requestId;
    assert.deepEqual(outcomes[1].requestIds, [sent[0].requestId, throttledId, sent[1].requestId], 'every request-id kept as evidence');
  });

  it('ends a sub-request still throttled after the last round as a failed, transient outcome with its Retry-After', async () => {
    sim.faults.add({ method: 'PATCH', path: new RegExp(`/users/${staffId(3)}$`), status: 429, retryAfterSeconds: 1, times: Infinity });
    const outcomes = await graph.batch([retitle(2), retitle(3)]);
    assert.equal(outcomes[0].ok, true);
    const throttled = outcomes[1];
    assert.ok(!throttled.ok);
    assert.ok(throttled.error instanceof M365Error);
    assert.equal(throttled.error.status, 429);
    assert.equal(throttled.error.code, 'TooManyRequests');
    assert.equal(throttled.error.retryAfterSeconds, 1);
    assert.equal(throttled.error.transient, true);
    assert.match(throttled.error.message, new RegExp(`^PATCH /users/${staffId(3)} failed`));
    const attempts = sim.calls.filter((c) => c.method === 'PATCH' && c.path.endsWith(staffId(3)));
    assert.equal(attempts.length, 3, 'the first round and two re-sent rounds');
    assert.equal(throttled.error.requestId, attempts[2].requestId, 'the inner error’s own request-id');
    assert.equal(jobTitle(3), 'Associate');
    assert.deepEqual(batches().map((b) => b.body.requests.length), [2, 1, 1]);
  });

  it('does not wait out a Retry-After longer than batchMaxWaitSeconds: the call fails at once, for the engine to retry later', async () => {
    graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, batchRetries: 3, batchMaxWaitSeconds: 5 });
    sim.faults.add({ method: 'PATCH', path: new RegExp(`/users/${staffId(4)}$`), status: 429, retryAfterSeconds: 60 });
    const started = Date.now();
    const [outcome] = await graph.batch([retitle(4)]);
    assert.ok(Date.now() - started < 2_000);
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.retryAfterSeconds, 60);
    assert.equal(batches().length, 1);
  });

  it('re-sends a 503 without Retry-After after a short backoff', async () => {
    sim.faults.add({ method: 'PATCH', path: new RegExp(`/users/${staffId(5)}$`), status: 503 });
    const outcomes = await graph.batch([retitle(5)]);
    assert.equal(outcomes[0].ok, true);
    assert.equal(jobTitle(5), 'Leaver 5');
    assert.equal(batches().length, 2);
  });

  it('does not re-send a refusal (403) and keeps every outcome in call order', async () => {
    sim.faults.add({ method: 'PATCH', path: new RegExp(`/users/${staffId(7)}$`), status: 403 });
    const outcomes = await graph.batch([
      { method: 'GET', path: `/users/${SEED_IDS.jane}?$select=id,displayName` },
      retitle(7),
      { method: 'GET', path: '/users/11111111-1111-1111-1111-111111111111' },
      retitle(8),
      { method: 'GET', path: `/users/${SEED_IDS.alex}?$select=id` },
    ]);
    assert.equal(batches().length, 1, 'nothing was sent again');
    assert.deepEqual(outcomes.map((o) => (o.ok ? o.status : o.error.status)), [200, 403, 404, 204, 200]);
    const jane = outcomes[0].ok ? (outcomes[0].body as { id: string; displayName: string }) : undefined;
    assert.deepEqual([jane?.id, jane?.displayName], [SEED_IDS.jane, 'Jane Doe']);
    assert.equal(outcomes[4].ok && (outcomes[4].body as { id: string }).id, SEED_IDS.alex);
    const refused = outcomes[1];
    assert.ok(!refused.ok);
    assert.equal(refused.error.transient, false);
    assert.equal(refused.error.requestId, sim.calls.find((c) => c.status === 403)!.requestId);
    const missing = outcomes[2];
    assert.ok(!missing.ok);
    assert.equal(missing.error.code, 'Request_ResourceNotFound');
    assert.equal(jobTitle(7), 'Associate');
    assert.equal(jobTitle(8), 'Leaver 8');
  });
});
