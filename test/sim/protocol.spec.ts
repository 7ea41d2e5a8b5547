import assert from 'node:assert/strict';
import { SEED_IDS } from '../../src/sim/seed';
import { startSimTenant, type SimTenant } from '../../src/sim/server';
import { graph } from './sim-fetch';

describe('sim tenant: Graph protocol, faults and throttling', () => {
  let sim: SimTenant;
  beforeEach(async () => {
    sim = await startSimTenant();
  });
  afterEach(() => sim.close());

  const janePath = `/users/${SEED_IDS.jane}`;

  it('refuses a call without a bearer token with 401 InvalidAuthenticationToken', async () => {
    const missing = await graph(sim, janePath, { token: null });
    const empty = await graph(sim, janePath, { token: null, headers: { Authorization: 'Bearer ' } });
    for (const { status, body, headers } of [missing, empty]) {
      assert.equal(status, 401);
      assert.equal(body.error.code, 'InvalidAuthenticationToken');
      assert.equal(body.error.message, 'Access token is empty.');
      assert.ok(headers.get('www-authenticate')?.startsWith('Bearer'));
    }
  });

  it('answers errors in exactly Graph’s shape and echoes client-request-id', async () => {
    const { body, headers } = await graph(sim, '/users/nobody@contoso.com', { headers: { 'client-request-id': 'abc-123' } });
    assert.deepEqual(Object.keys(body), ['error']);
    assert.deepEqual(Object.keys(body.error), ['code', 'message', 'innerError']);
    assert.deepEqual(Object.keys(body.error.innerError), ['date', 'request-id', 'client-request-id']);
    assert.match(body.error.innerError.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.equal(headers.get('client-request-id'), 'abc-123');
    assert.equal(body.error.innerError['client-request-id'], 'abc-123');
    assert.equal(body.error.innerError['request-id'], headers.get('request-id'));
  });

  it('gives every answer a fresh request-id and logs the call', async () => {
    const first = await graph(sim, janePath);
    const second = await graph(sim, janePath);
    assert.match(first.headers.get('request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.notEqual(first.headers.get('request-id'), second.headers.get('request-id'));
    assert.equal(first.headers.get('client-request-id'), first.headers.get('request-id'));
    assert.deepEqual(
      sim.calls.map((c) => [c.method, c.path, c.status, c.requestId]),
      [
        ['GET', `/v1.0${janePath}`, 200, first.headers.get('request-id')],
        ['GET', `/v1.0${janePath}`, 200, second.headers.get('request-id')],
      ],
    );
  });

  it('answers unknown segments and wrong methods as Graph does', async () => {
    const unknown = await graph(sim, `${janePath}/favouriteThings`);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.message, "Resource not found for the segment 'favouriteThings'.");
    assert.equal((await graph(sim, `${janePath}/revokeSignInSessions`)).status, 405);
  });

  it('throttles the next N matching calls with 429 and Retry-After, then recovers', async () => {
    sim.faults.add({ path: /\/revokeSignInSessions$/, status: 429, times: 2, retryAfterSeconds: 7 });
    const revoke = () => graph(sim, `${janePath}/revokeSignInSessions`, { method: 'POST' });
    for (let i = 0; i < 2; i++) {
      const throttled = await revoke();
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get('retry-after'), '7');
      assert.equal(throttled.body.error.code, 'TooManyRequests');
    }
    assert.equal((await revoke()).status, 200);
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.revokeCount, 1, 'throttled calls changed nothing');
    assert.equal(sim.faults.pending, 0);
  });

  it('injects 503 and 403 with custom codes, only for the chosen method', async () => {
    sim.faults.add({ method: 'PATCH', path: /\/users\//, status: 403, code: 'Authorization_RequestDenied', message: 'Nope.' });
    sim.faults.add({ method: 'GET', path: /\/users\//, status: 503 });
    const read = await graph(sim, janePath);
    assert.equal(read.status, 503);
    assert.equal(read.body.error.code, 'ServiceUnavailable');
    const write = await graph(sim, janePath, { method: 'PATCH', body: { accountEnabled: false } });
    assert.equal(write.status, 403);
    assert.equal(write.body.error.message, 'Nope.');
    assert.equal(sim.state.users.get(SEED_IDS.jane)!.accountEnabled, true);
  });

  it('enforces a directory write quota when configured, counting writes only', async () => {
    const limited = await startSimTenant({ writeLimit: { maxWrites: 2, windowSeconds: 60 } });
    try {
      const patch = () => graph(limited, janePath, { method: 'PATCH', body: { jobTitle: 'Leaving' } });
      assert.equal((await patch()).status, 204);
      assert.equal((await graph(limited, janePath)).status, 200);
      assert.equal((await patch()).status, 204);
      const refused = await patch();
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, 'TooManyRequests');
      const wait = Number(refused.headers.get('retry-after'));
      assert.ok(wait > 0 && wait <= 60, `Retry-After ${wait}`);
      assert.equal((await graph(limited, janePath)).status, 200, 'reads are not held back');
    } finally {
      await limited.close();
    }
  });
});
