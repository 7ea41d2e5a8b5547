import assert from 'node:assert/strict';
import { simulatedTenantToken } from '../../src/m365/access-token';
import { Graph } from '../../src/m365/graph';
import { M365Error } from '../../src/m365/m365-error';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';

describe('the Graph client (graph-client middleware chain) against the simulated tenant', () => {
  let sim: SimTenant;
  let graph: Graph;
  beforeEach(async () => {
    sim = await startSimTenant();
    graph = Graph.connect({ baseUrl: sim.url, tokens: simulatedTenantToken, retryDelaySeconds: 1 });
  });
  afterEach(() => sim.close());

  it('sends the bearer token and returns the body with Graph\'s request-id', async () => {
    const res = await graph.get<{ displayName: string }>(`/users/${SEED_IDS.jane}?$select=displayName`);
    assert.equal(res.body.displayName, 'Jane Doe');
    assert.equal(res.requestId, sim.calls.at(-1)!.requestId);
  });

  it('fails with one error type carrying Graph\'s code, status and request-id', async () => {
    await assert.rejects(graph.get('/users/11111111-1111-1111-1111-111111111111'), (err: unknown) => {
      assert.ok(err instanceof M365Error);
      assert.equal(err.status, 404);
      assert.equal(err.code, 'Request_ResourceNotFound');
      assert.equal(err.requestId, sim.calls.at(-1)!.requestId);
      assert.equal(err.transient, false);
      return true;
    });
  });

  it('waits out throttling (429 with Retry-After) and succeeds', async () => {
    sim.faults.add({ path: /revokeSignInSessions/, status: 429, times: 2, retryAfterSeconds: 1 });
    const started = Date.now();
    const res = await graph.send<{ value: boolean }>('POST', `/users/${SEED_IDS.jane}/revokeSignInSessions`);
    assert.equal(res.body.value, true);
    assert.ok(Date.now() - started >= 1900, 'Retry-After was honoured');
    assert.equal(sim.calls.filter((c) => /revokeSignInSessions/.test(c.path)).map((c) => c.status).join(','), '429,429,200');
  });

  it('gives up after the retries and reports the throttling as transient', async () => {
    sim.faults.add({ path: /\/users\//, status: 503, times: Infinity, retryAfterSeconds: 1 });
    await assert.rejects(graph.get(`/users/${SEED_IDS.jane}`), (err: unknown) => err instanceof M365Error && err.status === 503 && err.transient);
  });
});
